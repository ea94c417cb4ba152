/**
 * The secrets of a statement: the write-only values it writes, which no error or notice may
 * show, whatever produced the message (a syntax error near the literal, an engine cast error
 * quoting it, a failed request).
 */
import type { Catalog } from '../catalog/loader.js';
import type { ResourceDef } from '../catalog/types.js';
import { CcqlError } from '../errors.js';
import type { Notice } from '../result.js';
import { schemaPointerToPath } from '../schema/pointer.js';
import { scrub } from '../schema/write-only.js';
import type { StatementNode, ValueNode } from '../sql/ir.js';
import { tableColumns } from './columns.js';

/**
 * The write-only values a statement writes (an API key in a JSON literal, a password column):
 * none may appear in an error or notice, whatever produced it (a syntax error near the
 * literal, an engine cast error quoting it).
 */
export function statementSecrets(node: StatementNode, catalog: Catalog): string[] {
  const inner = node.kind === 'explain' ? node.statement : node;
  if (!('refs' in inner) && inner.kind !== 'exec') return [];
  const parts = inner.kind === 'exec' ? [inner.parts] : inner.refs.map((r) => r.parts);
  const resources = parts.flatMap((p) => resourceOrNone(catalog, p)).filter((r) => r.writeOnlyProperties.length > 0);
  if (resources.length === 0) return [];
  const keys = new Set(resources.flatMap((r) => r.writeOnlyProperties.map((p) => schemaPointerToPath(p).pop()!.toLowerCase())));
  const columns = new Set(resources.flatMap((r) => tableColumns(r).filter((c) => c.column.writeOnly).flatMap((c) => [c.name, c.property!.toLowerCase()]).filter((n) => n !== 'region' && n !== 'data__identifier')));
  const out = new Set<string>();
  const written: Array<{ name: string; value: ValueNode }> =
    inner.kind === 'insert'
      ? (inner.rows ?? []).flatMap((row) => row.map((value, i) => ({ name: inner.columns[i]?.name ?? '', value })))
      : inner.kind === 'update'
        ? inner.sets.map((s) => ({ name: s.name.name, value: s.value }))
        : inner.kind === 'exec'
          ? inner.params.map((p) => ({ name: p.name.name, value: p.value }))
          : [];
  for (const w of written) {
    if (w.value.kind === 'literal' && w.value.literal.kind === 'string' && columns.has(w.name.toLowerCase())) out.add(w.value.literal.value);
  }
  for (const m of inner.text.matchAll(/'((?:[^']|'')*)'/g)) {
    try {
      collectSecretStrings(JSON.parse(m[1]!.replace(/''/g, "'")), keys, false, out);
    } catch {
      // not JSON
    }
  }
  // Longest first, so that a secret is masked whole before any part of it.
  return [...out].filter((v) => v.length >= 3).sort((a, b) => b.length - a.length);
}

export function scrubError(e: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0 || !(e instanceof CcqlError)) return e;
  const clean = (t: string): string => scrub(t, secrets);
  if (![e.message, e.hint ?? '', ...e.details].some((t) => clean(t) !== t)) return e;
  return new CcqlError(e.code, clean(e.message), {
    ...(e.hint ? { hint: clean(e.hint) } : {}),
    ...(e.location ? { location: e.location } : {}),
    sqlstate: e.sqlstate,
    details: e.details.map(clean),
  });
}

export function scrubNotice(n: Notice, secrets: readonly string[]): Notice {
  return { ...n, message: scrub(n.message, secrets), ...(n.hint ? { hint: scrub(n.hint, secrets) } : {}) };
}

/** String values under a write-only key (`Password`, `ApiKeyValue`) anywhere in a JSON value. */
function collectSecretStrings(v: unknown, keys: ReadonlySet<string>, under: boolean, out: Set<string>): void {
  if (typeof v === 'string' || typeof v === 'number') {
    if (under) out.add(String(v));
  } else if (Array.isArray(v)) for (const x of v) collectSecretStrings(x, keys, under, out);
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) collectSecretStrings(x, keys, under || keys.has(k.toLowerCase()), out);
  }
}

/** The resource of a three-part name, or none (an unknown name fails later, where it is placed). */
function resourceOrNone(catalog: Catalog, parts: readonly [string, string, string]): ResourceDef[] {
  try {
    return [catalog.resource(...parts)];
  } catch {
    return [];
  }
}

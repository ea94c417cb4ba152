/**
 * Describe of a prepared statement (before any parameter is bound) without an API call: the
 * statement is prepared in the engine over the catalog's empty provider tables (`aws.ivs.stages`
 * read as `aws_ivs.stages`), which gives PostgreSQL's own inference of the parameter types, and
 * a query is run there with `LIMIT 0` for its columns. When that is not possible (a name only
 * ccql's analysis knows, such as a StackQL column alias), the parameters are reported as text
 * and the columns as unknown: Describe of the portal, after Bind, then runs the statement.
 */
import type { ResultColumn } from '../result.js';
import type { EngineCatalog, ProviderSchemaIndex, RunInternal } from './catalog-schemas.js';
import { castName, literalOf, parameterSlots, substitute, type ParameterSlots } from './parameters.js';
import { OID, oidOfTypeName, TYPE_NAMES } from '../pg-types.js';
import { isName, lex } from './sql-lexer.js';

export interface StatementDescription {
  /** One OID per parameter. */
  params: number[];
  /** The result's columns; [] when the statement returns no rows; undefined when unknown. */
  columns: ResultColumn[] | undefined;
}

let described = 0;

export async function describeStatement(
  text: string,
  slots: ParameterSlots,
  declared: readonly number[],
  deps: { index: ProviderSchemaIndex; engineCatalog: EngineCatalog; run: RunInternal },
): Promise<StatementDescription> {
  const count = Math.max(slots.count, declared.length);
  const fallback: StatementDescription = { params: Array.from({ length: count }, (_, i) => declared[i] || OID.text), columns: undefined };
  const { sql, schemas } = twoPartNames(text, deps.index);
  const firstWord = lex(sql).find((t) => t.kind === 'word')?.value ?? '';
  if (!['select', 'with', 'values', 'table', 'insert', 'update', 'delete', 'merge'].includes(firstWord)) {
    return { ...fallback, columns: ['set', 'reset', 'begin', 'commit', 'rollback', 'start', 'end', 'savepoint', 'release', 'discard'].includes(firstWord) ? [] : undefined };
  }
  try {
    await deps.engineCatalog.prepareSchemas(schemas, deps.run);
    const name = `ccql_describe_${++described}`;
    const types = Array.from({ length: count }, (_, i) => TYPE_NAMES[declared[i] ?? 0] ?? 'unknown');
    await deps.run(`PREPARE ${name}${count > 0 ? ` (${types.join(', ')})` : ''} AS ${sql}`);
    let params: number[];
    try {
      const r = await deps.run(`SELECT parameter_types::text FROM pg_catalog.pg_prepared_statements WHERE name = '${name}'`);
      params = r.kind === 'rows' ? parseTypeArray(String(r.rows[0]?.[0] ?? '{}')) : fallback.params;
    } finally {
      await deps.run(`DEALLOCATE ${name}`).catch(() => undefined);
    }
    if (!['select', 'with', 'values', 'table'].includes(firstWord)) return { params, columns: /\breturning\b/i.test(sql) ? undefined : [] };
    // NULL of each parameter's type in place of the parameter: LIMIT 0 never reads a row. (As
    // Bind substitutes them, so that the columns are named as Execute will name them.)
    const probe = substitute(sql, parameterSlots(sql), (n) => ({ literal: literalOf(null, params[n - 1] ?? 0), typed: castName(params[n - 1] ?? 0) !== undefined })).text;
    const r = await deps.run(`SELECT * FROM (\n${probe.replace(/;\s*$/, '')}\n) AS ccql_describe LIMIT 0`);
    return { params, columns: r.kind === 'rows' ? r.columns : [] };
  } catch {
    return fallback;
  }
}

/** `{integer,text}` (regtype[] as text) → OIDs. */
function parseTypeArray(text: string): number[] {
  const inner = text.replace(/^\{|\}$/g, '');
  if (inner === '') return [];
  return inner.split(',').map((t) => oidOfTypeName(t.replace(/^"|"$/g, '')) ?? OID.text);
}

/** `aws.ivs.stages` → `aws_ivs.stages`: the catalog's table of the same shape. */
function twoPartNames(text: string, index: ProviderSchemaIndex): { sql: string; schemas: string[] } {
  const tokens = lex(text);
  const schemas = new Set<string>();
  let out = '';
  let last = 0;
  for (let i = 0; i + 4 < tokens.length; i++) {
    const [p, d1, s, d2, r] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!, tokens[i + 3]!, tokens[i + 4]!];
    if (!isName(p) || d1.value !== '.' || !isName(s) || d2.value !== '.' || !isName(r) || tokens[i - 1]?.value === '.') continue;
    if (!index.providers().has(p.value.toLowerCase())) continue;
    let schema: string;
    let resource: string;
    try {
      const def = index.catalog.resource(p.value, s.value, r.value);
      const provider = index.catalog.provider(p.value).name;
      schema = `${provider}_${s.value.toLowerCase()}`;
      resource = def.name;
    } catch {
      continue;
    }
    schemas.add(schema);
    out += `${text.slice(last, p.start)}${schema}.${resource}`;
    last = r.end;
    i += 4;
  }
  return { sql: out + text.slice(last), schemas: [...schemas] };
}

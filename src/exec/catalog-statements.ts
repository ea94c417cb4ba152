/**
 * Runs catalog statements (SHOW …, DESCRIBE …, and StackQL's REGISTRY and USE) against the
 * provider definitions. No API call is made; only the provider index and the one service file a
 * statement names are loaded.
 */
import type { Catalog } from '../catalog/loader.js';
import { CcqlError, isCcqlError } from '../errors.js';
import { likeMatcher, type CatalogStatement, type Position } from '../sql/catalog-statement.js';
import { columnFlags } from '../catalog/column-flags.js';
import { alternativeColumns, insertTemplate, placeholderNotes } from '../catalog/examples.js';
import type { ResourceDef } from '../catalog/types.js';
import type { Cell, ResultColumn, RowsResult } from '../result.js';

export function runCatalogStatement(stmt: CatalogStatement, catalog: Catalog): RowsResult {
  try {
    return run(stmt, catalog);
  } catch (e) {
    // Point unknown-name errors at the name in the statement.
    if (isCcqlError(e) && e.code === 'unknown_name' && 'nameAt' in stmt && stmt.nameAt && !e.location) {
      throw withLocation(e, stmt.nameAt);
    }
    throw e;
  }
}

function run(stmt: CatalogStatement, catalog: Catalog): RowsResult {
  switch (stmt.kind) {
    case 'registry_list': {
      const names = stmt.provider === undefined ? catalog.providerNames() : [builtInProvider(catalog, stmt.provider, `REGISTRY LIST ${stmt.provider}`).name];
      const rows: Cell[][] = [];
      for (const name of names) {
        const p = catalog.provider(name);
        rows.push([p.name, p.version, `${p.description} (built into ccql)`]);
        for (const alias of p.aliases ?? []) rows.push([alias, p.version, `another name for ${p.name}, as StackQL calls it`]);
      }
      return rowsResult(
        [
          { name: 'provider', type: 'text' },
          { name: 'version', type: 'text' },
          { name: 'description', type: 'text' },
        ],
        rows,
      );
    }
    case 'registry_pull': {
      const p = builtInProvider(catalog, stmt.provider, `REGISTRY PULL ${stmt.provider}`);
      const version = stmt.version === undefined ? '' : `; the version asked for (${stmt.version}) does not apply`;
      return message(`${stmt.provider} is built into ccql (provider version ${p.version}): there is nothing to pull${version}. Its tables are ready: SHOW SERVICES IN ${stmt.provider} lists them.`);
    }
    case 'use': {
      builtInProvider(catalog, stmt.provider, `USE ${stmt.provider}`);
      return message(
        `USE ${stmt.provider} changes nothing: ccql has no default provider, tables keep their full names (${stmt.provider}.<service>.<resource>, e.g. ${stmt.provider}.ivs.stages).`,
      );
    }
    case 'show_providers': {
      const rows = filterByName(catalog.providerNames(), stmt.like).map((name) => {
        const p = catalog.provider(name);
        return [p.name, p.version, p.services.length, p.description];
      });
      return rowsResult(
        [
          { name: 'name', type: 'text' },
          { name: 'version', type: 'text' },
          { name: 'services', type: 'integer' },
          { name: 'description', type: 'text' },
        ],
        rows,
      );
    }
    case 'show_services': {
      const p = catalog.provider(stmt.provider);
      const services = filterBy(p.services, (s) => s.name, stmt.like);
      return rowsResult(
        [
          { name: 'name', type: 'text' },
          { name: 'id', type: 'text' },
          { name: 'title', type: 'text' },
          { name: 'resources', type: 'integer' },
        ],
        services.map((s) => [s.name, `${p.name}.${s.name}`, s.title, s.resourceCount]),
      );
    }
    case 'show_resources': {
      const service = catalog.service(stmt.provider, stmt.service);
      const resources = filterBy(service.resources, (r) => r.name, stmt.like);
      const columns: ResultColumn[] = [
        { name: 'name', type: 'text' },
        { name: 'id', type: 'text' },
        { name: 'type', type: 'text' },
      ];
      if (stmt.extended) columns.push({ name: 'operations', type: 'text' }, { name: 'description', type: 'text' });
      return rowsResult(
        columns,
        resources.map((r) => {
          const row: Cell[] = [r.name, r.sqlName, r.typeName];
          if (stmt.extended) row.push(Object.keys(r.operations).join(', '), r.description);
          return row;
        }),
      );
    }
    case 'show_methods': {
      const r = catalog.resource(stmt.provider, stmt.service, stmt.resource);
      const methods = filterBy(r.methods, (m) => m.name, stmt.like);
      const columns: ResultColumn[] = [
        { name: 'method_name', type: 'text' },
        { name: 'required_params', type: 'text' },
        { name: 'sql_verb', type: 'text' },
      ];
      // EXTENDED says what each method calls: a Cloud Control operation or a native client's.
      if (stmt.extended) columns.push({ name: 'api', type: 'text' }, { name: 'operation', type: 'text' }, { name: 'description', type: 'text' });
      return rowsResult(
        columns,
        methods.map((m) => {
          const row: Cell[] = [m.name, m.requiredParams.join(', '), m.verb];
          if (stmt.extended) row.push(m.call.api === 'native' ? m.call.client : 'cloudcontrol', m.call.operation, m.description ?? '');
          return row;
        }),
      );
    }
    case 'describe': {
      const r = catalog.resource(stmt.provider, stmt.service, stmt.resource);
      const columns: ResultColumn[] = [
        { name: 'name', type: 'text' },
        { name: 'type', type: 'text' },
      ];
      if (stmt.extended) columns.push({ name: 'flags', type: 'text' }, { name: 'description', type: 'text' });
      return rowsResult(
        columns,
        r.columns.map((c) => (stmt.extended ? [c.name, c.type, columnFlags(r, c).join(', '), c.description] : [c.name, c.type])),
      );
    }
    case 'show_insert': {
      const r = catalog.resource(stmt.provider, stmt.service, stmt.resource);
      if (!r.operations.create) {
        throw new CcqlError('not_supported', `${r.sqlName} cannot be created: ${r.typeName} has no create handler in Cloud Control`, {
          hint: `SHOW METHODS IN ${r.sqlName} lists what it supports`,
        });
      }
      const template = insertTemplate(r, { mode: 'all', annotate: true });
      // No braces in the comments: the template goes through `ccql exec --var` as it is, and a
      // placeholder there would need a value even after its column is deleted.
      const header = [
        `-- ${r.sqlName}: required columns first, then optional ones. Delete the lines you do not need,`,
        `-- fill in the placeholders (by hand, or: ccql exec -f FILE --var NAME=VALUE …) and run it.`,
        ...alternativesNote(r),
        ...placeholderNotes(template.placeholders).map((n) => `--   ${n}`),
      ];
      const text = `${header.join('\n')}\n${template.sql}`;
      // One row per line, so that `-o text` prints the template as a file you can edit and run.
      return rowsResult([{ name: 'insert_template', type: 'text' }], text.split('\n').map((line) => [line]));
    }
  }
}

/** The columns of the type's other forms, which the template leaves out (they exclude columns it has). */
function alternativesNote(r: ResourceDef): string[] {
  const left = alternativeColumns(r).map((c) => c.property!);
  if (left.length === 0) return [];
  return [`-- ${r.typeName} accepts alternative forms and this template is the first. Left out, as this form cannot have them: ${left.join(', ')}.`];
}

/**
 * A provider named by REGISTRY or USE. An unknown one cannot be pulled either: the error says
 * which providers there are.
 */
function builtInProvider(catalog: Catalog, name: string, statement: string): { name: string; version: string } {
  try {
    return catalog.provider(name);
  } catch (e) {
    if (!isCcqlError(e) || e.code !== 'unknown_name') throw e;
    const known = catalog.knownProviderNames();
    throw new CcqlError('unknown_name', `${statement}: ccql has no provider '${name}'`, {
      hint: `${e.hint?.startsWith('did you mean') ? `${e.hint} ` : ''}ccql's providers are built in: ${known.join(', ')} (SHOW PROVIDERS lists them); REGISTRY PULL adds none`,
      sqlstate: e.sqlstate,
    });
  }
}

/** A statement that only explains itself: one row, one `message` column. */
function message(text: string): RowsResult {
  return rowsResult([{ name: 'message', type: 'text' }], [[text]]);
}

function rowsResult(columns: ResultColumn[], rows: Cell[][]): RowsResult {
  return { kind: 'rows', columns, rows, command: `SELECT ${rows.length}` };
}

function filterByName(names: string[], like: string | undefined): string[] {
  return filterBy(names, (n) => n, like);
}

function filterBy<T>(items: readonly T[], name: (t: T) => string, like: string | undefined): T[] {
  if (like === undefined) return [...items];
  const match = likeMatcher(like);
  return items.filter((t) => match(name(t)));
}

function withLocation(e: CcqlError, at: Position): CcqlError {
  return new CcqlError(e.code, e.message, { hint: e.hint, location: { line: at.line, column: at.column }, sqlstate: e.sqlstate, details: [...e.details], cause: e });
}

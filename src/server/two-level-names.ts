/**
 * Provider tables under two-level names, as Postgres clients see them in the catalog: schema
 * `aws_ivs`, table `stages` is `aws.ivs.stages`. ccql's SQL analysis resolves only names with
 * three parts (a two-part name is an ordinary engine relation to it), so the server writes
 * `aws_ivs.stages` as `aws.ivs.stages` before a statement runs. The rewrite keeps every offset:
 * `aws_ivs` and `aws.ivs` have the same length, and so do `"aws_ivs"` and `"aws".ivs`, and
 * whatever is dropped (`aws_ivs.` of a column reference) becomes spaces, so error positions
 * need no mapping.
 */
import { isName, isWord, lex, type SqlToken } from './sql-lexer.js';

/** What the rewrite needs to know: which `provider_service` schema names stand for a service. */
export interface ProviderSchemas {
  /** `aws_ivs` → `{ provider: 'aws', service: 'ivs' }`, or undefined when it is not one. */
  lookup(schema: string): { provider: string; service: string } | undefined;
  /** True when `resource` is a table of that service (list-only views included). */
  hasResource(provider: string, service: string, resource: string): boolean;
}

/**
 * pg_catalog columns PostgreSQL 17 renamed, which psql 15 (the version the server announces)
 * still names in `\l` and `\dO`: the engine is PostgreSQL 18. Written under the new name,
 * padded with spaces to keep the offsets; only in statements that name the catalog table.
 */
const RENAMED_COLUMNS: ReadonlyArray<{ table: RegExp; from: string; to: string }> = [
  { table: /pg_database/i, from: 'daticulocale', to: 'datlocale' },
  { table: /pg_collation/i, from: 'colliculocale', to: 'colllocale' },
];

/**
 * `text` as the engine must read it: every `aws_<service>.<resource>` table name written
 * `aws.<service>.<resource>` (also behind a database name, `postgres.aws_ivs.stages`, which
 * the engine would otherwise resolve to the empty catalog table), a column reference
 * `aws_ivs.stages.name` as `stages.name` (the name the FROM item exposes: SQLAlchemy Core
 * writes them so), and psql 15's names of renamed catalog columns.
 */
export function threePartNames(text: string, schemas: ProviderSchemas): string {
  // Every name rewritten has a `_`, or a Unicode escape standing for one (U&"aws\005fivs").
  if (!/_|u&/i.test(text)) return text;
  const tokens = lex(text);
  const edits: Array<{ start: number; end: number; with: string }> = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const schema = tokens[i]!;
    const dot = tokens[i + 1]!;
    const table = tokens[i + 2]!;
    if (!isName(schema) || !isDot(dot) || !isName(table)) continue;
    const found = schemas.lookup(schema.value);
    if (!found || !schemas.hasResource(found.provider, found.service, table.value)) continue;
    // `db.aws_ivs.stages`: a database in front (PostgreSQL accepts the current one's name).
    let from = schema.start;
    if (isDot(tokens[i - 1])) {
      const db = tokens[i - 2];
      if (!isName(db) || isDot(tokens[i - 3])) continue;
      from = db.start;
    }
    if (isDot(tokens[i + 3])) {
      // A column reference (`aws_ivs.stages.name`, `aws_ivs.stages.*`): the table's exposed name.
      const column = tokens[i + 4];
      const star = column?.kind === 'op' && column.value === '*';
      if (!star && !isName(column)) continue;
      edits.push({ start: from, end: table.start, with: blank(text.slice(from, table.start)) });
    } else {
      if (from !== schema.start) edits.push({ start: from, end: schema.start, with: blank(text.slice(from, schema.start)) });
      edits.push({ start: schema.start, end: schema.end, with: rewrite(text, schema, found) });
    }
  }
  for (const r of RENAMED_COLUMNS) {
    if (!r.table.test(text)) continue;
    for (const t of tokens) {
      if (isName(t) && t.value === r.from) {
        const written = t.kind === 'word' ? r.to : `"${r.to}"`;
        edits.push({ start: t.start, end: t.end, with: written.padEnd(t.end - t.start, ' ') });
      }
    }
  }
  if (edits.length === 0) return text;
  edits.sort((a, b) => a.start - b.start);
  const out: string[] = [];
  let last = 0;
  for (const e of edits) {
    out.push(text.slice(last, e.start), e.with);
    last = e.end;
  }
  out.push(text.slice(last));
  return out.join('');
}

function isDot(t: SqlToken | undefined): boolean {
  return t !== undefined && t.kind === 'op' && t.value === '.';
}

/** Spaces in place of `s`, line breaks kept (a client counts lines of its own text). */
function blank(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

/**
 * `aws_ivs` → `aws.ivs`; `"aws_ivs"` → `"aws".ivs` (same length); `U&"aws\005fivs"` →
 * `"aws".ivs` and spaces (the written form is longer than the name).
 */
function rewrite(text: string, schema: SqlToken, found: { provider: string; service: string }): string {
  const written = text.slice(schema.start, schema.end);
  if (schema.kind === 'word') return `${written.slice(0, found.provider.length)}.${written.slice(found.provider.length + 1)}`;
  // The provider quoted, the service bare (service names are lower-case words).
  return `"${found.provider}".${found.service}`.padEnd(written.length, ' ');
}

/** A relation named without a schema, where a statement reads or writes a table. */
export interface BareRelation {
  /** As the engine resolves it: lower-cased unless quoted. */
  name: string;
  start: number;
}

/** What the server needs to know of a statement before the engine resolves its bare names. */
export interface BareRelations {
  /** Table references without a schema (CTE names, functions and `pg_*` catalogs left out). */
  relations: readonly BareRelation[];
  /** The statement may change the session's search_path (SET, set_config(), a transaction's end…). */
  mayChangePath: boolean;
}

/** Words after which a name is a table (`FROM t`, `JOIN t`, `UPDATE t`, `INSERT INTO t`, `TABLE t`…). */
const RELATION_BEFORE = new Set(['from', 'join', 'update', 'into', 'table', 'only', 'lock', 'truncate', 'using', 'exists']);
/** Clauses in which a comma is followed by another table (`FROM a, b`, `TRUNCATE a, b`). */
const RELATION_LISTS = new Set(['from', 'join', 'on', 'using', 'table', 'truncate', 'lock', 'only']);
/** Words that open a clause at their parenthesis depth. */
const CLAUSES = new Set(['select', 'from', 'where', 'group', 'having', 'order', 'limit', 'offset', 'window', 'union', 'intersect', 'except', 'values', 'set', 'returning', 'on', 'using', 'join', 'table', 'truncate', 'lock', 'into', 'fetch', 'for', 'when', 'then', 'do', 'conflict']);
/** Words that may follow FROM or JOIN and are not a table (`FROM LATERAL f()`, `FROM ONLY t`). */
const NOT_TABLES = new Set(['lateral', 'only', 'rows', 'select', 'values', 'with', 'table', 'if', 'exists', 'not', 'all', 'distinct', 'natural', 'inner', 'left', 'right', 'full', 'cross', 'outer', 'join', 'on', 'where', 'as', 'nowait', 'skip', 'in', 'share', 'access', 'exclusive', 'row', 'mode', 'temp', 'temporary', 'unlogged', 'set']);
/** First words of statements that may change search_path without naming it (RESET ALL, COMMIT of a SET LOCAL, EXECUTE, FETCH). */
const PATH_CHANGERS = new Set(['set', 'reset', 'discard', 'commit', 'end', 'rollback', 'abort', 'release', 'execute', 'fetch', 'move']);

/**
 * The tables a statement names without a schema, read from its tokens: the engine resolves
 * them through search_path, which may lead into a provider schema's empty catalog table. A
 * heuristic over tokens (the server reads no parse trees): a name counts where a table stands
 * (after FROM, JOIN, UPDATE, INTO, TABLE…, or a comma of a FROM list), not a name a CTE
 * defines, not a function (`FROM f(…)`) and not what CREATE makes.
 */
export function bareRelations(text: string): BareRelations {
  const tokens = lex(text);
  const first = tokens[0]?.kind === 'word' ? tokens[0].value : '';
  const mayChangePath = PATH_CHANGERS.has(first) || /search_path|set_config/i.test(text);
  const ctes = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!isName(t)) continue;
    let j = i + 1;
    if (tokens[j]?.value === '(') j = closing(tokens, j) + 1;
    if (isWord(tokens[j], 'as') && (tokens[j + 1]?.value === '(' || isWord(tokens[j + 1], 'materialized') || isWord(tokens[j + 1], 'not'))) ctes.add(t.value);
  }
  const relations: BareRelation[] = [];
  // FETCH 10 FROM c, MOVE, CLOSE: a cursor's name, not a table.
  if (first === 'fetch' || first === 'move' || first === 'close') return { relations, mayChangePath };
  // Per parenthesis depth: whether it holds a query (not a function's arguments) and its clause.
  const query: boolean[] = [true];
  const clause: string[] = [first];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const depth = query.length - 1;
    if (t.kind === 'op' && t.value === '(') {
      const inner = tokens[i + 1];
      query.push(isWord(inner, 'select') || isWord(inner, 'with') || isWord(inner, 'values') || isWord(inner, 'table'));
      clause.push('');
      continue;
    }
    if (t.kind === 'op' && t.value === ')') {
      if (query.length > 1) {
        query.pop();
        clause.pop();
      }
      continue;
    }
    if (t.kind === 'word' && CLAUSES.has(t.value) && query[depth]) clause[depth] = t.value;
    if (!isName(t) || !query[depth]) continue;
    const before = tokens[i - 1];
    const atTable = (before?.kind === 'word' && RELATION_BEFORE.has(before.value) && !isWord(tokens[i - 2], 'distinct')) || (before?.value === ',' && RELATION_LISTS.has(clause[depth] ?? ''));
    if (!atTable || (t.kind === 'word' && NOT_TABLES.has(t.value))) continue;
    // CREATE TEMP TABLE [IF NOT EXISTS] t: the table made, not one read.
    if (first === 'create' && (isWord(before, 'table') || isWord(before, 'exists'))) continue;
    const after = tokens[i + 1];
    if (isDot(before) || isDot(after) || (after?.value === '(' && !isWord(before, 'into'))) continue;
    if (ctes.has(t.value) || t.value.startsWith('pg_')) continue;
    relations.push({ name: t.value, start: t.start });
  }
  return { relations, mayChangePath };
}

/** The index of the `)` closing the `(` at `open` (or the last token). */
function closing(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const v = tokens[i]!;
    if (v.kind !== 'op') continue;
    if (v.value === '(') depth++;
    else if (v.value === ')' && --depth === 0) return i;
  }
  return tokens.length - 1;
}

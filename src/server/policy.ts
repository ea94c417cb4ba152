/**
 * What a remote client may run on the engine (docs/server.md, "Security model"). The engine is
 * an embedded PostgreSQL running as its superuser, so nothing but the statements ccql is for
 * may reach it:
 *
 * - queries (SELECT, WITH, VALUES, TABLE, EXPLAIN), ccql's catalog statements, session
 *   settings (SET, RESET, SHOW, DISCARD), transactions, cursors and prepared statements;
 * - INSERT/UPDATE/DELETE on provider tables (and only with --allow-mutations, checked from the
 *   plan), or on the connection's own temporary tables;
 * - DDL on temporary objects only: CREATE TEMPORARY TABLE/VIEW/SEQUENCE, and CREATE INDEX,
 *   ALTER, DROP, TRUNCATE, LOCK of tables named without a schema (or in pg_temp).
 *
 * Everything else is refused before it runs: other DDL (CREATE SCHEMA/TABLE/FUNCTION/EXTENSION,
 * GRANT, ALTER SYSTEM…), DO blocks, LOAD, VACUUM, changes to the system catalogs, SELECT INTO a
 * permanent table, the server-file, large-object and process functions (pg_read_file, lo_import,
 * pg_terminate_backend…), the functions that run SQL held in a string (query_to_xml…), and
 * changing the role. COPY is refused by ccql itself. The check reads tokens, not strings: a
 * function name in a string literal cannot run, since nothing that would run a string is allowed.
 */
import { CcqlError } from '../errors.js';
import { isName, isWord, lex, type SqlToken } from './sql-lexer.js';

const INSUFFICIENT_PRIVILEGE = '42501';

const ALLOWED_FIRST_WORDS: ReadonlySet<string> = new Set([
  'select',
  'with',
  'values',
  'table',
  'show',
  'set',
  'reset',
  'begin',
  'start',
  'commit',
  'end',
  'rollback',
  'abort',
  'savepoint',
  'release',
  'execute',
  'deallocate',
  'declare',
  'fetch',
  'move',
  'close',
  'discard',
  'listen',
  'unlisten',
  'notify',
  'insert',
  'update',
  'delete',
  'merge',
  // ccql's own statements (catalog exploration, StackQL's; EXEC of a provider's own operation)
  'exec',
  'describe',
  'desc',
  'registry',
  'use',
  // refused by ccql itself, with its own hint
  'copy',
]);

/** Functions no remote client may call (a name, or a prefix ending in `*`). */
const REFUSED_FUNCTIONS: readonly string[] = [
  'pg_read_file',
  'pg_read_binary_file',
  'pg_stat_file',
  'pg_ls_*',
  'pg_file_*',
  'lo_*',
  'loread',
  'lowrite',
  'be_lo_*',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_promote',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_backup_start',
  'pg_backup_stop',
  'pg_log_backend_memory_contexts',
  'pg_import_system_collations',
  'dblink*',
  // they run the SQL of a string argument, out of the policy's sight
  'ts_stat',
  'ts_rewrite',
  'query_to_xml*',
  'cursor_to_xml*',
  'table_to_xml*',
  'schema_to_xml*',
  'database_to_xml*',
];

/**
 * Settings no client may change: who the engine session runs as, and how string literals read
 * (bound parameters are quoted for standard_conforming_strings on: off would let a backslash in
 * a value end its string).
 */
const REFUSED_SETTINGS = /^(role|session_authorization|session_replication_role|standard_conforming_strings)$/i;
const REFUSED_SETTING_NAMES = 'role, session_authorization, session_replication_role and standard_conforming_strings';

function refusedFunction(name: string): boolean {
  return REFUSED_FUNCTIONS.some((f) => (f.endsWith('*') ? name.startsWith(f.slice(0, -1)) : name === f));
}

function refuse(message: string, hint: string, at: SqlToken | undefined): CcqlError {
  return new CcqlError('not_supported', message, { sqlstate: INSUFFICIENT_PRIVILEGE, hint, ...(at ? { location: { offset: at.start } } : {}) });
}

const TEMP_HINT = 'ccql serve runs queries, changes to provider tables and DDL on temporary objects only (CREATE TEMPORARY TABLE …)';

/**
 * Throws when a remote client may not run `text` (one statement). `providers` are the names
 * a three-part table name may start with (`aws`, `awscc`): `postgres.pg_catalog.pg_class` is a
 * catalog, not a provider table.
 */
export function checkStatement(text: string, providers: ReadonlySet<string>): void {
  const tokens = lex(text);
  checkTokens(tokens, 0);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (isName(t) && next?.value === '(' && refusedFunction(t.value)) {
      throw refuse(`ccql serve does not let clients call ${t.value}()`, 'server files, large objects and server processes are not reachable through ccql', t);
    }
    if (isName(t) && t.value === 'set_config' && next?.value === '(') {
      const arg = tokens[i + 2];
      if (arg?.kind !== 'string' || REFUSED_SETTINGS.test(arg.value)) {
        throw refuse(`ccql serve lets set_config() change settings named by a literal, other than ${REFUSED_SETTING_NAMES}`, 'use SET name = value', t);
      }
    }
    if (t.kind === 'word' && ['insert', 'update', 'delete', 'merge'].includes(t.value)) checkDmlTarget(tokens, i, providers);
    if (isWord(t, 'into')) checkInto(tokens, i);
  }
}

/** The rule for the statement starting at token `i` (EXPLAIN and PREPARE check what they wrap). */
function checkTokens(tokens: readonly SqlToken[], i: number): void {
  let first = tokens[i];
  while (first?.value === '(') first = tokens[++i];
  if (!first) return;
  const word = first.kind === 'word' ? first.value : '';
  if (word === 'explain') return checkTokens(tokens, afterExplainOptions(tokens, i + 1));
  if (word === 'prepare') {
    if (isWord(tokens[i + 1], 'transaction')) throw refuse('ccql serve does not run PREPARE TRANSACTION', 'use BEGIN … COMMIT', first);
    const as = tokens.findIndex((t, k) => k > i && isWord(t, 'as'));
    return as < 0 ? undefined : checkTokens(tokens, as + 1);
  }
  if (word === 'set' || word === 'reset') return checkSet(tokens, i);
  if (word === 'create') return checkCreate(tokens, i);
  if (word === 'drop' || word === 'alter' || word === 'truncate' || word === 'lock') return checkTempObjects(tokens, i, word);
  if (ALLOWED_FIRST_WORDS.has(word)) return;
  throw refuse(`ccql serve does not run ${(word || first.value).toUpperCase()} statements`, TEMP_HINT, first);
}

/** The token after `EXPLAIN [(…)] [ANALYZE] [VERBOSE]`. */
function afterExplainOptions(tokens: readonly SqlToken[], i: number): number {
  if (tokens[i]?.value === '(') {
    let depth = 0;
    for (; i < tokens.length; i++) {
      if (tokens[i]!.value === '(') depth++;
      else if (tokens[i]!.value === ')' && --depth === 0) break;
    }
    i++;
  }
  while (isWord(tokens[i], 'analyze') || isWord(tokens[i], 'analyse') || isWord(tokens[i], 'verbose')) i++;
  return i;
}

function checkSet(tokens: readonly SqlToken[], i: number): void {
  let k = i + 1;
  if (isWord(tokens[k], 'session') || isWord(tokens[k], 'local')) k++;
  const name = tokens[k];
  if (isWord(name, 'role') || isWord(name, 'authorization') || isWord(name, 'session_authorization') || isWord(name, 'session_replication_role')) {
    throw refuse(`ccql serve does not let clients change ${name!.value}`, 'the engine session belongs to ccql', name);
  }
  // Bound parameters are quoted for standard_conforming_strings on; the wire speaks UTF-8 only.
  if (isWord(name, 'standard_conforming_strings')) {
    throw refuse('ccql serve keeps standard_conforming_strings on', 'string literals are standard: write E\'…\' for backslash escapes', name);
  }
  if (isWord(name, 'client_encoding') || isWord(name, 'names')) {
    const value = tokens.slice(k + 1).find((t) => t.kind === 'string' || (t.kind === 'word' && t.value !== 'to'));
    if (value && !/^(utf-?8|unicode|default)$/i.test(value.value) && tokens[i]!.value === 'set') {
      throw new CcqlError('not_supported', `ccql serve supports client_encoding UTF8 only, not ${value.value}`, { sqlstate: '0A000', location: { offset: value.start } });
    }
  }
  // `SET SESSION AUTHORIZATION`: SESSION then AUTHORIZATION
  if (isWord(tokens[i + 1], 'session') && isWord(tokens[i + 2], 'authorization')) {
    throw refuse('ccql serve does not let clients change the session authorization', 'the engine session belongs to ccql', tokens[i + 2]);
  }
}

function checkCreate(tokens: readonly SqlToken[], i: number): void {
  let k = i + 1;
  if (isWord(tokens[k], 'or') && isWord(tokens[k + 1], 'replace')) k += 2;
  if (isWord(tokens[k], 'global') || isWord(tokens[k], 'local')) k++;
  const temp = isWord(tokens[k], 'temp') || isWord(tokens[k], 'temporary');
  if (temp) {
    k++;
    if (isWord(tokens[k], 'unlogged')) k++;
    if (isWord(tokens[k], 'recursive')) k++;
    if (['table', 'view', 'sequence'].some((w) => isWord(tokens[k], w))) return;
  }
  if (isWord(tokens[k], 'unique')) k++;
  if (isWord(tokens[k], 'index')) {
    const on = tokens.findIndex((t, j) => j > k && isWord(t, 'on'));
    let target = on + 1;
    if (isWord(tokens[target], 'only')) target++;
    if (on > 0 && temporaryName(tokens, target)) return;
  }
  throw refuse(`ccql serve does not run CREATE ${(tokens[k]?.value ?? '').toUpperCase()} here: only temporary objects can be created`, TEMP_HINT, tokens[k] ?? tokens[i]);
}

/** DROP/ALTER/TRUNCATE/LOCK: every object named without a schema (not pg_*) or in pg_temp. */
function checkTempObjects(tokens: readonly SqlToken[], i: number, verb: string): void {
  let k = i + 1;
  const kinds = ['table', 'view', 'sequence', 'index'];
  if (verb === 'drop' || verb === 'alter') {
    if (isWord(tokens[k], 'materialized')) k++;
    if (!kinds.some((w) => isWord(tokens[k], w))) {
      throw refuse(`ccql serve does not run ${verb.toUpperCase()} ${(tokens[k]?.value ?? '').toUpperCase()}`, TEMP_HINT, tokens[k] ?? tokens[i]);
    }
    k++;
  } else if (isWord(tokens[k], 'table')) k++;
  if (isWord(tokens[k], 'if')) k += isWord(tokens[k + 1], 'not') ? 3 : 2;
  if (isWord(tokens[k], 'only')) k++;
  // every name in a DROP/TRUNCATE list; ALTER and LOCK name one (ALTER … RENAME TO stays in its schema)
  for (;;) {
    if (!temporaryName(tokens, k)) {
      throw refuse(`ccql serve does not run ${verb.toUpperCase()} on ${describeName(tokens, k)}`, 'only the connection’s own temporary tables can be changed', tokens[k] ?? tokens[i]);
    }
    k = afterName(tokens, k);
    if (verb === 'alter' || verb === 'lock' || tokens[k]?.value !== ',') return;
    k++;
  }
}

/** An INSERT INTO/UPDATE/DELETE FROM/MERGE INTO target: a provider table (three parts) or a temporary one. */
function checkDmlTarget(tokens: readonly SqlToken[], i: number, providers: ReadonlySet<string>): void {
  const verb = tokens[i]!.value;
  let k = i + 1;
  if (verb === 'insert' || verb === 'merge') {
    if (!isWord(tokens[k], 'into')) return;
    k++;
  } else if (verb === 'delete') {
    if (!isWord(tokens[k], 'from')) return;
    k++;
  } else {
    // `FOR UPDATE`, `ON UPDATE`, `DO UPDATE SET`: no target follows
    const prev = tokens[i - 1];
    if (isWord(prev, 'for') || isWord(prev, 'on') || isWord(prev, 'do') || isWord(prev, 'key') || !isName(tokens[k]) || isWord(tokens[k], 'set')) return;
  }
  if (isWord(tokens[k], 'only')) k++;
  const name = parts(tokens, k);
  if ((name.length === 3 && providers.has(name[0]!.toLowerCase())) || temporaryName(tokens, k)) return;
  throw refuse(
    `ccql serve does not let clients change ${describeName(tokens, k)}`,
    'INSERT, UPDATE and DELETE reach provider tables (aws.service.resource) and the connection’s temporary tables only',
    tokens[k],
  );
}

/** `SELECT … INTO t` makes a permanent table unless it says TEMP. */
function checkInto(tokens: readonly SqlToken[], i: number): void {
  const prev = tokens[i - 1];
  if (isWord(prev, 'insert') || isWord(prev, 'merge')) return;
  let k = i + 1;
  if (isWord(tokens[k], 'strict')) return; // PL/pgSQL's INTO STRICT never reaches here; harmless
  if (isWord(tokens[k], 'temp') || isWord(tokens[k], 'temporary')) return;
  if (isWord(tokens[k], 'unlogged')) k++;
  if (isWord(tokens[k], 'table')) k++;
  throw refuse('ccql serve does not run SELECT … INTO a permanent table', 'write SELECT … INTO TEMPORARY name, or CREATE TEMPORARY TABLE name AS SELECT …', tokens[k] ?? tokens[i]);
}

/** The parts of a dotted name starting at token `k`. */
function parts(tokens: readonly SqlToken[], k: number): string[] {
  const out: string[] = [];
  for (let j = k; isName(tokens[j]); j += 2) {
    out.push(tokens[j]!.value);
    if (tokens[j + 1]?.value !== '.') break;
  }
  return out;
}

function afterName(tokens: readonly SqlToken[], k: number): number {
  return k + Math.max(1, parts(tokens, k).length * 2 - 1);
}

/** A name without a schema that is not a system catalog's, or one in pg_temp. */
function temporaryName(tokens: readonly SqlToken[], k: number): boolean {
  const p = parts(tokens, k);
  if (p.length === 1) return !p[0]!.startsWith('pg_');
  return p.length === 2 && p[0] === 'pg_temp';
}

function describeName(tokens: readonly SqlToken[], k: number): string {
  const p = parts(tokens, k);
  return p.length > 0 ? p.join('.') : (tokens[k]?.value ?? 'this object');
}

/**
 * The PGlite engine. A fresh PGlite runs initdb (about 4 s), so the first start saves an
 * initialized data directory (with ccql's functions installed) under $CCQL_HOME/cache and every
 * later start loads that (about 0.35-0.4 s).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite, type Results } from '@electric-sql/pglite';
import type { SqlType } from '../catalog/types.js';
import { CcqlError, SQLSTATE } from '../errors.js';
import { timestamptzText, type Cell, type ResultColumn } from '../result.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { ccqlHome } from '../home.js';
import { quoteIdent } from '../sql/quote.js';
import { EngineError, type Engine, type EngineColumn, type EngineOptions, type QueryOptions, type QueryOutcome } from './engine.js';
import { FUNCTIONS_SQL } from './functions.js';

const require = createRequire(import.meta.url);

/** Postgres type OIDs → the types results report. */
const OID_TYPES: Record<number, ResultColumn['type']> = {
  16: 'boolean',
  20: 'bigint',
  21: 'integer',
  23: 'integer',
  26: 'integer',
  700: 'double precision',
  701: 'double precision',
  1700: 'numeric',
  18: 'text',
  19: 'text',
  25: 'text',
  1042: 'text',
  1043: 'text',
  114: 'jsonb',
  3802: 'jsonb',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamptz',
};

/** int8 as a number when it is exact, else a BigInt. */
function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/**
 * A timestamptz as a Date when one holds it exactly, else as its text in UTC (see Cell).
 * PGlite's own parser is fine for instants, but it is replaced with this one so that the value's
 * microseconds and `infinity` survive.
 */
function parseTimestamptz(text: string): Date | string {
  const m = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/.exec(text);
  if (!m) return text; // infinity, -infinity
  const [, y, mo, d, h, mi, sec, frac = '', sign, oh, om = '0', os = '0', bc] = m;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0-99 as they are; 1 BC is year 0.
  date.setUTCFullYear(bc ? 1 - Number(y) : Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(sec), Number(frac.slice(0, 3).padEnd(3, '0')));
  const offsetMs = (sign === '-' ? -1 : 1) * ((Number(oh) * 60 + Number(om)) * 60 + Number(os)) * 1000;
  const utc = new Date(date.getTime() - offsetMs);
  const micros = frac.slice(3).replace(/0+$/, '');
  const year = utc.getUTCFullYear();
  return micros === '' && year >= 1 && year <= 9999 ? utc : timestamptzText(utc, micros);
}

/**
 * Text of `timestamp` and `date` values as they are: they name a wall-clock time and a calendar
 * day, not an instant, and parsing them into a Date (PGlite's default) shifts them by the
 * machine's time zone.
 */
const PARSERS = { 20: parseInt8, 1082: (text: string) => text, 1114: (text: string) => text, 1184: parseTimestamptz };

export async function openPglite(options: EngineOptions = {}): Promise<Engine> {
  const cacheDir = options.cacheDir ?? join(ccqlHome(), 'cache');
  // Uncompressed: 40 MB on disk, but it loads in about half the time of the 4.5 MB gzip.
  const file = join(cacheDir, `pglite-${pgliteVersion()}-${hash(FUNCTIONS_SQL)}.tar`);
  let db: PGlite | undefined;
  let image: Buffer | undefined;
  try {
    image = readFileSync(file);
  } catch {
    image = undefined;
  }
  if (image) {
    try {
      db = await PGlite.create({ loadDataDir: new Blob([image]), parsers: PARSERS });
    } catch {
      db = undefined; // a damaged cache entry: build a new one below
    }
  }
  if (!db) {
    db = await PGlite.create({ parsers: PARSERS });
    await db.exec(FUNCTIONS_SQL);
    try {
      const dump = await db.dumpDataDir('none');
      writeFileAtomic(file, new Uint8Array(await dump.arrayBuffer()));
    } catch {
      // the cache only saves start-up time; a read-only home must not stop ccql
    }
  }
  return new PgliteEngine(db);
}

class PgliteEngine implements Engine {
  constructor(private readonly db: PGlite) {}

  async materialize(name: string, columns: readonly EngineColumn[], rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    const table = `pg_temp.${quoteIdent(name)}`;
    const defs = columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
    await this.run(`DROP TABLE IF EXISTS ${table}`);
    await this.run(`CREATE TEMPORARY TABLE ${table} (${defs})`);
    if (rows.length === 0) return;
    const prepared = rows.map((r, i) => coerceRow(r, columns, i + 1));
    // One statement for all rows: jsonb_populate_recordset maps keys to columns and converts types.
    await this.run(`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`, [rowsJson(prepared)]);
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryOutcome> {
    const res = await this.run(sql, [], options);
    const columns: ResultColumn[] = res.fields.map((f) => ({ name: f.name, type: OID_TYPES[f.dataTypeID] ?? 'unknown' }));
    const rows = res.rows as unknown as Cell[][];
    const returnsRows = res.fields.length > 0;
    const command = commandTag(res, rows.length);
    return { columns, rows, command, returnsRows };
  }

  async drop(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await this.run(`DROP TABLE IF EXISTS ${names.map((n) => `pg_temp.${quoteIdent(n)}`).join(', ')}`);
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }

  private async run(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<Results<unknown[]>> {
    try {
      return await this.db.query<unknown[]>(sql, params, {
        rowMode: 'array',
        ...(options.onNotice
          ? {
              onNotice: (n) => {
                const severity = n.severity === 'WARNING' ? 'WARNING' : n.severity === 'INFO' ? 'INFO' : 'NOTICE';
                options.onNotice!({ severity, message: n.message ?? '', ...(n.hint ? { hint: n.hint } : {}) });
              },
            }
          : {}),
      });
    } catch (e) {
      throw toEngineError(e);
    }
  }
}

function commandTag(res: Results<unknown[]>, rowCount: number): string {
  const command = (res.command ?? (res.fields.length > 0 ? 'SELECT' : '')).toUpperCase();
  const count = res.rowCount ?? res.affectedRows ?? rowCount;
  switch (command) {
    case 'INSERT':
      return `INSERT 0 ${count}`;
    case 'SELECT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'FETCH':
    case 'MOVE':
    case 'COPY':
      return `${command} ${count}`;
    default:
      return command;
  }
}

function toEngineError(e: unknown): EngineError {
  const err = e as { message?: string; code?: string; position?: string | number; hint?: string; detail?: string };
  const pos = err.position === undefined || err.position === '' ? undefined : Number(err.position) - 1;
  return new EngineError(err.message ?? String(e), Number.isFinite(pos) ? pos : undefined, {
    sqlstate: err.code ?? SQLSTATE.internal_error,
    ...(err.hint ? { hint: err.hint } : {}),
    ...(err.detail ? { details: [err.detail] } : {}),
    cause: e,
  });
}

/**
 * Values as jsonb_populate_recordset takes them for each column's type. Nothing is rounded,
 * truncated or dropped on the way: a value that does not convert exactly to its column's type is
 * an error naming the column (and never showing the value: it may be a secret). A value of
 * another JSON type that converts exactly (the string "5" for a bigint, "true" for a boolean) is
 * kept, since APIs are not always faithful to their own schemas.
 */
function coerceRow(row: Record<string, unknown>, columns: readonly EngineColumn[], rowNumber: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c.name];
    if (v === undefined || v === null) continue;
    const converted = coerce(v, c.type);
    if (converted instanceof Mismatch) {
      throw new CcqlError('invalid_input', `cannot load column "${c.name}" (${c.type}): the value in row ${rowNumber} ${converted.problem}`, {
        sqlstate: converted.sqlstate ?? SQLSTATE.invalid_text_representation,
        hint: "the column's type comes from the resource's schema, which the value does not match; the value is not shown, as it may be a secret",
      });
    }
    out[c.name] = converted;
  }
  return out;
}

/** Why a value cannot be loaded, completing "the value in row N …". */
class Mismatch {
  constructor(
    readonly problem: string,
    readonly sqlstate?: string,
  ) {}
}

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const NUMERIC_OUT_OF_RANGE = '22003';

/** `v` as JSON for a `type` column, or why it cannot be. */
function coerce(v: unknown, type: SqlType): unknown {
  switch (type) {
    case 'jsonb':
      return jsonValue(v);
    case 'text':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
      if (v instanceof Date) return isValidDate(v) ? v.toISOString() : new Mismatch('is an invalid date');
      return typeof v === 'object' ? jsonText(v) : new Mismatch(`is of JavaScript type ${typeof v}`);
    case 'bigint':
      return toInt8(v);
    case 'double precision':
      return toFloat8(v);
    case 'boolean':
      if (typeof v === 'boolean') return v;
      // Only JSON's own spellings: reading "yes" or "1" as true would be a guess about the API.
      if (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v)) return v.trim().toLowerCase() === 'true';
      return new Mismatch(`is ${describeValue(v)}, not true or false`);
    case 'timestamptz':
      return toTimestamptz(v);
  }
}

/** int8 as a decimal string (a JSON number that large would be rounded by JSON.stringify's readers). */
function toInt8(v: unknown): string | Mismatch {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number') {
    if (!Number.isFinite(v)) return new Mismatch(`is ${describeValue(v)}, not an integer`);
    if (!Number.isInteger(v)) return new Mismatch('is a fractional number, not an integer');
    // Past 2^53 a JSON number has already been rounded to a double when it was parsed, so its
    // digits cannot be trusted.
    if (!Number.isSafeInteger(v)) return new Mismatch('is an integer beyond 2^53, which a JSON number cannot carry exactly', NUMERIC_OUT_OF_RANGE);
    return String(v);
  } else if (typeof v === 'string') {
    // "5" and "5.00" are 5; "5.5" and "5e3" are not taken for integers.
    const m = /^\s*([+-]?\d+)(?:\.0*)?\s*$/.exec(v);
    if (!m) return new Mismatch(`is ${describeValue(v)}, not an integer`);
    n = BigInt(m[1]!);
  } else return new Mismatch(`is ${describeValue(v)}, not an integer`);
  if (n < INT8_MIN || n > INT8_MAX) return new Mismatch('is an integer out of the range of bigint', NUMERIC_OUT_OF_RANGE);
  return n.toString();
}

/** float8 as a JSON number, or as the string Postgres reads for NaN and the infinities. */
function toFloat8(v: unknown): number | string | Mismatch {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') {
    const n = Number(v);
    return BigInt(n) === v ? n : new Mismatch('is an integer that a double precision value cannot hold exactly', NUMERIC_OUT_OF_RANGE);
  }
  if (typeof v !== 'string') return new Mismatch(`is ${describeValue(v)}, not a number`);
  const t = v.trim();
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(t);
  if (special) return special[2]!.toLowerCase() === 'nan' ? 'NaN' : `${special[1] === '-' ? '-' : ''}Infinity`;
  // Decimal notation only: Number() would also read "0x1f", "0b1" and "" (as 0).
  const m = /^[+-]?(\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.exec(t);
  if (!m) return new Mismatch(`is ${describeValue(v)}, not a number`);
  const n = Number(t);
  if (!Number.isFinite(n) || (n === 0 && /[1-9]/.test(m[1]!))) return new Mismatch('is a number out of the range of double precision', NUMERIC_OUT_OF_RANGE);
  return n;
}

/**
 * ISO 8601 / RFC 3339 text as it came (Postgres reads it to the microsecond; a Date would keep
 * milliseconds), Dates as ISO text, and numbers as Unix time in seconds, or in milliseconds when
 * that is the only plausible reading (past the year 33658 in seconds).
 */
function toTimestamptz(v: unknown): string | Mismatch {
  if (v instanceof Date) return isValidDate(v) ? v.toISOString() : new Mismatch('is an invalid date');
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return new Mismatch(`is ${describeValue(v)}, not a timestamp`);
    const micros = Math.round(v > 1e12 ? v * 1000 : v * 1e6);
    const ms = Math.floor(micros / 1000);
    const d = new Date(ms);
    if (!isValidDate(d)) return new Mismatch('is a number out of the range of timestamps', NUMERIC_OUT_OF_RANGE);
    const extra = micros - ms * 1000;
    return extra === 0 ? d.toISOString() : d.toISOString().replace(/Z$/, `${String(extra).padStart(3, '0')}Z`);
  }
  if (typeof v !== 'string') return new Mismatch(`is ${describeValue(v)}, not a timestamp`);
  const t = v.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(?:[Zz]|[+-](\d{2})(?::?(\d{2}))?)?$/.exec(t);
  if (!m) return new Mismatch('is not an ISO 8601 timestamp');
  const [year, month, day, hour = 0, minute = 0, second = 0, offH = 0, offM = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const calendar = new Date(0);
  calendar.setUTCFullYear(year!, month! - 1, day!);
  const validDay = calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month! - 1 && calendar.getUTCDate() === day;
  const validTime = (hour! < 24 || (hour === 24 && minute === 0 && second === 0)) && minute! < 60 && second! < 61 && offH! < 16 && offM! < 60;
  if (year === 0 || !validDay || !validTime) return new Mismatch('is not a valid date and time');
  return t;
}

/** A value for a jsonb column as JSON text's structure: int8 values keep their digits. */
function jsonValue(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return new Mismatch(`holds ${describeValue(v)}, which JSON cannot represent`);
  if (typeof v === 'bigint' || (typeof v === 'object' && v !== null && !(v instanceof Date))) {
    const text = jsonText(v);
    return typeof text === 'string' ? new RawJson(text) : text;
  }
  if (v instanceof Date) return isValidDate(v) ? v.toISOString() : new Mismatch('is an invalid date');
  return v;
}

/** JSON already written out, spliced into the rows' JSON as it is. */
class RawJson {
  constructor(readonly text: string) {}
}

/**
 * Compact JSON where JSON.stringify would lose or refuse something: int8 values (BigInt) as
 * number literals with every digit; a non-finite number is an error, not JSON.stringify's null.
 */
function jsonText(v: unknown): string | Mismatch {
  const bad: Mismatch[] = [];
  const write = (x: unknown): string | undefined => {
    if (x === null) return 'null';
    switch (typeof x) {
      case 'bigint':
        return x.toString();
      case 'number':
        if (Number.isFinite(x)) return String(x);
        bad.push(new Mismatch(`holds ${describeValue(x)}, which JSON cannot represent`));
        return 'null';
      case 'string':
      case 'boolean':
        return JSON.stringify(x);
      case 'object':
        break;
      default:
        return undefined;
    }
    if (x instanceof Date) return JSON.stringify(isValidDate(x) ? x.toISOString() : null);
    if (Array.isArray(x)) return `[${x.map((e) => write(e) ?? 'null').join(',')}]`;
    const parts: string[] = [];
    for (const [k, e] of Object.entries(x as Record<string, unknown>)) {
      const w = write(e);
      if (w !== undefined) parts.push(`${JSON.stringify(k)}:${w}`);
    }
    return `{${parts.join(',')}}`;
  };
  const text = write(v) ?? 'null';
  return bad[0] ?? text;
}

/** The rows as the JSON text of an array of objects, RawJson spliced in. */
function rowsJson(rows: ReadonlyArray<Record<string, unknown>>): string {
  return `[${rows
    .map((r) => `{${Object.entries(r).map(([k, v]) => `${JSON.stringify(k)}:${v instanceof RawJson ? v.text : JSON.stringify(v)}`).join(',')}}`)
    .join(',')}]`;
}

/** What kind of value it is, never the value itself. */
function describeValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'a number' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'string') return v.trim() === '' ? 'an empty string' : 'a string';
  if (typeof v === 'boolean') return 'a boolean';
  if (typeof v === 'bigint') return 'an integer';
  if (Array.isArray(v)) return 'a JSON array';
  if (typeof v === 'object') return 'a JSON object';
  return `of JavaScript type ${typeof v}`;
}

function isValidDate(d: Date): boolean {
  return !Number.isNaN(d.getTime());
}

function pgliteVersion(): string {
  try {
    const main = require.resolve('@electric-sql/pglite');
    const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 12);
}

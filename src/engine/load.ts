/**
 * Materializing rows, the same on both engines: one temporary table per provider reference,
 * loaded in one statement (`jsonb_populate_recordset` over the rows as one JSON document), each
 * value checked against its column's type first so that nothing is rounded, truncated or
 * dropped on the way.
 */
import type { SqlType } from '../catalog/types.js';
import { CcqlError, SQLSTATE } from '../errors.js';
import { quoteIdent } from '../sql/quote.js';
import type { EngineColumn } from './engine.js';

/** One statement of a load, with its parameters as text. */
export interface LoadStatement {
  sql: string;
  params?: string[];
}

/**
 * The statements that (re)create `pg_temp.<name>` with `columns` and load `rows` into it.
 * Throws a CcqlError (before anything runs) when a value does not fit its column.
 */
export function materializeStatements(name: string, columns: readonly EngineColumn[], rows: ReadonlyArray<Record<string, unknown>>): LoadStatement[] {
  const table = `pg_temp.${quoteIdent(name)}`;
  const defs = columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  const prepared = rows.map((r, i) => coerceRow(r, columns, i + 1));
  const statements: LoadStatement[] = [{ sql: `DROP TABLE IF EXISTS ${table}` }, { sql: `CREATE TEMPORARY TABLE ${table} (${defs})` }];
  if (prepared.length > 0) {
    statements.push({ sql: `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`, params: [rowsJson(prepared)] });
  }
  return statements;
}

/** `DROP TABLE IF EXISTS` of the temporary tables `names`, or nothing for none. */
export function dropStatement(names: readonly string[]): LoadStatement | undefined {
  if (names.length === 0) return undefined;
  return { sql: `DROP TABLE IF EXISTS ${names.map((n) => `pg_temp.${quoteIdent(n)}`).join(', ')}` };
}

/**
 * Values as jsonb_populate_recordset takes them for each column's type. Nothing is rounded,
 * truncated or dropped on the way: a value that does not convert exactly to its column's type is
 * an error naming the column (and never showing the value: it may be a secret). A value of
 * another JSON type that converts exactly (the string "5" for a bigint, "true" for a boolean) is
 * kept, since APIs are not always faithful to their own schemas.
 */
export function coerceRow(row: Record<string, unknown>, columns: readonly EngineColumn[], rowNumber: number): Record<string, unknown> {
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
  if (typeof v === 'bigint') return new RawJson(v.toString());
  if (v instanceof Date) return isValidDate(v) ? v.toISOString() : new Mismatch('is an invalid date');
  if (typeof v === 'object' && v !== null) {
    // Most documents hold neither: JSON.stringify (native, several times faster than jsonText)
    // writes them as jsonText would.
    const found = bigintOrNonFinite(v);
    if (found === undefined) return v;
    if (found instanceof Mismatch) return found;
    const text = jsonText(v);
    return typeof text === 'string' ? new RawJson(text) : text;
  }
  return v;
}

/** Whether `v` holds what JSON.stringify cannot write exactly: a BigInt, or a non-finite number (an error). */
function bigintOrNonFinite(v: unknown): 'bigint' | Mismatch | undefined {
  if (typeof v === 'bigint') return 'bigint';
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : new Mismatch(`holds ${describeValue(v)}, which JSON cannot represent`);
  if (typeof v !== 'object' || v === null || v instanceof Date) return undefined;
  let found: 'bigint' | undefined;
  for (const e of Array.isArray(v) ? v : Object.values(v)) {
    const r = bigintOrNonFinite(e);
    if (r instanceof Mismatch) return r;
    found ??= r;
  }
  return found;
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
export function rowsJson(rows: ReadonlyArray<Record<string, unknown>>): string {
  // JSON.stringify (native, and fastest over the whole array at once) writes rows without
  // RawJson exactly as rowJson would.
  const raw = rows.some((r) => Object.values(r).some((v) => v instanceof RawJson));
  if (!raw) return JSON.stringify(rows);
  return `[${rows.map((r) => (Object.values(r).some((v) => v instanceof RawJson) ? rowJson(r) : JSON.stringify(r))).join(',')}]`;
}

function rowJson(row: Record<string, unknown>): string {
  return `{${Object.entries(row)
    .map(([k, v]) => `${JSON.stringify(k)}:${v instanceof RawJson ? v.text : JSON.stringify(v)}`)
    .join(',')}}`;
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

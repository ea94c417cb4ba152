/**
 * Cells in PostgreSQL's text output format, as a real server writes them for each type: what
 * psql prints and every driver parses by the column's OID.
 */
import { timestamptzText, type Cell } from '../result.js';
import { OID } from '../pg-types.js';

/**
 * The text form of a cell of type `oid`, or null for SQL NULL. `timeZone` is the session's
 * TimeZone setting: timestamptz values are written in it, as PostgreSQL writes them.
 */
export function textOf(value: Cell, oid: number, timeZone = 'UTC'): string | null {
  if (value === null || value === undefined) return null;
  // Before the scalar cases: a JSON string is written with its quotes, true as `true`.
  if (oid === OID.jsonb || oid === OID.json) return jsonbText(value);
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 't' : 'f';
    case 'bigint':
      return value.toString();
    case 'number':
      return oid === OID.float4 || oid === OID.float8 || !Number.isInteger(value) || Object.is(value, -0) ? floatText(value) : String(value);
    case 'object':
      break;
    default:
      return String(value);
  }
  if (value instanceof Date) {
    if (oid === OID.date) return value.toISOString().slice(0, 10);
    return timestamptzInZone(value, timeZone) ?? timestamptzText(value);
  }
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return arrayText(value);
  return jsonbText(value);
}

const UTC_NAMES = new Set(['utc', 'gmt', 'etc/utc', 'etc/gmt', 'z', 'zulu', 'universal', 'etc/universal']);
const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

/**
 * A timestamptz in an IANA time zone (`2024-01-01 01:00:00+01`, `… +05:30`), or undefined for
 * UTC and for zones Intl does not know (POSIX offsets such as `<+02>-02`): written in UTC then.
 */
export function timestamptzInZone(d: Date, zone: string): string | undefined {
  if (UTC_NAMES.has(zone.toLowerCase()) || Number.isNaN(d.getTime())) return undefined;
  let format = zoneFormats.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    } catch {
      format = null;
    }
    if (zoneFormats.size < 64) zoneFormats.set(zone, format);
  }
  if (!format) return undefined;
  const parts = Object.fromEntries(format.formatToParts(d).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  if (!(year >= 1 && year <= 9999)) return undefined;
  const wall = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second), d.getUTCMilliseconds());
  const offsetMinutes = Math.round((wall - d.getTime()) / 60_000);
  const shifted = new Date(d.getTime() + offsetMinutes * 60_000);
  const utcText = timestamptzText(shifted);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
  return utcText.replace(/\+00$/, offset);
}

/**
 * A float8 as PostgreSQL 12+ writes it (shortest exact digits): NaN and the infinities by
 * name, exponent notation with a sign and two digits or more outside 1e-4 ≤ |x| < 1e15.
 */
export function floatText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // toExponential() without digits gives the shortest digits that read back as x.
  const [mantissa, e] = x.toExponential().split('e') as [string, string];
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 15) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  // Positional: JavaScript's own shortest digits, without its exponent forms.
  const digits = mantissa.replace('-', '').replace('.', '');
  const negative = x < 0 ? '-' : '';
  if (exponent >= 0) {
    const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const frac = digits.slice(exponent + 1);
    return `${negative}${intPart}${frac ? `.${frac}` : ''}`;
  }
  return `${negative}0.${'0'.repeat(-exponent - 1)}${digits}`;
}

/** jsonb's text form: `{"a": 1, "b": [1, 2]}` (a space after `:` and `,`, as jsonb_out writes). */
export function jsonbText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(jsonbText).join(', ')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${jsonbText(x)}`).join(', ')}}`;
}

/** A PostgreSQL array literal: `{a,"b c",NULL,{1,2}}`. */
export function arrayText(values: readonly unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayText(v);
    const text = textOf(v as Cell, OID.text) ?? 'NULL';
    return text === '' || /[{},"\\\s]/.test(text) || text.toUpperCase() === 'NULL' ? `"${text.replace(/[\\"]/g, '\\$&')}"` : text;
  });
  return `{${items.join(',')}}`;
}

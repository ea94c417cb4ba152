/**
 * What both engines return, the same way: every value arrives as PostgreSQL's text form (PGlite
 * through its wire protocol, PostgreSQL through `pg` with every type parser turned off) and
 * becomes a Cell here, by the column's type OID. One parser for both engines is what makes their
 * results identical (the conformance suite checks it).
 */
import { ARRAY_ELEMENT, OID } from '../pg-types.js';
import { parseArrayLiteral } from '../pg-array.js';
import { timestamptzText, type Cell, type ResultColumn } from '../result.js';

/** The type names results report (cli/format.ts and the catalog use them), by OID. */
const OID_TYPES: ReadonlyMap<number, ResultColumn['type']> = new Map<number, ResultColumn['type']>([
  [OID.bool, 'boolean'],
  [OID.int8, 'bigint'],
  [OID.int2, 'integer'],
  [OID.int4, 'integer'],
  [OID.oid, 'integer'],
  [OID.float4, 'double precision'],
  [OID.float8, 'double precision'],
  [OID.numeric, 'numeric'],
  [OID.char, 'text'],
  [OID.name, 'text'],
  [OID.text, 'text'],
  [OID.bpchar, 'text'],
  [OID.varchar, 'text'],
  [OID.json, 'jsonb'],
  [OID.jsonb, 'jsonb'],
  [OID.date, 'date'],
  [OID.timestamp, 'timestamp'],
  [OID.timestamptz, 'timestamptz'],
]);

/** A column as a RowDescription describes it. */
export interface FieldDescription {
  name: string;
  typeOid: number;
  typeModifier: number;
  typeSize: number;
}

export function resultColumn(f: FieldDescription): ResultColumn {
  return { name: f.name, type: OID_TYPES.get(f.typeOid) ?? 'unknown', typeOid: f.typeOid, typeModifier: f.typeModifier, typeSize: f.typeSize };
}

type Parser = (text: string) => Cell;

const text: Parser = (t) => t;
const number: Parser = (t) => Number(t);

/** int8 as a number when it is exact, else a BigInt. */
function parseInt8(t: string): number | bigint {
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : BigInt(t);
}

/**
 * A timestamptz as a Date when one holds it exactly, else as its text in UTC (see Cell), so that
 * microseconds, `infinity` and years outside 1-9999 survive. Any TimeZone setting works: the
 * offset in the text is applied.
 */
export function parseTimestamptz(t: string): Date | string {
  const m = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/.exec(t);
  if (!m) return t; // infinity, -infinity, or a DateStyle other than ISO
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

/** bytea in the hex format (the default) or the escape format (bytea_output = escape). */
function parseBytea(t: string): Uint8Array {
  if (t.startsWith('\\x')) return new Uint8Array(Buffer.from(t.slice(2), 'hex'));
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== '\\') out.push(t.charCodeAt(i));
    else if (t[i + 1] === '\\') {
      out.push(0x5c);
      i++;
    } else {
      out.push(parseInt(t.slice(i + 1, i + 4), 8));
      i += 3;
    }
  }
  return new Uint8Array(out);
}

/**
 * Parsers by type OID. `timestamp` and `date` stay text: they name a wall-clock time and a
 * calendar day, not an instant, and a Date would shift them by the machine's time zone.
 */
const PARSERS: ReadonlyMap<number, Parser> = new Map<number, Parser>([
  [OID.bool, (t) => t === 't'],
  [OID.int8, parseInt8],
  [OID.int2, number],
  [OID.int4, number],
  [OID.oid, number],
  [OID.float4, number],
  [OID.float8, number],
  [OID.json, (t) => JSON.parse(t) as Cell],
  [OID.jsonb, (t) => JSON.parse(t) as Cell],
  [OID.bytea, parseBytea],
  [OID.timestamptz, parseTimestamptz],
]);

/** One value in its text form → a Cell. */
export function parseValue(typeOid: number, value: string | null): Cell {
  if (value === null) return null;
  const element = ARRAY_ELEMENT.get(typeOid);
  // One with explicit bounds (`[0:1]={…}`) stays text.
  if (element !== undefined) return parseArrayLiteral(value, PARSERS.get(element) ?? text) ?? value;
  return (PARSERS.get(typeOid) ?? text)(value);
}

/** Rows of text values → rows of Cells, by the columns' types. */
export function parseRows(fields: readonly FieldDescription[], rows: ReadonlyArray<ReadonlyArray<string | null>>): Cell[][] {
  const parsers = fields.map((f) => (v: string | null) => parseValue(f.typeOid, v));
  return rows.map((r) => r.map((v, i) => parsers[i]!(v)));
}



/**
 * PostgreSQL's binary format (typsend/typreceive) for the types drivers ask binary for: JDBC
 * after a statement's fifth run, psycopg 3 with `binary=True`, node-postgres with `binary`.
 * Results of other types are sent as text, which RowDescription then says per column.
 */
import { CcqlError } from '../errors.js';
import type { Cell } from '../result.js';
import { OID } from '../pg-types.js';
import { jsonbText, textOf } from './text-format.js';

/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;
const PG_EPOCH_DAYS = 10_957;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const BINARY_TYPES: ReadonlySet<number> = new Set([
  OID.bool,
  OID.bytea,
  OID.char,
  OID.name,
  OID.int8,
  OID.int2,
  OID.int4,
  OID.text,
  OID.oid,
  OID.json,
  OID.float4,
  OID.float8,
  OID.unknown,
  OID.bpchar,
  OID.varchar,
  OID.date,
  OID.timestamp,
  OID.timestamptz,
  OID.numeric,
  OID.uuid,
  OID.jsonb,
]);

/** True when results of type `oid` can be sent in binary. */
export function hasBinaryFormat(oid: number): boolean {
  return BINARY_TYPES.has(oid);
}

function invalid(oid: number, what: string): CcqlError {
  return new CcqlError('internal', `cannot send a value of type ${oid} in binary: ${what}`, { sqlstate: '22P03' });
}

/** The binary form of a non-null cell of type `oid` (hasBinaryFormat(oid) must hold). */
export function binaryOf(value: Exclude<Cell, null>, oid: number): Buffer {
  switch (oid) {
    case OID.bool:
      return Buffer.from([value === true || value === 't' || value === 'true' ? 1 : 0]);
    case OID.int2: {
      const b = Buffer.alloc(2);
      b.writeInt16BE(Number(value));
      return b;
    }
    case OID.int4: {
      const b = Buffer.alloc(4);
      b.writeInt32BE(Number(value));
      return b;
    }
    case OID.oid: {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(Number(value));
      return b;
    }
    case OID.int8: {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(typeof value === 'bigint' ? value : BigInt(String(value)));
      return b;
    }
    case OID.float4: {
      const b = Buffer.alloc(4);
      b.writeFloatBE(Number(value));
      return b;
    }
    case OID.float8: {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(Number(value));
      return b;
    }
    case OID.jsonb:
      // (A string here is a JSON string: it is written with its quotes.)
      return Buffer.concat([Buffer.from([1]), Buffer.from(jsonbText(value), 'utf8')]);
    case OID.json:
      return Buffer.from(jsonbText(value), 'utf8');
    case OID.bytea:
      if (value instanceof Uint8Array) return Buffer.from(value);
      return Buffer.from(String(value).replace(/^\\x/, ''), 'hex');
    case OID.uuid: {
      const hex = String(value).replace(/-/g, '');
      if (!/^[0-9a-f]{32}$/i.test(hex)) throw invalid(oid, 'not a uuid');
      return Buffer.from(hex, 'hex');
    }
    case OID.timestamptz:
    case OID.timestamp: {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(timestampMicros(value, oid));
      return b;
    }
    case OID.date: {
      const b = Buffer.alloc(4);
      b.writeInt32BE(dateDays(value));
      return b;
    }
    case OID.numeric:
      return numericBinary(String(value));
    default:
      return Buffer.from(textOf(value, oid) ?? '', 'utf8');
  }
}

/** Microseconds since 2000-01-01 00:00 UTC (a timestamp's wall-clock fields read as UTC). */
function timestampMicros(value: Exclude<Cell, null>, oid: number): bigint {
  if (value instanceof Date) return BigInt(value.getTime() - PG_EPOCH_MS) * 1000n;
  const text = String(value).trim();
  if (text === 'infinity') return INT64_MAX;
  if (text === '-infinity') return INT64_MIN;
  const m = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-])(\d\d)(?::?(\d\d))?(?::(\d\d))?)?( BC)?$/.exec(text);
  if (!m) throw invalid(oid, 'not a timestamp');
  const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0', os = '0', bc] = m;
  const date = new Date(0);
  date.setUTCFullYear(bc ? 1 - Number(y) : Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const offset = sign ? (sign === '-' ? -1 : 1) * ((Number(oh) * 60 + Number(om)) * 60 + Number(os)) : 0;
  const micros = BigInt(Number(frac.padEnd(6, '0')));
  return BigInt(date.getTime() - PG_EPOCH_MS - offset * 1000) * 1000n + micros;
}

/** Days since 2000-01-01. */
function dateDays(value: Exclude<Cell, null>): number {
  if (value instanceof Date) return Math.floor(value.getTime() / 86_400_000) - PG_EPOCH_DAYS;
  const text = String(value).trim();
  if (text === 'infinity') return 0x7fffffff;
  if (text === '-infinity') return -0x80000000;
  const m = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/.exec(text);
  if (!m) throw invalid(OID.date, 'not a date');
  const date = new Date(0);
  date.setUTCFullYear(m[4] ? 1 - Number(m[1]) : Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(date.getTime() / 86_400_000) - PG_EPOCH_DAYS;
}

/** numeric_send: digit count, weight, sign, display scale, then base-10000 digits. */
function numericBinary(text: string): Buffer {
  const t = text.trim();
  const header = (ndigits: number, weight: number, sign: number, dscale: number): Buffer => {
    const b = Buffer.alloc(8 + ndigits * 2);
    b.writeInt16BE(ndigits, 0);
    b.writeInt16BE(weight, 2);
    b.writeUInt16BE(sign, 4);
    b.writeInt16BE(dscale, 6);
    return b;
  };
  if (/^nan$/i.test(t)) return header(0, 0, 0xc000, 0);
  if (/^\+?infinity$/i.test(t)) return header(0, 0, 0xd000, 0);
  if (/^-infinity$/i.test(t)) return header(0, 0, 0xf000, 0);
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw invalid(OID.numeric, 'not a number');
  const negative = m[1] === '-';
  const intDigits = (m[2] ?? '').replace(/^0+/, '');
  const fracDigits = m[3] ?? '';
  const dscale = fracDigits.length;
  // Group into base-10000 digits aligned on the decimal point.
  const intPadded = intDigits.padStart(Math.ceil(intDigits.length / 4) * 4, '0');
  const fracPadded = fracDigits.padEnd(Math.ceil(fracDigits.length / 4) * 4, '0');
  let groups = [...(intPadded.match(/.{4}/g) ?? []), ...(fracPadded.match(/.{4}/g) ?? [])].map(Number);
  let weight = intPadded.length / 4 - 1;
  // Strip leading and trailing zero groups (numeric_send does).
  while (groups.length > 0 && groups[0] === 0) {
    groups = groups.slice(1);
    weight--;
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups = groups.slice(0, -1);
  if (groups.length === 0) weight = 0;
  const b = header(groups.length, weight, negative && groups.length > 0 ? 0x4000 : 0, dscale);
  groups.forEach((g, i) => b.writeInt16BE(g, 8 + i * 2));
  return b;
}

/**
 * A bound parameter sent in binary, as the text the statement gets: drivers send binary
 * parameters with their type's OID (psycopg 3 for ints and dates, JDBC for setInt/setBytes).
 */
export function textOfBinaryParam(data: Buffer, oid: number): string {
  const need = (n: number): void => {
    if (data.length !== n) throw new CcqlError('invalid_input', `incorrect binary data format in bind parameter (type ${oid}: ${data.length} bytes)`, { sqlstate: '22P03' });
  };
  switch (oid) {
    case OID.bool:
      need(1);
      return data[0] ? 'true' : 'false';
    case OID.int2:
      need(2);
      return String(data.readInt16BE(0));
    case OID.int4:
      need(4);
      return String(data.readInt32BE(0));
    case OID.oid:
      need(4);
      return String(data.readUInt32BE(0));
    case OID.int8:
      need(8);
      return data.readBigInt64BE(0).toString();
    case OID.float4:
      need(4);
      return String(data.readFloatBE(0));
    case OID.float8:
      need(8);
      return String(data.readDoubleBE(0));
    case OID.text:
    case OID.varchar:
    case OID.bpchar:
    case OID.name:
    case OID.unknown:
    case OID.json:
    case 0:
      return data.toString('utf8');
    case OID.jsonb:
      if (data[0] !== 1) throw new CcqlError('invalid_input', 'unsupported jsonb version number in bind parameter', { sqlstate: '22P03' });
      return data.subarray(1).toString('utf8');
    case OID.bytea:
      return `\\x${data.toString('hex')}`;
    case OID.uuid: {
      need(16);
      const h = data.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    case OID.timestamptz:
    case OID.timestamp: {
      need(8);
      const micros = data.readBigInt64BE(0);
      if (micros === INT64_MAX) return 'infinity';
      if (micros === INT64_MIN) return '-infinity';
      const ms = Number(micros / 1000n) + PG_EPOCH_MS;
      const rest = Number(((micros % 1000n) + 1000n) % 1000n);
      const iso = new Date(ms - (rest > 0 && micros < 0n ? 1 : 0)).toISOString();
      const withMicros = iso.replace(/\.(\d{3})Z$/, (_m, f: string) => `.${f}${String(rest).padStart(3, '0')}`);
      return oid === OID.timestamptz ? withMicros.replace('T', ' ').replace(/Z?$/, '+00') : withMicros.replace('T', ' ').replace(/Z$/, '');
    }
    case OID.date: {
      need(4);
      const days = data.readInt32BE(0);
      if (days === 0x7fffffff) return 'infinity';
      if (days === -0x80000000) return '-infinity';
      return new Date((days + PG_EPOCH_DAYS) * 86_400_000).toISOString().slice(0, 10);
    }
    case OID.numeric:
      return numericText(data);
    default:
      throw new CcqlError('not_supported', `binary format for parameters of type ${oid} is not supported`, {
        sqlstate: '0A000',
        hint: 'send this parameter in text format',
      });
  }
}

function numericText(data: Buffer): string {
  if (data.length < 8) throw new CcqlError('invalid_input', 'incorrect binary data format in bind parameter (numeric)', { sqlstate: '22P03' });
  const ndigits = data.readInt16BE(0);
  const weight = data.readInt16BE(2);
  const sign = data.readUInt16BE(4);
  const dscale = data.readInt16BE(6);
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  if (data.length !== 8 + ndigits * 2) throw new CcqlError('invalid_input', 'incorrect binary data format in bind parameter (numeric)', { sqlstate: '22P03' });
  const digits: number[] = [];
  for (let i = 0; i < ndigits; i++) digits.push(data.readInt16BE(8 + i * 2));
  let intPart = '';
  for (let w = weight, i = 0; w >= 0; w--, i++) intPart += String(digits[i] ?? 0).padStart(4, '0');
  let fracPart = '';
  for (let i = Math.max(0, weight + 1); i < ndigits; i++) fracPart += String(digits[i]).padStart(4, '0');
  if (weight < -1) fracPart = '0000'.repeat(-weight - 1) + fracPart;
  intPart = intPart.replace(/^0+/, '') || '0';
  fracPart = fracPart.padEnd(dscale, '0').slice(0, dscale);
  return `${sign === 0x4000 ? '-' : ''}${intPart}${fracPart ? `.${fracPart}` : ''}`;
}

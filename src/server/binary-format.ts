/**
 * PostgreSQL's binary format (typsend/typreceive). Drivers ask binary for results per column
 * (JDBC after a statement's fifth run, for the types it reads binary), or for every column at
 * once (psycopg 3 with `binary=True`, node-postgres with `binary`); and psycopg 3 reads every
 * column with the format of the first, so a column sent as text under a binary request is read
 * wrong without an error. Every column is therefore sent in the format asked for: a type with no
 * binary form here is refused up front (0A000) rather than sent as text.
 *
 * Cells of most types are PostgreSQL's text (result.ts), so the encoders read that text; the
 * arithmetic on dates is done on day numbers, not Date, which ends at year 275760.
 */
import { CcqlError } from '../errors.js';
import type { Cell } from '../result.js';
import { ARRAY_ELEMENT, OID, TYPE_NAMES } from '../pg-types.js';
import { parseArrayText, type ArrayShape as TextArrayShape } from '../pg-array.js';
import { floatText, jsonbText, textOf } from './text-format.js';

/** Days from the Unix epoch to PostgreSQL's (2000-01-01). */
const PG_EPOCH_DAYS = 10_957;
const MICROS_PER_DAY = 86_400_000_000n;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;

/** Types outside pg-types.ts's OID table that have a binary form here. */
const EXTRA = {
  int2vector: 22,
  tid: 27,
  xid: 28,
  cid: 29,
  oidvector: 30,
  point: 600,
  lseg: 601,
  path: 602,
  box: 603,
  polygon: 604,
  line: 628,
  cidr: 650,
  circle: 718,
  macaddr8: 774,
  macaddr: 829,
  inet: 869,
  bit: 1560,
  varbit: 1562,
  cstring: 2275,
  void: 2278,
  pgLsn: 3220,
  int4range: 3904,
  numrange: 3906,
  tsrange: 3908,
  tstzrange: 3910,
  daterange: 3912,
  int8range: 3926,
  xid8: 5069,
} as const;

/** Array types beyond ARRAY_ELEMENT's → their element type. */
const MORE_ARRAYS: ReadonlyMap<number, number> = new Map([
  [1010, EXTRA.tid],
  [1011, EXTRA.xid],
  [1012, EXTRA.cid],
  [1017, EXTRA.point],
  [1018, EXTRA.lseg],
  [1019, EXTRA.path],
  [1020, EXTRA.box],
  [1027, EXTRA.polygon],
  [629, EXTRA.line],
  [651, EXTRA.cidr],
  [719, EXTRA.circle],
  [775, EXTRA.macaddr8],
  [1040, EXTRA.macaddr],
  [1041, EXTRA.inet],
  [1561, EXTRA.bit],
  [1563, EXTRA.varbit],
  [3221, EXTRA.pgLsn],
  [3905, EXTRA.int4range],
  [3907, EXTRA.numrange],
  [3909, EXTRA.tsrange],
  [3911, EXTRA.tstzrange],
  [3913, EXTRA.daterange],
  [3927, EXTRA.int8range],
  [271, EXTRA.xid8],
]);

/** Range type → its subtype. */
const RANGE_ELEMENT: ReadonlyMap<number, number> = new Map([
  [EXTRA.int4range, OID.int4],
  [EXTRA.int8range, OID.int8],
  [EXTRA.numrange, OID.numeric],
  [EXTRA.tsrange, OID.timestamp],
  [EXTRA.tstzrange, OID.timestamptz],
  [EXTRA.daterange, OID.date],
]);

/** The element type of array type `oid`, or undefined when it is not an array this file knows. */
export function arrayElementOf(oid: number): number | undefined {
  return ARRAY_ELEMENT.get(oid) ?? MORE_ARRAYS.get(oid);
}

const SCALAR_NAMES: Readonly<Record<number, string>> = {
  [EXTRA.int2vector]: 'int2vector',
  [EXTRA.tid]: 'tid',
  [EXTRA.xid]: 'xid',
  [EXTRA.cid]: 'cid',
  [EXTRA.oidvector]: 'oidvector',
  [EXTRA.point]: 'point',
  [EXTRA.lseg]: 'lseg',
  [EXTRA.path]: 'path',
  [EXTRA.box]: 'box',
  [EXTRA.polygon]: 'polygon',
  [EXTRA.line]: 'line',
  [EXTRA.cidr]: 'cidr',
  [EXTRA.circle]: 'circle',
  [EXTRA.macaddr8]: 'macaddr8',
  [EXTRA.macaddr]: 'macaddr',
  [EXTRA.inet]: 'inet',
  [EXTRA.bit]: 'bit',
  [EXTRA.varbit]: 'varbit',
  [EXTRA.cstring]: 'cstring',
  [EXTRA.void]: 'void',
  [EXTRA.pgLsn]: 'pg_lsn',
  [EXTRA.int4range]: 'int4range',
  [EXTRA.numrange]: 'numrange',
  [EXTRA.tsrange]: 'tsrange',
  [EXTRA.tstzrange]: 'tstzrange',
  [EXTRA.daterange]: 'daterange',
  [EXTRA.int8range]: 'int8range',
  [EXTRA.xid8]: 'xid8',
  [OID.time]: 'time',
  [OID.timetz]: 'timetz',
  [OID.interval]: 'interval',
  [OID.regclass]: 'regclass',
  [OID.regproc]: 'regproc',
  [2206]: 'regtype',
  [2202]: 'regprocedure',
  [2203]: 'regoper',
  [2204]: 'regoperator',
  [4089]: 'regnamespace',
  [4096]: 'regrole',
  [790]: 'money',
  [2249]: 'record',
  [3614]: 'tsvector',
  [3615]: 'tsquery',
};

/** A type's name for messages and casts: `int4`, `point[]`, or `type 12345` for one not known here. */
export function typeNameOf(oid: number): string {
  const known = TYPE_NAMES[oid] ?? SCALAR_NAMES[oid];
  if (known !== undefined) return known;
  const element = arrayElementOf(oid);
  if (element !== undefined) return `${typeNameOf(element)}[]`;
  return `type ${oid}`;
}

type Value = Exclude<Cell, null>;
type Encoder = (value: Value) => Buffer;

/** True when values of type `oid` can be sent in binary. */
export function hasBinaryFormat(oid: number): boolean {
  return encoderOf(oid) !== undefined;
}

/** The binary encoder of type `oid` (one lookup per column, not per cell), or undefined for none. */
export function binaryEncoder(oid: number): ((value: Value) => Buffer) | undefined {
  return encoderOf(oid);
}

/** The binary form of a non-null cell of type `oid`; 0A000 for a type with none here. */
export function binaryOf(value: Value, oid: number): Buffer {
  const encode = encoderOf(oid);
  if (!encode) throw notSupported(oid);
  return encode(value);
}

/** The refusal of a binary result of type `oid`, naming `column` when known. */
export function notSupported(oid: number, column?: string): CcqlError {
  return new CcqlError('not_supported', `binary format is not supported for type ${typeNameOf(oid)}${column === undefined ? '' : ` (column "${column}")`}`, {
    sqlstate: '0A000',
    hint: 'ask for this column in text format (format code 0), or cast it to text in the query',
  });
}

function invalid(oid: number, what: string, value?: unknown): CcqlError {
  const shown = value === undefined ? '' : `: "${String(value).slice(0, 80)}"`;
  return new CcqlError('internal', `cannot send a value of type ${typeNameOf(oid)} in binary (${what})${shown}`, {
    sqlstate: '22P03',
    hint: 'ask for this column in text format (format code 0)',
  });
}

const int16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const uint32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const int64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};
const float8s = (xs: readonly number[]): Buffer => {
  const b = Buffer.alloc(8 * xs.length);
  xs.forEach((x, i) => b.writeDoubleBE(x, i * 8));
  return b;
};
const utf8 = (v: Value, oid: number): Buffer => Buffer.from(textOf(v, oid) ?? '', 'utf8');

/** An integer cell (number, bigint or decimal text) within [min, max]. */
function integerOf(value: Value, oid: number, min: bigint, max: bigint): bigint {
  let n: bigint;
  try {
    n = typeof value === 'bigint' ? value : typeof value === 'number' ? BigInt(value) : BigInt(String(value).trim());
  } catch {
    throw invalid(oid, 'not an integer', value);
  }
  if (n < min || n > max) throw invalid(oid, 'out of range', value);
  return n;
}

function numberOf(value: Value, oid: number): number {
  if (typeof value === 'number') return value;
  const n = floatOfText(String(value));
  if (n === undefined) throw invalid(oid, 'not a number', value);
  return n;
}

function floatOfText(text: string): number | undefined {
  const t = text.trim();
  if (/^[-+]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return undefined;
  return Number(t);
}

function encoderOf(oid: number): Encoder | undefined {
  switch (oid) {
    case OID.bool:
      return (v) => {
        if (v === true || v === 't' || v === 'true') return Buffer.from([1]);
        if (v === false || v === 'f' || v === 'false') return Buffer.from([0]);
        throw invalid(oid, 'not a boolean', v);
      };
    case OID.int2:
      return (v) => int16(Number(integerOf(v, oid, -32768n, 32767n)));
    case OID.int4:
      return (v) => int32(Number(integerOf(v, oid, BigInt(INT32_MIN), BigInt(INT32_MAX))));
    case OID.oid:
    case EXTRA.xid:
    case EXTRA.cid:
      return (v) => uint32(Number(integerOf(v, oid, 0n, 0xffffffffn)));
    case OID.int8:
      return (v) => int64(integerOf(v, oid, INT64_MIN, INT64_MAX));
    case EXTRA.xid8:
      return (v) => int64(BigInt.asIntN(64, integerOf(v, oid, 0n, 2n ** 64n - 1n)));
    case OID.float4:
      return (v) => {
        const b = Buffer.alloc(4);
        b.writeFloatBE(numberOf(v, oid));
        return b;
      };
    case OID.float8:
      return (v) => float8s([numberOf(v, oid)]);
    case OID.numeric:
      return (v) => numericBinary(typeof v === 'number' ? floatText(v) : String(v));
    case OID.text:
    case OID.varchar:
    case OID.bpchar:
    case OID.name:
    case OID.unknown:
    case OID.xml:
    case EXTRA.cstring:
      return (v) => utf8(v, oid);
    case OID.char:
      // "char" is one byte; its text writes bytes past ASCII as \ooo, and the zero byte as ''.
      return (v) => {
        const t = String(v);
        if (t === '') return Buffer.from([0]);
        const octal = /^\\([0-3][0-7]{2})$/.exec(t);
        if (octal) return Buffer.from([parseInt(octal[1]!, 8)]);
        return Buffer.from(t, 'utf8').subarray(0, 1);
      };
    case OID.json:
      return (v) => Buffer.from(jsonbText(v), 'utf8');
    case OID.jsonb:
      // (A string here is a JSON string: it is written with its quotes.)
      return (v) => Buffer.concat([Buffer.from([1]), Buffer.from(jsonbText(v), 'utf8')]);
    case OID.bytea:
      return (v) => {
        if (v instanceof Uint8Array) return Buffer.from(v);
        const t = String(v);
        if (!/^\\x([0-9a-f]{2})*$/i.test(t)) throw invalid(oid, 'not bytea in hex', v);
        return Buffer.from(t.slice(2), 'hex');
      };
    case OID.uuid:
      return (v) => {
        const hex = String(v).replace(/[-{}]/g, '');
        if (!/^[0-9a-f]{32}$/i.test(hex)) throw invalid(oid, 'not a uuid', v);
        return Buffer.from(hex, 'hex');
      };
    case OID.timestamp:
    case OID.timestamptz:
      return (v) => int64(timestampMicros(v, oid));
    case OID.date:
      return (v) => int32(dateDays(v));
    case OID.time:
      return (v) => int64(timeMicros(String(v), oid));
    case OID.timetz:
      return (v) => timetzBinary(String(v));
    case OID.interval:
      return (v) => intervalBinary(String(v));
    case EXTRA.point:
      return (v) => float8s(floats(v, oid, 2));
    case EXTRA.lseg:
    case EXTRA.box:
      // box_send writes the high corner then the low one, as box_out prints them.
      return (v) => float8s(floats(v, oid, 4));
    case EXTRA.line:
      return (v) => float8s(floats(v, oid, 3));
    case EXTRA.circle:
      return (v) => float8s(floats(v, oid, 3));
    case EXTRA.path:
      return (v) => {
        const xs = floats(v, oid);
        const closed = String(v).trim().startsWith('(') ? 1 : 0;
        return Buffer.concat([Buffer.from([closed]), int32(xs.length / 2), float8s(xs)]);
      };
    case EXTRA.polygon:
      return (v) => {
        const xs = floats(v, oid);
        return Buffer.concat([int32(xs.length / 2), float8s(xs)]);
      };
    case EXTRA.inet:
    case EXTRA.cidr:
      return (v) => inetBinary(String(v), oid);
    case EXTRA.macaddr:
    case EXTRA.macaddr8:
      return (v) => {
        const hex = String(v).replace(/[:.-]/g, '');
        if (hex.length !== (oid === EXTRA.macaddr ? 12 : 16) || !/^[0-9a-f]+$/i.test(hex)) throw invalid(oid, 'not a MAC address', v);
        return Buffer.from(hex, 'hex');
      };
    case EXTRA.bit:
    case EXTRA.varbit:
      return (v) => {
        const bits = String(v);
        if (!/^[01]*$/.test(bits)) throw invalid(oid, 'not a bit string', v);
        const bytes = Buffer.alloc(Math.ceil(bits.length / 8));
        for (let i = 0; i < bits.length; i++) if (bits[i] === '1') bytes[i >> 3]! |= 0x80 >> (i & 7);
        return Buffer.concat([int32(bits.length), bytes]);
      };
    case EXTRA.tid:
      return (v) => {
        const m = /^\((\d+),(\d+)\)$/.exec(String(v));
        if (!m) throw invalid(oid, 'not a tid', v);
        const b = Buffer.alloc(6);
        b.writeUInt32BE(Number(m[1]), 0);
        b.writeUInt16BE(Number(m[2]), 4);
        return b;
      };
    case EXTRA.pgLsn:
      return (v) => {
        const m = /^([0-9a-f]{1,8})\/([0-9a-f]{1,8})$/i.exec(String(v));
        if (!m) throw invalid(oid, 'not an LSN', v);
        return int64(BigInt.asIntN(64, (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`)));
      };
    case EXTRA.void:
      return () => Buffer.alloc(0);
    case EXTRA.int2vector:
    case EXTRA.oidvector: {
      // Sent as a one-dimensional array with lower bound 0, as int2vectorsend does.
      const element = oid === EXTRA.int2vector ? OID.int2 : OID.oid;
      return (v) => {
        const items = Array.isArray(v) ? (v as unknown[]).map(String) : String(v).trim().split(/\s+/).filter((s) => s !== '');
        return arrayBinary({ dims: items.length === 0 ? [] : [items.length], lbounds: [0], items }, element);
      };
    }
    default:
      break;
  }
  const rangeElement = RANGE_ELEMENT.get(oid);
  if (rangeElement !== undefined) return (v) => rangeBinary(String(v), oid, rangeElement);
  const element = arrayElementOf(oid);
  if (element !== undefined && encoderOf(element) !== undefined) {
    return (v) => arrayBinary(arrayShape(v, oid, element), element);
  }
  return undefined;
}

// ---- dates and times ------------------------------------------------------------------------

/** Days since 1970-01-01 of a proleptic Gregorian date (`year` astronomical: 1 BC is 0). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The inverse of daysFromCivil. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Microseconds since 2000-01-01 00:00 UTC (a timestamp's wall-clock fields read as UTC). */
function timestampMicros(value: Value, oid: number): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw invalid(oid, 'an invalid date');
    return (BigInt(ms) - BigInt(PG_EPOCH_DAYS) * 86_400_000n) * 1000n;
  }
  const text = String(value).trim();
  if (text === 'infinity') return INT64_MAX;
  if (text === '-infinity') return INT64_MIN;
  const m = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-])(\d\d)(?::?(\d\d))?(?::(\d\d))?)?( BC)?$/.exec(text);
  if (!m) throw invalid(oid, 'not a timestamp in ISO form', value);
  const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0', os = '0', bc] = m;
  const days = daysFromCivil(bc ? 1 - Number(y) : Number(y), Number(mo), Number(d)) - PG_EPOCH_DAYS;
  const offset = sign ? (sign === '-' ? -1 : 1) * ((Number(oh) * 60 + Number(om)) * 60 + Number(os)) : 0;
  const seconds = Number(h) * 3600 + Number(mi) * 60 + Number(s) - offset;
  return BigInt(days) * MICROS_PER_DAY + BigInt(seconds) * 1_000_000n + BigInt(frac.padEnd(6, '0'));
}

/** Days since 2000-01-01. */
function dateDays(value: Value): number {
  if (value instanceof Date) return Math.floor(value.getTime() / 86_400_000) - PG_EPOCH_DAYS;
  const text = String(value).trim();
  if (text === 'infinity') return INT32_MAX;
  if (text === '-infinity') return INT32_MIN;
  const m = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/.exec(text);
  if (!m) throw invalid(OID.date, 'not a date in ISO form', value);
  return daysFromCivil(m[4] ? 1 - Number(m[1]) : Number(m[1]), Number(m[2]), Number(m[3])) - PG_EPOCH_DAYS;
}

/** `HH:MM:SS[.ffffff]` → microseconds since midnight. */
function timeMicros(text: string, oid: number): bigint {
  const m = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?/.exec(text.trim());
  if (!m) throw invalid(oid, 'not a time', text);
  return BigInt((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000n + BigInt((m[4] ?? '').padEnd(6, '0'));
}

/** timetz_send: the time, then the zone as seconds west of UTC (+05:30 is -19800). */
function timetzBinary(text: string): Buffer {
  const t = text.trim();
  const zone = /([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/.exec(t);
  if (!zone || zone.index < 8) throw invalid(OID.timetz, 'not a time with a zone', text);
  const east = (zone[1] === '-' ? -1 : 1) * ((Number(zone[2]) * 60 + Number(zone[3] ?? 0)) * 60 + Number(zone[4] ?? 0));
  return Buffer.concat([int64(timeMicros(t.slice(0, zone.index), OID.timetz)), int32(-east)]);
}

/**
 * interval_send: microseconds, days, months. Reads the `postgres` IntervalStyle (the default:
 * `1 year 2 mons -3 days +04:05:06.5`), `postgres_verbose` and `iso_8601`.
 */
export function intervalBinary(text: string): Buffer {
  const parts = intervalParts(text.trim());
  if (!parts) throw invalid(OID.interval, 'not an interval in the postgres or iso_8601 IntervalStyle', text);
  const b = Buffer.alloc(16);
  b.writeBigInt64BE(parts.micros, 0);
  b.writeInt32BE(parts.days, 8);
  b.writeInt32BE(parts.months, 12);
  return b;
}

interface IntervalParts {
  months: number;
  days: number;
  micros: bigint;
}

/** Seconds text (`-6.5`, `59.000001`) → microseconds. */
function secondsMicros(text: string): bigint {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) return 0n;
  const micros = BigInt(m[2] || '0') * 1_000_000n + BigInt((m[3] ?? '').slice(0, 6).padEnd(6, '0'));
  return m[1] === '-' ? -micros : micros;
}

function intervalParts(t: string): IntervalParts | undefined {
  try {
    return intervalPartsOrThrow(t);
  } catch {
    return undefined; // BigInt() of a fraction where an integer was expected: not a form read here
  }
}

function intervalPartsOrThrow(t: string): IntervalParts | undefined {
  const out: IntervalParts = { months: 0, days: 0, micros: 0n };
  const iso = /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?[\d.]+)S)?)?$/.exec(t);
  if (iso && t !== 'P') {
    const [, y, mo, w, d, h, mi, s] = iso;
    out.months = Number(y ?? 0) * 12 + Number(mo ?? 0);
    out.days = Number(w ?? 0) * 7 + Number(d ?? 0);
    out.micros = (BigInt(h ?? 0) * 3600n + BigInt(mi ?? 0) * 60n) * 1_000_000n + secondsMicros(s ?? '0');
    return out;
  }
  let rest = t;
  let negate = false;
  if (rest.startsWith('@')) {
    rest = rest.slice(1).trim();
    if (rest.endsWith(' ago')) {
      negate = true;
      rest = rest.slice(0, -4);
    }
  }
  const unit = /^([+-]?[\d.]+) (years?|mons?|days?|hours?|mins?|secs?)(?: |$)/;
  for (;;) {
    const m = unit.exec(rest);
    if (!m) break;
    const n = m[1]!;
    switch (m[2]!.replace(/s$/, '')) {
      case 'year':
        out.months += Number(n) * 12;
        break;
      case 'mon':
        out.months += Number(n);
        break;
      case 'day':
        out.days += Number(n);
        break;
      case 'hour':
        out.micros += BigInt(n) * 3_600_000_000n;
        break;
      case 'min':
        out.micros += BigInt(n) * 60_000_000n;
        break;
      default:
        out.micros += secondsMicros(n);
    }
    rest = rest.slice(m[0].length);
  }
  if (rest !== '') {
    const time = /^([+-])?(\d+):(\d\d):(\d\d(?:\.\d+)?)$/.exec(rest);
    if (!time) return undefined;
    const micros = (BigInt(time[2]!) * 3600n + BigInt(time[3]!) * 60n) * 1_000_000n + secondsMicros(time[4]!);
    out.micros += time[1] === '-' ? -micros : micros;
  } else if (t === '' || (out.months === 0 && out.days === 0 && out.micros === 0n && !/\d/.test(t))) {
    return undefined;
  }
  if (negate) return { months: -out.months, days: -out.days, micros: -out.micros };
  return out;
}

// ---- geometry, network, ranges ------------------------------------------------------------

const FLOAT_RE = /[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|Infinity|NaN)/gi;

/** The numbers of a geometric value's text (`(1,2)`, `[(0,0),(1,1)]`, `<(0,0),2>`, `{1,-1,0}`). */
function floats(value: Value, oid: number, count?: number): number[] {
  const text = String(value);
  const xs = (text.match(FLOAT_RE) ?? []).map((s) => floatOfText(s) ?? NaN);
  if ((count !== undefined && xs.length !== count) || xs.length % 2 !== (count ?? 0) % 2 || xs.length === 0) throw invalid(oid, 'not a geometric value', value);
  return xs;
}

/** inet_send: family (2 IPv4, 3 IPv6), prefix bits, is-cidr, address length, address. */
function inetBinary(text: string, oid: number): Buffer {
  const [address = '', bitsText] = text.trim().split('/');
  let bytes: number[] | undefined;
  if (address.includes(':')) bytes = ipv6Bytes(address);
  else bytes = ipv4Bytes(address);
  if (!bytes) throw invalid(oid, 'not an address', text);
  const bits = bitsText === undefined ? bytes.length * 8 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) throw invalid(oid, 'a bad prefix length', text);
  return Buffer.from([bytes.length === 4 ? 2 : 3, bits, oid === EXTRA.cidr ? 1 : 0, bytes.length, ...bytes]);
}

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function ipv6Bytes(text: string): number[] | undefined {
  let head = text;
  let v4: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const b = ipv4Bytes(dotted[1]!);
    if (!b) return undefined;
    v4 = b;
    head = `${text.slice(0, dotted.index)}:`;
    if (head.endsWith(':::')) head = head.slice(0, -1);
    else if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = 8 - v4.length / 2;
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const split = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = split(halves[0]!);
  const right = halves.length === 2 ? split(halves[1]!) : [];
  const fill = halves.length === 2 ? groupsWanted - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(Math.max(0, fill)).fill('0'), ...right];
  if (groups.length !== groupsWanted || !groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return [...groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]), ...v4];
}

/** range_send: flags, then each finite bound as length and its subtype's binary form. */
function rangeBinary(text: string, oid: number, element: number): Buffer {
  const t = text.trim();
  if (t === 'empty') return Buffer.from([0x01]);
  const m = /^([[(])("(?:[^"\\]|\\.)*"|[^,]*),("(?:[^"\\]|\\.)*"|[^\])]*)([\])])$/.exec(t);
  if (!m) throw invalid(oid, 'not a range', text);
  const bound = (s: string): string | undefined => (s === '' ? undefined : s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1').replace(/""/g, '"') : s);
  const lower = bound(m[2]!);
  const upper = bound(m[3]!);
  let flags = 0;
  if (m[1] === '[') flags |= 0x02;
  if (m[4] === ']') flags |= 0x04;
  if (lower === undefined) flags = (flags & ~0x02) | 0x08;
  if (upper === undefined) flags = (flags & ~0x04) | 0x10;
  const parts: Buffer[] = [Buffer.from([flags])];
  for (const b of [lower, upper]) {
    if (b === undefined) continue;
    const data = binaryOf(b, element);
    parts.push(int32(data.length), data);
  }
  return Buffer.concat(parts);
}

// ---- arrays ---------------------------------------------------------------------------------

/** What array_send writes: an ArrayShape whose elements may be values as well as their text. */
interface ArrayShape extends Omit<TextArrayShape, 'items'> {
  items: Array<Value | null>;
}

/** A cell of an array type (nested JS arrays, or its text when the engine left it as text) → its shape. */
function arrayShape(value: Value, oid: number, element: number): ArrayShape {
  if (Array.isArray(value)) {
    const dims: number[] = [];
    for (let level: unknown = value; Array.isArray(level); level = level[0]) {
      dims.push(level.length);
      if (level.length === 0) break;
    }
    const items: Array<Value | null> = [];
    const walk = (v: unknown, depth: number): void => {
      if (depth === dims.length) {
        items.push(v === undefined || v === null ? null : (v as Value));
        return;
      }
      if (!Array.isArray(v) || v.length !== dims[depth]) throw invalid(oid, 'a multidimensional array with sub-arrays of different lengths');
      for (const x of v) walk(x, depth + 1);
    };
    walk(value, 0);
    return dims[0] === 0 ? { dims: [], lbounds: [], items: [] } : { dims, lbounds: dims.map(() => 1), items };
  }
  const parsed = parseArrayText(String(value), element === EXTRA.box ? ';' : ',');
  if (!parsed) throw invalid(oid, 'not an array literal', value);
  return parsed;
}

/** array_send: dimensions, a has-nulls flag, the element type, each dimension, the elements. */
function arrayBinary(shape: ArrayShape, element: number): Buffer {
  const parts: Buffer[] = [int32(shape.dims.length), int32(shape.items.some((x) => x === null) ? 1 : 0), uint32(element)];
  shape.dims.forEach((d, k) => parts.push(int32(d), int32(shape.lbounds[k] ?? 1)));
  for (const item of shape.items) {
    if (item === null) {
      parts.push(int32(-1));
      continue;
    }
    const data = binaryOf(item, element);
    parts.push(int32(data.length), data);
  }
  return Buffer.concat(parts);
}

// ---- numeric --------------------------------------------------------------------------------

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
  if (/^\+?inf(inity)?$/i.test(t)) return header(0, 0, 0xd000, 0);
  if (/^-inf(inity)?$/i.test(t)) return header(0, 0, 0xf000, 0);
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:e([-+]?\d+))?$/i.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw invalid(OID.numeric, 'not a number', text);
  const negative = m[1] === '-';
  let intDigits = m[2] ?? '';
  let fracDigits = m[3] ?? '';
  const exponent = Number(m[4] ?? 0);
  // An exponent (a float written as numeric) moves the decimal point.
  if (exponent > 0) {
    const moved = fracDigits.padEnd(exponent, '0');
    intDigits += moved.slice(0, exponent);
    fracDigits = moved.slice(exponent);
  } else if (exponent < 0) {
    const moved = intDigits.padStart(-exponent, '0');
    fracDigits = moved.slice(moved.length + exponent) + fracDigits;
    intDigits = moved.slice(0, moved.length + exponent);
  }
  intDigits = intDigits.replace(/^0+/, '');
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

// ---- parameters -----------------------------------------------------------------------------

function badParam(oid: number, what: string): CcqlError {
  return new CcqlError('invalid_input', `incorrect binary data format in bind parameter (type ${typeNameOf(oid)}: ${what})`, {
    sqlstate: '22P03',
    hint: 'the driver sent bytes that are not the binary form of the declared type; send the parameter in text format',
  });
}

/**
 * A bound parameter sent in binary, as the text the statement gets (the same text the type's
 * input function reads back to the same value). `oid` is the declared type; a parameter of no
 * declared type is read by the caller (see extended.ts).
 */
export function textOfBinaryParam(data: Buffer, oid: number): string {
  const need = (n: number): void => {
    if (data.length !== n) throw badParam(oid, `${data.length} bytes, expected ${n}`);
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
    case EXTRA.xid:
    case EXTRA.cid:
      need(4);
      return String(data.readUInt32BE(0));
    case OID.int8:
      need(8);
      return data.readBigInt64BE(0).toString();
    case EXTRA.xid8:
      need(8);
      return data.readBigUInt64BE(0).toString();
    case OID.float4:
      need(4);
      return floatText(data.readFloatBE(0));
    case OID.float8:
      need(8);
      return floatText(data.readDoubleBE(0));
    case OID.text:
    case OID.varchar:
    case OID.bpchar:
    case OID.name:
    case OID.unknown:
    case OID.json:
    case OID.xml:
    case 0:
      return utf8Param(data, oid);
    case OID.char:
      need(1);
      return data[0]! < 0x80 ? String.fromCharCode(data[0]!) : `\\${data[0]!.toString(8).padStart(3, '0')}`;
    case OID.jsonb:
      if (data[0] !== 1) throw badParam(oid, 'unsupported jsonb version number');
      return utf8Param(data.subarray(1), oid);
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
      const [text, bc] = timestampText(micros);
      return `${text}${oid === OID.timestamptz ? '+00' : ''}${bc ? ' BC' : ''}`;
    }
    case OID.date: {
      need(4);
      const days = data.readInt32BE(0);
      if (days === INT32_MAX) return 'infinity';
      if (days === INT32_MIN) return '-infinity';
      return dateText(days + PG_EPOCH_DAYS);
    }
    case OID.time: {
      need(8);
      return timeText(data.readBigInt64BE(0));
    }
    case OID.timetz: {
      need(12);
      const west = data.readInt32BE(8);
      const east = Math.abs(west);
      const zone = `${west > 0 ? '-' : '+'}${two(Math.floor(east / 3600))}:${two(Math.floor(east / 60) % 60)}:${two(east % 60)}`;
      return timeText(data.readBigInt64BE(0)) + zone;
    }
    case OID.interval: {
      need(16);
      const micros = data.readBigInt64BE(0);
      return `${data.readInt32BE(12)} mons ${data.readInt32BE(8)} days ${micros < 0n ? '-' : ''}${timeText(micros < 0n ? -micros : micros, true)}`;
    }
    case EXTRA.point:
      need(16);
      return `(${floatText(data.readDoubleBE(0))},${floatText(data.readDoubleBE(8))})`;
    case OID.numeric:
      return numericText(data);
    default:
      break;
  }
  const element = arrayElementOf(oid);
  if (element !== undefined) return arrayParamText(data, oid, element);
  throw new CcqlError('not_supported', `binary format for parameters of type ${typeNameOf(oid)} is not supported`, {
    sqlstate: '0A000',
    hint: 'send this parameter in text format',
  });
}

/** Text parameters must be UTF-8 without NUL, as PostgreSQL's textrecv requires. */
function utf8Param(data: Buffer, oid: number): string {
  const text = data.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(data) || text.includes('\0')) {
    throw new CcqlError('invalid_input', `invalid byte sequence for encoding "UTF8" in a binary parameter of type ${typeNameOf(oid)}`, {
      sqlstate: '22021',
      hint: oid === 0 ? 'declare the parameter as bytea (or cast it: $1::bytea) to pass raw bytes' : 'send text as UTF-8',
    });
  }
  return text;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Days since 1970-01-01 → `YYYY-MM-DD[ BC]`. */
function dateText(unixDays: number): string {
  const [y, m, d] = civilFromDays(unixDays);
  return `${String(y < 1 ? 1 - y : y).padStart(4, '0')}-${two(m)}-${two(d)}${y < 1 ? ' BC' : ''}`;
}

/** Microseconds since 2000-01-01 → `YYYY-MM-DD HH:MM:SS.ffffff`, and whether it is BC (written after the zone). */
function timestampText(micros: bigint): [string, boolean] {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const [y, m, d] = civilFromDays(Number(days) + PG_EPOCH_DAYS);
  return [`${String(y < 1 ? 1 - y : y).padStart(4, '0')}-${two(m)}-${two(d)} ${timeText(rest)}`, y < 1];
}

/** Microseconds → `HH:MM:SS.ffffff` (hours past 24 when `hoursUnbounded`, for intervals). */
function timeText(micros: bigint, hoursUnbounded = false): string {
  const seconds = micros / 1_000_000n;
  const frac = String(micros % 1_000_000n).padStart(6, '0');
  const hours = seconds / 3600n;
  const h = hoursUnbounded ? hours.toString().padStart(2, '0') : two(Number(hours));
  return `${h}:${two(Number((seconds / 60n) % 60n))}:${two(Number(seconds % 60n))}.${frac}`;
}

/** A binary array parameter → its array literal (`{a,"b c",NULL}`, `[0:1]={1,2}`). */
function arrayParamText(data: Buffer, oid: number, element: number): string {
  const fail = (what: string): CcqlError => badParam(oid, what);
  if (data.length < 12) throw fail('too short');
  const ndim = data.readInt32BE(0);
  const sentElement = data.readUInt32BE(8);
  if (ndim < 0 || ndim > 6) throw fail(`${ndim} dimensions`);
  if (sentElement !== element) throw fail(`elements of type ${typeNameOf(sentElement)}`);
  let at = 12;
  const dims: number[] = [];
  const lbounds: number[] = [];
  for (let k = 0; k < ndim; k++) {
    if (at + 8 > data.length) throw fail('truncated');
    dims.push(data.readInt32BE(at));
    lbounds.push(data.readInt32BE(at + 4));
    at += 8;
  }
  if (ndim === 0 || dims.some((d) => d === 0)) return '{}';
  if (dims.some((d) => d < 0)) throw fail('a negative dimension');
  const total = dims.reduce((a, b) => a * b, 1);
  const items: Array<string | null> = [];
  for (let i = 0; i < total; i++) {
    if (at + 4 > data.length) throw fail('truncated');
    const len = data.readInt32BE(at);
    at += 4;
    if (len === -1) {
      items.push(null);
      continue;
    }
    if (len < 0 || at + len > data.length) throw fail('truncated');
    items.push(textOfBinaryParam(data.subarray(at, at + len), element));
    at += len;
  }
  if (at !== data.length) throw fail('trailing bytes');
  const delimiter = element === EXTRA.box ? ';' : ',';
  const quote = (s: string | null): string => (s === null ? 'NULL' : s === '' || /[{},;"\\\s]/.test(s) || s.toUpperCase() === 'NULL' ? `"${s.replace(/[\\"]/g, '\\$&')}"` : s);
  let next = 0;
  const level = (k: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < dims[k]!; i++) parts.push(k === dims.length - 1 ? quote(items[next++] ?? null) : level(k + 1));
    return `{${parts.join(delimiter)}}`;
  };
  const prefix = lbounds.every((b) => b === 1) ? '' : `${dims.map((d, k) => `[${lbounds[k]!}:${lbounds[k]! + d - 1}]`).join('')}=`;
  return prefix + level(0);
}

function numericText(data: Buffer): string {
  const bad = (): CcqlError => badParam(OID.numeric, `${data.length} bytes`);
  if (data.length < 8) throw bad();
  const ndigits = data.readInt16BE(0);
  const weight = data.readInt16BE(2);
  const sign = data.readUInt16BE(4);
  const dscale = data.readInt16BE(6);
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  if (ndigits < 0 || data.length !== 8 + ndigits * 2 || (sign !== 0 && sign !== 0x4000)) throw bad();
  const digits: number[] = [];
  for (let i = 0; i < ndigits; i++) digits.push(data.readInt16BE(8 + i * 2));
  if (digits.some((d) => d < 0 || d > 9999)) throw bad();
  let intPart = '';
  for (let w = weight, i = 0; w >= 0; w--, i++) intPart += String(digits[i] ?? 0).padStart(4, '0');
  let fracPart = '';
  for (let i = Math.max(0, weight + 1); i < ndigits; i++) fracPart += String(digits[i]).padStart(4, '0');
  if (weight < -1) fracPart = '0000'.repeat(-weight - 1) + fracPart;
  intPart = intPart.replace(/^0+/, '') || '0';
  fracPart = fracPart.padEnd(dscale, '0').slice(0, Math.max(0, dscale));
  return `${sign === 0x4000 ? '-' : ''}${intPart}${fracPart ? `.${fracPart}` : ''}`;
}

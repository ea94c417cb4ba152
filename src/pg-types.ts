/**
 * PostgreSQL's built-in types as numbers: the OIDs, sizes and names that the engines report
 * (engine/values.ts parses results by them), RowDescription and ParameterDescription send
 * (server/), and results carry (result.ts). One table, so what the engine said is what the wire
 * says.
 */
import type { ResultColumn } from './result.js';

/** Type OIDs of the built-in types (pg_type.oid, fixed across PostgreSQL versions). */
export const OID = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  regproc: 24,
  text: 25,
  oid: 26,
  xid: 28,
  json: 114,
  xml: 142,
  float4: 700,
  float8: 701,
  unknown: 705,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  regclass: 2205,
  uuid: 2950,
  jsonb: 3802,
} as const;

/** Array type OID → element type OID, for the built-in types above. */
export const ARRAY_ELEMENT: ReadonlyMap<number, number> = new Map([
  [1000, OID.bool],
  [1001, OID.bytea],
  [1002, OID.char],
  [1003, OID.name],
  [1016, OID.int8],
  [1005, OID.int2],
  [1007, OID.int4],
  [1009, OID.text],
  [1028, OID.oid],
  [199, OID.json],
  [143, OID.xml],
  [1021, OID.float4],
  [1022, OID.float8],
  [1014, OID.bpchar],
  [1015, OID.varchar],
  [1182, OID.date],
  [1183, OID.time],
  [1115, OID.timestamp],
  [1185, OID.timestamptz],
  [1187, OID.interval],
  [1270, OID.timetz],
  [1231, OID.numeric],
  [2951, OID.uuid],
  [3807, OID.jsonb],
]);

/** Type names for casts of bound parameters (`'5'::int4`), by OID. */
export const TYPE_NAMES: Readonly<Record<number, string>> = {
  16: 'bool',
  17: 'bytea',
  18: '"char"',
  19: 'name',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  24: 'regproc',
  25: 'text',
  26: 'oid',
  114: 'json',
  142: 'xml',
  700: 'float4',
  701: 'float8',
  1042: 'bpchar',
  1043: 'varchar',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1186: 'interval',
  1700: 'numeric',
  2205: 'regclass',
  2950: 'uuid',
  3802: 'jsonb',
  // arrays drivers send for IN-lists (psycopg, JDBC setArray)
  1000: 'bool[]',
  1005: 'int2[]',
  1007: 'int4[]',
  1016: 'int8[]',
  1009: 'text[]',
  1015: 'varchar[]',
  1021: 'float4[]',
  1022: 'float8[]',
  1231: 'numeric[]',
  2951: 'uuid[]',
  3807: 'jsonb[]',
};

/** The coarse type names of results → their OID, for columns made outside the engine (SHOW, EXPLAIN, dry runs). */
const BY_TYPE: Readonly<Record<ResultColumn['type'], number>> = {
  text: OID.text,
  bigint: OID.int8,
  integer: OID.int4,
  boolean: OID.bool,
  'double precision': OID.float8,
  numeric: OID.numeric,
  jsonb: OID.jsonb,
  timestamptz: OID.timestamptz,
  timestamp: OID.timestamp,
  date: OID.date,
  // a type results have no name for is sent as text: every type has a text form
  unknown: OID.text,
};

/** pg_type.typlen: the fixed size of a type, -1 for variable-length ones. */
const TYPLEN: Readonly<Record<number, number>> = {
  16: 1,
  18: 1,
  19: 64,
  20: 8,
  21: 2,
  23: 4,
  24: 4,
  26: 4,
  700: 4,
  701: 8,
  1082: 4,
  1083: 8,
  1114: 8,
  1184: 8,
  1186: 16,
  2205: 4,
  2950: 16,
};

export interface WireType {
  oid: number;
  /** pg_attribute.atttypmod (-1 when none). */
  typmod: number;
  typlen: number;
}

/** A result column's type: the engine's OID, modifier and size when it reported them, else derived from its type name. */
export function columnType(c: ResultColumn): WireType {
  const engineOid = c.typeOid !== undefined && c.typeOid > 0 ? c.typeOid : undefined;
  const oid = engineOid ?? BY_TYPE[c.type] ?? OID.text;
  const typmod = engineOid !== undefined && c.typeModifier !== undefined ? c.typeModifier : -1;
  const typlen = engineOid !== undefined && c.typeSize !== undefined ? c.typeSize : (TYPLEN[oid] ?? -1);
  return { oid, typmod, typlen };
}

/** The OID a SQL type name (`bigint`, `jsonb`, `timestamp with time zone`, `integer[]`…) stands for. */
export function oidOfTypeName(name: string): number | undefined {
  const n = name.trim().toLowerCase();
  const aliases: Record<string, number> = {
    boolean: OID.bool,
    bool: OID.bool,
    bytea: OID.bytea,
    '"char"': OID.char,
    name: OID.name,
    bigint: OID.int8,
    int8: OID.int8,
    smallint: OID.int2,
    int2: OID.int2,
    integer: OID.int4,
    int: OID.int4,
    int4: OID.int4,
    regproc: OID.regproc,
    text: OID.text,
    oid: OID.oid,
    json: OID.json,
    xml: OID.xml,
    real: OID.float4,
    float4: OID.float4,
    'double precision': OID.float8,
    float8: OID.float8,
    unknown: OID.unknown,
    character: OID.bpchar,
    bpchar: OID.bpchar,
    'character varying': OID.varchar,
    varchar: OID.varchar,
    date: OID.date,
    'time without time zone': OID.time,
    'timestamp without time zone': OID.timestamp,
    timestamp: OID.timestamp,
    'timestamp with time zone': OID.timestamptz,
    timestamptz: OID.timestamptz,
    interval: OID.interval,
    numeric: OID.numeric,
    regclass: OID.regclass,
    uuid: OID.uuid,
    jsonb: OID.jsonb,
  };
  const bare = n.replace(/\(.*\)$/, '');
  if (aliases[bare] !== undefined) return aliases[bare];
  if (bare.endsWith('[]')) {
    const element = oidOfTypeName(bare.slice(0, -2));
    const entry = Object.entries(TYPE_NAMES).find(([, t]) => t === `${TYPE_NAMES[element ?? -1] ?? ''}[]`);
    return entry ? Number(entry[0]) : undefined;
  }
  return undefined;
}

/**
 * A statement's result as protocol messages: RowDescription with each column's type and the
 * format it is sent in, then DataRows. Every column is sent in the format Bind asked for: a
 * driver reads the bytes by the format it asked for (JDBC, from its cached description) or by
 * the first column's (psycopg 3), not by what RowDescription says, so a binary request is never
 * answered with text; a type with no binary form is an error (binary-format.ts).
 */
import { CcqlError } from '../errors.js';
import type { Cell, ResultColumn } from '../result.js';
import { binaryEncoder, notSupported } from './binary-format.js';
import { columnType, type WireType } from '../pg-types.js';
import { textOf } from './text-format.js';
import { dataRow, rowDescription, type FieldDescription } from './wire/backend.js';

export interface EncodedColumns {
  types: WireType[];
  formats: Array<0 | 1>;
  /** The session's TimeZone, for timestamptz text. */
  timeZone: string;
  /** Column names, for errors about a value. */
  names?: string[];
  /** Per binary column, its encoder. */
  encoders?: Array<((value: Exclude<Cell, null>) => Buffer) | undefined>;
}

/**
 * The formats of `columns` given Bind's result format codes (none: text; one: all; else one per
 * column, as many as there are columns). Throws 0A000 for a binary column of a type with no
 * binary form, before any row is sent.
 */
export function encodeColumns(columns: readonly ResultColumn[], requested: readonly number[] = [], timeZone = 'UTC'): EncodedColumns {
  if (requested.length > 1 && columns.length > 0 && requested.length !== columns.length) {
    throw new CcqlError('invalid_input', `bind message has ${requested.length} result formats but query has ${columns.length} columns`, {
      sqlstate: '08P01',
      hint: 'send no result format code (all text), one (for every column), or one per column',
    });
  }
  const types = columns.map(columnType);
  const formats = types.map((_, i): 0 | 1 => {
    const want = requested.length === 1 ? requested[0] : requested[i];
    return want === 1 ? 1 : 0;
  });
  const encoders = types.map((t, i) => {
    if (formats[i] !== 1) return undefined;
    const encoder = binaryEncoder(t.oid);
    if (!encoder) throw notSupported(t.oid, columns[i]!.name);
    return encoder;
  });
  return { types, formats, timeZone, names: columns.map((c) => c.name), encoders };
}

export function rowDescriptionOf(columns: readonly ResultColumn[], encoded: EncodedColumns): Buffer {
  const fields: FieldDescription[] = columns.map((c, i) => ({
    name: c.name,
    tableOid: 0,
    columnNumber: 0,
    typeOid: encoded.types[i]!.oid,
    typlen: encoded.types[i]!.typlen,
    typmod: encoded.types[i]!.typmod,
    format: encoded.formats[i]!,
  }));
  return rowDescription(fields);
}

export function dataRowOf(row: readonly Cell[], encoded: EncodedColumns): Buffer {
  const values = encoded.types.map((t, i) => {
    const v = row[i];
    if (v === null || v === undefined) return null;
    const encode = encoded.encoders?.[i];
    if (encode) {
      try {
        return encode(v);
      } catch (e) {
        // Name the column: the encoder only knows the value.
        if (e instanceof CcqlError) throw new CcqlError(e.code, `${e.message} in column "${encoded.names?.[i] ?? i + 1}"`, { sqlstate: e.sqlstate, ...(e.hint ? { hint: e.hint } : {}), cause: e });
        throw e;
      }
    }
    const text = textOf(v, t.oid, encoded.timeZone);
    return text === null ? null : Buffer.from(text, 'utf8');
  });
  return dataRow(values);
}

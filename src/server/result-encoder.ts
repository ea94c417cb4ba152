/**
 * A statement's result as protocol messages: RowDescription with each column's type and the
 * format it is sent in, then DataRows. A column a client asks binary for is sent binary when
 * the type has a binary form here, else as text (RowDescription says which, as drivers read it).
 */
import type { Cell, ResultColumn } from '../result.js';
import { binaryOf, hasBinaryFormat } from './binary-format.js';
import { columnType, type WireType } from '../pg-types.js';
import { textOf } from './text-format.js';
import { dataRow, rowDescription, type FieldDescription } from './wire/backend.js';

export interface EncodedColumns {
  types: WireType[];
  formats: Array<0 | 1>;
  /** The session's TimeZone, for timestamptz text. */
  timeZone: string;
}

/** The formats of `columns` given Bind's result format codes (none: text; one: all; else per column). */
export function encodeColumns(columns: readonly ResultColumn[], requested: readonly number[] = [], timeZone = 'UTC'): EncodedColumns {
  const types = columns.map(columnType);
  const formats = types.map((t, i) => {
    const want = requested.length === 0 ? 0 : requested.length === 1 ? requested[0]! : (requested[i] ?? 0);
    return want === 1 && hasBinaryFormat(t.oid) ? 1 : 0;
  });
  return { types, formats, timeZone };
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
    if (encoded.formats[i] === 1) return binaryOf(v, t.oid);
    const text = textOf(v, t.oid, encoded.timeZone);
    return text === null ? null : Buffer.from(text, 'utf8');
  });
  return dataRow(values);
}

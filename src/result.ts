/**
 * What running one statement produces, whoever runs it (catalog statements, SQL over Cloud
 * Control, engine-only SQL) and whoever renders it (cli/format.ts, server/).
 */
import type { SqlType } from './catalog/types.js';

export interface ResultColumn {
  name: string;
  /** The SQL type, coarsely (json and jsonb are both `jsonb`), for renderers. */
  type: SqlType | 'integer' | 'numeric' | 'timestamp' | 'date' | 'unknown';
  /**
   * The PostgreSQL type OID exactly as the engine reported it (114 json vs 3802 jsonb, 1114
   * timestamp vs 1184 timestamptz, 21/23/20 int2/int4/int8, 1700 numeric, arrays such as 1009
   * text[], 2950 uuid, 17 bytea…). Columns made outside the engine (SHOW, EXPLAIN, dry runs)
   * may leave it out: columnType() in pg-types.ts derives one from `type`.
   */
  typeOid?: number;
  /** The type modifier (pg_attribute.atttypmod): varchar(10) → 14, numeric(10,2) → 655366; -1 for none. */
  typeModifier?: number;
  /** pg_type.typlen: 4 for int4, 8 for int8, -1 for variable-length types. */
  typeSize?: number;
}


/**
 * Cell values: string, number, bigint (int8), boolean, null, Date (timestamptz), Uint8Array
 * (bytea), an array (PostgreSQL arrays of the built-in types), or a parsed JSON value for json
 * and jsonb. numeric, uuid, interval and the other types are their PostgreSQL text.
 *
 * `timestamp` (without time zone) and `date` values are strings in PostgreSQL's own text form
 * (`2024-01-02 03:04:05`, `2024-01-02`): a Date would stand for an instant, and turning a
 * wall-clock time into one makes it depend on the machine's time zone. A `timestamptz` is a Date
 * unless a Date cannot hold it exactly (microseconds, `infinity`, years BC or past 9999); then it
 * is its PostgreSQL text in UTC (`2024-01-02 03:04:05.123456+00`).
 */
export type Cell = string | number | bigint | boolean | null | Date | object;

/**
 * A timestamptz as PostgreSQL writes it with TimeZone UTC (`2024-01-02 03:04:05.5+00`):
 * fractional seconds without trailing zeros, `BC` after years before 1. `extraDigits` are
 * fractional digits past the milliseconds a Date holds.
 */
export function timestamptzText(d: Date, extraDigits = ''): string {
  if (Number.isNaN(d.getTime())) return 'invalid date';
  const two = (n: number): string => String(n).padStart(2, '0');
  const year = d.getUTCFullYear();
  const bc = year < 1;
  const frac = `${String(d.getUTCMilliseconds()).padStart(3, '0')}${extraDigits}`.replace(/0+$/, '');
  return (
    `${String(bc ? 1 - year : year).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${frac ? `.${frac}` : ''}+00${bc ? ' BC' : ''}`
  );
}

export interface RowsResult {
  kind: 'rows';
  columns: ResultColumn[];
  rows: Cell[][];
  /** Postgres command tag, e.g. `SELECT 3`. */
  command: string;
}

export interface CommandResult {
  kind: 'command';
  /** Postgres command tag, e.g. `INSERT 0 2`, `DELETE 1`. */
  command: string;
}

export type StatementResult = RowsResult | CommandResult;

/** Something the user should know that is not an error: goes to stderr / a wire NOTICE. */
export interface Notice {
  severity: 'NOTICE' | 'WARNING' | 'INFO';
  message: string;
  hint?: string;
}

export interface Progress {
  done: number;
  total: number;
  /** e.g. "GetResource aws.ivs.stages" */
  label: string;
}

export interface RunHooks {
  onNotice?: (n: Notice) => void;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

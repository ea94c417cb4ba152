/**
 * What running one statement produces, whoever runs it (catalog statements, SQL over Cloud
 * Control, engine-only SQL) and whoever renders it (cli/format.ts, server/).
 */
import type { SqlType } from './catalog/types.js';

export interface ResultColumn {
  name: string;
  /** The SQL type, so that renderers and the wire protocol can pick a format/OID. */
  type: SqlType | 'integer' | 'numeric' | 'unknown';
}

/**
 * Cell values: string, number, bigint (int8), boolean, null, Date (timestamptz), or a parsed
 * JSON value (object/array) for jsonb.
 */
export type Cell = string | number | bigint | boolean | null | Date | object;

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

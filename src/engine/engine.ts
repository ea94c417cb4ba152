/**
 * The SQL engine seam. Every query ccql answers runs in a real PostgreSQL dialect engine: rows
 * fetched from Cloud Control are materialized into temporary tables and the user's own SQL runs
 * over them. The default implementation is PGlite (Postgres in WASM, in-process); the seam is
 * there so that a server-backed implementation (`pg` against a real PostgreSQL) can follow.
 * Nothing outside src/engine/ imports an engine library.
 */
import type { SqlType } from '../catalog/types.js';
import { CcqlError, type CcqlErrorOptions } from '../errors.js';
import type { Cell, Notice, ResultColumn } from '../result.js';

export interface EngineColumn {
  /** Lower-case column name. */
  name: string;
  type: SqlType;
}

export interface QueryOutcome {
  columns: ResultColumn[];
  rows: Cell[][];
  /** The Postgres command tag, e.g. `SELECT 3`, `CREATE TABLE`, `INSERT 0 1`. */
  command: string;
  /** True when the statement returns rows (a query, or DML with RETURNING). */
  returnsRows: boolean;
}

export interface QueryOptions {
  onNotice?: ((n: Notice) => void) | undefined;
}

export interface Engine {
  /**
   * Creates a temporary table `name` with `columns` (replacing one of that name) and loads
   * `rows` (objects keyed by column name) in one statement.
   */
  materialize(name: string, columns: readonly EngineColumn[], rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  /** Runs one statement. Errors are EngineErrors carrying the position in `sql`. */
  query(sql: string, options?: QueryOptions): Promise<QueryOutcome>;
  /** Drops temporary tables (missing ones are ignored). */
  drop(names: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** An error the engine reported, with the 0-based offset in the SQL it was given (if any). */
export class EngineError extends CcqlError {
  constructor(
    message: string,
    readonly position: number | undefined,
    options: CcqlErrorOptions,
  ) {
    super('engine', message, options);
  }
}

export interface EngineOptions {
  /** Where the pre-initialized data directory is cached (default $CCQL_HOME/cache). */
  cacheDir?: string;
}

/** Opens the default engine (PGlite). */
export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  const { openPglite } = await import('./pglite.js');
  return openPglite(options);
}

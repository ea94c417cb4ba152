/**
 * The messages between the embedded engine (pglite.ts, in the main thread) and its worker
 * thread (pglite-worker.ts, which owns the PGlite instance). Plain data: they cross
 * postMessage.
 */
import type { FieldDescription } from './values.js';

export interface WorkerInit {
  cacheDir: string;
  /** The image file (the main thread reads it): see pglite-image.ts. */
  imageFile: string;
  /** An Int32Array over it: flag i set cancels item i of the batch in flight. */
  cancel: SharedArrayBuffer;
  startParams: string[];
}

/**
 * The first message to the worker: the compiled WASM module (compiled by the main thread while
 * the worker boots) and the cached image read from disk (transferred, not copied), if any.
 */
export interface WorkerAssets {
  type: 'assets';
  module?: unknown;
  image?: ArrayBuffer | undefined;
  /** Why the main thread could not compile the module (the worker then compiles it itself). */
  compileError?: string;
}

export interface Step {
  sql: string;
  params?: string[] | undefined;
}

/** One statement of a batch: its steps, and the handover to its session it needs first, if any. */
export interface BatchItem {
  op: number;
  session: number;
  steps: Step[];
  /**
   * Hands the backend from `from` (none when undefined) to `to` first, unless `from` holds state
   * that cannot be saved (an open transaction, temporary tables…): then neither this item nor
   * any after it runs, and the reply says what `from` holds.
   */
  switch?: {
    from: number | undefined;
    to: number;
    /**
     * Whether `from` may have changed settings since it took the backend (a statement that
     * mentions SET, RESET, DISCARD or set_config): only then are they read again.
     */
    fromChangedSettings: boolean;
    /** Whether the outgoing session may hold what a switch cannot carry; when not, the check is skipped. */
    fromMayHold: boolean;
  };
}

export type WorkerRequest =
  /**
   * Runs `items` in order, each after its handover. Item i is cancelled by flag i of the shared
   * cancel array: before it starts, it is skipped (its handover still made); while it runs, it
   * is interrupted.
   */
  | { type: 'batch'; op: number; items: BatchItem[] }
  /** Ends `session`: rolls back and discards its state if it owns the backend, forgets its settings. */
  | { type: 'end'; op: number; session: number; owner: boolean };

export interface RunResult {
  /** Present when the last statement returns rows (a RowDescription came). */
  fields?: FieldDescription[];
  rows: Array<Array<string | null>>;
  /** Instead of `rows`, as they cross to the main thread: see packRows. */
  packed?: PackedRows;
  command: string;
}

/**
 * Rows as one string: the cells in order, joined by NUL, which text values never hold (Postgres
 * refuses it in text), with the indexes of the NULL cells. Copying one string across threads is
 * several times cheaper than copying an array per row and a string per cell (20,000 rows of 7
 * columns: 80 ms).
 */
export interface PackedRows {
  cells: string;
  nulls: number[];
  count: number;
}

/** `result` ready to post: its rows packed, unless a cell holds a NUL after all. */
export function packRows(result: RunResult): RunResult {
  const width = result.fields?.length ?? 0;
  if (result.rows.length < 2 || width === 0) return result;
  const flat: string[] = [];
  const nulls: number[] = [];
  for (const row of result.rows) {
    for (const cell of row) {
      if (cell === null) nulls.push(flat.length);
      else if (cell.includes('\0')) return result;
      flat.push(cell ?? '');
    }
  }
  return { ...result, rows: [], packed: { cells: flat.join('\0'), nulls, count: result.rows.length } };
}

/** The rows of a posted result. */
export function unpackRows(result: RunResult): Array<Array<string | null>> {
  const packed = result.packed;
  if (!packed) return result.rows;
  const width = result.fields?.length ?? 0;
  const flat: Array<string | null> = packed.cells.split('\0');
  for (const i of packed.nulls) flat[i] = null;
  const rows: Array<Array<string | null>> = new Array(packed.count);
  for (let r = 0; r < packed.count; r++) rows[r] = flat.slice(r * width, (r + 1) * width);
  return rows;
}

export interface ErrorInfo {
  message: string;
  code?: string | undefined;
  position?: string | undefined;
  hint?: string | undefined;
  detail?: string | undefined;
}

/** How a job's steps went (skipped: cancelled before it started). */
export type RunReply = { type: 'done'; op: number; result: RunResult } | { type: 'failed'; op: number; error: ErrorInfo } | { type: 'skipped'; op: number };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'start-failed'; message: string }
  | { type: 'notice'; op: number; severity?: string | undefined; message?: string | undefined; hint?: string | undefined }
  | RunReply
  /**
   * How each item went, in order; `refused`: the handover of the item after the last one in
   * `results` was refused, and that item and the rest did not run.
   */
  | { type: 'batched'; op: number; results: RunReply[]; refused?: { holds: string[] } }
  | { type: 'ended'; op: number };

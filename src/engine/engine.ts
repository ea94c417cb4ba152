/**
 * The SQL engine seam. Every query ccql answers runs in a real PostgreSQL dialect engine: rows
 * fetched from Cloud Control are materialized into temporary tables and the user's own SQL runs
 * over them.
 *
 * One engine is opened per process and target (a SharedEngine: the embedded PGlite, or a
 * PostgreSQL server named by `--engine postgres://…`), started on first use and shared; it hands
 * out EngineSessions. Each ccql Session (a CLI run, a shell, a wire connection) has its own
 * engine session: its temporary tables, settings (SET), transaction, notices and cancellation
 * are its own and invisible to every other session. How each engine achieves that, and its
 * limits, is described in pglite.ts and postgres.ts (and docs/engine.md).
 *
 * Nothing outside src/engine/ imports an engine library; src/engine/ imports nothing from exec/,
 * cli/ or server/.
 */
import type { SqlType } from '../catalog/types.js';
import { CcqlError, SQLSTATE, type CcqlErrorOptions } from '../errors.js';
import type { Cell, Notice, ResultColumn } from '../result.js';
import { imageCached } from './pglite-image.js';

export interface EngineColumn {
  /** Lower-case column name. */
  name: string;
  type: SqlType;
}

export interface QueryOutcome {
  /** Each column with the type OID, modifier and size the engine reported. */
  columns: ResultColumn[];
  rows: Cell[][];
  /** The Postgres command tag, e.g. `SELECT 3`, `CREATE TABLE`, `INSERT 0 1`. */
  command: string;
  /** True when the statement returns rows (a query, or DML with RETURNING). */
  returnsRows: boolean;
}

export interface QueryOptions {
  /** The statement's notices, as the engine sends them (before the outcome settles). */
  onNotice?: ((n: Notice) => void) | undefined;
  /**
   * Cancels the statement: a waiting one never starts, a running one is interrupted the way a
   * Postgres cancel request interrupts it (SQLSTATE 57014, "canceling statement due to user
   * request"); the session stays usable.
   */
  signal?: AbortSignal | undefined;
}

/** One session on a shared engine: what a ccql Session runs its statements in. */
export interface EngineSession {
  /**
   * Creates a temporary table `name` with `columns` (replacing one of that name) and loads
   * `rows` (objects keyed by column name) in one statement.
   */
  materialize(name: string, columns: readonly EngineColumn[], rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  /** Runs one statement. Errors are EngineErrors carrying the position in `sql`. */
  query(sql: string, options?: QueryOptions): Promise<QueryOutcome>;
  /** Drops temporary tables (missing ones are ignored). */
  drop(names: readonly string[]): Promise<void>;
  /** Ends the session: rolls back its transaction, drops its tables, forgets its settings. */
  close(): Promise<void>;
}

/** The name exec/ knows an engine session by. */
export type Engine = EngineSession;

/** The engine of one target, opened once per process and shared by every session. */
export interface SharedEngine {
  /** For messages: "the embedded engine (PGlite)" or the server's URL without its password. */
  readonly label: string;
  /** Starts the engine (if it is not started yet) without opening a session. */
  start(): Promise<void>;
  openSession(): Promise<EngineSession>;
  /** Closes every session and the engine itself; the next openSession starts it again. */
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
  /**
   * Which engine: a `postgres://` (or `postgresql://`) URL for a PostgreSQL server, `pglite`
   * or nothing for the embedded engine.
   */
  url?: string | undefined;
  /** Where the embedded engine's pre-initialized data directory is cached (default $CCQL_HOME/cache). */
  cacheDir?: string | undefined;
}

export type EngineTarget = { kind: 'pglite' } | { kind: 'postgres'; url: string; label: string };

/**
 * Checks an engine URL given by `source` (`--engine`, `CCQL_ENGINE`): a usage error for
 * anything that is not `pglite` or a postgres:// URL. Messages never show the password.
 */
export function parseEngineTarget(text: string | undefined, source = '--engine'): EngineTarget {
  const value = text?.trim();
  if (value === undefined || value === '' || value.toLowerCase() === 'pglite') return { kind: 'pglite' };
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
    throw new CcqlError('usage', `${source}: '${parsed ? redactUrl(value) : '…'}' is not a postgres:// URL`, {
      hint: 'for example --engine postgres://user@localhost:5432/ccql, or --engine pglite for the embedded engine',
    });
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new CcqlError('usage', `${source}: '${redactUrl(value)}' names no host`, { hint: 'for example postgres://user@localhost:5432/ccql' });
  }
  return { kind: 'postgres', url: value, label: redactUrl(value) };
}

/**
 * The engine the command line asks for: `--engine` when given, else CCQL_ENGINE; the URL of a
 * PostgreSQL server, or undefined for the embedded engine. Usage errors name the source.
 */
export function engineUrlFrom(flag: string | undefined, env: Record<string, string | undefined> = process.env): string | undefined {
  const target = flag !== undefined ? parseEngineTarget(flag, '--engine') : parseEngineTarget(env.CCQL_ENGINE, 'CCQL_ENGINE');
  return target.kind === 'postgres' ? target.url : undefined;
}

/** `url` without its password (in the user part or a `password=` parameter), for messages. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1@');
  }
  parsed.password = '';
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass/i.test(key)) parsed.searchParams.delete(key);
  }
  return parsed.toString();
}

const engines = new Map<string, SharedEngine>();

/** The shared engine of `options`' target, made (not started) on first call. */
export function sharedEngine(options: EngineOptions = {}): SharedEngine {
  const target = parseEngineTarget(options.url);
  const key = target.kind === 'postgres' ? `postgres ${target.url}` : `pglite ${options.cacheDir ?? ''}`;
  let engine = engines.get(key);
  if (!engine) {
    const made = target.kind === 'postgres' ? lazyEngine(target.label, async () => (await import('./postgres.js')).postgresEngine(target)) : lazyEngine('the embedded engine (PGlite)', async () => (await import('./pglite.js')).pgliteEngine(options));
    engines.set(key, made);
    engine = made;
  }
  return engine;
}

/** Opens a session on the shared engine of `options`' target (starting the engine if need be). */
export async function openEngine(options: EngineOptions = {}): Promise<EngineSession> {
  return sharedEngine(options).openSession();
}

/**
 * Starts the shared engine of `options`' target without waiting for it, so that it is ready
 * when the first statement needs it. A failure shows when a session is opened.
 */
export function warmEngine(options: EngineOptions = {}): void {
  sharedEngine(options)
    .start()
    .catch(() => undefined);
}

/**
 * Whether starting the engine of `options`' target will first build the embedded engine's data
 * directory: once per PGlite version, a few seconds that a front end should announce.
 */
export function engineSetupPending(options: EngineOptions = {}): boolean {
  return parseEngineTarget(options.url).kind === 'pglite' && !imageCached(options.cacheDir);
}

/** Closes every shared engine of this process (tests, a server shutting down). */
export async function closeEngines(): Promise<void> {
  const all = [...engines.values()];
  engines.clear();
  await Promise.all(all.map((e) => e.close().catch(() => undefined)));
}

/** A SharedEngine whose implementation (and its engine library) is loaded on first use. */
function lazyEngine(label: string, load: () => Promise<SharedEngine>): SharedEngine {
  let started: Promise<SharedEngine> | undefined;
  const loaded = (): Promise<SharedEngine> => {
    started ??= load();
    // A failed load is retried by the next session rather than remembered forever.
    started.catch(() => {
      started = undefined;
    });
    return started;
  };
  return {
    label,
    start: async () => (await loaded()).start(),
    openSession: async () => (await loaded()).openSession(),
    close: async () => {
      const s = started;
      started = undefined;
      if (s) await (await s.catch(() => undefined))?.close();
    },
  };
}

/** What engines report about an error (PGlite's and pg's DatabaseError both have these). */
export interface EngineErrorFields {
  message?: string;
  code?: string;
  position?: string | number;
  hint?: string;
  detail?: string;
}

/** An engine's error as an EngineError (0-based position in the statement). */
export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const err = (e ?? {}) as EngineErrorFields;
  const pos = err.position === undefined || err.position === '' ? undefined : Number(err.position) - 1;
  return new EngineError(err.message ?? String(e), Number.isFinite(pos) ? pos : undefined, {
    sqlstate: err.code ?? SQLSTATE.internal_error,
    ...(err.hint ? { hint: err.hint } : {}),
    ...(err.detail ? { details: [err.detail] } : {}),
    cause: e,
  });
}

/** The error for a statement cancelled before the engine started it. */
export function cancelledBeforeStart(signal: AbortSignal): CcqlError {
  const reason: unknown = signal.reason;
  return reason instanceof CcqlError ? reason : new CcqlError('cancelled', 'statement cancelled');
}

/** A Notice from an engine's notice message (severity NOTICE unless WARNING or INFO). */
export function toNotice(n: { severity?: string | undefined; message?: string | undefined; hint?: string | undefined }): Notice {
  const severity = n.severity === 'WARNING' ? 'WARNING' : n.severity === 'INFO' ? 'INFO' : 'NOTICE';
  return { severity, message: n.message ?? '', ...(n.hint ? { hint: n.hint } : {}) };
}

/**
 * The engine on a PostgreSQL server (`--engine postgres://user@host:5432/db`, or CCQL_ENGINE),
 * through `pg`. One pool per process and URL; each engine session holds one connection of it
 * for its whole life, so its temporary tables (the materialized rows), settings and transaction
 * are that connection's own, isolated by PostgreSQL itself, and sessions run concurrently.
 * A closed session's connection goes back to the pool after ROLLBACK and DISCARD ALL.
 *
 * ccql's functions (functions.ts) live in the schema `ccql`, installed by the first session of
 * a process that finds them missing or older than FUNCTIONS_VERSION, inside a transaction
 * holding an advisory lock, so that several ccql processes sharing a server never race. The
 * search_path of every connection ("$user", public, ccql) is set in its startup packet, so
 * RESET ALL and DISCARD ALL keep it.
 *
 * Values come back as text and are parsed by values.ts, exactly as the embedded engine's are.
 * A cancelled statement gets a real cancel request (the protocol's CancelRequest, on a
 * connection of its own); if the server does not answer it within `hardCancelMs`, the
 * connection is closed. Every error that is not the statement's names the server by its URL
 * without the password.
 */
import { connect as netConnect, type Socket } from 'node:net';
import pg from 'pg';
import { CcqlError } from '../errors.js';
import { cancelledBeforeStart, toEngineError, toNotice, type EngineColumn, type EngineSession, type QueryOptions, type QueryOutcome, type SharedEngine } from './engine.js';
import { FUNCTIONS_SQL, FUNCTIONS_VERSION, SEARCH_PATH } from './functions.js';
import { dropStatement, materializeStatements, type LoadStatement } from './load.js';
import { parseRows, resultColumn, type FieldDescription } from './values.js';

/** The oldest server ccql runs on: the functions use anycompatible (13). */
const MIN_SERVER_VERSION = 130000;
/** pg_advisory_xact_lock key under which the functions are installed ('ccql' in ASCII). */
const INSTALL_LOCK = 0x6363716c;

/** Every value as the server's text: values.ts parses them, the same way for both engines. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export interface PostgresEngineOptions {
  /** Most connections (so sessions) at once (default 100). */
  maxConnections?: number;
  /** How long a cancelled statement may take to stop before its connection is closed (default 5 s). */
  hardCancelMs?: number;
}

export function postgresEngine(target: { url: string; label: string }, options: PostgresEngineOptions = {}): SharedEngine {
  return new PostgresEngine(target.url, target.label, options);
}

/** The parts of pg's Client used here that its types leave out. */
interface ClientInternals {
  processID: number | null;
  secretKey: number | null;
  host: string;
  port: number;
  connection: { on(event: string, fn: (msg: { text?: string }) => void): void; stream?: Socket };
}

class PostgresEngine implements SharedEngine {
  private readonly pool: pg.Pool;
  private prepared: Promise<void> | undefined;
  private readonly sessions = new Set<PostgresSession>();
  readonly hardCancelMs: number;

  constructor(
    url: string,
    readonly label: string,
    options: PostgresEngineOptions,
  ) {
    this.hardCancelMs = options.hardCancelMs ?? 5_000;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 100,
      idleTimeoutMillis: 10_000,
      // pg reads connect_timeout from the URL but does not enforce it: this does.
      connectionTimeoutMillis: connectTimeoutMs(url),
      allowExitOnIdle: true,
      keepAlive: true,
      application_name: 'ccql',
      // Values from the URL (options=…, application_name=…) take precedence over these.
      // The same session defaults as the embedded engine's. (Spaces in a startup option are
      // escaped with a backslash.)
      options: [`search_path=${SEARCH_PATH}`, 'TimeZone=UTC', 'DateStyle=ISO,MDY', 'IntervalStyle=postgres'].map((o) => `-c ${o.replace(/ /g, '\\ ')}`).join(' '),
      types: RAW_TYPES,
    });
    // An idle connection that breaks (the server restarted) is dropped by the pool; without a
    // listener its error would end the process.
    this.pool.on('error', () => undefined);
  }

  /** Opens the first connection and checks the server (version, functions) ahead of time. */
  async start(): Promise<void> {
    const client = await this.connect();
    try {
      await this.prepareOnce(client);
      client.release();
    } catch (e) {
      client.release(true);
      throw e;
    }
  }

  async openSession(): Promise<EngineSession> {
    const client = await this.connect();
    try {
      await this.prepareOnce(client);
    } catch (e) {
      client.release(true);
      throw e;
    }
    const session = new PostgresSession(this, client);
    this.sessions.add(session);
    return session;
  }

  private prepareOnce(client: pg.PoolClient): Promise<void> {
    if (!this.prepared) {
      const p = this.prepare(client);
      // A failed check is made again by the next session (the server may have come up).
      p.catch(() => this.prepared === p && (this.prepared = undefined));
      this.prepared = p;
    }
    return this.prepared;
  }

  async close(): Promise<void> {
    for (const s of [...this.sessions]) await s.close();
    await this.pool.end().catch(() => undefined);
  }

  forget(session: PostgresSession): void {
    this.sessions.delete(session);
  }

  /** A connection of the pool, or an error that says which server and why, without the password. */
  async connect(): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw connectError(this.label, e);
    }
    return client;
  }

  /** Once per process: the server's version, and ccql's functions in the schema ccql. */
  private async prepare(client: pg.PoolClient): Promise<void> {
    try {
      const v = await client.query<[string, string]>({ text: `SELECT current_setting('server_version_num'), current_setting('server_version')`, rowMode: 'array' });
      const [num, text] = v.rows[0] ?? ['0', 'unknown'];
      checkServerVersion(Number(num), text, this.label);
      if ((await installedVersion(client)) >= FUNCTIONS_VERSION) return;
      await client.query('BEGIN');
      try {
        await client.query({ text: 'SELECT pg_advisory_xact_lock($1)', values: [INSTALL_LOCK] });
        // Another process may have installed them while this one waited for the lock.
        if ((await installedVersion(client)) < FUNCTIONS_VERSION) await client.query(FUNCTIONS_SQL);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } catch (e) {
      if (e instanceof CcqlError) throw e;
      const err = toEngineError(e);
      throw new CcqlError('engine', `cannot install ccql's functions in ${this.label}: ${err.message}`, {
        sqlstate: err.sqlstate,
        hint:
          err.sqlstate === '42501'
            ? 'the role needs CREATE on the database once, to make the schema ccql (or have an administrator run ccql against it once); after that USAGE on the schema is enough'
            : 'ccql installs json_extract and its other functions in the schema ccql of the database',
        cause: e,
      });
    }
  }
}

/** A CcqlError unless the server (version_num as in server_version_num) is PostgreSQL 13 or later. */
export function checkServerVersion(versionNum: number, version: string, label: string): void {
  if (versionNum >= MIN_SERVER_VERSION) return;
  throw new CcqlError('engine', `the engine at ${label} runs PostgreSQL ${version}; ccql needs PostgreSQL 13 or later`, {
    sqlstate: '0A000',
    hint: 'upgrade the server, or leave out --engine (and CCQL_ENGINE) to use the embedded engine',
  });
}

/** The version of ccql's functions installed in the database (0: none). */
async function installedVersion(client: pg.PoolClient): Promise<number> {
  const r = await client.query<[string]>({ text: `SELECT to_regprocedure('ccql.version()') IS NOT NULL`, rowMode: 'array' });
  if (r.rows[0]?.[0] !== 't') return 0;
  const v = await client.query<[string]>({ text: 'SELECT ccql.version()', rowMode: 'array' });
  return Number(v.rows[0]?.[0] ?? 0);
}

class PostgresSession implements EngineSession {
  private client: pg.PoolClient | undefined;
  private closed = false;
  /** Why the connection broke (set by its 'error' event or a failed statement). */
  private broken: Error | undefined;
  private notice: QueryOptions['onNotice'];
  private tag = '';
  private sawRows = false;
  private active: Promise<unknown> | undefined;

  constructor(
    private readonly engine: PostgresEngine,
    client: pg.PoolClient,
  ) {
    this.attach(client);
  }

  private attach(client: pg.PoolClient): void {
    this.client = client;
    this.broken = undefined;
    client.on('notice', (n) => this.notice?.(toNotice(n)));
    client.on('error', (e) => {
      if (this.client === client) this.broken = e;
    });
    const con = (client as unknown as ClientInternals).connection;
    con.on('commandComplete', (msg) => {
      this.tag = msg.text ?? '';
    });
    con.on('rowDescription', () => {
      this.sawRows = true;
    });
  }

  async materialize(name: string, columns: readonly EngineColumn[], rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    for (const s of materializeStatements(name, columns, rows)) await this.run(s);
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryOutcome> {
    const r = await this.run({ sql }, options);
    const fields: FieldDescription[] = r.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID, typeModifier: f.dataTypeModifier, typeSize: f.dataTypeSize }));
    const returnsRows = r.sawRows;
    return {
      columns: returnsRows ? fields.map(resultColumn) : [],
      rows: returnsRows ? parseRows(fields, r.rows as Array<Array<string | null>>) : [],
      command: r.tag,
      returnsRows,
    };
  }

  async drop(names: readonly string[]): Promise<void> {
    const stmt = dropStatement(names);
    if (stmt) await this.run(stmt);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.engine.forget(this);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await this.active?.catch(() => undefined);
    if (this.broken) return client.release(true);
    this.notice = undefined;
    try {
      // Outside a transaction ROLLBACK only warns; DISCARD ALL drops the temporary tables,
      // resets the settings, closes cursors, releases advisory locks.
      await client.query('ROLLBACK');
      await client.query('DISCARD ALL');
      client.release();
    } catch {
      client.release(true);
    }
  }

  private async run(stmt: LoadStatement, options: QueryOptions = {}): Promise<pg.QueryArrayResult & { tag: string; sawRows: boolean }> {
    if (this.closed) throw new CcqlError('internal', 'the engine session is closed');
    if (options.signal?.aborted) throw cancelledBeforeStart(options.signal);
    if (!this.client || this.broken) {
      // The last statement lost the connection (and said so): this one gets a new one.
      this.client?.release(true);
      this.client = undefined;
      this.attach(await this.engine.connect());
    }
    const client = this.client!;
    this.notice = options.onNotice;
    this.tag = '';
    this.sawRows = false;
    let cancelTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      sendCancel(client as unknown as ClientInternals);
      cancelTimer = setTimeout(() => {
        // No answer to the cancel request: give up on the connection.
        (client as unknown as ClientInternals).connection.stream?.destroy();
      }, this.engine.hardCancelMs);
      cancelTimer.unref();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const running = client.query({ text: stmt.sql, values: stmt.params ?? [], rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
    this.active = running;
    try {
      const r = await running;
      return Object.assign(r, { tag: this.tag || fallbackTag(r), sawRows: this.sawRows });
    } catch (e) {
      // A FATAL error ends the connection (the server shut down, pg_terminate_backend…).
      if (isDatabaseError(e) && !/^(FATAL|PANIC)$/.test(String((e as { severity?: unknown }).severity))) throw toEngineError(e);
      this.broken ??= e instanceof Error ? e : new Error(String(e));
      throw new CcqlError('engine', `lost the connection to the engine at ${this.engine.label}: ${(e as Error).message ?? String(e)}`, {
        sqlstate: '08006',
        hint: 'the session’s temporary tables, settings and transaction are gone; the next statement opens a new connection',
        cause: e,
      });
    } finally {
      this.active = undefined;
      this.notice = undefined;
      options.signal?.removeEventListener('abort', onAbort);
      if (cancelTimer) clearTimeout(cancelTimer);
    }
  }
}

/** `connect_timeout=SECONDS` of the URL (libpq's), else 10 s; never unlimited, which could hang. */
function connectTimeoutMs(url: string): number {
  let seconds = Number.NaN;
  try {
    seconds = Number(new URL(url).searchParams.get('connect_timeout') ?? Number.NaN);
  } catch {
    // parseEngineTarget has checked the URL
  }
  return Number.isFinite(seconds) && seconds > 0 ? Math.max(1, seconds) * 1000 : 10_000;
}

/** An error the server sent (it has a SQLSTATE), as opposed to a broken connection. */
function isDatabaseError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && (e as { severity?: unknown }).severity !== undefined;
}

function fallbackTag(r: { command: string; rowCount: number | null; oid: number }): string {
  const count = r.rowCount ?? 0;
  switch (r.command) {
    case 'INSERT':
      return `INSERT ${r.oid ?? 0} ${count}`;
    case 'SELECT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'FETCH':
    case 'MOVE':
    case 'COPY':
      return `${r.command} ${count}`;
    default:
      return r.command ?? '';
  }
}

/** The protocol's CancelRequest for `client`'s backend, on a connection of its own. */
function sendCancel(client: ClientInternals): void {
  if (client.processID === null || client.secretKey === null) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4);
  packet.writeInt32BE(client.processID, 8);
  packet.writeInt32BE(client.secretKey, 12);
  const socket = client.host.startsWith('/') ? netConnect(`${client.host}/.s.PGSQL.${client.port}`) : netConnect(client.port, client.host);
  socket.on('connect', () => socket.end(packet));
  socket.on('error', () => undefined);
  socket.setTimeout(5_000, () => socket.destroy());
}

/** Why a connection to the server could not be made, naming the server without its password. */
function connectError(label: string, e: unknown): CcqlError {
  const err = (e ?? {}) as { code?: string; message?: string };
  const code = err.code ?? '';
  const message = err.message ?? String(e);
  let reason = message;
  let hint = 'check --engine (or CCQL_ENGINE): postgres://user[:password]@host[:port]/database';
  if (code === 'ECONNREFUSED') {
    reason = 'connection refused';
    hint = 'is PostgreSQL running there and listening on that port?';
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    reason = `unknown host (${code})`;
  } else if (code === '28P01' || code === '28000') {
    hint = 'check the user and password in the URL (or PGPASSWORD, ~/.pgpass) and the server’s pg_hba.conf';
  } else if (code === '3D000') {
    hint = 'create the database first (createdb), or name another one in the URL';
  } else if (/password must be a string|no password/i.test(message)) {
    reason = 'the server asks for a password and none was given';
    hint = 'put it in the URL (postgres://user:password@host/db), in PGPASSWORD or in ~/.pgpass';
  } else if (/timeout/i.test(message)) {
    reason = 'no answer in time (connection timeout)';
    hint = 'is the host reachable and the port right? (a connect_timeout=SECONDS parameter in the URL changes the wait)';
  }
  return new CcqlError('engine', `cannot connect to the engine at ${label}: ${reason}`, {
    sqlstate: /^[0-9A-Z]{5}$/.test(code) ? code : '08001',
    hint,
    cause: e,
  });
}

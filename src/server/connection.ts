/**
 * One client connection: the protocol's state machine from the first byte to Terminate.
 *
 *   startup   SSLRequest / GSSENCRequest / CancelRequest / StartupMessage (no type byte)
 *   auth      SCRAM-SHA-256 (SASLInitialResponse, SASLResponse) when a password is set
 *   ready     simple (Query) and extended (Parse/Bind/Describe/Execute/Close/Sync/Flush) queries
 *
 * Messages are handled one at a time in arrival order (clients pipeline the extended protocol).
 * Every failure becomes an ErrorResponse (error-fields.ts): an error in a statement ends that
 * statement, a protocol violation or a failed authentication is FATAL and closes the connection.
 * Nothing a client sends can throw out of here.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { CcqlError, toCcqlError } from '../errors.js';
import type { Session } from '../exec/session.js';
import type { Notice, StatementResult } from '../result.js';
import { splitScript, type StatementText } from '../sql/split.js';
import { StatementCache } from '../sql/statement-cache.js';
import { quoteIdent } from '../sql/quote.js';
import { EngineCatalog } from './catalog-schemas.js';
import { describeStatement } from './describe.js';
import { errorFields, noticeFields, type ErrorPlace } from './error-fields.js';
import { ExtendedState, type Portal } from './extended.js';
import { dataRowOf, encodeColumns, rowDescriptionOf } from './result-encoder.js';
import { ScramExchange } from './scram.js';
import type { ServerContext } from './server-context.js';
import { startupParameters, startupSettings } from './startup.js';
import { StatementRunner } from './statement-runner.js';
import * as B from './wire/backend.js';
import { FrameReader, ProtocolViolation, type Frame } from './wire/frames.js';
import { readBind, readDescribeOrClose, readExecute, readParse, readQuery, readSaslInitial, readStartupPacket } from './wire/frontend.js';

type Phase = 'startup' | 'sasl-initial' | 'sasl-final' | 'ready' | 'closed';

/** Query strings split into statements, by their text (as clients repeat the same ones). */
const scripts = new StatementCache<readonly StatementText[]>();

function statementsOf(text: string): readonly StatementText[] {
  let statements = scripts.get(text);
  if (!statements) scripts.set(text, (statements = splitScript(text)));
  return statements;
}

/** Output is gathered and written in one piece at these sizes (and at every ReadyForQuery). */
const FLUSH_BYTES = 64 * 1024;

export class Connection {
  private socket: Socket;
  private readonly reader: FrameReader;
  private phase: Phase = 'startup';
  private tlsActive = false;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private out: Buffer[] = [];
  private outBytes = 0;
  private user = '';
  private params = new Map<string, string>();
  private scram: ScramExchange | undefined;
  private session: Session | undefined;
  private runner: StatementRunner | undefined;
  private readonly ext = new ExtendedState();
  private skipToSync = false;
  private admitted = false;
  /** BackendKeyData: the key a CancelRequest must present. */
  key: { pid: number; secret: number } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private startupTimer: NodeJS.Timeout | undefined;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);

  constructor(
    socket: Socket,
    private readonly ctx: ServerContext,
  ) {
    this.socket = socket;
    this.reader = new FrameReader(ctx.options.maxMessageBytes);
    socket.setNoDelay(true);
    this.attach(socket);
    // authentication_timeout: a connection that never finishes its startup is closed.
    this.startupTimer = setTimeout(() => this.fatal(new CcqlError('invalid_input', 'the connection did not complete its startup in time', { sqlstate: '08006' })), ctx.options.startupTimeoutMs);
    this.startupTimer.unref();
  }

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('error', () => this.closed());
    socket.on('close', () => this.closed());
  }

  private isClosed(): boolean {
    return this.phase === 'closed';
  }

  /** Cancels the running statement (a CancelRequest with this connection's key). */
  cancel(): void {
    this.runner?.cancel('user');
  }

  // ---- input ----------------------------------------------------------------------------

  private receive(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    this.reader.push(chunk);
    try {
      for (;;) {
        const frame = this.reader.next();
        if (!frame) break;
        if (this.reader.startup) {
          this.startupFrame(frame.body);
          if (this.isClosed()) return;
        } else this.enqueue(frame);
      }
    } catch (e) {
      this.fatal(e);
    }
    // A client that floods the server while a statement runs is slowed down by TCP.
    if (this.queued > 256) this.socket.pause();
  }

  private enqueue(frame: Frame): void {
    this.queued++;
    this.queue = this.queue.then(async () => {
      this.queued--;
      if (this.phase === 'closed') return;
      try {
        await this.handle(frame);
      } catch (e) {
        this.fatal(e);
      }
      if (this.queued <= 16 && this.socket.isPaused()) this.socket.resume();
    });
  }

  // ---- startup --------------------------------------------------------------------------

  private startupFrame(body: Buffer): void {
    const packet = readStartupPacket(body);
    switch (packet.kind) {
      case 'ssl': {
        if (this.tlsActive) throw new ProtocolViolation('SSLRequest on a connection that is already encrypted');
        // Bytes after the SSLRequest would be read as plaintext from before the handshake.
        if (this.reader.pending > 0) throw new ProtocolViolation('received unencrypted data after SSL request');
        if (!this.ctx.secureContext) {
          this.socket.write('N');
          return;
        }
        this.socket.write('S');
        this.upgrade();
        return;
      }
      case 'gssenc':
        this.socket.write('N');
        return;
      case 'cancel':
        this.ctx.cancel(packet.pid, packet.secret);
        this.phase = 'closed';
        this.socket.end();
        return;
      case 'startup':
        this.reader.startup = false;
        this.startup(packet.major, packet.minor, packet.params);
    }
  }

  private upgrade(): void {
    const raw = this.socket;
    raw.removeListener('data', this.onData);
    const tls = new TLSSocket(raw, { isServer: true, secureContext: this.ctx.secureContext! });
    this.socket = tls;
    this.tlsActive = true;
    this.attach(tls);
  }

  private startup(major: number, minor: number, params: Map<string, string>): void {
    if (major !== 3) {
      throw new CcqlError('not_supported', `unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`, { sqlstate: '0A000' });
    }
    const unknown = [...params.keys()].filter((k) => k.startsWith('_pq_.'));
    if (minor > 0 || unknown.length > 0) this.send(B.negotiateProtocolVersion(0, unknown));
    for (const k of unknown) params.delete(k);
    this.params = params;
    this.user = params.get('user') ?? '';
    if (this.ctx.options.tlsRequired && !this.tlsActive) {
      throw new CcqlError('invalid_input', `no encryption: this server accepts only TLS connections (user "${this.user}")`, {
        sqlstate: '28000',
        hint: 'connect with sslmode=require (or verify-full)',
      });
    }
    if (this.user === '') throw new CcqlError('invalid_input', 'no PostgreSQL user name specified in startup packet', { sqlstate: '28000' });
    if (!this.ctx.admit()) throw new CcqlError('invalid_input', 'sorry, too many clients already', { sqlstate: '53300' });
    this.admitted = true;
    const auth = this.ctx.options.auth;
    if (!auth) return this.authenticated();
    this.scram = new ScramExchange(this.user === auth.user ? auth.secret : undefined, this.user, this.ctx.mockKey);
    this.phase = 'sasl-initial';
    this.send(B.authenticationSasl(['SCRAM-SHA-256']));
    this.flush();
  }

  private authenticationFailed(): CcqlError {
    return new CcqlError('invalid_input', `password authentication failed for user "${this.user}"`, { sqlstate: '28P01' });
  }

  private sasl(frame: Frame): void {
    if (frame.type === 'X') return this.close();
    if (frame.type !== 'p') throw new ProtocolViolation(`expected SASL response, got message type ${frame.type.charCodeAt(0)}`);
    if (this.phase === 'sasl-initial') {
      const { mechanism, data } = readSaslInitial(frame.body);
      if (mechanism !== 'SCRAM-SHA-256') {
        throw new CcqlError('invalid_input', 'client selected an invalid SASL authentication mechanism', { sqlstate: '28000' });
      }
      this.send(B.authenticationSaslContinue(this.scram!.first(data.toString('utf8'))));
      this.phase = 'sasl-final';
      this.flush();
      return;
    }
    const verdict = this.scram!.final(frame.body.toString('utf8'));
    if (verdict === undefined) throw this.authenticationFailed();
    this.send(B.authenticationSaslFinal(verdict));
    this.authenticated();
  }

  private authenticated(): void {
    if (this.startupTimer) clearTimeout(this.startupTimer);
    this.startupTimer = undefined;
    const session = this.ctx.createSession();
    this.session = session;
    const reported = startupParameters(this.user, this.params, this.ctx.serverVersion);
    this.runner = new StatementRunner(
      {
        session,
        index: this.ctx.index,
        engineCatalog: new EngineCatalog(this.ctx.index),
        allowMutations: this.ctx.options.allowMutations,
        statementTimeoutMs: this.ctx.options.statementTimeoutMs,
        onNotice: (n: Notice) => this.send(B.noticeResponse(noticeFields(n))),
        onParameterStatus: (name, value) => this.send(B.parameterStatus(name, value)),
      },
      startupSettings(this.params),
      reported,
    );
    this.key = this.ctx.register(this);
    this.send(B.authenticationOk());
    for (const [name, value] of reported) this.send(B.parameterStatus(name, value));
    this.send(B.backendKeyData(this.key.pid, this.key.secret));
    this.phase = 'ready';
    this.readyForQuery();
  }

  // ---- messages -------------------------------------------------------------------------

  private async handle(frame: Frame): Promise<void> {
    this.touch();
    if (this.phase === 'sasl-initial' || this.phase === 'sasl-final') return this.sasl(frame);
    if (this.phase !== 'ready') return;
    const t = frame.type;
    // After an error in the extended protocol everything up to Sync is discarded (Terminate still ends).
    if (this.skipToSync && t !== 'S' && t !== 'X') return;
    try {
      switch (t) {
        case 'Q':
          return await this.simpleQuery(readQuery(frame.body));
        case 'P':
          return this.parse(frame.body);
        case 'B':
          this.ext.bind(readBind(frame.body));
          this.send(B.bindComplete());
          return;
        case 'D':
          return await this.describe(frame.body);
        case 'E':
          return await this.execute(frame.body);
        case 'C': {
          const { kind, name } = readDescribeOrClose(frame.body, 'Close');
          this.ext.close(kind, name);
          this.send(B.closeComplete());
          return;
        }
        case 'H':
          this.flush();
          return;
        case 'S':
          this.skipToSync = false;
          this.ext.sync(this.runner!.status !== 'I');
          return this.readyForQuery();
        case 'X':
          return this.close();
        case 'd':
        case 'c':
        case 'f':
          return; // CopyData/CopyDone/CopyFail outside COPY are ignored, as PostgreSQL does
        default:
          throw new ProtocolViolation(`invalid frontend message type ${t.charCodeAt(0)}`);
      }
    } catch (e) {
      if (e instanceof ProtocolViolation) throw e;
      this.send(B.errorResponse(errorFields(e, 'ERROR', this.place)));
      this.place = {};
      // After an error in the extended protocol everything up to Sync is skipped.
      this.skipToSync = true;
      this.flush();
    }
  }

  /** Where the statement being run came from, for error positions. */
  private place: ErrorPlace = {};

  private async simpleQuery(text: string): Promise<void> {
    const statements = statementsOf(text);
    if (statements.length === 0) this.send(B.emptyQueryResponse());
    for (const st of statements) {
      try {
        const result = await this.runner!.run(st.text, { line: st.line, column: st.column, offset: st.offset });
        await this.sendResult(result, undefined, true);
      } catch (e) {
        this.send(B.errorResponse(errorFields(e, 'ERROR', { text })));
        break;
      }
    }
    this.readyForQuery();
  }

  private parse(body: Buffer): void {
    const msg = readParse(body);
    const statements = statementsOf(msg.text);
    this.ext.parse(msg, statements.length === 0, statements.length > 1);
    this.send(B.parseComplete());
  }

  private async describe(body: Buffer): Promise<void> {
    const { kind, name } = readDescribeOrClose(body, 'Describe');
    if (kind === 'P') {
      // A cursor of DECLARE is a portal too (psycopg 3's server-side cursors describe it):
      // FETCH 0 gives its columns and moves nothing.
      if (name !== '' && !this.ext.has(name)) return this.describeCursor(name);
      const portal = this.ext.portal(name);
      if (portal.statement.empty) return void this.send(B.noData());
      const result = await this.runPortal(portal);
      if (result.kind === 'rows') this.send(rowDescriptionOf(result.columns, portal.encoded!));
      else this.send(B.noData());
      return;
    }
    const statement = this.ext.statement(name);
    const runner = this.runner!;
    statement.description ??= await describeStatement(statement.text, statement.slots, statement.paramTypes, {
      index: this.ctx.index,
      engineCatalog: runner.engineCatalog,
      run: (sql) => runner.internal(sql),
    });
    const d = statement.description;
    this.send(B.parameterDescription(d.params));
    if (d.columns === undefined || d.columns.length === 0) this.send(B.noData());
    else this.send(rowDescriptionOf(d.columns, encodeColumns(d.columns)));
  }

  private async describeCursor(name: string): Promise<void> {
    let result: StatementResult;
    try {
      result = await this.runner!.run(`FETCH 0 FROM ${quoteIdent(name)}`);
    } catch (e) {
      if (toCcqlError(e).sqlstate === '34000') throw new CcqlError('invalid_input', `portal "${name}" does not exist`, { sqlstate: '34000' });
      throw e;
    }
    if (result.kind === 'rows') this.send(rowDescriptionOf(result.columns, encodeColumns(result.columns, undefined, this.runner!.timeZone)));
    else this.send(B.noData());
  }

  private async execute(body: Buffer): Promise<void> {
    const { portal: name, maxRows } = readExecute(body);
    const portal = this.ext.portal(name);
    if (portal.statement.empty) return void this.send(B.emptyQueryResponse());
    const result = await this.runPortal(portal);
    if (result.kind !== 'rows') return void this.send(B.commandComplete(result.command));
    const end = maxRows > 0 ? Math.min(result.rows.length, portal.sent + maxRows) : result.rows.length;
    for (let i = portal.sent; i < end; i++) await this.sendData(dataRowOf(result.rows[i]!, portal.encoded!));
    portal.sent = end;
    if (end < result.rows.length) this.send(B.portalSuspended());
    else this.send(B.commandComplete(result.command));
  }

  /** Runs a portal's statement on its first Describe or Execute; later calls return the same result. */
  private async runPortal(portal: Portal): Promise<StatementResult> {
    if (portal.result) return portal.result;
    this.place = { text: portal.statement.text, originalOffset: portal.bound.originalOffset };
    const result = await this.runner!.run(portal.bound.text.replace(/;\s*$/, ''));
    this.place = {};
    portal.result = result;
    portal.encoded = encodeColumns(result.kind === 'rows' ? result.columns : [], portal.resultFormats, this.runner!.timeZone);
    return result;
  }

  private async sendResult(result: StatementResult, formats: readonly number[] | undefined, describe: boolean): Promise<void> {
    if (result.kind === 'rows') {
      const encoded = encodeColumns(result.columns, formats, this.runner!.timeZone);
      if (describe) this.send(rowDescriptionOf(result.columns, encoded));
      for (const row of result.rows) await this.sendData(dataRowOf(row, encoded));
    }
    this.send(B.commandComplete(result.command));
  }

  // ---- output ---------------------------------------------------------------------------

  private send(message: Buffer): void {
    if (this.phase === 'closed') return;
    this.out.push(message);
    this.outBytes += message.length;
  }

  /** A row: flushed in pieces, waiting while the client reads slower than rows come. */
  private async sendData(message: Buffer): Promise<void> {
    this.send(message);
    if (this.outBytes < FLUSH_BYTES) return;
    if (!this.flush() && this.phase !== 'closed') await new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  /** Writes what was gathered; false when the socket's buffer is full. */
  private flush(): boolean {
    if (this.out.length === 0 || this.phase === 'closed' || this.socket.destroyed) return true;
    const data = this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out, this.outBytes);
    this.out = [];
    this.outBytes = 0;
    return this.socket.write(data);
  }

  private readyForQuery(): void {
    this.send(B.readyForQuery(this.runner?.status ?? 'I'));
    this.flush();
    this.touch();
  }

  /** idle_session_timeout: restarted by every message. */
  private touch(): void {
    const ms = this.ctx.options.idleTimeoutMs;
    if (ms === undefined || this.phase !== 'ready') return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.runner?.busy || this.queued > 0) return this.touch();
      this.fatal(new CcqlError('invalid_input', 'terminating connection due to idle-session timeout', { sqlstate: '57P05' }));
    }, ms);
    this.idleTimer.unref();
  }

  // ---- the end --------------------------------------------------------------------------

  /** Sends a FATAL error and closes the connection. */
  private fatal(e: unknown): void {
    if (this.phase === 'closed') return;
    const err = toCcqlError(e);
    if (err.code === 'internal') this.ctx.log(`connection error: ${err.message}`);
    this.send(B.errorResponse(errorFields(err, 'FATAL')));
    this.flush();
    this.close();
  }

  private close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.socket.end();
    // A client that does not close its side is cut off.
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.closed();
  }

  private cleaned = false;

  /** Releases everything the connection holds, once, whichever way it ended. */
  private closed(): void {
    this.phase = 'closed';
    if (this.cleaned) return;
    this.cleaned = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.startupTimer) clearTimeout(this.startupTimer);
    this.runner?.cancel('disconnect');
    if (this.key) this.ctx.unregister(this.key.pid);
    if (this.admitted) this.ctx.release();
    const session = this.session;
    this.session = undefined;
    // The statement running now ends (its calls are aborted) before its engine goes away.
    void this.queue.finally(async () => {
      await session?.close().catch(() => undefined);
    });
    this.socket.destroy();
  }
}

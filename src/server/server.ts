/**
 * `ccql serve`: a PostgreSQL wire-protocol server over ccql Sessions, one Session per
 * connection. Listens on loopback unless told otherwise, and never beyond it without a
 * password; TLS when given a certificate.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Catalog } from '../catalog/loader.js';
import { CcqlError } from '../errors.js';
import type { Session } from '../exec/session.js';
import { ProviderSchemaIndex } from './catalog-schemas.js';
import { Connection } from './connection.js';
import { scramSecret } from './scram.js';
import type { Cancellable, ConnectionLimits, ServerContext } from './server-context.js';
import { SERVER_VERSION } from './startup.js';

export interface ServeOptions {
  host?: string;
  /** 0: any free port. */
  port?: number;
  auth?: { user: string; password: string };
  tls?: { cert: string | Buffer; key: string | Buffer; required?: boolean };
  allowMutations?: boolean;
  maxConnections?: number;
  maxMessageBytes?: number;
  statementTimeoutMs?: number;
  idleTimeoutMs?: number;
  startupTimeoutMs?: number;
  catalog: Catalog;
  /** Makes the Session of one connection. */
  createSession: () => Session;
  log?: (message: string) => void;
}

export interface RunningServer {
  host: string;
  port: number;
  /** Connections counted in now. */
  connections(): number;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 5444;
export const DEFAULT_MAX_CONNECTIONS = 100;
/** PostgreSQL accepts messages up to 1 GB; ccql's statements are small, and every byte is held in memory. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::ffff:127.0.0.1';
}

/** Usage errors in the options, before anything listens. */
export function checkServeOptions(o: Pick<ServeOptions, 'host' | 'auth' | 'tls'>): void {
  const host = o.host ?? '127.0.0.1';
  if (!isLoopback(host) && !o.auth) {
    throw new CcqlError('usage', `refusing to listen on ${host} without a password`, {
      hint: 'anyone who can reach the port could query (and with --allow-mutations change) your AWS resources: give --user U --password P (or --password-file F), or listen on 127.0.0.1',
    });
  }
  if (o.tls?.required && !o.tls.cert) throw new CcqlError('usage', '--tls-required needs --tls-cert and --tls-key');
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  checkServeOptions(o);
  const host = o.host ?? '127.0.0.1';
  let secureContext: SecureContext | undefined;
  if (o.tls) {
    try {
      secureContext = createSecureContext({ cert: o.tls.cert, key: o.tls.key });
    } catch (e) {
      throw new CcqlError('usage', `cannot use the TLS certificate and key: ${(e as Error).message}`, { cause: e });
    }
  }
  const limits: ConnectionLimits = {
    auth: o.auth ? { user: o.auth.user, secret: scramSecret(o.auth.password) } : undefined,
    tlsRequired: o.tls?.required ?? false,
    allowMutations: o.allowMutations ?? false,
    maxMessageBytes: o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    statementTimeoutMs: o.statementTimeoutMs,
    idleTimeoutMs: o.idleTimeoutMs,
    startupTimeoutMs: o.startupTimeoutMs ?? 60_000,
  };
  const maxConnections = o.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  let admitted = 0;
  const keys = new Map<number, { secret: number; connection: Cancellable }>();
  const log = o.log ?? (() => {});
  const ctx: ServerContext = {
    options: limits,
    secureContext,
    index: new ProviderSchemaIndex(o.catalog),
    serverVersion: SERVER_VERSION,
    mockKey: randomBytes(32),
    createSession: o.createSession,
    admit: () => {
      if (admitted >= maxConnections) return false;
      admitted++;
      return true;
    },
    release: () => {
      admitted--;
    },
    register: (connection) => {
      let pid: number;
      do pid = randomInt(1, 2 ** 31 - 1);
      while (keys.has(pid));
      const secret = randomInt(-(2 ** 31), 2 ** 31 - 1);
      keys.set(pid, { secret, connection });
      return { pid, secret };
    },
    unregister: (pid) => {
      keys.delete(pid);
    },
    cancel: (pid, secret) => {
      const k = keys.get(pid);
      if (k && k.secret === secret) k.connection.cancel();
    },
    log,
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    try {
      new Connection(socket, ctx);
    } catch (e) {
      log(`cannot start a connection: ${(e as Error).message}`);
      socket.destroy();
    }
  });
  server.maxConnections = Math.max(maxConnections * 2, maxConnections + 64);
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(
        new CcqlError('usage', `cannot listen on ${host}:${o.port ?? DEFAULT_PORT}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`, {
          hint: e.code === 'EADDRINUSE' ? 'choose another with --port' : undefined,
          cause: e,
        }),
      );
    };
    server.once('error', onError);
    server.listen(o.port ?? DEFAULT_PORT, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (e) => log(`server error: ${e.message}`));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (o.port ?? DEFAULT_PORT);
  return {
    host,
    port,
    connections: () => admitted,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

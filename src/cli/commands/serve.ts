/**
 * `ccql serve`: a PostgreSQL wire-protocol server, so that psql, drivers and BI tools query
 * AWS resources through ccql (docs/server.md). Runs in the foreground until Ctrl-C or SIGTERM.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CcqlError } from '../../errors.js';
import { numberFlag } from '../flags.js';
import { checkConnectionFlags, connect, type ConnectionFlags } from '../connection.js';

interface Flags extends ConnectionFlags {
  engine?: string;
  host: string;
  port: string;
  user?: string;
  password?: string;
  passwordFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsRequired?: boolean;
  allowMutations?: boolean;
  maxConnections: string;
  maxMessageSize: string;
  statementTimeout?: string;
  idleTimeout?: string;
  quiet?: boolean;
}

function readSecretFile(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CcqlError('usage', `${flag}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve SQL over the PostgreSQL wire protocol (psql, JDBC, psycopg, BI tools)')
    .option('--local', 'use the built-in emulator with demo data (state kept in $CCQL_HOME/local)')
    .option('--endpoint-url <url>', 'Cloud Control endpoint, e.g. a running `ccql emulator` (env: CCQL_ENDPOINT_URL)')
    .option('--region <region>', 'region for statements that name none')
    .option('--engine <url>', 'run the SQL on a PostgreSQL server (postgres://…) instead of the embedded engine (env: CCQL_ENGINE)')
    .option('--host <host>', 'address to listen on (beyond loopback only with a password)', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '5444')
    .option('--user <user>', 'the user name clients log in with (with --password)')
    .option('--password <password>', 'require SCRAM-SHA-256 authentication with this password')
    .option('--password-file <file>', 'read the password from FILE (its first line)')
    .option('--tls-cert <file>', 'TLS certificate (PEM) for sslmode=require/verify-full')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--tls-required', 'refuse connections that do not use TLS')
    .option('--allow-mutations', 'let clients run INSERT, UPDATE and DELETE on provider tables (they change AWS resources)')
    .option('--max-connections <n>', 'most client connections at once', '100')
    .option('--max-message-size <bytes>', 'largest protocol message accepted', String(16 * 1024 * 1024))
    .option('--statement-timeout <seconds>', 'cancel statements running longer than this')
    .option('--idle-timeout <seconds>', 'close connections idle longer than this')
    .option('--quiet', 'no log lines on stderr')
    .action(async (flags: Flags) => {
      checkConnectionFlags(flags);
      const port = numberFlag('--port', flags.port, { integer: true, min: 0, max: 65535 });
      if (flags.password !== undefined && flags.passwordFile !== undefined) throw new CcqlError('usage', 'give either --password or --password-file, not both');
      const password = flags.passwordFile !== undefined ? readSecretFile('--password-file', flags.passwordFile).split(/\r?\n/)[0]! : flags.password;
      if (password === '') throw new CcqlError('usage', 'the password is empty');
      if (flags.user !== undefined && password === undefined) throw new CcqlError('usage', '--user needs --password or --password-file');
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new CcqlError('usage', '--tls-cert and --tls-key go together');
      if (flags.tlsRequired && flags.tlsCert === undefined) throw new CcqlError('usage', '--tls-required needs --tls-cert and --tls-key');
      const seconds = (flag: string, v: string | undefined): number | undefined => (v === undefined ? undefined : numberFlag(flag, v, { min: 0.001 }) * 1000);
      const { checkServeOptions, startServer } = await import('../../server/server.js');
      const auth = password !== undefined ? { user: flags.user ?? 'ccql', password } : undefined;
      checkServeOptions({ host: flags.host, ...(auth ? { auth } : {}) });
      const tls =
        flags.tlsCert !== undefined && flags.tlsKey !== undefined
          ? { cert: readSecretFile('--tls-cert', flags.tlsCert), key: readSecretFile('--tls-key', flags.tlsKey), required: flags.tlsRequired ?? false }
          : undefined;
      const log = (line: string): void => {
        if (!flags.quiet) process.stderr.write(`${line}\n`);
      };
      const [{ Session }, { Catalog }] = await Promise.all([import('../../exec/session.js'), import('../../catalog/loader.js')]);
      const connection = await connect(flags);
      const catalog = new Catalog();
      // What every connection's Session gets: one catalog (and so one cache of statement texts)
      // for all, and `engine` only when given.
      const engine = flags.engine ?? (process.env.CCQL_ENGINE?.trim() || undefined);
      const sessionOptions = { ...connection.options, catalog, ...(engine !== undefined ? { engine } : {}) };
      const statementTimeoutMs = seconds('--statement-timeout', flags.statementTimeout);
      const idleTimeoutMs = seconds('--idle-timeout', flags.idleTimeout);
      let server;
      try {
        server = await startServer({
          host: flags.host,
          port,
          catalog,
          // The session factory: one Session per connection, each with its own session on the shared engine.
          createSession: () => new Session(sessionOptions),
          ...(auth ? { auth } : {}),
          ...(tls ? { tls } : {}),
          allowMutations: flags.allowMutations ?? false,
          maxConnections: numberFlag('--max-connections', flags.maxConnections, { integer: true, min: 1 }),
          maxMessageBytes: numberFlag('--max-message-size', flags.maxMessageSize, { integer: true, min: 1024 }),
          ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}),
          ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}),
          log,
        });
      } catch (e) {
        await connection.close();
        throw e;
      }
      const hostForUrl = server.host.includes(':') ? `[${server.host}]` : server.host;
      log(`ccql serve listening on ${hostForUrl}:${server.port} (${connection.target}; ${flags.allowMutations ? 'mutations allowed' : 'read-only'})`);
      log(`  psql "postgresql://${auth ? `${auth.user}@` : 'ccql@'}${hostForUrl}:${server.port}/ccql${tls ? '?sslmode=require' : ''}"`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server
            .close()
            .catch(() => undefined)
            .then(() => connection.close())
            .then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      log('ccql serve stopped');
    });
}

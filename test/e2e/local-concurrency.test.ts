/**
 * `ccql exec --local`, several at once on one $CCQL_HOME: nothing any of them reported as done is
 * lost, a DELETE beside INSERTs stays done, a change that cannot be written is an error (exit 1)
 * and not a success, and the home is its owner's only.
 */
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, isolatedEnv, runCli, type CliResult } from './cli-helpers.js';

beforeAll(async () => {
  await ensureBuilt();
});

const inserts = (prefix: string, n: number): string =>
  Array.from({ length: n }, (_, i) => `INSERT INTO aws.ivs.stages (Name, region) VALUES ('${prefix}-${i}', 'us-east-1');`).join('\n');

async function stageNames(env: Record<string, string>): Promise<string[]> {
  const r = await runCli(['exec', '--local', '-o', 'json', "SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY name"], { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as Array<{ name: string }>).map((row) => row.name);
}

const created = (r: CliResult): number => r.stderr.split('\n').filter((l) => /NOTICE: +created aws\.ivs\.stages /.test(l)).length;
const mode = (p: string): number => statSync(p).mode & 0o777;

describe('ccql exec --local, several processes on one state', () => {
  it('4 processes × 10 INSERTs: all 40 stages are there after, and the demo seeded once', async () => {
    const env = isolatedEnv();
    const runs = await Promise.all([0, 1, 2, 3].map((p) => runCli(['exec', '--local', inserts(`p${p}`, 10)], { env, timeoutMs: 120_000 })));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(created(r)).toBe(10);
    }
    const names = await stageNames(env);
    const ours = names.filter((n) => /^p\d-\d$/.test(n));
    expect(ours).toHaveLength(40);
    expect(ours).toEqual([0, 1, 2, 3].flatMap((p) => Array.from({ length: 10 }, (_, i) => `p${p}-${i}`)).sort());
    // The demo account's three us-east-1 stages, not one set per process that started first.
    expect(names.length).toBe(43);
  }, 180_000);

  it('a DELETE running beside INSERTs is not undone', async () => {
    const env = isolatedEnv();
    const setup = await runCli(['exec', '--local', "INSERT INTO aws.ivs.stages (Name, region) VALUES ('victim', 'us-east-1')"], { env });
    expect(setup.code, setup.stderr).toBe(0);
    const [del, a, b] = await Promise.all([
      runCli(['exec', '--local', "DELETE FROM aws.ivs.stages WHERE region = 'us-east-1' AND name = 'victim'"], { env, timeoutMs: 120_000 }),
      runCli(['exec', '--local', inserts('a', 10)], { env, timeoutMs: 120_000 }),
      runCli(['exec', '--local', inserts('b', 10)], { env, timeoutMs: 120_000 }),
    ]);
    expect(del!.code, del!.stderr).toBe(0);
    expect(del!.stdout).toContain('DELETE 1');
    expect(a!.code, a!.stderr).toBe(0);
    expect(b!.code, b!.stderr).toBe(0);
    const names = await stageNames(env);
    expect(names).not.toContain('victim');
    expect(names.filter((n) => /^[ab]-\d$/.test(n))).toHaveLength(20);
  }, 180_000);
});

describe('ccql exec --local when its state cannot be written', () => {
  it('a full disk (injected): INSERT fails with exit 1 and a clear message, and nothing is half-saved', async () => {
    const env = isolatedEnv();
    const before = await stageNames(env); // creates the state (demo seed) while writes work
    const r = await runCli(
      ['exec', '--local', "INSERT INTO aws.ivs.stages (Name, region) VALUES ('full-1', 'us-east-1'), ('full-2', 'us-east-1')"],
      { env: { ...env, CCQL_TEST_FAIL_STATE_WRITES: 'ENOSPC' }, timeoutMs: 60_000 },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('INSERT 0 2');
    expect(r.stderr).toContain('ServiceInternalErrorException: the change was not saved, so it was not made');
    expect(r.stderr).toContain(`cannot write emulator data file ${join(env.CCQL_HOME!, 'local', 'emulator.json')}: ENOSPC (no space left on device)`);
    expect(r.stderr).not.toMatch(/NOTICE: +created/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await stageNames(env)).toEqual(before);
  }, 120_000);

  it('a read-only $CCQL_HOME/local: reads work, INSERT fails with exit 1', async (ctx) => {
    if (process.getuid?.() === 0) {
      console.warn('skipping the read-only $CCQL_HOME variant: running as root, where chmod does not stop writes (the injected ENOSPC test covers the path)');
      ctx.skip();
    }
    const env = isolatedEnv();
    const before = await stageNames(env);
    const local = join(env.CCQL_HOME!, 'local');
    chmodSync(local, 0o500);
    try {
      const r = await runCli(['exec', '--local', "INSERT INTO aws.ivs.stages (Name, region) VALUES ('ro-1', 'us-east-1')"], { env, timeoutMs: 60_000 });
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain('INSERT 0 1');
      expect(r.stderr).toContain('the change was not saved, so it was not made');
      expect(r.stderr).toContain('EACCES (permission denied)');
      expect(await stageNames(env)).toEqual(before);
    } finally {
      chmodSync(local, 0o700);
    }
  }, 120_000);
});

describe('$CCQL_HOME is its owner’s only', () => {
  it('narrows a home created 0755 and creates local/ 0700 and its state 0600', async () => {
    const env = isolatedEnv();
    chmodSync(env.CCQL_HOME!, 0o755);
    await stageNames(env);
    expect(mode(env.CCQL_HOME!).toString(8)).toBe('700');
    expect(mode(join(env.CCQL_HOME!, 'local')).toString(8)).toBe('700');
    expect(mode(join(env.CCQL_HOME!, 'local', 'emulator.json')).toString(8)).toBe('600');
  }, 120_000);
});

/**
 * `ccql deploy` as users run it: the built command line, spawned with an isolated home, against
 * --local (the in-process emulator) or a separate emulator over --endpoint-url. The examples'
 * whole lifecycles, a build killed with SIGKILL mid-creation and rerun, the exports file, init,
 * bad input, and no secret in stdout or stderr.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, ROOT, ensureBuilt, isolatedEnv, runCli, type CliResult } from './cli-helpers.js';

const T = 180_000;

beforeAll(async () => {
  await ensureBuilt();
}, 240_000);

function deploy(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runCli(['deploy', ...args], { env, timeoutMs: 120_000 });
}

describe('the examples against --local', () => {
  it(
    'IVS: plan, build, test, plan (no changes), teardown',
    async () => {
      const env = isolatedEnv();
      const stack = ['examples/ivs-stack', 'dev', '-e', 'AWS_REGION=us-east-1', '--local'];
      const outputFile = join(mkdtempSync(join(tmpdir(), 'ccql-deploy-out-')), 'exports.json');

      const plan = await deploy(['plan', ...stack], env);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('plan for ivs-demo (dev): 3 to create, 0 to update, 0 unchanged');
      expect(plan.stdout).toContain('+ stream_key: create aws.ivs.stream_keys in us-east-1 (uses exports of channel, known after build)');

      const build = await deploy(['build', ...stack, '--output-file', outputFile], env);
      expect(build.code, build.stderr).toBe(0);
      expect(build.stderr).toMatch(/^created aws\.ivs\.stages arn:aws:ivs:us-east-1:\d+:stage\/\S+ in us-east-1 \(stage\)$/m);
      expect(build.stderr).toMatch(/^created aws\.ivs\.stream_keys arn:\S+ in us-east-1 \(stream_key\)$/m);
      expect(build.stderr).toMatch(/^stage: exists: not found \(\d+(\.\d)? m?s\)$/m);
      expect(build.stderr).toContain('build ivs-demo (dev): ok — 3 created');
      const exports = JSON.parse(readFileSync(outputFile, 'utf8')) as Record<string, string>;
      expect(Object.keys(exports)).toEqual(['stack_name', 'stack_env', 'stage_arn', 'channel_arn', 'playback_url', 'stream_key_arn', 'stream_key_value']);
      expect(statSync(outputFile).mode & 0o077).toBe(0);
      const streamKey = exports.stream_key_value!;
      expect(streamKey.length).toBeGreaterThan(5);

      const test = await deploy(['test', ...stack, '--show-queries'], env);
      expect(test.code, test.stderr).toBe(0);
      expect(test.stderr).toContain('stream_key: exports: stream_key_arn, stream_key_value=****');

      const again = await deploy(['plan', ...stack, '-o', 'json'], env);
      expect(again.code, again.stderr).toBe(0);
      const doc = JSON.parse(again.stdout) as { resources: Array<{ name: string; action: string; changes: unknown[] }> };
      expect(doc.resources.map((r) => [r.name, r.action, r.changes.length])).toEqual([
        ['stage', 'no change', 0],
        ['channel', 'no change', 0],
        ['stream_key', 'no change', 0],
      ]);

      const teardown = await deploy(['teardown', ...stack], env);
      expect(teardown.code, teardown.stderr).toBe(0);
      expect(teardown.stderr).toContain('teardown ivs-demo (dev): ok — 3 deleted');
      for (const r of [plan, build, test, again, teardown]) {
        expect(r.stdout + r.stderr).not.toContain(streamKey);
        expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
      }
    },
    T,
  );

  it(
    'EventBridge: the API key from the environment appears nowhere, even with --show-queries',
    async () => {
      const secret = 'sk_e2e_Th1s-is-the-API-key';
      const env = isolatedEnv({ PARTNER_API_KEY: secret });
      const stack = ['examples/eventbridge-connection', 'dev', '-e', 'AWS_REGION=us-east-1', '--local', '--show-queries'];
      const runs: CliResult[] = [];
      for (const command of ['build', 'test', 'plan', 'teardown']) {
        const r = await deploy([command, ...stack], env);
        runs.push(r);
        expect(r.code, `${command}: ${r.stderr}`).toBe(0);
      }
      expect(runs[0]!.stderr).toContain('"ApiKeyValue":"********"');
      expect(runs[2]!.stdout).toContain('= partner_connection: no change');
      const dry = await deploy(['build', ...stack, '--dry-run'], env);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('-- partner_connection: create');
      runs.push(dry);
      for (const r of runs) expect(r.stdout + r.stderr).not.toContain(secret);

      const missing = await deploy(['build', ...stack], isolatedEnv());
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('the environment variable PARTNER_API_KEY is not set');
    },
    T,
  );
});

describe('a build killed mid-run', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    // Creations stay IN_PROGRESS for a while: the kill lands while they are in flight.
    emu = await startEmulator({ port: 0, seed: 'none', quiet: true, requestDelayMs: 4000 });
  });
  afterAll(async () => emu.stop());

  it(
    'then a rerun converges without duplicates (the same ClientToken is sent again)',
    async () => {
      const env = isolatedEnv();
      const args = ['deploy', 'build', 'examples/ivs-stack', 'dev', '-e', 'AWS_REGION=us-east-1', '--endpoint-url', emu.url];
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const creating = (): number => [...emu.service.store.requests.values()].filter((r) => r.operation === 'CREATE' && r.status === 'IN_PROGRESS').length;
      const deadline = Date.now() + 90_000;
      while (creating() === 0) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no creation started; stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
      expect(creating()).toBeGreaterThan(0);

      const rerun = await runCli(args, { env, timeoutMs: 120_000 });
      expect(rerun.code, rerun.stderr).toBe(0);
      const creates = (type: string): number => [...emu.service.store.requests.values()].filter((r) => r.operation === 'CREATE' && r.typeName === type).length;
      expect(creates('AWS::IVS::Stage')).toBe(1);
      expect(creates('AWS::IVS::Channel')).toBe(1);
      expect(creates('AWS::IVS::StreamKey')).toBe(1);
      const names = (type: string): string[] => emu.service.store.list('us-east-1', type).map((r) => String(r.model.Name ?? ''));
      expect(names('AWS::IVS::Stage')).toEqual(['ivs-demo-dev-stage']);
      expect(names('AWS::IVS::Channel')).toEqual(['ivs-demo-dev-channel']);

      const again = await runCli(args, { env, timeoutMs: 120_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('3 unchanged');
    },
    T,
  );
});

describe('starting a stack, and bad input', () => {
  it(
    'deploy init writes a starter stack that plans',
    async () => {
      const env = isolatedEnv();
      const dir = join(mkdtempSync(join(tmpdir(), 'ccql-deploy-init-')), 'mystack');
      const init = await deploy(['init', dir], env);
      expect(init.code, init.stderr).toBe(0);
      expect(init.stderr).toContain('ccql_manifest.yml');
      const plan = await deploy(['plan', dir, 'dev', '-e', 'AWS_REGION=us-east-1', '--local'], env);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('+ example_stage: create aws.ivs.stages');
      const twice = await deploy(['init', dir], env);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain('exists and is not empty');
    },
    T,
  );

  it('reports a manifest problem with its path and line, and bad flags as usage errors', async () => {
    const env = isolatedEnv();
    const missing = await deploy(['build', 'examples/ivs-stack', 'dev', '--local'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("template variable 'AWS_REGION' is not defined");
    expect(missing.stderr).toContain('-e AWS_REGION=VALUE');
    const flag = await deploy(['build', 'examples/ivs-stack', 'dev', '--on-failure', 'retry'], env);
    expect(flag.code).toBe(2);
    const nodir = await deploy(['plan', 'examples/nope', 'dev'], env);
    expect(nodir.code).toBe(2);
    expect(nodir.stderr).toContain('does not exist');
    for (const r of [missing, flag, nodir]) expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });
});

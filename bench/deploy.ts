/**
 * npx tsx bench/deploy.ts [--rounds N]
 *
 * `ccql deploy` build and teardown of a 20-resource stack: 10 independent pairs (an IVS channel
 * and its stream key, the key taking the channel's ARN from its export), against the emulator
 * with 50 ms latency per call. Baseline: the same stack run one resource at a time
 * (concurrency 1); measured: the default (independent resources in parallel, 8 at once).
 * Rounds alternate the two, each starting from an empty account; medians are reported.
 *
 * The emulator runs in a child process so that its work does not share ccql's event loop.
 * Writes the "Deploy: parallel independent resources (issue 12)" section of bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = join(import.meta.dirname, '..');
const PAIRS = 10;
const LATENCY_MS = 50;
const SECTION = '## Deploy: parallel independent resources (issue 12)';

async function serve(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/index.js');
  const emu = await startEmulator({ port: 0, seed: 'none', quiet: true, latencyMs: LATENCY_MS });
  process.stdout.write(`${JSON.stringify({ url: emu.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

async function startChild(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'deploy.ts'), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  const { url } = JSON.parse(line) as { url: string };
  return { url, stop: () => child.stdin!.end() };
}

function writeStack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccql-bench-deploy-'));
  mkdirSync(join(dir, 'resources'));
  const resources: string[] = [];
  for (let i = 0; i < PAIRS; i++) {
    resources.push(`  - name: channel_${i}\n    exports: [channel_${i}_arn]\n  - name: key_${i}\n    exports: [key_${i}_arn]\n`);
    writeFileSync(
      join(dir, 'resources', `channel_${i}.iql`),
      `/*+ exists */
SELECT arn FROM aws.ivs.channels WHERE region = '{{region}}' AND name = '{{stack_name}}-${i}';
/*+ create */
INSERT INTO aws.ivs.channels (Name, region) SELECT '{{stack_name}}-${i}', '{{region}}';
/*+ exports */
SELECT arn AS channel_${i}_arn FROM aws.ivs.channels WHERE region = '{{region}}' AND data__Identifier = '{{this.arn}}';
/*+ delete */
DELETE FROM aws.ivs.channels WHERE data__Identifier = '{{this.arn}}' AND region = '{{region}}';
`,
    );
    writeFileSync(
      join(dir, 'resources', `key_${i}.iql`),
      `/*+ exists */
SELECT arn FROM aws.ivs.stream_keys WHERE region = '{{region}}' AND channel_arn = '{{channel_${i}_arn}}';
/*+ create */
INSERT INTO aws.ivs.stream_keys (ChannelArn, region) SELECT '{{channel_${i}_arn}}', '{{region}}';
/*+ exports */
SELECT arn AS key_${i}_arn FROM aws.ivs.stream_keys WHERE region = '{{region}}' AND data__Identifier = '{{this.arn}}';
/*+ delete */
DELETE FROM aws.ivs.stream_keys WHERE data__Identifier = '{{this.arn}}' AND region = '{{region}}';
`,
    );
  }
  writeFileSync(join(dir, 'ccql_manifest.yml'), `name: bench\nglobals:\n  - name: region\n    value: us-east-1\nresources:\n${resources.join('')}`);
  return dir;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const roundsArg = process.argv.indexOf('--rounds');
  const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;
  const { Session } = await import('../src/exec/session.js');
  const { prepareStack } = await import('../src/deploy/stack.js');
  const { runDeploy } = await import('../src/deploy/runner.js');
  const emu = await startChild();
  const session = new Session({ endpointUrl: emu.url, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' }, region: 'us-east-1' });
  const dir = writeStack();
  const journalDir = mkdtempSync(join(tmpdir(), 'ccql-bench-journal-'));
  const stack = prepareStack({ stackDir: dir, env: 'bench', vars: {}, processEnv: {} });
  const times: Record<'serial' | 'parallel', { build: number[]; teardown: number[] }> = { serial: { build: [], teardown: [] }, parallel: { build: [], teardown: [] } };
  try {
    await session.runStatement('SELECT 1'); // the engine starts outside the timed runs
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? (['serial', 'parallel'] as const) : (['parallel', 'serial'] as const)) {
        const concurrency = mode === 'serial' ? 1 : 8;
        for (const command of ['build', 'teardown'] as const) {
          const t0 = performance.now();
          const result = await runDeploy({ command, stack, session, concurrency, journalDir, target: 'bench' });
          const ms = performance.now() - t0;
          if (!result.ok) throw new Error(`${mode} ${command} failed: ${result.failure?.message ?? 'see results'}`);
          const expected = command === 'build' ? 'created' : 'deleted';
          if (result.resources.some((r) => r.outcome !== expected)) throw new Error(`${mode} ${command}: not every resource was ${expected}`);
          times[mode][command].push(ms);
          process.stderr.write(`round ${round + 1} ${mode} ${command}: ${Math.round(ms)} ms\n`);
        }
      }
    }
  } finally {
    await session.close();
    emu.stop();
  }
  const row = (command: 'build' | 'teardown'): string => {
    const s = median(times.serial[command]);
    const p = median(times.parallel[command]);
    return `| ${command} | ${(s / 1000).toFixed(2)} s | ${(p / 1000).toFixed(2)} s | **${(s / p).toFixed(2)}×** |`;
  };
  const today = new Date().toISOString().slice(0, 10);
  const section = `${SECTION}

Command: \`npx tsx bench/deploy.ts --rounds ${rounds}\` (bench/deploy.ts: a stack of ${PAIRS * 2} resources, ${PAIRS} independent pairs of an IVS channel and its stream key, the key taking the channel's ARN from its export; emulator in a child process with ${LATENCY_MS} ms latency per call; one Session, engine started before timing; rounds alternate the two modes, each from an empty account; medians of ${rounds}).

| Command | One resource at a time (baseline, concurrency 1) | Independent resources in parallel (default, 8 at once) | Speed-up |
|---|---|---|---|
${row('build')}
${row('teardown')}

Result: build of the ${PAIRS * 2}-resource stack is ${(median(times.serial.build) / median(times.parallel.build)).toFixed(2)}× as fast with independent resources in parallel as one resource at a time, teardown ${(median(times.serial.teardown) / median(times.parallel.teardown)).toFixed(2)}×. Each pair stays ordered (the key after its channel in build, before it in teardown), so the bound is about the ${PAIRS} pairs' depth of 2 rather than ${PAIRS * 2} resources in a row. Measured ${today} on ${process.platform}/${process.arch}, node ${process.version}.
`;
  const file = join(root, 'bench', 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(SECTION);
  let out: string;
  if (start === -1) out = `${text.trimEnd()}\n\n${section}`;
  else {
    const next = text.indexOf('\n## ', start + SECTION.length);
    out = `${text.slice(0, start)}${section}${next === -1 ? '' : `\n${text.slice(next + 1)}`}`;
  }
  writeFileSync(file, out.endsWith('\n') ? out : `${out}\n`);
  process.stdout.write(section);
}

if (process.argv.includes('--serve')) await serve();
else await main();

/**
 * npm run bench:cli [-- RUNS]
 *
 * Issue 4 (c): the README's offline command, `ccql exec --local "SELECT region, arn, name FROM
 * aws.ivs.stages WHERE region = 'us-east-1'"`, warm (its $CCQL_HOME already holds the emulator
 * state, the provider cache and whatever the engine keeps, from one unmeasured run), against a
 * bare `node -e ""` in the same run: median wall time and median peak RSS (from
 * /usr/bin/time), RUNS interleaved runs of each so that machine noise hits both alike. Two more
 * commands, measured alongside, show how the cost splits between the in-process emulator and
 * the SQL engine.
 * Writes its lines at the end of the "SQL over Cloud Control" section of bench/RESULTS.md,
 * labelled (c), replacing the previous ones. Builds dist/ first when it is older than src/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 15);
const TIME = '/usr/bin/time';
const SQL = "SELECT region, arn, name FROM aws.ivs.stages WHERE region = 'us-east-1'";

if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench:cli: RUNS must be a whole number of at least 1');
  process.exit(2);
}
if (!existsSync(TIME)) {
  console.error(`bench:cli: ${TIME} is missing (apt-get install -y time); it measures the peak memory of each run`);
  process.exit(2);
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const mainJs = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(mainJs) || statSync(mainJs).mtimeMs < newest(join(root, 'src'))) {
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (!existsSync(mainJs)) process.exit(b.status ?? 1);
}

const home = mkdtempSync(join(tmpdir(), 'ccql-bench-cli-'));
const env: NodeJS.ProcessEnv = { ...process.env, CCQL_HOME: home };
const timeFile = join(home, 'time.out');

interface Sample {
  ms: number;
  rssKiB: number;
}

function runOnce(args: string[]): Sample & { stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%M', '-o', timeFile, process.execPath, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr.toString()}`);
  const rssKiB = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
  return { ms, rssKiB, stdout: r.stdout.toString() };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const ccqlArgs = [join(root, 'bin', 'ccql.js'), 'exec', '--local', '-o', 'csv', SQL];
const nodeArgs = ['-e', ''];
// Where the time goes: the same start-up without the engine, and the engine without the emulator.
const parts: Array<{ label: string; args: string[] }> = [
  { label: '`exec --local "SHOW PROVIDERS"` (emulator, no engine)', args: [join(root, 'bin', 'ccql.js'), 'exec', '--local', 'SHOW PROVIDERS'] },
  { label: '`exec "SELECT 1"` (engine, no emulator)', args: [join(root, 'bin', 'ccql.js'), 'exec', 'SELECT 1'] },
];
try {
  const first = runOnce(ccqlArgs); // seeds the local state, fills the caches: not measured
  const rows = first.stdout.trim().split(/\r?\n/).length - 1;
  if (rows < 1) throw new Error(`the query returned no rows:\n${first.stdout}`);
  runOnce(nodeArgs);
  const ccql: Sample[] = [];
  const bare: Sample[] = [];
  const partSamples: Sample[][] = parts.map(() => []);
  for (let i = 0; i < runs; i++) {
    bare.push(runOnce(nodeArgs));
    ccql.push(runOnce(ccqlArgs));
    parts.forEach((p, j) => partSamples[j]!.push(runOnce(p.args)));
  }
  const t = { ccql: median(ccql.map((s) => s.ms)), bare: median(bare.map((s) => s.ms)) };
  const m = { ccql: median(ccql.map((s) => s.rssKiB)), bare: median(bare.map((s) => s.rssKiB)) };
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  const block = [
    '### (c) `ccql exec --local "SELECT …"`, warm',
    '',
    `Command: \`npm run bench:cli\` (bench/cli.ts, ${runs} interleaved runs each after one unmeasured run; peak RSS from \`${TIME} -f %M\`).`,
    `The statement: \`${SQL}\` (${rows} rows, through the in-process emulator).`,
    '',
    '| What | Median wall time | Ratio | Median peak RSS | Ratio |',
    '|---|---|---|---|---|',
    `| \`node -e ""\` (baseline) | ${t.bare.toFixed(0)} ms | 1.00× | ${mib(m.bare)} | 1.00× |`,
    `| \`node bin/ccql.js exec --local "SELECT …"\` | ${t.ccql.toFixed(0)} ms | **${(t.ccql / t.bare).toFixed(2)}×** | ${mib(m.ccql)} | **${(m.ccql / m.bare).toFixed(2)}×** |`,
    ...parts.map((p, j) => {
      const ms = median(partSamples[j]!.map((x) => x.ms));
      const kib = median(partSamples[j]!.map((x) => x.rssKiB));
      return `| for comparison: ${p.label} | ${ms.toFixed(0)} ms | ${(ms / t.bare).toFixed(2)}× | ${mib(kib)} | ${(kib / m.bare).toFixed(2)}× |`;
    }),
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, node ${process.version}.`,
    '',
  ].join('\n');
  writeResults(block);
  console.log(block);
} finally {
  rmSync(home, { recursive: true, force: true });
}

/** Replaces the (c) block, or appends it at the end of the "SQL over Cloud Control" section. */
function writeResults(block: string): void {
  const path = join(root, 'bench', 'RESULTS.md');
  const text = readFileSync(path, 'utf8');
  const heading = /^## SQL over Cloud Control.*$/m.exec(text);
  if (!heading) throw new Error('bench/RESULTS.md has no "## SQL over Cloud Control" section');
  const sectionStart = heading.index;
  const nextSection = text.slice(sectionStart + heading[0].length).search(/^## /m);
  const sectionEnd = nextSection === -1 ? text.length : sectionStart + heading[0].length + nextSection;
  let section = text.slice(sectionStart, sectionEnd);
  const old = /^### \(c\)[^\n]*\n[\s\S]*?(?=^### |^## |(?![\s\S]))/m.exec(section);
  if (old) section = `${section.slice(0, old.index)}${block.trimEnd()}\n\n${section.slice(old.index + old[0].length)}`;
  else section = `${section.replace(/\n*$/, '\n\n')}${block}`;
  const rest = text.slice(sectionEnd);
  writeFileSync(path, text.slice(0, sectionStart) + section.replace(/\n*$/, rest ? '\n\n' : '\n') + rest);
}

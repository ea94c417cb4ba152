/**
 * npm run bench:cli [-- RUNS] [--before DIR]
 *
 * Issues 4 (c) and 10: the README's offline command, `ccql exec --local "SELECT region, arn,
 * name FROM aws.ivs.stages WHERE region = 'us-east-1'"`, warm (its $CCQL_HOME already holds the
 * emulator state, the provider cache and the engine's cached data directory, from one unmeasured
 * run), against a bare `node -e ""` in the same run: median wall time and median peak RSS (from
 * /usr/bin/time), RUNS interleaved runs of each so that machine noise hits all alike. Commands
 * measured alongside show how the cost splits (the emulator without the engine, the engine
 * without the emulator, the engine alone). `--before DIR` also measures the same command from
 * another built checkout (e.g. the previous commit: `git archive HEAD | tar -x -C DIR`, link
 * node_modules, `npx tsc -p tsconfig.build.json`), in the same interleaved runs.
 *
 * Then one more run under `node --cpu-prof` (both threads: the main one and the engine's
 * worker) gives where the time goes, by component.
 *
 * Writes its lines in place of the (c) block of the "SQL over Cloud Control" section of
 * bench/RESULTS.md. Builds dist/ first when it is older than src/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const beforeAt = args.indexOf('--before');
const beforeDir = beforeAt === -1 ? undefined : args[beforeAt + 1];
const positional = args.filter((a, i) => !a.startsWith('--') && (beforeAt === -1 || i !== beforeAt + 1));
const runs = Number(positional[0] ?? 15);
const TIME = '/usr/bin/time';
const SQL = "SELECT region, arn, name FROM aws.ivs.stages WHERE region = 'us-east-1'";
const TARGET_TIME = 8;
const TARGET_RSS_MIB = 250;

if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench:cli: RUNS must be a whole number of at least 1');
  process.exit(2);
}
if (!existsSync(TIME)) {
  console.error(`bench:cli: ${TIME} is missing (apt-get install -y time); it measures the peak memory of each run`);
  process.exit(2);
}
if (beforeDir !== undefined && !existsSync(join(beforeDir, 'dist', 'cli', 'main.js'))) {
  console.error(`bench:cli: --before ${beforeDir}: no dist/cli/main.js there (build that checkout first)`);
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

const work = mkdtempSync(join(tmpdir(), 'ccql-bench-cli-'));
const timeFile = join(work, 'time.out');
const envFor = (home: string): NodeJS.ProcessEnv => ({ ...process.env, CCQL_HOME: home, CCQL_ENGINE: '' });

interface Sample {
  ms: number;
  rssKiB: number;
}

interface Command {
  label: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  samples: Sample[];
}

function runOnce(c: Pick<Command, 'args' | 'env' | 'cwd'>, nodeFlags: string[] = []): Sample & { stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%M', '-o', timeFile, process.execPath, ...nodeFlags, ...c.args], { cwd: c.cwd, env: c.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${c.args.join(' ')} failed (${r.status}): ${r.stderr.toString()}`);
  const rssKiB = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
  return { ms, rssKiB, stdout: r.stdout.toString() };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const home = join(work, 'home');
const bin = join(root, 'bin', 'ccql.js');
const engineAlone = `const { openEngine } = await import(${JSON.stringify(join(root, 'dist', 'engine', 'engine.js'))}); const s = await openEngine(); await s.query('SELECT 1'); await s.close();`;
const commands: Command[] = [
  { label: '`node -e ""` (baseline)', args: ['-e', ''], env: envFor(home), cwd: root, samples: [] },
  { label: '`node bin/ccql.js exec --local "SELECT …"`', args: [bin, 'exec', '--local', '-o', 'csv', SQL], env: envFor(home), cwd: root, samples: [] },
];
if (beforeDir !== undefined) {
  commands.push({ label: 'the same, before this change (`--before`)', args: [join(beforeDir, 'bin', 'ccql.js'), 'exec', '--local', '-o', 'csv', SQL], env: envFor(join(work, 'home-before')), cwd: beforeDir, samples: [] });
}
// With CCQL_BENCH_ENGINE=postgres://… (a PostgreSQL server on this machine), the same on it: the
// ccql process's own time and memory, the server's are its own.
const pgEngine = process.env.CCQL_BENCH_ENGINE;
if (pgEngine) {
  commands.push({ label: 'the same with `--engine postgres://…` (`CCQL_BENCH_ENGINE`; the ccql process only)', args: [bin, 'exec', '--local', '--engine', pgEngine, '-o', 'csv', SQL], env: envFor(home), cwd: root, samples: [] });
}
commands.push(
  { label: 'the same with `CCQL_PGLITE_OPTIMIZE=1` (V8 re-compiles hot WASM with TurboFan)', args: [bin, 'exec', '--local', '-o', 'csv', SQL], env: { ...envFor(home), CCQL_PGLITE_OPTIMIZE: '1' }, cwd: root, samples: [] },
);
commands.push(
  { label: 'for comparison: `exec --local "SHOW PROVIDERS"` (emulator, no engine)', args: [bin, 'exec', '--local', 'SHOW PROVIDERS'], env: envFor(home), cwd: root, samples: [] },
  { label: 'for comparison: `exec "SELECT 1"` (engine, no emulator)', args: [bin, 'exec', 'SELECT 1'], env: envFor(home), cwd: root, samples: [] },
  { label: 'for comparison: the engine alone (open a session, `SELECT 1`, close)', args: ['--input-type=module', '-e', engineAlone], env: envFor(home), cwd: root, samples: [] },
);

try {
  let rows = 0;
  for (const c of commands) {
    const first = runOnce(c); // seeds the local state, fills the caches: not measured
    if (c === commands[1]) rows = first.stdout.trim().split(/\r?\n/).length - 1;
  }
  if (rows < 1) throw new Error('the query returned no rows');
  for (let i = 0; i < runs; i++) for (const c of commands) c.samples.push(runOnce(c));
  const [bare, ccql] = [commands[0]!, commands[1]!];
  const t = (c: Command): number => median(c.samples.map((s) => s.ms));
  const m = (c: Command): number => median(c.samples.map((s) => s.rssKiB));
  const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
  const timeRatio = t(ccql) / t(bare);
  const rssMib = m(ccql) / 1024;
  const before = commands.find((c) => c.label.startsWith('the same, before'));
  const profile = [...profileRun(commands[1]!, 'now'), ...(before ? ['', ...profileRun(before, 'before this change')] : [])];
  const block = [
    '### (c) `ccql exec --local "SELECT …"`, warm (issues 4 and 10)',
    '',
    `Command: \`${pgEngine ? 'CCQL_BENCH_ENGINE=postgres://… ' : ''}npm run bench:cli -- ${runs}${beforeDir ? ' --before DIR' : ''}\` (bench/cli.ts, ${runs} interleaved runs each after one unmeasured run; peak RSS from \`${TIME} -f %M\`).`,
    `The statement: \`${SQL}\` (${rows} rows, through the in-process emulator).`,
    '',
    '| What | Median wall time | Ratio | Median peak RSS | Ratio |',
    '|---|---|---|---|---|',
    ...commands.map((c) => {
      const bold = c === ccql || c.label.startsWith('the same, before');
      const r = (x: number): string => (bold ? `**${x.toFixed(2)}×**` : `${x.toFixed(2)}×`);
      return `| ${c.label} | ${t(c).toFixed(0)} ms | ${c === bare ? '1.00×' : r(t(c) / t(bare))} | ${mib(m(c))} | ${c === bare ? '1.00×' : r(m(c) / m(bare))} |`;
    }),
    '',
    `Result: ${timeRatio.toFixed(2)}× a bare node start (target ≤ ${TARGET_TIME}×: ${timeRatio <= TARGET_TIME ? 'met' : 'NOT met'}), ${rssMib.toFixed(0)} MiB peak RSS (target ≤ ${TARGET_RSS_MIB} MiB: ${rssMib <= TARGET_RSS_MIB ? 'met' : 'NOT met'}).`,
    '',
    ...profile,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, node ${process.version}, load average ${loadAverage()}.`,
    '',
  ].join('\n');
  writeResults(block);
  console.log(block);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** What a sample was doing, by the innermost frame that names a component. */
function classify(stack: Array<{ functionName: string; url: string }>, worker: boolean): string {
  const top = stack[0]?.functionName ?? '';
  if (top === '(idle)') return worker ? 'idle: waiting for the WASM module, or for work' : 'idle: waiting (for the engine, the emulator’s answers)';
  if (top === '(garbage collector)') return 'garbage collection';
  if (top === '(program)') return 'V8 / native (compiling JavaScript, …)';
  for (const f of stack) {
    const u = f.url;
    if (u.startsWith('wasm://')) return worker || stack.some((g) => /pglite/.test(g.url)) ? 'PGlite: Postgres itself (WASM: start, queries)' : 'SQL parser (libpg-query, WASM)';
    if (/libpg-query/.test(u)) return 'SQL parser (libpg-query, WASM)';
    if (/@aws-sdk|@smithy|@aws-crypto/.test(u)) return 'AWS SDK (loading it, signing, HTTP)';
    if (/\/dist\/emulator\//.test(u)) return 'the in-process emulator';
    if (/@electric-sql\/pglite/.test(u)) return 'PGlite: its JavaScript (loading, Emscripten runtime, file system)';
    if (/\/dist\/engine\//.test(u)) return worker ? 'engine worker: ccql’s code (image, requests)' : 'ccql’s engine code, main thread (now: compiling the WASM, reading the image)';
    if (/\/dist\/(sql|plan|exec|catalog|schema)\//.test(u)) return 'ccql: parse, plan, run (incl. loading those modules)';
    if (/\/dist\/cli\/|commander/.test(u)) return 'ccql: command line (incl. commander)';
  }
  if (stack.some((f) => /node:internal\/(modules|bootstrap|main)/.test(f.url))) return worker ? 'node: booting the worker thread, loading modules' : 'node: loading modules';
  return 'other';
}

/** One run under --cpu-prof: CPU time by component, per thread. */
function profileRun(c: Command, what: string): string[] {
  const dir = join(work, `prof-${what.replace(/\W+/g, '-')}`);
  runOnce(c, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const files = readdirSync(dir).sort();
  const profiles = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile);
  const main = profiles[0]!;
  const lines = [
    `Where the time goes, ${what} (one more run under \`node --cpu-prof\`; milliseconds of samples by component; the main thread ran ${((main.endTime - main.startTime) / 1000).toFixed(0)} ms):`,
    '',
    '| Thread | Component | ms |',
    '|---|---|---|',
  ];
  profiles.forEach((p, i) => {
    const worker = i > 0;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const ch of n.children ?? []) parent.set(ch, n.id);
    const totals = new Map<string, number>();
    p.samples.forEach((id, k) => {
      const stack: Array<{ functionName: string; url: string }> = [];
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur)!.callFrame);
      const key = classify(stack, worker);
      totals.set(key, (totals.get(key) ?? 0) + (p.timeDeltas[k] ?? 0) / 1000);
    });
    const name = worker ? `engine worker (started ${((p.startTime - main.startTime) / 1000).toFixed(0)} ms after the main thread)` : 'main';
    for (const [k, ms] of [...totals].sort((a, b) => b[1] - a[1])) if (ms >= 5) lines.push(`| ${name} | ${k} | ${ms.toFixed(0)} |`);
  });
  return lines;
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

/**
 * npm run bench:startup [-- RUNS] [--before DIR]
 *
 * Start-up cost of a catalog statement through the built command line, as a ratio to a bare
 * `node -e ""` measured in the same run: the median of RUNS runs of each, interleaved so that
 * machine noise hits both alike. The provider cache is warmed first (one unmeasured run), as it
 * is for anyone after their first command. `--before DIR` also measures the same command from
 * another built checkout (e.g. the previous commit: `git worktree add DIR HEAD~1`, link
 * node_modules, `npx tsc -p tsconfig.build.json`), in the same interleaved runs, with a home of
 * its own. Writes the result into the "Start-up" section of bench/RESULTS.md. Needs
 * `npm run build` first.
 *
 * Then (issue 10) the memory of engine sessions: one process opening 50 engine sessions on the
 * embedded engine (each SETs something, then materializes 200 rows, queries and drops them,
 * three times; the sessions one after another, then all 50 at once; all stay open until the
 * end) against one opening 1, as the ratio of their peak RSS (median of RUNS/3 interleaved runs,
 * at least 3). With
 * CCQL_BENCH_ENGINE=postgres://… the same on that server (the ccql process's memory only).
 * Writes the "Engine sessions (issue 10)" section of bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const beforeAt = argv.indexOf('--before');
const beforeDir = beforeAt === -1 ? undefined : argv[beforeAt + 1];
const positional = argv.filter((a, i) => !a.startsWith('--') && (beforeAt === -1 || i !== beforeAt + 1));
const runs = Number(positional[0] ?? 21);
const statement = 'SHOW RESOURCES IN aws.ivs';
const TARGET = 6;

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench:startup: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
if (beforeDir !== undefined && !existsSync(join(beforeDir, 'dist', 'cli', 'main.js'))) {
  console.error(`bench:startup: --before ${beforeDir}: no dist/cli/main.js there (build that checkout first)`);
  process.exit(2);
}

const home = mkdtempSync(join(tmpdir(), 'ccql-bench-'));
const env = { ...process.env, CCQL_HOME: home };
// The other checkout's provider cache may differ (another format or provider files): a home of its own.
const beforeEnv = { ...process.env, CCQL_HOME: join(home, 'before') };

function timeOnce(args: string[], cwd = root, runEnv: NodeJS.ProcessEnv = env): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env: runEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.toString()}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const ccqlArgs = [join(root, 'bin', 'ccql.js'), 'exec', statement];
const beforeArgs = beforeDir === undefined ? undefined : [join(beforeDir, 'bin', 'ccql.js'), 'exec', statement];
const nodeArgs = ['-e', ''];
try {
  timeOnce(ccqlArgs); // warms the provider cache in $CCQL_HOME
  if (beforeArgs) timeOnce(beforeArgs, beforeDir, beforeEnv);
  timeOnce(nodeArgs);
  const ccql: number[] = [];
  const bare: number[] = [];
  const before: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(timeOnce(nodeArgs));
    ccql.push(timeOnce(ccqlArgs));
    if (beforeArgs) before.push(timeOnce(beforeArgs, beforeDir, beforeEnv));
  }
  const ratio = median(ccql) / median(bare);
  const beforeRow = beforeArgs
    ? [`| the same, before this change (\`--before\`) | ${median(before).toFixed(0)} ms | **${(median(before) / median(bare)).toFixed(2)}×** |`]
    : [];
  const verdict = ratio <= TARGET ? `within the target of ${TARGET}×` : `OVER the target of ${TARGET}×`;
  const section = [
    '## Start-up (issue 2)',
    '',
    `Command: \`npm run bench:startup${beforeDir ? ` -- ${runs} --before DIR` : ''}\` (bench/startup.ts, ${runs} interleaved runs each, provider cache warm).`,
    '',
    '| What | Median | Ratio |',
    '|---|---|---|',
    `| \`node -e ""\` (baseline) | ${median(bare).toFixed(0)} ms | 1.00× |`,
    `| \`node bin/ccql.js exec "${statement}"\` | ${median(ccql).toFixed(0)} ms | **${ratio.toFixed(2)}×** |`,
    ...beforeRow,
    '',
    `Result: ${ratio.toFixed(2)}× a bare node start, ${verdict}. Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, node ${process.version}, load average ${loadAverage()}.`,
    '',
  ].join('\n');
  const resultsPath = join(root, 'bench', 'RESULTS.md');
  const results = readFileSync(resultsPath, 'utf8');
  // Replace this section only: from its heading up to the next "## " heading.
  const updated = results.replace(/## Start-up \(issue 2\)\n[\s\S]*?(?=\n## |$)/, section);
  writeFileSync(resultsPath, updated);
  console.log(section);
  const sessions = sessionsSection();
  replaceSection(resultsPath, '## Engine sessions (issue 10)', sessions);
  console.log(sessions);
} finally {
  rmSync(home, { recursive: true, force: true });
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

/** Peak RSS (KiB, from /usr/bin/time) of a process holding `n` engine sessions of `url`. */
function sessionsRss(n: number, url: string | undefined, atOnce = false): number {
  const engineJs = JSON.stringify(join(root, 'dist', 'engine', 'engine.js'));
  const script = `
    const { openEngine } = await import(${engineJs});
    const n = Number(process.env.BENCH_SESSIONS);
    const options = process.env.BENCH_URL ? { url: process.env.BENCH_URL } : {};
    const sessions = [];
    for (let i = 0; i < n; i++) sessions.push(await openEngine(options));
    const columns = [{ name: 'region', type: 'text' }, { name: 'arn', type: 'text' }, { name: 'n', type: 'bigint' }, { name: 'tags', type: 'jsonb' }];
    const work = async (s, i) => {
      await s.query("SET application_name = 'session" + i + "'");
      for (let round = 0; round < 3; round++) {
        const rows = Array.from({ length: 200 }, (_, k) => ({ region: 'us-east-1', arn: 'arn:aws:ivs:us-east-1:123456789012:stage/' + i + '-' + k, n: k, tags: [{ Key: 'team', Value: String(k % 5) }] }));
        await s.materialize('t', columns, rows);
        const r = await s.query("SELECT tags->0->>'Value' AS team, count(*) FROM pg_temp.t GROUP BY 1");
        if (r.rows.length !== 5) throw new Error('wrong result');
        await s.drop(['t']);
      }
    };
    if (process.env.BENCH_AT_ONCE === '1') await Promise.all(sessions.map(work));
    else for (const [i, s] of sessions.entries()) await work(s, i);
    await Promise.all(sessions.map((s) => s.close()));
  `;
  const timeFile = join(home, 'sessions-time.out');
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...env, BENCH_SESSIONS: String(n), BENCH_URL: url ?? '', BENCH_AT_ONCE: atOnce ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`the ${n}-session process failed (${r.status}): ${r.stderr.toString()}`);
  return Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
}

function sessionsSection(): string {
  if (!existsSync('/usr/bin/time')) return '## Engine sessions (issue 10)\n\nNot measured: /usr/bin/time is missing (apt-get install -y time).\n';
  const rounds = Math.max(3, Math.round(runs / 3));
  const targets: Array<{ label: string; url: string | undefined }> = [{ label: 'embedded (PGlite)', url: undefined }];
  const pgUrl = process.env.CCQL_BENCH_ENGINE;
  if (pgUrl) targets.push({ label: 'PostgreSQL (`CCQL_BENCH_ENGINE`; the ccql process only)', url: pgUrl });
  const rowsOut: string[] = [];
  for (const t of targets) {
    sessionsRss(1, t.url); // fills the cache: not measured
    const one: number[] = [];
    const inTurn: number[] = [];
    const atOnce: number[] = [];
    for (let i = 0; i < rounds; i++) {
      one.push(sessionsRss(1, t.url));
      inTurn.push(sessionsRss(50, t.url));
      atOnce.push(sessionsRss(50, t.url, true));
    }
    const [a, b, c] = [median(one), median(inTurn), median(atOnce)];
    const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
    rowsOut.push(`| ${t.label} | ${mib(a)} | ${mib(b)} | **${(b / a).toFixed(2)}×** | ${mib(c)} | **${(c / a).toFixed(2)}×** |`);
  }
  return [
    '## Engine sessions (issue 10)',
    '',
    `Command: \`npm run bench:startup\` (bench/startup.ts: peak RSS from \`/usr/bin/time -f %M\` of one process with 1 engine session and one with 50 open sessions, each session setting a variable, then three times materializing 200 rows, querying and dropping them; the 50 used one after another, then all at once; median of ${rounds} interleaved runs each).`,
    '',
    '| Engine | 1 session | 50 sessions, used in turn | Ratio (target ≤ 1.5×) | 50 sessions, all working at once | Ratio |',
    '|---|---|---|---|---|---|',
    ...rowsOut,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, node ${process.version}.`,
    '',
  ].join('\n');
}

/** Replaces the section `heading` (up to the next "## ") in the results file, or appends it. */
function replaceSection(path: string, heading: string, section: string): void {
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(`${heading}\n`);
  if (at === -1) {
    writeFileSync(path, `${text.replace(/\n*$/, '\n\n')}${section}`);
    return;
  }
  const next = text.slice(at + heading.length).search(/\n## /);
  const end = next === -1 ? text.length : at + heading.length + next + 1;
  writeFileSync(path, `${text.slice(0, at)}${section.replace(/\n*$/, '\n\n')}${text.slice(end)}`.replace(/\n*$/, '\n'));
}

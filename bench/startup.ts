/**
 * npm run bench:startup [-- RUNS]
 *
 * Start-up cost of a catalog statement through the built command line, as a ratio to a bare
 * `node -e ""` measured in the same run: the median of RUNS runs of each, interleaved so that
 * machine noise hits both alike. The provider cache is warmed first (one unmeasured run), as it
 * is for anyone after their first command. Writes the result into the "Start-up" section of
 * bench/RESULTS.md. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 21);
const statement = 'SHOW RESOURCES IN aws.ivs';
const TARGET = 6;

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench:startup: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

const home = mkdtempSync(join(tmpdir(), 'ccql-bench-'));
const env = { ...process.env, CCQL_HOME: home };

function timeOnce(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
const nodeArgs = ['-e', ''];
try {
  timeOnce(ccqlArgs); // warms the provider cache in $CCQL_HOME
  timeOnce(nodeArgs);
  const ccql: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(timeOnce(nodeArgs));
    ccql.push(timeOnce(ccqlArgs));
  }
  const ratio = median(ccql) / median(bare);
  const verdict = ratio <= TARGET ? `within the target of ${TARGET}×` : `OVER the target of ${TARGET}×`;
  const section = [
    '## Start-up (issue 2)',
    '',
    `Command: \`npm run bench:startup\` (bench/startup.ts, ${runs} interleaved runs each, provider cache warm).`,
    '',
    '| What | Median | Ratio |',
    '|---|---|---|',
    `| \`node -e ""\` (baseline) | ${median(bare).toFixed(0)} ms | 1.00× |`,
    `| \`node bin/ccql.js exec "${statement}"\` | ${median(ccql).toFixed(0)} ms | **${ratio.toFixed(2)}×** |`,
    '',
    `Result: ${ratio.toFixed(2)}× a bare node start, ${verdict}. Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, node ${process.version}.`,
    '',
  ].join('\n');
  const resultsPath = join(root, 'bench', 'RESULTS.md');
  const results = readFileSync(resultsPath, 'utf8');
  // Replace this section only: from its heading up to the next "## " heading.
  const updated = results.replace(/## Start-up \(issue 2\)\n[\s\S]*?(?=\n## |$)/, section);
  writeFileSync(resultsPath, updated);
  console.log(section);
} finally {
  rmSync(home, { recursive: true, force: true });
}

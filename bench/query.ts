/**
 * npm run bench:query [-- --cli-sample N]
 *
 * (a) A full-property SELECT of 500 stages (ListResources + a GetResource per stage) against the
 *     emulator with 50 ms latency and a 25 requests/s rate limit, as a ratio to the limit itself
 *     (500/25 s) and to the AWS CLI doing the same job the way a user would: list-resources, then
 *     get-resource per identifier in a shell loop. Each CLI call is a new process (~1 s), so a
 *     sample of N get-resource calls (default 20) is timed and scaled to 500, as stated.
 * (b) Engine overhead: ccql materializing 20,000 rows into a temporary table and running queries
 *     over them through its Engine, as a ratio to bare PGlite doing the same bulk insert and the
 *     same queries (same rows, same instance settings).
 *
 * The emulator runs in a child process so that its work does not share ccql's event loop.
 * Writes the "SQL over Cloud Control (issue 4)" section of bench/RESULTS.md.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..');
const STAGES = 500;
const LATENCY_MS = 50;
const RATE = 25;
const ROWS = 20_000;

async function serve(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/index.js');
  const emu = await startEmulator({ port: 0, seed: 'none', quiet: true, latencyMs: LATENCY_MS, throttleRps: RATE });
  emu.seedResources(
    'AWS::IVS::Stage',
    'us-east-1',
    Array.from({ length: STAGES }, (_, i) => ({ Name: `bench-${i}`, Tags: [{ Key: 'team', Value: i % 2 ? 'video' : 'audio' }] })),
  );
  process.stdout.write(`${JSON.stringify({ url: emu.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

async function startChild(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'query.ts'), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  const { url } = JSON.parse(line) as { url: string };
  return { url, stop: () => child.stdin!.end() };
}

async function benchSelect(cliSample: number): Promise<string[]> {
  const { Session } = await import('../src/exec/session.js');
  const emu = await startChild();
  const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
  try {
    // Warm the engine cache and the catalog outside the timed run.
    const warm = new Session({ endpointUrl: emu.url, credentials });
    await warm.runStatement('SELECT 1');
    await warm.close();
    await new Promise((r) => setTimeout(r, 1500)); // let the emulator's bucket refill

    const session = new Session({ endpointUrl: emu.url, credentials });
    const t0 = performance.now();
    const result = await session.runStatement(`SELECT * FROM aws.ivs.stages WHERE region = 'us-east-1'`);
    const ccql = (performance.now() - t0) / 1000;
    await session.close();
    const rows = result.kind === 'rows' ? result.rows.length : 0;
    if (rows !== STAGES) throw new Error(`expected ${STAGES} rows, got ${rows}`);
    const limit = STAGES / RATE;

    // The AWS CLI, the way a user would script it.
    const run = promisify(execFile);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const cli = '/usr/bin/aws';
    const common = ['--endpoint-url', emu.url, '--region', 'us-east-1', '--output', 'json'];
    await new Promise((r) => setTimeout(r, 1500));
    const l0 = performance.now();
    const listed = await run(cli, ['cloudcontrol', 'list-resources', '--type-name', 'AWS::IVS::Stage', ...common], { env, maxBuffer: 64 << 20 });
    const listSeconds = (performance.now() - l0) / 1000;
    const ids = (JSON.parse(listed.stdout) as { ResourceDescriptions: Array<{ Identifier: string }> }).ResourceDescriptions.map((d) => d.Identifier);
    if (ids.length !== STAGES) throw new Error(`the CLI listed ${ids.length} stages`);
    const sample = ids.slice(0, cliSample);
    const g0 = performance.now();
    // One process per identifier, sequentially: what `for id in …; do aws cloudcontrol get-resource …; done` does.
    for (const id of sample) await run(cli, ['cloudcontrol', 'get-resource', '--type-name', 'AWS::IVS::Stage', '--identifier', id, ...common], { env });
    const perGet = (performance.now() - g0) / 1000 / sample.length;
    const cliTotal = listSeconds + perGet * STAGES;
    return [
      `(a) full-property SELECT of ${STAGES} stages, emulator latency ${LATENCY_MS} ms, rate limit ${RATE} req/s (${STAGES / 25} ListResources pages + ${STAGES} GetResource):`,
      '',
      '| | seconds | ratio |',
      '|---|---|---|',
      `| ccql \`SELECT * FROM aws.ivs.stages\` | ${ccql.toFixed(2)} | — |`,
      `| the rate limit's floor, ${STAGES}/${RATE} s | ${limit.toFixed(2)} | ccql is **${(ccql / limit).toFixed(2)}×** the floor (target ≤ 1.15×) |`,
      `| AWS CLI v2 shell loop (list-resources ${listSeconds.toFixed(2)} s + ${STAGES} × get-resource at ${perGet.toFixed(2)} s, timed on ${sample.length} and scaled) | ${cliTotal.toFixed(1)} | ccql is **${(cliTotal / ccql).toFixed(1)}× faster** |`,
    ];
  } finally {
    emu.stop();
  }
}

async function benchEngine(): Promise<string[]> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { openEngine } = await import('../src/engine/engine.js');
  const { Catalog } = await import('../src/catalog/loader.js');
  const { tableColumns } = await import('../src/plan/columns.js');
  const resource = new Catalog().resolve('aws.ivs.stages');
  const columns = tableColumns(resource).map((c) => ({ name: c.name, type: c.type }));
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    region: i % 2 ? 'us-east-1' : 'us-west-2',
    data__identifier: `arn:aws:ivs:us-east-1:123456789012:stage/${i.toString(36).padStart(12, '0')}`,
    arn: `arn:aws:ivs:us-east-1:123456789012:stage/${i.toString(36).padStart(12, '0')}`,
    name: `stage-${i}`,
    tags: [{ Key: 'team', Value: `t${i % 17}` }],
    active_session_id: i % 5 ? '' : `st-${i}`,
  }));
  const queries = [
    `SELECT t->>'Value' AS team, count(*) FROM %T, jsonb_array_elements(tags) t GROUP BY 1 ORDER BY 2 DESC`,
    `SELECT * FROM %T WHERE name LIKE 'stage-1%' ORDER BY name`,
    `SELECT * FROM %T`,
  ];
  const cacheDir = mkdtempSync(join(tmpdir(), 'ccql-bench-engine-'));
  const engine = await openEngine({ cacheDir });
  const bare = await PGlite.create();
  const defs = columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
  const ROUNDS = 5;
  let ours = 0;
  let base = 0;
  try {
    for (let round = 0; round < ROUNDS + 1; round++) {
      // ccql: materialize through the Engine (type coercion, one bulk statement), then query it
      const a0 = performance.now();
      await engine.materialize('bench_rows', columns, rows);
      for (const q of queries) await engine.query(q.replace('%T', 'pg_temp.bench_rows'));
      await engine.drop(['bench_rows']);
      const a = performance.now() - a0;
      // bare PGlite: the same table, the same bulk insert of the same rows, the same queries
      const b0 = performance.now();
      await bare.query(`CREATE TEMPORARY TABLE bare_rows (${defs})`);
      await bare.query(`INSERT INTO bare_rows SELECT * FROM jsonb_populate_recordset(NULL::bare_rows, $1::jsonb)`, [JSON.stringify(rows)]);
      for (const q of queries) await bare.query(q.replace('%T', 'bare_rows'));
      await bare.query('DROP TABLE bare_rows');
      const b = performance.now() - b0;
      if (round > 0) {
        // round 0 warms both up
        ours += a;
        base += b;
      }
    }
  } finally {
    await engine.close();
    await bare.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
  const oursS = ours / ROUNDS / 1000;
  const baseS = base / ROUNDS / 1000;
  return [
    `(b) engine overhead: materialize ${ROWS.toLocaleString('en')} stage rows and run 3 queries (a jsonb aggregate, a filter, SELECT *), mean of ${ROUNDS} rounds after a warm-up:`,
    '',
    '| | seconds | ratio |',
    '|---|---|---|',
    `| ccql Engine (materialize + query) | ${oursS.toFixed(3)} | **${(oursS / baseS).toFixed(2)}×** bare PGlite (target ≤ 2×) |`,
    `| bare PGlite (CREATE + bulk INSERT + the same queries) | ${baseS.toFixed(3)} | 1.00× |`,
  ];
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--cli-sample');
  const cliSample = arg >= 0 ? Number(process.argv[arg + 1]) : 20;
  const a = await benchSelect(cliSample);
  const b = await benchEngine();
  const section = [
    '## SQL over Cloud Control (issue 4)',
    '',
    `Command: \`npm run bench:query\` (${new Date().toISOString().slice(0, 10)}, ${process.platform}, Node ${process.version}).`,
    '',
    ...a,
    '',
    ...b,
    '',
  ].join('\n');
  const resultsPath = join(root, 'bench', 'RESULTS.md');
  const results = readFileSync(resultsPath, 'utf8');
  // Replace this section only, from its heading up to the next "## " heading, keeping the
  // "### (c)" block that bench/cli.ts writes into it.
  writeFileSync(
    resultsPath,
    results.replace(/## SQL over Cloud Control \(issue 4\)\n?[\s\S]*?(?=\n## |$)/, (old) => {
      const cli = /^### \(c\)[\s\S]*$/m.exec(old)?.[0];
      return cli ? `${section.trimEnd()}\n\n${cli.trimEnd()}\n` : section;
    }),
  );
  console.log(section);
}

if (process.argv.includes('--serve')) await serve();
else await main();

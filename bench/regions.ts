/**
 * npm run bench:regions [-- --rounds N --concurrency N]
 *
 * A full-property SELECT over several regions at once: `SELECT * FROM aws.ivs.stages WHERE
 * region IN (8 regions)`, 100 stages in each, against the emulator with 50 ms latency and a
 * throttle of 25 requests/s in EACH region (Cloud Control's limits are per account per region,
 * and so are the emulator's --throttle-rps buckets). Regions are independent, so the floor is one
 * region's calls (4 ListResources pages + 100 GetResource) at 25 req/s, whatever the number of
 * regions; every region's bucket is emptied before each run, so that no run starts with a free
 * burst and the floor is exact. The same SELECT over 1 region is run in the same invocation,
 * interleaved, as the measured baseline: 8 regions should cost what 1 does.
 *
 * The emulator runs in a child process so that its work does not share ccql's event loop.
 * Writes the "Multi-region SELECT under per-region throttling" section of bench/RESULTS.md
 * (unless --no-write).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = join(import.meta.dirname, '..');
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'];
const STAGES = 100;
const LATENCY_MS = 50;
const RATE = 25;
const PAGE_SIZE = 25;
const PAGES = Math.ceil(STAGES / PAGE_SIZE);
const FLOOR_S = (PAGES + STAGES) / RATE;

async function serve(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/index.js');
  const emu = await startEmulator({ port: 0, seed: 'none', quiet: true, latencyMs: LATENCY_MS, throttleRps: RATE, pageSize: PAGE_SIZE });
  for (const region of REGIONS) {
    emu.seedResources(
      'AWS::IVS::Stage',
      region,
      Array.from({ length: STAGES }, (_, i) => ({ Name: `bench-${i}`, Tags: [{ Key: 'team', Value: i % 2 ? 'video' : 'audio' }] })),
    );
  }
  process.stdout.write(`${JSON.stringify({ url: emu.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

async function startChild(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'regions.ts'), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  const { url } = JSON.parse(line) as { url: string };
  return { url, stop: () => child.stdin!.end() };
}

/**
 * Empties the emulator's bucket for each region: throttled answers cost no token, so a burst of
 * calls larger than the bucket leaves it at zero (it refills only for the few ms until the run).
 */
async function drain(url: string, regions: string[]): Promise<void> {
  const call = (region: string): Promise<number> =>
    fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'CloudApiService.GetResource',
        Authorization: `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/${region}/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify({ TypeName: 'AWS::IVS::Stage', Identifier: 'drain' }),
    }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
  await Promise.all(
    regions.map(async (region) => {
      for (;;) {
        const statuses = await Promise.all(Array.from({ length: RATE + 5 }, () => call(region)));
        if (statuses.includes(429)) return;
      }
    }),
  );
}

interface Run {
  seconds: number;
  /** Calls the emulator saw, throttled and retried ones included. */
  attempts: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const rounds = arg('--rounds', 3);
  const concurrency = arg('--concurrency', 0);
  const { Session } = await import('../src/exec/session.js');
  const emu = await startChild();
  const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
  const post = (path: string, method = 'POST'): Promise<{ total: number }> => fetch(`${emu.url}${path}`, { method }).then((r) => r.json() as Promise<{ total: number }>);

  const once = async (regions: string[]): Promise<Run> => {
    // A fresh session each time: a new client starts with no limit learnt, as a new `ccql exec` does.
    const session = new Session({ endpointUrl: emu.url, credentials, ...(concurrency > 0 ? { concurrency } : {}) });
    await session.runStatement('SELECT 1'); // the engine, outside the timed part
    // Every region's bucket empty, so each run starts alike and the floor is exactly calls ÷ rate
    // (a full bucket would give the first RATE calls free, and hide a slow start).
    await drain(emu.url, regions);
    await post('/_ccql/reset');
    const list = regions.map((r) => `'${r}'`).join(', ');
    const t0 = performance.now();
    const result = await session.runStatement(`SELECT * FROM aws.ivs.stages WHERE region IN (${list})`);
    const seconds = (performance.now() - t0) / 1000;
    await session.close();
    const rows = result.kind === 'rows' ? result.rows.length : 0;
    if (rows !== STAGES * regions.length) throw new Error(`expected ${STAGES * regions.length} rows, got ${rows}`);
    const { total } = await post('/_ccql/stats', 'GET');
    return { seconds, attempts: total };
  };

  const one: Run[] = [];
  const all: Run[] = [];
  try {
    await once(REGIONS.slice(0, 1)); // warm-up: catalog, SDK, engine cache
    for (let i = 0; i < rounds; i++) {
      one.push(await once(REGIONS.slice(0, 1)));
      all.push(await once(REGIONS));
      console.error(`round ${i + 1}: 1 region ${one[i]!.seconds.toFixed(2)} s (${one[i]!.attempts} calls), ${REGIONS.length} regions ${all[i]!.seconds.toFixed(2)} s (${all[i]!.attempts} calls)`);
    }
  } finally {
    emu.stop();
  }
  const oneS = median(one.map((r) => r.seconds));
  const allS = median(all.map((r) => r.seconds));
  const calls = PAGES + STAGES;
  const args = [...(rounds !== 3 ? ['--rounds', String(rounds)] : []), ...(concurrency > 0 ? ['--concurrency', String(concurrency)] : [])];
  const section = [
    '## Multi-region SELECT under per-region throttling',
    '',
    `Command: \`npm run bench:regions${args.length > 0 ? ` -- ${args.join(' ')}` : ''}\` (bench/regions.ts; ${rounds} interleaved rounds after a warm-up, medians; ${new Date().toISOString().slice(0, 10)}, ${process.platform}, Node ${process.version}).`,
    `\`SELECT * FROM aws.ivs.stages WHERE region IN (…)\`, ${STAGES} stages per region, emulator latency ${LATENCY_MS} ms, \`--throttle-rps ${RATE}\` (a bucket per region, emptied before each run), page size ${PAGE_SIZE}: ${PAGES} ListResources pages + ${STAGES} GetResource per region. The floor is one region's ${calls} calls at ${RATE} req/s = ${FLOOR_S.toFixed(2)} s, whatever the number of regions.`,
    '',
    '| | seconds | calls made (incl. throttled) | ratio to the floor | ratio to 1 region |',
    '|---|---|---|---|---|',
    `| 1 region (baseline) | ${oneS.toFixed(2)} | ${median(one.map((r) => r.attempts))} of ${calls} | ${(oneS / FLOOR_S).toFixed(2)}× | 1.00× |`,
    `| ${REGIONS.length} regions | ${allS.toFixed(2)} | ${median(all.map((r) => r.attempts))} of ${calls * REGIONS.length} | **${(allS / FLOOR_S).toFixed(2)}×** (target ≤ 1.15×) | ${(allS / oneS).toFixed(2)}× |`,
    '',
  ].join('\n');
  console.log(section);
  if (process.argv.includes('--no-write')) return;
  const resultsPath = join(root, 'bench', 'RESULTS.md');
  const results = readFileSync(resultsPath, 'utf8');
  const heading = /## Multi-region SELECT under per-region throttling\n[\s\S]*?(?=\n## |$)/;
  writeFileSync(resultsPath, heading.test(results) ? results.replace(heading, section) : `${results.trimEnd()}\n\n${section}`);
}

if (process.argv.includes('--serve')) await serve();
else await main();

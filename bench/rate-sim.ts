/**
 * npm run bench:rate-sim [-- --no-write]
 *
 * The per-region rate limiter in simulation (test/unit/aws/sim.ts: the real RegionRate and
 * Semaphore, a model of the SDK's retry loop and retry quota and of the emulator's token bucket,
 * on a fake clock), so the figures are the same on every machine and every run: a full-property
 * SELECT's calls (ListResources pages, a GetResource per resource, 50 ms latency) against a
 * service limit per region, throttling that ignores the rate, and both, with the in-flight
 * bound as cloudcontrol.ts has it (16 calls over all regions, held through the limiter's waits
 * and the SDK's backoff) and as one per region. Each ratio is to the floor (one region's calls
 * at the service's limit) or, with no service limit, to the same calls with no client-side
 * limit; the median over 5 seeds.
 *
 * Writes the "Rate limiter in simulation" section of bench/RESULTS.md (unless --no-write).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { floorMs, simulate, type Scenario } from '../test/unit/aws/sim.js';

const root = join(import.meta.dirname, '..');
const SEEDS = [1, 2, 3, 4, 5];

interface Row {
  what: string;
  scenario: Scenario;
}

const base = { latencyMs: 50, limitRps: 25, resources: 100 } as const;
const rows: Row[] = [
  { what: '1 region, limit 25/s', scenario: { ...base, regions: 1 } },
  { what: '1 region, limit 25/s, bucket full at the start (a quiet account)', scenario: { ...base, regions: 1, fullBucket: true } },
  { what: '1 region, limit 25/s, 2,000 resources, 64 in flight', scenario: { ...base, regions: 1, resources: 2000, concurrency: 64 } },
  { what: '1 region, 20% throttled at random, no service limit, 300 resources, 1 ms latency', scenario: { regions: 1, resources: 300, latencyMs: 1, randomThrottle: 0.2 } },
  { what: '1 region, limit 25/s and 20% throttled at random, 2,000 resources', scenario: { ...base, regions: 1, resources: 2000, randomThrottle: 0.2 } },
  { what: '8 regions, 16 in flight over all regions (cloudcontrol.ts today)', scenario: { ...base, regions: 8, slots: 'shared' } },
  { what: '8 regions, 16 in flight over all regions, fixed 24/s per region', scenario: { ...base, regions: 8, slots: 'shared', fixedRate: 24 } },
  { what: '8 regions, 16 in flight per region', scenario: { ...base, regions: 8, slots: 'region' } },
  { what: '8 regions, 16 in flight per region, fixed 24/s per region', scenario: { ...base, regions: 8, slots: 'region', fixedRate: 24 } },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const lines = ['| scenario | ratio (median of 5 seeds) | against | calls made | calls failed |', '|---|---|---|---|---|'];
  for (const { what, scenario } of rows) {
    const outcomes = await Promise.all(SEEDS.map((seed) => simulate({ ...scenario, seed })));
    let ratios: number[];
    let against: string;
    if (scenario.limitRps !== undefined) {
      ratios = outcomes.map((o) => o.ms / floorMs(scenario));
      against = `the floor, ${(floorMs(scenario) / 1000).toFixed(2)} s`;
    } else {
      const unlimited = await Promise.all(SEEDS.map((seed) => simulate({ ...scenario, seed, fixedRate: 1e9 })));
      ratios = outcomes.map((o, i) => o.ms / unlimited[i]!.ms);
      against = `no client-side limit, ${(median(unlimited.map((o) => o.ms)) / 1000).toFixed(2)} s`;
    }
    const calls = median(outcomes.map((o) => o.attempts));
    const failed = outcomes.reduce((n, o) => n + o.failed, 0);
    lines.push(`| ${what} | **${median(ratios).toFixed(2)}×** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${against} | ${calls} | ${failed} |`);
  }
  const section = [
    '## Rate limiter in simulation',
    '',
    `Command: \`npm run bench:rate-sim\` (bench/rate-sim.ts; deterministic: a fake clock, seeded randomness; ${new Date().toISOString().slice(0, 10)}).`,
    'A full-property SELECT (a ListResources page per 25 resources, a GetResource each, 50 ms latency) against the emulator\'s token bucket per region, through the real `RegionRate` and `Semaphore` and a model of the SDK\'s retry loop and quota. "16 in flight over all regions" is how cloudcontrol.ts bounds calls: a slot is held for the whole SDK call, the limiter\'s waits and the backoff included.',
    '',
    ...lines,
    '',
  ].join('\n');
  console.log(section);
  if (process.argv.includes('--no-write')) return;
  const resultsPath = join(root, 'bench', 'RESULTS.md');
  const results = readFileSync(resultsPath, 'utf8');
  const heading = /## Rate limiter in simulation\n[\s\S]*?(?=\n## |$)/;
  writeFileSync(resultsPath, heading.test(results) ? results.replace(heading, section) : `${results.trimEnd()}\n\n${section}`);
}

await main();

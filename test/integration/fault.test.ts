/**
 * Fault tolerance: with 20% of calls throttled and 5% answered with a 5xx, a SELECT over 300
 * stages returns exactly the rows of the fault-free run (the SDK's retries with backoff absorb
 * the faults). The 5xx faults come from the emulator (faultRate); the throttling from a small
 * HTTP proxy in front of it that answers a seeded-random 20% of calls with a real
 * ThrottlingException, so the fraction does not depend on how fast this machine is.
 */
import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { Session } from '../../src/exec/session.js';
import { CREDENTIALS, lastRows, type Outcome } from './query-harness.js';
import type { Notice, StatementResult } from '../../src/result.js';
import { CcqlError } from '../../src/errors.js';

const SQL = `SELECT region, data__Identifier, arn, name, tags, active_session_id FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY arn`;

let dir: string;
let dataFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccql-fault-'));
  dataFile = join(dir, 'state.json');
  const seeder = await startEmulator({ port: 0, seed: 'none', quiet: true, dataFile });
  seeder.seedResources(
    'AWS::IVS::Stage',
    'us-east-1',
    Array.from({ length: 300 }, (_, i) => ({ Name: `stage-${String(i).padStart(3, '0')}`, ...(i % 3 === 0 ? { Tags: [{ Key: 'n', Value: String(i) }] } : {}) })),
  );
  await seeder.stop();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Forwards to `target`, answering `rate` of the calls with ThrottlingException instead (and every call for `downRegion` with a 5xx). */
function throttlingProxy(target: string, rate: number, downRegion?: string): Promise<{ url: string; throttled: () => number; forwarded: () => number; close: () => Promise<void> }> {
  let seed = 42;
  const random = (): number => {
    // mulberry32: the same fraction on every run
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let throttled = 0;
  let forwarded = 0;
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (downRegion && String(req.headers.authorization ?? '').includes(`/${downRegion}/`)) {
        res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'ServiceInternalErrorException', message: 'region down (test)' }));
        return;
      }
      if (req.method === 'POST' && random() < rate) {
        throttled++;
        const body = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttle-${throttled}` });
        res.end(body);
        return;
      }
      forwarded++;
      const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      up.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        throttled: () => throttled,
        forwarded: () => forwarded,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    }),
  );
}

async function select(endpointUrl: string, emu: RunningEmulator, sql = SQL, options: { strict?: boolean; maxAttempts?: number } = {}): Promise<Outcome> {
  const session = new Session({ endpointUrl, credentials: CREDENTIALS, ...options });
  emu.resetStats();
  const results: StatementResult[] = [];
  const notices: Notice[] = [];
  let error: CcqlError | undefined;
  try {
    for await (const r of session.run(sql, { onNotice: (n) => notices.push(n) })) results.push(r);
  } catch (e) {
    if (!(e instanceof CcqlError)) throw e;
    error = e;
  } finally {
    await session.close();
  }
  const stats = emu.stats();
  return { results, notices, error, calls: stats.calls, total: stats.total };
}

describe('faults', () => {
  it('returns exactly the fault-free rows with 20% throttling and 5% 5xx faults', async () => {
    const clean = await startEmulator({ port: 0, seed: 'none', quiet: true, dataFile });
    const baseline = await select(clean.url, clean);
    await clean.stop();
    expect(baseline.error).toBeUndefined();
    expect(lastRows(baseline).rows).toHaveLength(300);
    expect(baseline.calls).toEqual({ ListResources: 12, GetResource: 300 });

    const faulty = await startEmulator({ port: 0, seed: 'none', quiet: true, dataFile, faultRate: 0.05 });
    const proxy = await throttlingProxy(faulty.url, 0.2);
    try {
      const run = await select(proxy.url, faulty);
      expect(run.error).toBeUndefined();
      expect(run.notices.filter((n) => n.severity === 'WARNING')).toEqual([]);
      expect(lastRows(run).rows).toEqual(lastRows(baseline).rows);
      // The faults really happened: a fifth of the calls were throttled, and the emulator saw retries.
      const attempts = proxy.throttled() + proxy.forwarded();
      expect(proxy.throttled() / attempts).toBeGreaterThan(0.15);
      expect(run.total).toBeGreaterThan(312);
    } finally {
      await proxy.close();
      await faulty.stop();
    }
  });
});

describe('a region that keeps failing', () => {
  const sql = `SELECT region, count(*) AS n FROM aws.ivs.stages WHERE region IN ('us-east-1', 'us-west-2') GROUP BY region`;

  it("is left out with a warning while the other region's rows come back", async () => {
    const emu = await startEmulator({ port: 0, seed: 'none', quiet: true, dataFile });
    emu.seedResources('AWS::IVS::Stage', 'us-west-2', [{ Name: 'west' }]);
    const proxy = await throttlingProxy(emu.url, 0, 'us-west-2');
    try {
      const o = await select(proxy.url, emu, sql, { maxAttempts: 2 });
      expect(o.error).toBeUndefined();
      expect(lastRows(o).rows).toEqual([['us-east-1', 300]]);
      expect(o.notices).toEqual([
        expect.objectContaining({ severity: 'WARNING', message: expect.stringMatching(/^ListResources aws\.ivs\.stages in us-west-2 failed after retries \(ServiceInternalErrorException\)/) }),
      ]);
      const strict = await select(proxy.url, emu, sql, { maxAttempts: 2, strict: true });
      expect(strict.error?.code).toBe('aws');
      expect(strict.error?.message).toMatch(/^ListResources AWS::IVS::Stage in us-west-2 failed: ServiceInternalErrorException/);
    } finally {
      await proxy.close();
      await emu.stop();
    }
  });

  it('fails the statement, strict or not, when every call failed: an empty table would read as "no resources"', async () => {
    const emu = await startEmulator({ port: 0, seed: 'none', quiet: true, dataFile });
    const proxy = await throttlingProxy(emu.url, 0, 'us-west-2');
    try {
      const o = await select(proxy.url, emu, `SELECT name FROM aws.ivs.stages WHERE region = 'us-west-2'`, { maxAttempts: 2 });
      expect(o.results).toEqual([]);
      expect(o.error?.code).toBe('aws');
      expect(o.error?.message).toMatch(/^every call failed \(1 in all\); first: ListResources AWS::IVS::Stage in us-west-2 failed: ServiceInternalErrorException/);
    } finally {
      await proxy.close();
      await emu.stop();
    }
  });
});

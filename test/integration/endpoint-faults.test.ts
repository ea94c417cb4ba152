/**
 * An endpoint that dies mid-SELECT, or accepts and never answers: the statement fails with a
 * clear error (never an empty result that reads as "no resources", never a hang, never an
 * unhandled rejection), strict or not.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CcqlError } from '../../src/errors.js';
import { Session } from '../../src/exec/session.js';
import { CREDENTIALS, startHarness, type Harness } from './query-harness.js';

let h: Harness;
let proxy: Server;
let proxyUrl: string;
/** After this many answered requests, the proxy drops every connection. */
let answerBudget = Infinity;
const hanging: Server[] = [];

beforeAll(async () => {
  h = await startHarness({ pageSize: 2 });
  h.emulator.seedResources('AWS::IVS::Stage', 'us-east-1', [1, 2, 3, 4, 5].map((i) => ({ Name: `dying-${i}` })));
  const target = new URL(h.emulator.url);
  proxy = createServer((req, res) => {
    if (answerBudget-- <= 0) {
      req.socket.destroy();
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => proxy.close(r));
  for (const s of hanging) s.close();
  await h.close();
});

async function run(session: Session, sql: string): Promise<CcqlError> {
  try {
    for await (const _ of session.run(sql)) void _;
  } catch (e) {
    if (e instanceof CcqlError) return e;
    throw e;
  }
  throw new Error('expected the statement to fail');
}

describe('the endpoint dies after the first page', () => {
  for (const strict of [false, true]) {
    it(`fails the statement instead of returning no rows${strict ? ' (strict)' : ''}`, async () => {
      answerBudget = 1; // the first ListResources page, then nothing
      const s = new Session({ endpointUrl: proxyUrl, credentials: CREDENTIALS, region: 'us-east-1', maxAttempts: 2, strict });
      try {
        const e = await run(s, `SELECT name, tags FROM aws.ivs.stages WHERE region = 'us-east-1'`);
        expect(e.code).toBe('aws');
        if (!strict) expect(e.message).toBe('no rows of aws.ivs.stages came back: calls failed in us-east-1');
      } finally {
        await s.close();
        answerBudget = Infinity;
      }
    });
  }
});

describe('an endpoint that accepts and never answers', () => {
  it('gives up after the request timeout and the retries, with a clear error', async () => {
    const silent = createServer(() => {
      /* accepts, never answers */
    });
    hanging.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const s = new Session({ endpointUrl: url, credentials: CREDENTIALS, region: 'us-east-1', maxAttempts: 2, timeout: 0.5 });
    try {
      const e = await run(s, `SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1'`);
      expect(e.message).toMatch(/every call failed .*TimeoutError/);
    } finally {
      await s.close();
    }
    silent.closeAllConnections();
  });
});

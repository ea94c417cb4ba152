/**
 * The generic native caller through the real AWS SDK v3 client over HTTP, against a small
 * server that answers IVS's restJson1 as the service does: pages followed by their tokens, a
 * "not found" code read as no resource only where the method says so, an AWS error code and
 * message kept, and a bad client or operation refused with what to fix.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/errors.js';
import { NativeApi } from '../../../src/aws/native.js';
import { CcqlError } from '../../../src/errors.js';

let server: Server;
let url: string;
const seen: Array<{ path: string; body: Record<string, unknown>; auth: string }> = [];

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void body(req).then((b) => {
      seen.push({ path: req.url ?? '', body: b, auth: String(req.headers.authorization ?? '') });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/ListChannels') {
        // Three pages; the last repeats no token.
        const page = b.nextToken === undefined ? 0 : Number(b.nextToken);
        return json(200, { channels: [{ arn: `arn:aws:ivs:us-east-1:1:channel/c${page}`, name: `c${page}` }], ...(page < 2 ? { nextToken: String(page + 1) } : {}) });
      }
      if (req.url === '/CreateChannel') {
        // IVS names its message member exceptionMessage, which the SDK does not read as the message.
        return json(400, { exceptionMessage: "1 validation error detected: Value 'FAST' at 'latencyMode' failed to satisfy constraint" }, { 'x-amzn-errortype': 'ValidationException' });
      }
      if (req.url === '/GetChannel') {
        return json(404, { message: `Resource: ${String(b.arn)} not found` }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      }
      return json(400, { message: 'no such operation' }, { 'x-amzn-errortype': 'ValidationException' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function api(): NativeApi {
  return new NativeApi({ endpointUrl: url, credentials: { accessKeyId: 'AKIDNATIVE', secretAccessKey: 'x' }, maxAttempts: 1 });
}

const list = { client: '@aws-sdk/client-ivs', operation: 'ListChannels', region: 'us-east-1', input: { filterByName: 'c' }, label: 'aws.ivs.channels_native' };

describe('NativeApi', () => {
  it('pages: each output token goes into the next input, until a page has none', async () => {
    const a = api();
    seen.length = 0;
    const names: string[] = [];
    let calls = 0;
    for await (const page of a.pages(list, { inputToken: 'nextToken', outputToken: 'nextToken' }, { onCall: () => calls++ })) {
      for (const c of page.channels as Array<{ name: string }>) names.push(c.name);
      expect(page.$metadata).toBeUndefined();
    }
    expect(names).toEqual(['c0', 'c1', 'c2']);
    expect(calls).toBe(3);
    expect(seen.map((s) => s.body)).toEqual([{ filterByName: 'c' }, { filterByName: 'c', nextToken: '1' }, { filterByName: 'c', nextToken: '2' }]);
    // The session's endpoint and credentials, signed as every AWS call is.
    expect(seen[0]!.auth).toContain('Credential=AKIDNATIVE/');
    a.destroy();
  });

  it('answers undefined for a "not found" code the method declares; else the AWS error comes through', async () => {
    const a = api();
    const get = { client: '@aws-sdk/client-ivs', operation: 'GetChannel', region: 'us-east-1', input: { arn: 'arn:x' }, label: 'aws.ivs.channels_native' };
    expect(await a.send({ ...get, notFound: ['ResourceNotFoundException'] }, {})).toBeUndefined();
    const e = await a.send(get, {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AwsCallError);
    expect((e as AwsCallError).awsCode).toBe('ResourceNotFoundException');
    expect((e as AwsCallError).message).toBe('GetChannel aws.ivs.channels_native in us-east-1 failed: ResourceNotFoundException: Resource: arn:x not found');
    a.destroy();
  });

  it("keeps the service's words where its model names the message member otherwise", async () => {
    const a = api();
    const e = await a.send({ ...list, operation: 'CreateChannel', input: { latencyMode: 'FAST' } }, {}).catch((x: unknown) => x);
    expect((e as AwsCallError).message).toBe("CreateChannel aws.ivs.channels_native in us-east-1 failed: ValidationException: 1 validation error detected: Value 'FAST' at 'latencyMode' failed to satisfy constraint");
    expect((e as AwsCallError).partial).toBe(false);
    a.destroy();
  });

  it('refuses an operation the client has no command for, and a client that is not installed', async () => {
    const a = api();
    const bad = await a.send({ ...list, operation: 'ListChanels' }, {}).catch((x: unknown) => x);
    expect(bad).toBeInstanceOf(CcqlError);
    expect((bad as CcqlError).message).toBe('@aws-sdk/client-ivs has no command ListChanelsCommand (called by aws.ivs.channels_native)');
    const missing = await a.send({ ...list, client: '@aws-sdk/client-nosuchservice' }, {}).catch((x: unknown) => x);
    expect((missing as CcqlError).message).toContain('the AWS SDK client @aws-sdk/client-nosuchservice cannot be loaded');
    expect((missing as CcqlError).hint).toBe('install it (npm install @aws-sdk/client-nosuchservice)');
    a.destroy();
  });

  it('stops when the statement is cancelled', async () => {
    const a = api();
    const abort = new AbortController();
    abort.abort();
    const e = await a.send(list, { signal: abort.signal }).catch((x: unknown) => x);
    expect((e as CcqlError).code).toBe('cancelled');
    a.destroy();
  });
});

/**
 * The wire level: bad input of every kind gets the error the real service would send and the
 * server keeps serving; the knobs (throttling, faults, latency) and the /_ccql endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetResourceCommand, ListResourcesCommand } from '@aws-sdk/client-cloudcontrol';
import { request } from 'node:http';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { client, failure, raw, start } from './emulator-helpers.js';

const T = 'CloudApiService.';

describe('bad input over the wire', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start();
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('answers malformed JSON with SerializationException', async () => {
    const r = await raw(emu, `${T}GetResource`, '{"TypeName": ');
    expect(r.status).toBe(400);
    expect(r.json.__type).toBe('SerializationException');
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await raw(emu, `${T}GetResource`, '[1,2]')).json.__type).toBe('SerializationException');
    expect((await raw(emu, `${T}GetResource`, '{"TypeName": 5, "Identifier": "x"}')).json.__type).toBe('SerializationException');
  });

  it('answers unknown or missing targets with UnknownOperationException', async () => {
    expect((await raw(emu, `${T}DescribeEverything`, '{}')).json.__type).toBe('UnknownOperationException');
    expect((await raw(emu, undefined, '{}')).json.__type).toBe('UnknownOperationException');
    const get = await fetch(`${emu.url}/`);
    expect(get.status).toBe(400);
  });

  it('answers missing and oversized members with ValidationException', async () => {
    const missing = await raw(emu, `${T}GetResource`, '{"TypeName":"AWS::IVS::Stage"}');
    expect(missing).toMatchObject({
      status: 400,
      json: { __type: 'ValidationException', Message: "1 validation error detected: Value null at 'identifier' failed to satisfy constraint: Member must not be null" },
    });
    const long = await raw(emu, `${T}GetResource`, JSON.stringify({ TypeName: 'AWS::IVS::Stage', Identifier: 'x'.repeat(1025) }));
    expect(long.json.__type).toBe('ValidationException');
    expect(long.json.Message).toContain('Member must have length less than or equal to 1024');
    const typeName = await raw(emu, `${T}ListResources`, '{"TypeName":"ivs stage"}');
    expect(typeName.json.Message).toContain("Value 'ivs stage' at 'typeName' failed to satisfy constraint");
    const desired = await raw(emu, `${T}CreateResource`, JSON.stringify({ TypeName: 'AWS::IVS::Stage', DesiredState: 'x'.repeat(70000) }));
    expect(desired.json.__type).toBe('ValidationException');
    // DesiredState is sensitive: never echoed.
    expect(String(desired.json.Message)).not.toContain('xxxx');
    const maxResults = await raw(emu, `${T}ListResources`, '{"TypeName":"AWS::IVS::Stage","MaxResults":1000}');
    expect(maxResults.json.Message).toContain('Member must have value less than or equal to 100');
    const token = await raw(emu, `${T}ListResources`, '{"TypeName":"AWS::IVS::Stage","NextToken":"garbage"}');
    expect(token.json.__type).toBe('InvalidRequestException');
    const patch = await raw(emu, `${T}UpdateResource`, '{"TypeName":"AWS::Logs::LogGroup","Identifier":"nope","PatchDocument":"{"}');
    expect(patch.json.__type).toBe('ResourceNotFoundException');
  });

  it('answers a body over the limit with 413 and keeps serving', async () => {
    const big = await raw(emu, `${T}CreateResource`, JSON.stringify({ TypeName: 'AWS::IVS::Stage', DesiredState: 'x'.repeat(2 * 1024 * 1024) })).catch(
      (e: Error) => e,
    );
    // The server answers before reading the whole upload and closes; either outcome is a clean refusal.
    if (!(big instanceof Error)) expect(big).toMatchObject({ status: 413, json: { __type: 'RequestEntityTooLargeException' } });
    const ok = await raw(emu, `${T}ListResources`, '{"TypeName":"AWS::IVS::Stage"}');
    expect(ok.status).toBe(200);
  });

  it('survives a broken HTTP request and an aborted upload', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${emu.url}/`, { method: 'POST', headers: { 'X-Amz-Target': `${T}GetResource`, 'Content-Length': '100' } });
      req.on('error', () => resolve());
      req.write('{"TypeName":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    const ok = await raw(emu, `${T}ListResources`, '{"TypeName":"AWS::IVS::Stage"}');
    expect(ok.status).toBe(200);
  });

  it('counts calls per operation and resets them', async () => {
    await fetch(`${emu.url}/_ccql/reset`, { method: 'POST' });
    await raw(emu, `${T}ListResources`, '{"TypeName":"AWS::IVS::Stage"}');
    await raw(emu, `${T}ListResources`, '{"TypeName":"AWS::IVS::Stage"}');
    await raw(emu, `${T}GetResource`, '{"TypeName":"AWS::IVS::Stage","Identifier":"x"}');
    const stats = (await (await fetch(`${emu.url}/_ccql/stats`)).json()) as { calls: Record<string, number>; total: number };
    expect(stats).toEqual({ calls: { ListResources: 2, GetResource: 1 }, total: 3 });
    expect(emu.stats()).toEqual(stats);
    await fetch(`${emu.url}/_ccql/reset`, { method: 'POST' });
    expect(await (await fetch(`${emu.url}/_ccql/stats`)).json()).toEqual({ calls: {}, total: 0 });
  });
});

describe('knobs', () => {
  it('throttles per region with ThrottlingException (429)', async () => {
    // A bucket of one request that refills once every 1000 s: the second call is refused.
    const emu = await start({ throttleRps: 0.001 });
    const east = client(emu, 'us-east-1');
    const west = client(emu, 'us-west-2');
    await east.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' }));
    const throttled = await failure(east.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' })));
    expect(throttled).toEqual({ name: 'ThrottlingException', message: 'Rate exceeded', status: 429 });
    await west.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' }));
    east.destroy();
    west.destroy();
    await emu.stop();
  });

  it('injects retryable 5xx faults, which the SDK retries', async () => {
    const emu = await start({ faultRate: 1 });
    const c = client(emu, 'us-east-1', 2);
    const fault = await failure(c.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Stage', Identifier: 'x' })));
    expect(fault).toMatchObject({ name: 'ServiceInternalErrorException', status: 502 });
    // Two attempts reached the server: the SDK treated the fault as retryable.
    expect(emu.stats().calls.GetResource).toBe(2);
    c.destroy();
    await emu.stop();
  });

  it('adds latency without changing answers', async () => {
    const emu = await start({ latencyMs: 5 });
    const c = client(emu);
    const out = await c.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' }));
    expect(out.ResourceDescriptions).toEqual([]);
    c.destroy();
    await emu.stop();
  });

  it('rejects invalid options with a usage error', async () => {
    await expect(start({ faultRate: 2 })).rejects.toMatchObject({ code: 'usage', message: 'invalid fault rate 2' });
    await expect(start({ pageSize: 0 })).rejects.toMatchObject({ code: 'usage' });
    const a = await start();
    await expect(start({ port: a.port })).rejects.toMatchObject({ code: 'usage', message: `port ${a.port} on 127.0.0.1 is already in use` });
    await a.stop();
  });
});

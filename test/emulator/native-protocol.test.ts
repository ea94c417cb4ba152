/**
 * The native APIs on the wire: one port beside Cloud Control, each protocol's error format,
 * requests no service here knows, the call counters, the latency/throttle/fault knobs, and the
 * state kept in a data file like Cloud Control's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateChannelCommand, GetChannelCommand, IvsClient, ListChannelsCommand } from '@aws-sdk/client-ivs';
import { CreateConnectionCommand, DescribeConnectionCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { AppStreamClient, CreateFleetCommand, DescribeFleetsCommand, StartFleetCommand } from '@aws-sdk/client-appstream';
import { ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import { GetResourceCommand, ListResourcesCommand } from '@aws-sdk/client-cloudcontrol';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { configureNative } from '../../src/emulator/native/router.js';
import { clients, failure, json11, rest, startNative } from './native-helpers.js';
import { raw as ccRaw, start } from './emulator-helpers.js';

describe('on one port with Cloud Control', () => {
  let emu: RunningEmulator;
  let c: ReturnType<typeof clients>;

  beforeAll(async () => {
    emu = await startNative();
    c = clients(emu);
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('restJson1 errors: the status, x-amzn-ErrorType, and the message in the member the model names', async () => {
    const r = await rest(emu, 'POST', '/GetChannel', { arn: 'arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234' });
    expect(r.status).toBe(404);
    expect(r.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[-0-9a-f]{36}$/);
    expect(r.json).toEqual({ exceptionMessage: 'Resource arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234 not found' });
  });

  it('awsJson1.1 errors: __type and the message member each service uses', async () => {
    const events = await json11(emu, 'AWSEvents.DescribeConnection', { Name: 'missing' });
    expect(events.status).toBe(400);
    expect(events.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(events.json).toEqual({ __type: 'ResourceNotFoundException', message: "Connection 'missing' does not exist." });
    const appstream = await json11(emu, 'PhotonAdminProxyService.StartFleet', { Name: 'missing' });
    expect(appstream.json).toEqual({ __type: 'ResourceNotFoundException', Message: 'Fleet missing does not exist.' });
  });

  it('an operation no service here serves is UnknownOperationException in its protocol', async () => {
    const json = await json11(emu, 'AWSEvents.PutRule', { Name: 'r' });
    expect(json.status).toBe(400);
    expect(json.json.__type).toBe('UnknownOperationException');
    const restUnknown = await rest(emu, 'POST', '/CreatePlaybackKeyPair', {});
    expect(restUnknown.status).toBe(404);
    expect(restUnknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    // Not signed for a service here and at no path: what it always was, Cloud Control's answer.
    const elsewhere = await fetch(`${emu.url}/nowhere`);
    expect(elsewhere.status).toBe(400);
    expect(((await elsewhere.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    const cc = await ccRaw(emu, 'CloudApiService.NoSuchThing', '{}');
    expect(cc.json.__type).toBe('UnknownOperationException');
  });

  it('a body that is not JSON, or a member of the wrong type, is refused before anything runs', async () => {
    const json = await json11(emu, 'AWSEvents.ListConnections', '{not json');
    expect(json.json.__type).toBe('SerializationException');
    const typed = await json11(emu, 'AWSEvents.ListConnections', { Limit: 'ten' });
    expect(typed.json.__type).toBe('SerializationException');
    const restBad = await rest(emu, 'POST', '/ListChannels', '[1,2]');
    expect(restBad.status).toBe(400);
    expect(restBad.headers.get('x-amzn-errortype')).toBe('ValidationException');
    const tooBig = await json11(emu, 'AWSEvents.ListConnections', JSON.stringify({ NamePrefix: 'x'.repeat(1024 * 1024 + 10) }));
    expect(tooBig.status).toBe(413);
  });

  it('counts calls per service and operation in /_ccql/stats, beside Cloud Control’s, and resets them', async () => {
    await fetch(`${emu.url}/_ccql/reset`, { method: 'POST' });
    await c.ivs.send(new ListChannelsCommand({}));
    await c.ivs.send(new ListChannelsCommand({}));
    await c.realtime.send(new ListStagesCommand({}));
    await failure(c.events.send(new DescribeConnectionCommand({ Name: 'none' })));
    await c.appstream.send(new DescribeFleetsCommand({}));
    await c.cc.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Channel' }));
    const stats = (await (await fetch(`${emu.url}/_ccql/stats`)).json()) as { calls: Record<string, number>; total: number };
    expect(stats.calls).toEqual({
      'ivs:ListChannels': 2,
      'ivs-realtime:ListStages': 1,
      'events:DescribeConnection': 1,
      'appstream:DescribeFleets': 1,
      ListResources: 1,
    });
    expect(stats.total).toBe(6);
    expect((emu.stats().calls as Record<string, number>)['ivs:ListChannels']).toBe(2);
    await fetch(`${emu.url}/_ccql/reset`, { method: 'POST' });
    expect(((await (await fetch(`${emu.url}/_ccql/stats`)).json()) as { total: number }).total).toBe(0);
  });

  it('a native call and a Cloud Control call in flight at once both succeed', async () => {
    const [a, b] = await Promise.all([
      c.ivs.send(new CreateChannelCommand({ name: 'together' })),
      c.cc.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' })),
    ]);
    expect(a.channel?.name).toBe('together');
    expect(b.ResourceDescriptions).toBeDefined();
    const got = await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Channel', Identifier: a.channel!.arn! }));
    expect(got.ResourceDescription?.Identifier).toBe(a.channel!.arn);
  });
});

describe('the knobs', () => {
  it('throttling: a bucket per service and region, answered with ThrottlingException in each protocol', async () => {
    const emu = await startNative({ throttleRps: 1 });
    try {
      const c = clients(emu);
      await c.ivs.send(new ListChannelsCommand({}));
      const ivs = await failure(c.ivs.send(new ListChannelsCommand({})));
      expect(ivs).toMatchObject({ name: 'ThrottlingException', status: 429 });
      // Another service has its own bucket; its second call is throttled too.
      await c.events.send(new DescribeConnectionCommand({ Name: 'x' })).catch(() => undefined);
      const events = await failure(c.events.send(new DescribeConnectionCommand({ Name: 'x' })));
      expect(events).toMatchObject({ name: 'ThrottlingException', status: 400 });
      // A region has its own bucket.
      await expect(clients(emu, 'us-west-2').ivs.send(new ListChannelsCommand({}))).resolves.toBeDefined();
    } finally {
      await emu.stop();
    }
  });

  it('faults: every call answered with the service’s own internal error, which the SDK retries', async () => {
    const emu = await startNative({ faultRate: 1 });
    try {
      const c = clients(emu);
      expect(await failure(c.ivs.send(new ListChannelsCommand({})))).toMatchObject({ name: 'InternalServerException', status: 500 });
      expect(await failure(c.events.send(new DescribeConnectionCommand({ Name: 'x' })))).toMatchObject({ name: 'InternalException', status: 500 });
      expect(await failure(c.appstream.send(new DescribeFleetsCommand({})))).toMatchObject({ name: 'InternalFailure', status: 500 });
      const retrying = new AppStreamClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 2 });
      const f = await failure(retrying.send(new DescribeFleetsCommand({})));
      expect(f.name).toBe('InternalFailure');
      expect((emu.stats().calls as Record<string, number>)['appstream:DescribeFleets']).toBe(3);
    } finally {
      await emu.stop();
    }
  });
});

describe('state in a data file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ccql-native-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('what the native APIs made is there after a restart, and a fleet starting before it is running after', async () => {
    const dataFile = join(dir, 'state.json');
    let now = Date.UTC(2026, 5, 1);
    const first = await startNative({ dataFile }, { transitionMs: 1000, now: () => now });
    const cfg = { endpoint: first.url, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 };
    const { channel } = await new IvsClient(cfg).send(new CreateChannelCommand({ name: 'kept' }));
    await new EventBridgeClient(cfg).send(
      new CreateConnectionCommand({ Name: 'kept', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'kept-secret' } } }),
    );
    const as = new AppStreamClient(cfg);
    await as.send(new CreateFleetCommand({ Name: 'kept', ImageName: 'AppStream-WinServer2022-06-12-2024', InstanceType: 'stream.standard.small', ComputeCapacity: { DesiredInstances: 1 } }));
    await as.send(new StartFleetCommand({ Name: 'kept' }));
    await first.stop();

    const second = await startNative({ dataFile }, { transitionMs: 1000, now: () => now });
    try {
      const cfg2 = { ...cfg, endpoint: second.url };
      expect((await new IvsClient(cfg2).send(new GetChannelCommand({ arn: channel!.arn! }))).channel?.name).toBe('kept');
      const conn = await new EventBridgeClient(cfg2).send(new DescribeConnectionCommand({ Name: 'kept' }));
      expect(conn.AuthParameters).toEqual({ BasicAuthParameters: { Username: 'u' } });
      const as2 = new AppStreamClient(cfg2);
      expect((await as2.send(new DescribeFleetsCommand({ Names: ['kept'] }))).Fleets?.[0]?.State).toBe('STARTING');
      now += 1000;
      expect((await as2.send(new DescribeFleetsCommand({ Names: ['kept'] }))).Fleets?.[0]?.State).toBe('RUNNING');
      // Cloud Control in the new process sees the channel too.
      const cc = clients(second, 'eu-west-1').cc;
      expect((await cc.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Channel', Identifier: channel!.arn! }))).ResourceDescription?.Identifier).toBe(channel!.arn);
    } finally {
      await second.stop();
    }
  });

  it('two emulators on one data file see each other’s native changes', async () => {
    const dataFile = join(dir, 'shared.json');
    const a = await startNative({ dataFile });
    const b = await startNative({ dataFile });
    try {
      const ca = clients(a);
      const cb = clients(b);
      const { channel } = await ca.ivs.send(new CreateChannelCommand({ name: 'from-a' }));
      expect((await cb.ivs.send(new GetChannelCommand({ arn: channel!.arn! }))).channel?.name).toBe('from-a');
      await cb.realtime.send(new ListStagesCommand({}));
      const names = (await cb.ivs.send(new ListChannelsCommand({}))).channels?.map((ch) => ch.name);
      expect(names).toEqual(['from-a']);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

});

describe('the transition delay', () => {
  it('is $CCQL_EMULATOR_TRANSITION_MS where configureNative set none, and a bad one is refused', async () => {
    const emu = await start();
    const before = process.env.CCQL_EMULATOR_TRANSITION_MS;
    process.env.CCQL_EMULATOR_TRANSITION_MS = '0';
    try {
      const as = clients(emu).appstream;
      await as.send(new CreateFleetCommand({ Name: 'instant', ImageName: 'AppStream-WinServer2022-06-12-2024', InstanceType: 'stream.standard.small', ComputeCapacity: { DesiredInstances: 1 } }));
      await as.send(new StartFleetCommand({ Name: 'instant' }));
      expect((await as.send(new DescribeFleetsCommand({ Names: ['instant'] }))).Fleets?.[0]?.State).toBe('RUNNING');
      expect(() => configureNative(emu.service, { transitionMs: -1 })).toThrow(/invalid transition delay -1/);
    } finally {
      if (before === undefined) delete process.env.CCQL_EMULATOR_TRANSITION_MS;
      else process.env.CCQL_EMULATOR_TRANSITION_MS = before;
      await emu.stop();
    }
  });
});

/**
 * AppStream 2.0 through the real @aws-sdk/client-appstream over HTTP: fleets and AppStream's state
 * rules, the fields of the seed change log (EnableDefaultInternetAccess, ImageBuilderSupported,
 * AuthenticationType), paging, images, stacks, associations, streaming URLs and sessions; stacks
 * shared with Cloud Control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateStackCommand,
  CreateStreamingURLCommand,
  DeleteFleetCommand,
  DeleteStackCommand,
  DescribeFleetsCommand,
  DescribeImagesCommand,
  DescribeSessionsCommand,
  DescribeStacksCommand,
  DisassociateFleetCommand,
  ExpireSessionCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  StartFleetCommand,
  StopFleetCommand,
  UpdateFleetCommand,
  UpdateStackCommand,
  type Fleet,
  type Image,
} from '@aws-sdk/client-appstream';
import { CreateResourceCommand, GetResourceCommand } from '@aws-sdk/client-cloudcontrol';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { seedAppStreamSessions, seedNativeDemo } from '../../src/emulator/native/index.js';
import { model } from '../../src/emulator/native/models/appstream.js';
import { configureNative } from '../../src/emulator/native/router.js';
import { ccDone, clients, failure, json11, outputProblems, pollUntil, startNative } from './native-helpers.js';

let emu: RunningEmulator;
let c: ReturnType<typeof clients>;
/** The emulator's clock for AppStream's state changes: moved by the tests, never waited for. */
let now = Date.UTC(2026, 0, 1);

const IMAGE = 'AppStream-WinServer2019-06-12-2024';

beforeAll(async () => {
  // A small page size, so that a test sees DescribeFleets page.
  emu = await startNative({ pageSize: 2 }, { transitionMs: 60_000, now: () => now });
  c = clients(emu);
});
afterAll(async () => {
  await emu.stop();
});

async function fleet(name: string): Promise<Fleet> {
  const out = await c.appstream.send(new DescribeFleetsCommand({ Names: [name] }));
  return out.Fleets![0]!;
}

async function createFleet(name: string, extra: Partial<ConstructorParameters<typeof CreateFleetCommand>[0]> = {}): Promise<Fleet> {
  const out = await c.appstream.send(
    new CreateFleetCommand({ Name: name, ImageName: IMAGE, InstanceType: 'stream.standard.medium', ComputeCapacity: { DesiredInstances: 2 }, ...extra }),
  );
  return out.Fleet!;
}

async function running(name: string): Promise<void> {
  await c.appstream.send(new StartFleetCommand({ Name: name }));
  now += 60_000;
  expect((await fleet(name)).State).toBe('RUNNING');
}

describe('fleets', () => {
  it('CreateFleet answers a STOPPED fleet with the seed change log fields, in the API shape', async () => {
    const raw = await json11(emu, 'PhotonAdminProxyService.CreateFleet', {
      Name: 'seed-fleet',
      ImageName: IMAGE,
      InstanceType: 'stream.standard.medium',
      ComputeCapacity: { DesiredInstances: 1 },
      VpcConfig: { SubnetIds: ['subnet-0abc'] },
      MaxUserDurationInSeconds: 3600,
      DisconnectTimeoutInSeconds: 300,
      Description: 'from the change log',
      DisplayName: 'Seed fleet',
      EnableDefaultInternetAccess: true,
    });
    expect(raw.status).toBe(200);
    expect(outputProblems(model, 'CreateFleet', raw.json)).toEqual([]);
    expect(raw.json.Fleet).toMatchObject({
      Arn: 'arn:aws:appstream:us-east-1:123456789012:fleet/seed-fleet',
      Name: 'seed-fleet',
      DisplayName: 'Seed fleet',
      Description: 'from the change log',
      ImageName: IMAGE,
      ImageArn: `arn:aws:appstream:us-east-1::image/${IMAGE}`,
      InstanceType: 'stream.standard.medium',
      ComputeCapacityStatus: { Desired: 1, Running: 0, InUse: 0, Available: 0 },
      MaxUserDurationInSeconds: 3600,
      DisconnectTimeoutInSeconds: 300,
      State: 'STOPPED',
      VpcConfig: { SubnetIds: ['subnet-0abc'] },
      FleetErrors: [],
      EnableDefaultInternetAccess: true,
      FleetType: 'ON_DEMAND',
      Platform: 'WINDOWS_SERVER_2019',
    });
    expect(typeof (raw.json.Fleet as { CreatedTime: unknown }).CreatedTime).toBe('number');
    const f = await fleet('seed-fleet');
    expect(f.EnableDefaultInternetAccess).toBe(true);
    expect(f.CreatedTime).toBeInstanceOf(Date);
  });

  it('refuses a fleet without an image or capacity, with an unknown image, or a taken name', async () => {
    const noImage = await failure(c.appstream.send(new CreateFleetCommand({ Name: 'no-image', InstanceType: 'stream.standard.medium', ComputeCapacity: { DesiredInstances: 1 } })));
    expect(noImage).toMatchObject({ name: 'InvalidParameterCombinationException', status: 400 });
    const noCapacity = await failure(c.appstream.send(new CreateFleetCommand({ Name: 'no-capacity', ImageName: IMAGE, InstanceType: 'stream.standard.medium' })));
    expect(noCapacity.name).toBe('InvalidParameterCombinationException');
    const badImage = await failure(c.appstream.send(new CreateFleetCommand({ Name: 'bad-image', ImageName: 'No-Such-Image', InstanceType: 'stream.standard.medium', ComputeCapacity: { DesiredInstances: 1 } })));
    expect(badImage).toMatchObject({ name: 'ResourceNotFoundException', message: 'The image No-Such-Image does not exist.' });
    await createFleet('taken');
    expect((await failure(createFleet('taken'))).name).toBe('ResourceAlreadyExistsException');
    const badName = await json11(emu, 'PhotonAdminProxyService.CreateFleet', { Name: '-bad', InstanceType: 'x' });
    expect(badName.json).toEqual({
      __type: 'ValidationException',
      message: "1 validation error detected: Value '-bad' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$",
    });
    const timeout = await failure(createFleet('short', { DisconnectTimeoutInSeconds: 5 }));
    expect(timeout.message).toContain('DisconnectTimeoutInSeconds');
  });

  it('DescribeFleets pages through every fleet with NextToken, and describes fleets by name', async () => {
    for (const n of ['page-1', 'page-2', 'page-3', 'page-4', 'page-5']) await createFleet(n);
    const first = await c.appstream.send(new DescribeFleetsCommand({}));
    expect(first.Fleets).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const names: string[] = [];
    let pages = 0;
    let token: string | undefined;
    do {
      const page = await c.appstream.send(new DescribeFleetsCommand({ NextToken: token }));
      pages++;
      names.push(...(page.Fleets ?? []).map((f) => f.Name!));
      token = page.NextToken;
    } while (token && pages < 50);
    expect(pages).toBe(Math.ceil(names.length / 2));
    for (const n of ['page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'seed-fleet']) expect(names.filter((x) => x === n)).toHaveLength(1);

    const named = await c.appstream.send(new DescribeFleetsCommand({ Names: ['page-4', 'page-2'] }));
    expect(named.Fleets?.map((f) => f.Name)).toEqual(['page-4', 'page-2']);
    const missing = await failure(c.appstream.send(new DescribeFleetsCommand({ Names: ['page-1', 'nope'] })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: 'Fleet nope does not exist.' });
    const badToken = await failure(c.appstream.send(new DescribeFleetsCommand({ NextToken: 'bogus' })));
    expect(badToken.name).toBe('InvalidParameterCombinationException');
  });

  it('STOPPED → STARTING → RUNNING → STOPPING → STOPPED, as the transition delay passes', async () => {
    await createFleet('cycle');
    await c.appstream.send(new StartFleetCommand({ Name: 'cycle' }));
    expect((await fleet('cycle')).State).toBe('STARTING');
    now += 59_999;
    expect((await fleet('cycle')).State).toBe('STARTING');
    now += 1;
    const up = await fleet('cycle');
    expect(up.State).toBe('RUNNING');
    expect(up.ComputeCapacityStatus).toEqual({ Desired: 2, Running: 2, InUse: 0, Available: 2 });
    await c.appstream.send(new StartFleetCommand({ Name: 'cycle' }));
    expect((await fleet('cycle')).State).toBe('RUNNING');

    await c.appstream.send(new StopFleetCommand({ Name: 'cycle' }));
    expect((await fleet('cycle')).State).toBe('STOPPING');
    expect((await failure(c.appstream.send(new StartFleetCommand({ Name: 'cycle' })))).name).toBe('ConcurrentModificationException');
    now += 60_000;
    expect((await fleet('cycle')).State).toBe('STOPPED');
    expect((await failure(c.appstream.send(new StartFleetCommand({ Name: 'nope' })))).name).toBe('ResourceNotFoundException');
  });

  it("UpdateFleet keeps AppStream's rules: nothing while STARTING, only some attributes while RUNNING, anything but the name when STOPPED", async () => {
    await createFleet('rules');
    await c.appstream.send(new StartFleetCommand({ Name: 'rules' }));
    const starting = await failure(c.appstream.send(new UpdateFleetCommand({ Name: 'rules', DisplayName: 'x' })));
    expect(starting).toMatchObject({ name: 'ConcurrentModificationException', status: 400 });
    now += 60_000;

    const refused = await failure(c.appstream.send(new UpdateFleetCommand({ Name: 'rules', InstanceType: 'stream.standard.large' })));
    expect(refused).toMatchObject({ name: 'InvalidParameterCombinationException', status: 400 });
    expect(refused.message).toContain('InstanceType');
    expect(refused.message).toContain('RUNNING');
    const raw = await json11(emu, 'PhotonAdminProxyService.UpdateFleet', { Name: 'rules', EnableDefaultInternetAccess: true });
    expect(raw.json.__type).toBe('InvalidParameterCombinationException');
    expect(typeof raw.json.Message).toBe('string');

    const allowed = await c.appstream.send(new UpdateFleetCommand({ Name: 'rules', DisplayName: 'Renamed', ComputeCapacity: { DesiredInstances: 4 } }));
    expect(allowed.Fleet).toMatchObject({ DisplayName: 'Renamed', State: 'RUNNING', ComputeCapacityStatus: { Desired: 4, Running: 4 } });
    // The same value as now is no change.
    await c.appstream.send(new UpdateFleetCommand({ Name: 'rules', InstanceType: 'stream.standard.medium' }));

    await c.appstream.send(new StopFleetCommand({ Name: 'rules' }));
    now += 60_000;
    const stopped = await c.appstream.send(
      new UpdateFleetCommand({ Name: 'rules', InstanceType: 'stream.standard.large', EnableDefaultInternetAccess: true, VpcConfig: { SubnetIds: ['subnet-1'] } }),
    );
    expect(stopped.Fleet).toMatchObject({ InstanceType: 'stream.standard.large', EnableDefaultInternetAccess: true, VpcConfig: { SubnetIds: ['subnet-1'] } });
    const deleted = await c.appstream.send(new UpdateFleetCommand({ Name: 'rules', AttributesToDelete: ['VPC_CONFIGURATION'] }));
    expect(deleted.Fleet?.VpcConfig).toBeUndefined();
  });

  it('DeleteFleet only when STOPPED and no stack uses it', async () => {
    await createFleet('doomed');
    await running('doomed');
    const inUse = await failure(c.appstream.send(new DeleteFleetCommand({ Name: 'doomed' })));
    expect(inUse).toMatchObject({ name: 'ResourceInUseException', status: 400 });
    await c.appstream.send(new StopFleetCommand({ Name: 'doomed' }));
    now += 60_000;
    await c.appstream.send(new CreateStackCommand({ Name: 'doomed-stack' }));
    await c.appstream.send(new AssociateFleetCommand({ FleetName: 'doomed', StackName: 'doomed-stack' }));
    expect((await failure(c.appstream.send(new DeleteFleetCommand({ Name: 'doomed' })))).name).toBe('ResourceInUseException');
    await c.appstream.send(new DisassociateFleetCommand({ FleetName: 'doomed', StackName: 'doomed-stack' }));
    await c.appstream.send(new DeleteFleetCommand({ Name: 'doomed' }));
    expect((await failure(c.appstream.send(new DescribeFleetsCommand({ Names: ['doomed'] })))).name).toBe('ResourceNotFoundException');
  });
});

describe('images', () => {
  it('DescribeImages lists the public base images, with ImageBuilderSupported', async () => {
    const raw = await json11(emu, 'PhotonAdminProxyService.DescribeImages', {});
    expect(outputProblems(model, 'DescribeImages', raw.json)).toEqual([]);
    // The emulator's page size (2 here) bounds every list: page through them all.
    const images: Image[] = [];
    let token: string | undefined;
    do {
      const page = await c.appstream.send(new DescribeImagesCommand({ NextToken: token }));
      images.push(...(page.Images ?? []));
      token = page.NextToken;
    } while (token && images.length < 100);
    const all = { Images: images };
    expect(images.length).toBeGreaterThan(2);
    const win = all.Images?.find((i) => i.Name === IMAGE);
    expect(win).toMatchObject({ Visibility: 'PUBLIC', State: 'AVAILABLE', Platform: 'WINDOWS_SERVER_2019', ImageBuilderSupported: true, Arn: `arn:aws:appstream:us-east-1::image/${IMAGE}` });
    expect(win?.CreatedTime).toEqual(new Date(Date.UTC(2024, 5, 12)));
    expect(all.Images?.some((i) => i.ImageBuilderSupported === false)).toBe(true);

    const named = await c.appstream.send(new DescribeImagesCommand({ Names: [IMAGE] }));
    expect(named.Images?.map((i) => i.Name)).toEqual([IMAGE]);
    expect((await c.appstream.send(new DescribeImagesCommand({ Type: 'PRIVATE' }))).Images).toEqual([]);
    const both = await failure(c.appstream.send(new DescribeImagesCommand({ Names: [IMAGE], Arns: [win!.Arn!] })));
    expect(both.name).toBe('InvalidParameterCombinationException');
    expect((await failure(c.appstream.send(new DescribeImagesCommand({ Names: ['Nope-Image'] })))).name).toBe('ResourceNotFoundException');
    const paged = await c.appstream.send(new DescribeImagesCommand({ MaxResults: 1 }));
    expect(paged.Images).toHaveLength(1);
    expect(paged.NextToken).toBeDefined();
  });
});

describe('stacks and sessions', () => {
  it('a streaming URL needs the fleet RUNNING and associated; it opens a session DescribeSessions finds', async () => {
    await createFleet('stream-fleet');
    await c.appstream.send(new CreateStackCommand({ Name: 'stream-stack', DisplayName: 'Streaming' }));
    const notAssociated = await failure(c.appstream.send(new CreateStreamingURLCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet', UserId: 'alice' })));
    expect(notAssociated.name).toBe('InvalidParameterCombinationException');
    await c.appstream.send(new AssociateFleetCommand({ FleetName: 'stream-fleet', StackName: 'stream-stack' }));
    expect((await c.appstream.send(new ListAssociatedStacksCommand({ FleetName: 'stream-fleet' }))).Names).toEqual(['stream-stack']);
    expect((await c.appstream.send(new ListAssociatedFleetsCommand({ StackName: 'stream-stack' }))).Names).toEqual(['stream-fleet']);
    const stopped = await failure(c.appstream.send(new CreateStreamingURLCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet', UserId: 'alice' })));
    expect(stopped.name).toBe('ResourceNotAvailableException');

    await running('stream-fleet');
    const url = await c.appstream.send(new CreateStreamingURLCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet', UserId: 'alice', Validity: 300 }));
    expect(url.StreamingURL).toMatch(/^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/authenticate\?parameters=/);
    expect(url.Expires!.getTime()).toBe(now + 300_000);
    await c.appstream.send(new CreateStreamingURLCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet', UserId: 'bob' }));
    // The same user's second URL goes to the same session.
    await c.appstream.send(new CreateStreamingURLCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet', UserId: 'alice' }));
    const full = await failure(c.appstream.send(new CreateStreamingURLCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet', UserId: 'carol' })));
    expect(full.name).toBe('ResourceNotAvailableException');

    const pending = await c.appstream.send(new DescribeSessionsCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet' }));
    expect(pending.Sessions?.map((s) => [s.UserId, s.State, s.AuthenticationType, s.ConnectionState])).toEqual([
      ['alice', 'PENDING', 'API', 'NOT_CONNECTED'],
      ['bob', 'PENDING', 'API', 'NOT_CONNECTED'],
    ]);
    now += 60_000;
    const active = await c.appstream.send(new DescribeSessionsCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet', UserId: 'bob' }));
    expect(active.Sessions?.map((s) => [s.UserId, s.State, s.ConnectionState])).toEqual([['bob', 'ACTIVE', 'CONNECTED']]);
    expect((await fleet('stream-fleet')).ComputeCapacityStatus).toMatchObject({ Running: 2, InUse: 2, Available: 0 });
    const raw = await json11(emu, 'PhotonAdminProxyService.DescribeSessions', { StackName: 'stream-stack', FleetName: 'stream-fleet' });
    expect(outputProblems(model, 'DescribeSessions', raw.json)).toEqual([]);

    const busy = await failure(c.appstream.send(new DisassociateFleetCommand({ FleetName: 'stream-fleet', StackName: 'stream-stack' })));
    expect(busy.name).toBe('ResourceInUseException');
    await c.appstream.send(new ExpireSessionCommand({ SessionId: active.Sessions![0]!.Id! }));
    const after = await c.appstream.send(new DescribeSessionsCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet', UserId: 'bob' }));
    expect(after.Sessions?.[0]?.State).toBe('EXPIRED');
    // Stopping the fleet ends the rest.
    await c.appstream.send(new StopFleetCommand({ Name: 'stream-fleet' }));
    const ended = await c.appstream.send(new DescribeSessionsCommand({ StackName: 'stream-stack', FleetName: 'stream-fleet' }));
    expect(ended.Sessions?.map((s) => s.State)).toEqual(['EXPIRED', 'EXPIRED']);
  });

  it('DescribeSessions needs StackName and FleetName, filters by AuthenticationType (API by default) and pages with Limit', async () => {
    const missing = await json11(emu, 'PhotonAdminProxyService.DescribeSessions', { FleetName: 'f' });
    expect(missing.json).toEqual({ __type: 'ValidationException', message: "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null" });
    seedAppStreamSessions(emu.service, 'us-east-1', [
      { StackName: 'sso-stack', FleetName: 'sso-fleet', UserId: 'saml-user-1', AuthenticationType: 'SAML', State: 'ACTIVE' },
      { StackName: 'sso-stack', FleetName: 'sso-fleet', UserId: 'saml-user-2', AuthenticationType: 'SAML', State: 'ACTIVE' },
      { StackName: 'sso-stack', FleetName: 'sso-fleet', UserId: 'saml-user-3', AuthenticationType: 'SAML', State: 'PENDING' },
      { StackName: 'sso-stack', FleetName: 'sso-fleet', UserId: 'pool-user', AuthenticationType: 'USERPOOL', State: 'ACTIVE' },
    ]);
    expect((await c.appstream.send(new DescribeSessionsCommand({ StackName: 'sso-stack', FleetName: 'sso-fleet' }))).Sessions).toEqual([]);
    const saml = await c.appstream.send(new DescribeSessionsCommand({ StackName: 'sso-stack', FleetName: 'sso-fleet', AuthenticationType: 'SAML', Limit: 2 }));
    expect(saml.Sessions?.map((s) => s.UserId)).toEqual(['saml-user-1', 'saml-user-2']);
    const rest = await c.appstream.send(new DescribeSessionsCommand({ StackName: 'sso-stack', FleetName: 'sso-fleet', AuthenticationType: 'SAML', Limit: 2, NextToken: saml.NextToken }));
    expect(rest.Sessions?.map((s) => [s.UserId, s.State])).toEqual([['saml-user-3', 'PENDING']]);
    expect(rest.NextToken).toBeUndefined();
    const pool = await c.appstream.send(new DescribeSessionsCommand({ StackName: 'sso-stack', FleetName: 'sso-fleet', AuthenticationType: 'USERPOOL', UserId: 'pool-user' }));
    expect(pool.Sessions?.map((s) => s.AuthenticationType)).toEqual(['USERPOOL']);
    expect((await failure(c.appstream.send(new DescribeSessionsCommand({ StackName: 'a', FleetName: 'b', Limit: 51 })))).name).toBe('InvalidParameterCombinationException');
  });

  it('stacks are AWS::AppStream::Stack resources, visible to Cloud Control both ways', async () => {
    const created = await c.appstream.send(new CreateStackCommand({ Name: 'shared-stack', Description: 'Shared', Tags: { team: 'apps' }, ApplicationSettings: { Enabled: true, SettingsGroup: 'g1' } }));
    expect(created.Stack).toMatchObject({ Name: 'shared-stack', Arn: 'arn:aws:appstream:us-east-1:123456789012:stack/shared-stack', Description: 'Shared', StackErrors: [] });
    const props = JSON.parse((await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::AppStream::Stack', Identifier: 'shared-stack' }))).ResourceDescription!.Properties!);
    expect(props).toEqual({ Name: 'shared-stack', Description: 'Shared', Tags: [{ Key: 'team', Value: 'apps' }], ApplicationSettings: { Enabled: true, SettingsGroup: 'g1' } });
    await c.appstream.send(new UpdateStackCommand({ Name: 'shared-stack', DisplayName: 'Shared stack' }));
    const after = JSON.parse((await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::AppStream::Stack', Identifier: 'shared-stack' }))).ResourceDescription!.Properties!);
    expect(after.DisplayName).toBe('Shared stack');

    const done = await ccDone(c.cc, (await c.cc.send(new CreateResourceCommand({ TypeName: 'AWS::AppStream::Stack', DesiredState: JSON.stringify({ Name: 'cc-stack', DisplayName: 'From CC' }) }))).ProgressEvent);
    expect(done.OperationStatus).toBe('SUCCESS');
    const described = await c.appstream.send(new DescribeStacksCommand({ Names: ['cc-stack'] }));
    expect(described.Stacks?.[0]).toMatchObject({ Name: 'cc-stack', DisplayName: 'From CC', Arn: 'arn:aws:appstream:us-east-1:123456789012:stack/cc-stack' });

    await c.appstream.send(new DeleteStackCommand({ Name: 'shared-stack' }));
    expect((await failure(c.cc.send(new GetResourceCommand({ TypeName: 'AWS::AppStream::Stack', Identifier: 'shared-stack' })))).name).toBe('ResourceNotFoundException');
    expect((await failure(c.appstream.send(new DescribeStacksCommand({ Names: ['shared-stack'] })))).name).toBe('ResourceNotFoundException');
  });
});

describe('the real clock', () => {
  it('a fleet started with a short transition delay is RUNNING once it has passed (read lazily, no timer)', async () => {
    configureNative(emu.service, { now: Date.now, transitionMs: 30 });
    try {
      await createFleet('real-clock');
      await c.appstream.send(new StartFleetCommand({ Name: 'real-clock' }));
      const f = await pollUntil(() => fleet('real-clock'), (x) => x.State === 'RUNNING');
      expect(f.State).toBe('RUNNING');
    } finally {
      configureNative(emu.service, { now: () => now, transitionMs: 60_000 });
    }
  });
});

describe('the demo account', () => {
  it('seedNativeDemo adds a running fleet with sessions, a stopped one and a stack, in two regions', async () => {
    const demo = await startNative();
    try {
      seedNativeDemo(demo.service);
      for (const region of ['us-east-1', 'us-west-2']) {
        const short = region === 'us-east-1' ? 'east' : 'west';
        const as = clients(demo, region).appstream;
        const fleets = (await as.send(new DescribeFleetsCommand({}))).Fleets ?? [];
        expect(fleets.map((f) => [f.Name, f.State, f.EnableDefaultInternetAccess])).toEqual([
          [`sales-apps-${short}`, 'RUNNING', true],
          [`design-tools-${short}`, 'STOPPED', false],
        ]);
        expect(fleets[0]!.ComputeCapacityStatus).toEqual({ Desired: 3, Running: 3, InUse: 2, Available: 1 });
        const saml = await as.send(new DescribeSessionsCommand({ StackName: `sales-portal-${short}`, FleetName: `sales-apps-${short}`, AuthenticationType: 'SAML' }));
        expect(saml.Sessions?.map((s) => [s.UserId, s.State])).toEqual([['bob@example.com', 'ACTIVE']]);
        const cc = clients(demo, region).cc;
        expect((await cc.send(new GetResourceCommand({ TypeName: 'AWS::AppStream::Stack', Identifier: `sales-portal-${short}` }))).ResourceDescription?.Identifier).toBe(`sales-portal-${short}`);
      }
    } finally {
      await demo.stop();
    }
  });
});

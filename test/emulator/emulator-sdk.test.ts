/**
 * The emulator driven through the real AWS SDK over HTTP: every operation, the paginator, the
 * ResourceRequestSuccess waiter, the property classes, requests and their errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelResourceRequestCommand,
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourceRequestsCommand,
  ListResourcesCommand,
  UpdateResourceCommand,
  paginateListResourceRequests,
  paginateListResources,
  waitUntilResourceRequestSuccess,
  type CloudControlClient,
  type ProgressEvent,
} from '@aws-sdk/client-cloudcontrol';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { client, failure, start } from './emulator-helpers.js';

const STAGE = 'AWS::IVS::Stage';
const CONNECTION = 'AWS::Events::Connection';

async function createAndWait(c: CloudControlClient, typeName: string, desired: object): Promise<ProgressEvent> {
  const out = await c.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }));
  expect(out.ProgressEvent?.OperationStatus).toBe('IN_PROGRESS');
  const done = await waitUntilResourceRequestSuccess({ client: c, maxWaitTime: 30 }, { RequestToken: out.ProgressEvent!.RequestToken! });
  expect(done.state).toBe('SUCCESS');
  return (done.reason as { ProgressEvent: ProgressEvent }).ProgressEvent;
}

describe('emulator over HTTP with the AWS SDK', () => {
  let emu: RunningEmulator;
  let c: CloudControlClient;

  beforeAll(async () => {
    emu = await start({ pageSize: 3 });
    c = client(emu);
  });
  afterAll(async () => {
    c.destroy();
    await emu.stop();
  });

  it('creates, reads, lists, updates and deletes a stage', async () => {
    const created = await createAndWait(c, STAGE, { Name: 'lifecycle', Tags: [{ Key: 'team', Value: 'a' }] });
    const id = created.Identifier!;
    expect(id).toMatch(/^arn:aws:ivs:us-east-1:123456789012:stage\/[a-zA-Z0-9-]+$/);
    expect(created.EventTime).toBeInstanceOf(Date);
    expect(JSON.parse(created.ResourceModel!)).toMatchObject({ Name: 'lifecycle', Arn: id });

    const got = await c.send(new GetResourceCommand({ TypeName: STAGE, Identifier: id }));
    expect(got.TypeName).toBe(STAGE);
    expect(got.ResourceDescription?.Identifier).toBe(id);
    const props = JSON.parse(got.ResourceDescription!.Properties!) as Record<string, unknown>;
    expect(props).toMatchObject({ Name: 'lifecycle', Arn: id, Tags: [{ Key: 'team', Value: 'a' }] });
    expect(typeof props.ActiveSessionId).toBe('string');

    const listed = await c.send(new ListResourcesCommand({ TypeName: STAGE }));
    const mine = listed.ResourceDescriptions?.find((d) => d.Identifier === id);
    // As most real list handlers do: only the primary identifier.
    expect(JSON.parse(mine!.Properties!)).toEqual({ Arn: id });

    const upd = await c.send(
      new UpdateResourceCommand({ TypeName: STAGE, Identifier: id, PatchDocument: JSON.stringify([{ op: 'replace', path: '/Name', value: 'renamed' }]) }),
    );
    expect(upd.ProgressEvent).toMatchObject({ Operation: 'UPDATE', OperationStatus: 'IN_PROGRESS', Identifier: id });
    const updDone = await waitUntilResourceRequestSuccess({ client: c, maxWaitTime: 30 }, { RequestToken: upd.ProgressEvent!.RequestToken! });
    expect(updDone.state).toBe('SUCCESS');
    const after = await c.send(new GetResourceCommand({ TypeName: STAGE, Identifier: id }));
    expect(JSON.parse(after.ResourceDescription!.Properties!)).toMatchObject({ Name: 'renamed', Arn: id });

    const del = await c.send(new DeleteResourceCommand({ TypeName: STAGE, Identifier: id }));
    expect(del.ProgressEvent).toMatchObject({ Operation: 'DELETE', Identifier: id });
    const status = await c.send(new GetResourceRequestStatusCommand({ RequestToken: del.ProgressEvent!.RequestToken! }));
    expect(status.ProgressEvent?.OperationStatus).toBe('SUCCESS');
    const gone = await failure(c.send(new GetResourceCommand({ TypeName: STAGE, Identifier: id })));
    expect(gone).toEqual({
      name: 'ResourceNotFoundException',
      message: `Resource of type '${STAGE}' with identifier '${id}' was not found.`,
      status: 404,
    });
  });

  it('pages ListResources with the SDK paginator, and filters by list parents', async () => {
    const region = 'eu-west-1';
    const stages = emu.seedResources(STAGE, region, Array.from({ length: 8 }, (_, i) => ({ Name: `p${i}` })));
    const rc = client(emu, region);
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const page of paginateListResources({ client: rc }, { TypeName: STAGE })) {
      pages.push(page.ResourceDescriptions!.length);
      seen.push(...page.ResourceDescriptions!.map((d) => d.Identifier!));
    }
    expect(pages).toEqual([3, 3, 2]);
    expect(seen).toEqual(stages.map((s) => s.identifier));

    const channels = emu.seedResources('AWS::IVS::Channel', region, [{ Name: 'one' }, { Name: 'two' }]);
    const [one, two] = channels.map((ch) => ch.properties.Arn as string) as [string, string];
    emu.seedResources('AWS::IVS::StreamKey', region, [{ ChannelArn: one }, { ChannelArn: one }, { ChannelArn: two }]);
    const missing = await failure(rc.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::StreamKey' })));
    expect(missing.name).toBe('InvalidRequestException');
    expect(missing.message).toContain('Required property:  [ChannelArn]');
    const keys = await rc.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::StreamKey', ResourceModel: JSON.stringify({ ChannelArn: one }) }));
    expect(keys.ResourceDescriptions).toHaveLength(2);
    for (const k of keys.ResourceDescriptions!) expect(JSON.parse(k.Properties!)).toEqual({ Arn: k.Identifier, ChannelArn: one });
    rc.destroy();
  });

  it('keeps regions apart, taking the region from the SigV4 credential scope', async () => {
    const west = client(emu, 'us-west-2');
    const created = await createAndWait(west, STAGE, { Name: 'west-only' });
    expect(created.Identifier).toContain(':us-west-2:');
    await west.send(new GetResourceCommand({ TypeName: STAGE, Identifier: created.Identifier! }));
    const elsewhere = await failure(c.send(new GetResourceCommand({ TypeName: STAGE, Identifier: created.Identifier! })));
    expect(elsewhere.name).toBe('ResourceNotFoundException');
    west.destroy();
  });

  it('refuses a request signed for what is no region\'s name, as AWS does, instead of answering for the default region', async () => {
    for (const region of ['US-WEST-2', 'Eu-West-1']) {
      const odd = client(emu, region);
      const e = await failure(odd.send(new ListResourcesCommand({ TypeName: STAGE })));
      expect(e).toMatchObject({ name: 'InvalidSignatureException', message: 'Credential should be scoped to a valid region.', status: 403 });
      odd.destroy();
    }
  });

  it('stores write-only properties but never returns them', async () => {
    const secret = 'hunter2-do-not-print';
    const created = await createAndWait(c, CONNECTION, {
      Name: 'crm',
      AuthorizationType: 'BASIC',
      AuthParameters: { BasicAuthParameters: { Username: 'u', Password: secret } },
    });
    expect(created.Identifier).toBe('crm');
    expect(created.ResourceModel).not.toContain(secret);
    const got = await c.send(new GetResourceCommand({ TypeName: CONNECTION, Identifier: 'crm' }));
    expect(got.ResourceDescription!.Properties).not.toContain(secret);
    expect(JSON.parse(got.ResourceDescription!.Properties!)).toMatchObject({ AuthParameters: { BasicAuthParameters: { Username: 'u' } } });
    const arn = (JSON.parse(got.ResourceDescription!.Properties!) as { Arn: string }).Arn;
    expect(arn).toMatch(/^arn:aws:events:us-east-1:123456789012:connection\/crm\/[-a-f0-9]+$/);
    // The patch applies to the read model, which has no write-only value: a test cannot probe it.
    const probe = await failure(
      c.send(
        new UpdateResourceCommand({
          TypeName: CONNECTION,
          Identifier: 'crm',
          PatchDocument: JSON.stringify([{ op: 'test', path: '/AuthParameters/BasicAuthParameters/Password', value: secret }]),
        }),
      ),
    );
    expect(probe).toMatchObject({ name: 'ValidationException', message: '[TEST Operation] noSuchPath in source, path provided : //AuthParameters/BasicAuthParameters/Password' });
    // A validation error about a write-only value does not quote it.
    const bad = await failure(
      c.send(
        new UpdateResourceCommand({
          TypeName: CONNECTION,
          Identifier: 'crm',
          PatchDocument: JSON.stringify([{ op: 'add', path: '/AuthParameters/BasicAuthParameters/Password', value: `\u0001${secret}` }]),
        }),
      ),
    );
    expect(bad.name).toBe('ValidationException');
    expect(bad.message).toContain('#/AuthParameters/BasicAuthParameters/Password');
    expect(bad.message).not.toContain(secret);
  });

  it('accepts the JSON form of an identifier and additional identifiers', async () => {
    const created = await createAndWait(c, STAGE, { Name: 'json-id' });
    const byJson = await c.send(new GetResourceCommand({ TypeName: STAGE, Identifier: JSON.stringify({ Arn: created.Identifier }) }));
    expect(byJson.ResourceDescription?.Identifier).toBe(created.Identifier);

    const app = await createAndWait(c, 'AWS::AppConfig::Application', { Name: 'my-app' });
    const byName = await c.send(new GetResourceCommand({ TypeName: 'AWS::AppConfig::Application', Identifier: 'my-app' }));
    expect(byName.ResourceDescription?.Identifier).toBe(app.Identifier);
    const byNameJson = await c.send(new GetResourceCommand({ TypeName: 'AWS::AppConfig::Application', Identifier: '{"Name":"my-app"}' }));
    expect(byNameJson.ResourceDescription?.Identifier).toBe(app.Identifier);
  });

  it('joins a compound primary identifier with |', async () => {
    const group = await createAndWait(c, 'AWS::Logs::LogGroup', { LogGroupName: 'app-logs' });
    expect(group.Identifier).toBe('app-logs');
    const stream = await createAndWait(c, 'AWS::Logs::LogStream', { LogGroupName: 'app-logs', LogStreamName: 's1' });
    expect(stream.Identifier).toBe('app-logs|s1');
    const got = await c.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogStream', Identifier: 'app-logs|s1' }));
    expect(JSON.parse(got.ResourceDescription!.Properties!)).toEqual({ LogGroupName: 'app-logs', LogStreamName: 's1' });
  });

  it('validates desired states and patches against the schema, in the service wording', async () => {
    const missing = await failure(c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogStream', DesiredState: '{"LogStreamName":"x"}' })));
    expect(missing).toEqual({ name: 'ValidationException', message: 'Model validation failed (#: required key [LogGroupName] not found)', status: 400 });

    const extra = await failure(c.send(new CreateResourceCommand({ TypeName: STAGE, DesiredState: '{"Name":"ok","Colour":"red"}' })));
    expect(extra.message).toBe('Model validation failed (#: extraneous key [Colour] is not permitted)');

    const pattern = await failure(c.send(new CreateResourceCommand({ TypeName: STAGE, DesiredState: '{"Name":"no spaces"}' })));
    expect(pattern.message).toBe('Model validation failed (#/Name: string [no spaces] does not match pattern ^[a-zA-Z0-9-_]*$)');

    const readOnly = await failure(c.send(new CreateResourceCommand({ TypeName: STAGE, DesiredState: '{"Arn":"arn:aws:ivs:us-east-1:1:stage/x"}' })));
    expect(readOnly.message).toBe('Model validation failed (#: extraneous key [Arn] is not permitted)');

    const notJson = await failure(c.send(new CreateResourceCommand({ TypeName: STAGE, DesiredState: '{"Name":' })));
    expect(notJson).toMatchObject({ name: 'ValidationException', message: 'DesiredState is not valid JSON' });

    const conn = await createAndWait(c, CONNECTION, { Name: 'immutable', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } });
    const createOnly = await failure(
      c.send(new UpdateResourceCommand({ TypeName: CONNECTION, Identifier: conn.Identifier!, PatchDocument: '[{"op":"replace","path":"/Name","value":"other"}]' })),
    );
    expect(createOnly).toEqual({ name: 'NotUpdatableException', message: 'Invalid patch update: createOnlyProperties [/properties/Name] cannot be updated', status: 400 });

    const badPatch = await failure(
      c.send(new UpdateResourceCommand({ TypeName: CONNECTION, Identifier: conn.Identifier!, PatchDocument: '[{"op":"remove","path":"/Nope"}]' })),
    );
    expect(badPatch).toMatchObject({ name: 'ValidationException', message: '[REMOVE Operation] noSuchPath in source, path provided : //Nope' });

    const invalidAfter = await failure(
      c.send(new UpdateResourceCommand({ TypeName: CONNECTION, Identifier: conn.Identifier!, PatchDocument: '[{"op":"replace","path":"/AuthorizationType","value":"KERBEROS"}]' })),
    );
    expect(invalidAfter.message).toBe('Model validation failed (#/AuthorizationType: KERBEROS is not a valid enum value)');
  });

  it('answers TypeNotFoundException and UnsupportedActionException', async () => {
    const unknown = await failure(c.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Studio', Identifier: 'x' })));
    expect(unknown).toEqual({ name: 'TypeNotFoundException', message: "The type 'AWS::IVS::Studio' cannot be found.", status: 404 });
    // AWS::SQS::QueueInlinePolicy has no list handler; AWS::Logs::LogStream has no update handler.
    const noList = await failure(c.send(new ListResourcesCommand({ TypeName: 'AWS::SQS::QueueInlinePolicy' })));
    expect(noList).toMatchObject({ name: 'UnsupportedActionException', status: 405 });
    const noUpdate = await failure(c.send(new UpdateResourceCommand({ TypeName: 'AWS::Logs::LogStream', Identifier: 'a|b', PatchDocument: '[]' })));
    expect(noUpdate).toMatchObject({ name: 'UnsupportedActionException', status: 405 });
  });

  it('fails requests asynchronously: AlreadyExists, NotFound', async () => {
    await createAndWait(c, 'AWS::Logs::LogGroup', { LogGroupName: 'twice' });
    const again = await c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"twice"}' }));
    const failed = await waitUntilResourceRequestSuccess({ client: c, maxWaitTime: 30 }, { RequestToken: again.ProgressEvent!.RequestToken! }).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    const status = await c.send(new GetResourceRequestStatusCommand({ RequestToken: again.ProgressEvent!.RequestToken! }));
    expect(status.ProgressEvent).toMatchObject({
      OperationStatus: 'FAILED',
      ErrorCode: 'AlreadyExists',
      StatusMessage: "Resource of type 'AWS::Logs::LogGroup' with identifier 'twice' already exists.",
    });

    const del = await c.send(new DeleteResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: 'never-was' }));
    const delStatus = await c.send(new GetResourceRequestStatusCommand({ RequestToken: del.ProgressEvent!.RequestToken! }));
    expect(delStatus.ProgressEvent).toMatchObject({ OperationStatus: 'FAILED', ErrorCode: 'NotFound' });
    expect(delStatus.ProgressEvent?.StatusMessage).toBe("Resource of type 'AWS::Logs::LogGroup' with identifier 'never-was' was not found.");

    const noToken = await failure(c.send(new GetResourceRequestStatusCommand({ RequestToken: 'abc' })));
    expect(noToken).toMatchObject({ name: 'RequestTokenNotFoundException', status: 404 });
  });

  it('honours ClientToken idempotency', async () => {
    const input = { TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"idem"}', ClientToken: 'token-1' };
    const first = await c.send(new CreateResourceCommand(input));
    const second = await c.send(new CreateResourceCommand(input));
    expect(second.ProgressEvent?.RequestToken).toBe(first.ProgressEvent?.RequestToken);
    expect(second.ProgressEvent?.OperationStatus).toBe('SUCCESS');
    const conflict = await failure(c.send(new CreateResourceCommand({ ...input, DesiredState: '{"LogGroupName":"other"}' })));
    expect(conflict).toMatchObject({ name: 'ClientTokenConflictException', status: 409 });
  });

  it('lists resource requests with a status filter, through the paginator', async () => {
    const all: ProgressEvent[] = [];
    for await (const page of paginateListResourceRequests({ client: c, pageSize: 2 }, { ResourceRequestStatusFilter: { OperationStatuses: ['FAILED'] } })) {
      all.push(...(page.ResourceRequestStatusSummaries ?? []));
    }
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.every((e) => e.OperationStatus === 'FAILED')).toBe(true);
    const deletes = await c.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ['DELETE'] } }));
    expect(deletes.ResourceRequestStatusSummaries!.length).toBeGreaterThan(0);
    expect(deletes.ResourceRequestStatusSummaries!.every((e) => e.Operation === 'DELETE')).toBe(true);
  });
});

describe('requests that stay in progress', () => {
  let emu: RunningEmulator;
  let c: CloudControlClient;

  beforeAll(async () => {
    // Long enough never to complete during the test: completion is driven by cancellation only.
    emu = await start({ requestDelayMs: 3_600_000 });
    c = client(emu);
  });
  afterAll(async () => {
    c.destroy();
    await emu.stop();
  });

  it('refuses a concurrent operation, then cancels the pending request', async () => {
    const created = emu.seedResources('AWS::Logs::LogGroup', 'us-east-1', [{ LogGroupName: 'busy' }]);
    const id = created[0]!.identifier;
    const upd = await c.send(new UpdateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: id, PatchDocument: '[{"op":"add","path":"/RetentionInDays","value":7}]' }));
    expect(upd.ProgressEvent?.OperationStatus).toBe('IN_PROGRESS');
    const busy = await failure(c.send(new DeleteResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: id })));
    expect(busy).toMatchObject({ name: 'ConcurrentOperationException', status: 409 });

    const inProgress = await c.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { OperationStatuses: ['IN_PROGRESS'] } }));
    expect(inProgress.ResourceRequestStatusSummaries?.map((e) => e.RequestToken)).toContain(upd.ProgressEvent!.RequestToken);

    const cancel = await c.send(new CancelResourceRequestCommand({ RequestToken: upd.ProgressEvent!.RequestToken! }));
    expect(cancel.ProgressEvent?.OperationStatus).toBe('CANCEL_IN_PROGRESS');
    const status = await c.send(new GetResourceRequestStatusCommand({ RequestToken: upd.ProgressEvent!.RequestToken! }));
    expect(status.ProgressEvent?.OperationStatus).toBe('CANCEL_COMPLETE');
    // The cancelled update never happened, and the resource is free again.
    const got = await c.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: id }));
    expect(JSON.parse(got.ResourceDescription!.Properties!).RetentionInDays).toBeUndefined();
    const again = await failure(c.send(new CancelResourceRequestCommand({ RequestToken: upd.ProgressEvent!.RequestToken! })));
    expect(again.name).toBe('ConcurrentModificationException');
    const del = await c.send(new DeleteResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: id }));
    expect(del.ProgressEvent?.OperationStatus).toBe('IN_PROGRESS');
  });

  it('completes due requests when the delay has passed', async () => {
    const fast = await start({ requestDelayMs: 1 });
    const fc = client(fast);
    const out = await fc.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"soon"}' }));
    const done = await waitUntilResourceRequestSuccess({ client: fc, maxWaitTime: 30, minDelay: 1 }, { RequestToken: out.ProgressEvent!.RequestToken! });
    expect(done.state).toBe('SUCCESS');
    fc.destroy();
    await fast.stop();
  });
});

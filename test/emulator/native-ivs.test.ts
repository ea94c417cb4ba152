/**
 * Amazon IVS channels and stream keys through the real @aws-sdk/client-ivs over HTTP, and the
 * same account through Cloud Control: what either API creates, the other sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetChannelCommand,
  BatchGetStreamKeyCommand,
  CreateChannelCommand,
  CreateStreamKeyCommand,
  DeleteChannelCommand,
  DeleteStreamKeyCommand,
  GetChannelCommand,
  GetStreamKeyCommand,
  ListChannelsCommand,
  ListStreamKeysCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateChannelCommand,
  paginateListChannels,
} from '@aws-sdk/client-ivs';
import { CreateResourceCommand, GetResourceCommand, ListResourcesCommand, UpdateResourceCommand } from '@aws-sdk/client-cloudcontrol';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { model } from '../../src/emulator/native/models/ivs.js';
import { ccDone, clients, failure, outputProblems, rest, startNative } from './native-helpers.js';

let emu: RunningEmulator;
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  emu = await startNative();
  c = clients(emu);
});
afterAll(async () => {
  await emu.stop();
});

const MISSING = 'arn:aws:ivs:us-east-1:123456789012:channel/doesNotExist';

describe('channels', () => {
  it('CreateChannel answers the channel and its stream key, with IVS defaults and the API shape', async () => {
    const raw = await rest(emu, 'POST', '/CreateChannel', { name: 'keynote', tags: { env: 'prod' } });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/json');
    expect(outputProblems(model, 'CreateChannel', raw.json)).toEqual([]);
    const channel = raw.json.channel as Record<string, unknown>;
    expect(channel).toMatchObject({
      name: 'keynote',
      latencyMode: 'LOW',
      type: 'STANDARD',
      authorized: false,
      insecureIngest: false,
      recordingConfigurationArn: '',
      preset: '',
      containerFormat: 'TS',
      tags: { env: 'prod' },
    });
    expect(channel.arn).toMatch(/^arn:aws:ivs:us-east-1:123456789012:channel\/[a-zA-Z0-9]{12}$/);
    expect(channel.ingestEndpoint).toMatch(/\.global-contribute\.live-video\.net$/);
    expect(channel.playbackUrl).toMatch(/^https:\/\/.+\.m3u8$/);
    const key = raw.json.streamKey as Record<string, unknown>;
    expect(key.channelArn).toBe(channel.arn);
    expect(key.value).toMatch(/^sk_us-east-1_/);

    const got = await c.ivs.send(new GetChannelCommand({ arn: String(channel.arn) }));
    expect(got.channel?.name).toBe('keynote');
    expect(got.channel?.srt?.passphrase).toBe((channel.srt as { passphrase: string }).passphrase);
  });

  it('GetChannel, UpdateChannel and DeleteChannel name a channel by ARN; an unknown one is a 404', async () => {
    const { channel } = await c.ivs.send(new CreateChannelCommand({ name: 'to-update' }));
    const arn = channel!.arn!;
    const updated = await c.ivs.send(new UpdateChannelCommand({ arn, latencyMode: 'NORMAL', type: 'ADVANCED_HD', authorized: true }));
    expect(updated.channel).toMatchObject({ name: 'to-update', latencyMode: 'NORMAL', type: 'ADVANCED_HD', authorized: true });
    expect((await c.ivs.send(new GetChannelCommand({ arn }))).channel?.latencyMode).toBe('NORMAL');

    await c.ivs.send(new DeleteChannelCommand({ arn }));
    for (const p of [c.ivs.send(new GetChannelCommand({ arn })), c.ivs.send(new DeleteChannelCommand({ arn })), c.ivs.send(new UpdateChannelCommand({ arn, name: 'x' }))]) {
      const f = await failure(p);
      expect(f).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
      expect(f.exceptionMessage).toContain(arn);
    }
  });

  it('DeleteChannel answers 204 with no body', async () => {
    const { channel } = await c.ivs.send(new CreateChannelCommand({}));
    const raw = await rest(emu, 'POST', '/DeleteChannel', { arn: channel!.arn });
    expect(raw.status).toBe(204);
    expect(raw.text).toBe('');
  });

  it('refuses what the model refuses, in the front end wording, and the service rules', async () => {
    const bad = await failure(c.ivs.send(new CreateChannelCommand({ name: 'has spaces!' })));
    expect(bad).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(bad.exceptionMessage).toBe(
      "1 validation error detected: Value 'has spaces!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]*",
    );
    const missing = await rest(emu, 'POST', '/GetChannel', {});
    expect(missing.status).toBe(400);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(missing.json).toEqual({ exceptionMessage: "1 validation error detected: Value null at 'arn' failed to satisfy constraint: Member must not be null" });
    const enumBad = await rest(emu, 'POST', '/CreateChannel', { latencyMode: 'FAST', type: 'HUGE' });
    expect(String(enumBad.json.exceptionMessage)).toMatch(/^2 validation errors detected: .*'latencyMode'.*\[NORMAL, LOW\].*'type'/);

    const preset = await failure(c.ivs.send(new CreateChannelCommand({ type: 'STANDARD', preset: 'HIGHER_BANDWIDTH_DELIVERY' })));
    expect(preset.name).toBe('ValidationException');
    expect(preset.exceptionMessage).toContain('ADVANCED');
    const advanced = await c.ivs.send(new CreateChannelCommand({ type: 'ADVANCED_SD' }));
    expect(advanced.channel?.preset).toBe('HIGHER_BANDWIDTH_DELIVERY');
    const multitrack = await failure(c.ivs.send(new CreateChannelCommand({ multitrackInputConfiguration: { enabled: true, policy: 'ALLOW' } })));
    expect(multitrack.exceptionMessage).toContain('FRAGMENTED_MP4');
  });

  it("refuses a request signed for what is no region's name (restJson1), as AWS does", async () => {
    const odd = clients(emu, 'US-EAST-1');
    const e = await failure(odd.ivs.send(new ListChannelsCommand({})));
    expect(e).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
    odd.ivs.destroy();
  });

  it('ListChannels pages with nextToken, filters by name, and refuses two filters at once (409)', async () => {
    const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
    for (const name of names) await c.ivs.send(new CreateChannelCommand({ name, recordingConfigurationArn: '' }));
    const first = await c.ivs.send(new ListChannelsCommand({ maxResults: 2 }));
    expect(first.channels).toHaveLength(2);
    expect(first.nextToken).toBeDefined();
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListChannels({ client: c.ivs, pageSize: 2 }, {})) {
      pages++;
      for (const ch of page.channels ?? []) seen.push(ch.name!);
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const n of names) expect(seen.filter((s) => s === n)).toHaveLength(1);

    const byName = await c.ivs.send(new ListChannelsCommand({ filterByName: 'page-c' }));
    expect(byName.channels?.map((ch) => ch.name)).toEqual(['page-c']);
    // A summary, not the whole channel.
    const raw = await rest(emu, 'POST', '/ListChannels', { filterByName: 'page-c' });
    expect(outputProblems(model, 'ListChannels', raw.json)).toEqual([]);
    expect(Object.keys((raw.json.channels as object[])[0]!)).not.toContain('ingestEndpoint');

    const both = await failure(c.ivs.send(new ListChannelsCommand({ filterByName: 'page-c', filterByRecordingConfigurationArn: '' })));
    expect(both).toMatchObject({ name: 'ConflictException', status: 409 });
    const token = await failure(c.ivs.send(new ListChannelsCommand({ nextToken: 'bm90LWEtdG9rZW4' })));
    expect(token).toMatchObject({ name: 'ValidationException', status: 400 });
  });

  it('BatchGetChannel answers the channels found and an error for each one not', async () => {
    const { channel } = await c.ivs.send(new CreateChannelCommand({ name: 'batch' }));
    const out = await c.ivs.send(new BatchGetChannelCommand({ arns: [channel!.arn!, MISSING] }));
    expect(out.channels?.map((ch) => ch.name)).toEqual(['batch']);
    expect(out.errors).toEqual([{ arn: MISSING, code: 'ResourceNotFoundException', message: expect.stringContaining(MISSING) }]);
  });

  it('keeps channels per region', async () => {
    const west = clients(emu, 'us-west-2');
    const { channel } = await west.ivs.send(new CreateChannelCommand({ name: 'west-only' }));
    expect(channel?.arn).toMatch(/^arn:aws:ivs:us-west-2:/);
    expect((await west.ivs.send(new ListChannelsCommand({ filterByName: 'west-only' }))).channels).toHaveLength(1);
    expect((await c.ivs.send(new ListChannelsCommand({ filterByName: 'west-only' }))).channels).toHaveLength(0);
  });
});

describe('stream keys', () => {
  it('a channel has one stream key: a second is over the quota (402) until the first is deleted', async () => {
    const { channel, streamKey } = await c.ivs.send(new CreateChannelCommand({ name: 'keys' }));
    const quota = await failure(c.ivs.send(new CreateStreamKeyCommand({ channelArn: channel!.arn! })));
    expect(quota).toMatchObject({ name: 'ServiceQuotaExceededException', status: 402 });

    const listed = await c.ivs.send(new ListStreamKeysCommand({ channelArn: channel!.arn! }));
    expect(listed.streamKeys).toEqual([{ arn: streamKey!.arn, channelArn: channel!.arn, tags: {} }]);
    expect((await c.ivs.send(new GetStreamKeyCommand({ arn: streamKey!.arn! }))).streamKey?.value).toBe(streamKey!.value);

    await c.ivs.send(new DeleteStreamKeyCommand({ arn: streamKey!.arn! }));
    expect((await failure(c.ivs.send(new GetStreamKeyCommand({ arn: streamKey!.arn! })))).name).toBe('ResourceNotFoundException');
    const again = await c.ivs.send(new CreateStreamKeyCommand({ channelArn: channel!.arn!, tags: { owner: 'me' } }));
    expect(again.streamKey).toMatchObject({ channelArn: channel!.arn, tags: { owner: 'me' } });
    const batch = await c.ivs.send(new BatchGetStreamKeyCommand({ arns: [again.streamKey!.arn!, streamKey!.arn!] }));
    expect(batch.streamKeys?.map((k) => k.arn)).toEqual([again.streamKey!.arn]);
    expect(batch.errors?.map((e) => e.arn)).toEqual([streamKey!.arn]);
  });

  it('deleting a channel deletes its stream keys; keys of an unknown channel are a 404', async () => {
    const { channel, streamKey } = await c.ivs.send(new CreateChannelCommand({ name: 'gone' }));
    await c.ivs.send(new DeleteChannelCommand({ arn: channel!.arn! }));
    expect((await failure(c.ivs.send(new GetStreamKeyCommand({ arn: streamKey!.arn! })))).name).toBe('ResourceNotFoundException');
    expect((await failure(c.ivs.send(new ListStreamKeysCommand({ channelArn: channel!.arn! })))).status).toBe(404);
    expect((await failure(c.ivs.send(new CreateStreamKeyCommand({ channelArn: MISSING })))).status).toBe(404);
  });
});

describe('tags', () => {
  it('TagResource, ListTagsForResource and UntagResource work on a channel ARN in the path', async () => {
    const { channel } = await c.ivs.send(new CreateChannelCommand({ name: 'tagged', tags: { a: '1' } }));
    const arn = channel!.arn!;
    await c.ivs.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2' } }));
    expect((await c.ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ a: '1', b: '2' });
    await c.ivs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    expect((await c.ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ b: '2' });
    const props = JSON.parse((await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Channel', Identifier: arn }))).ResourceDescription!.Properties!);
    expect(props.Tags).toEqual([{ Key: 'b', Value: '2' }]);
    expect((await failure(c.ivs.send(new ListTagsForResourceCommand({ resourceArn: MISSING })))).status).toBe(404);
  });
});

describe('one account with Cloud Control', () => {
  it('a channel and stream key IVS created are AWS::IVS::Channel and AWS::IVS::StreamKey resources', async () => {
    const { channel, streamKey } = await c.ivs.send(new CreateChannelCommand({ name: 'shared', latencyMode: 'NORMAL', tags: { team: 'video' } }));
    const got = await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Channel', Identifier: channel!.arn! }));
    expect(JSON.parse(got.ResourceDescription!.Properties!)).toMatchObject({
      Arn: channel!.arn,
      Name: 'shared',
      LatencyMode: 'NORMAL',
      Type: 'STANDARD',
      Tags: [{ Key: 'team', Value: 'video' }],
      IngestEndpoint: channel!.ingestEndpoint,
      PlaybackUrl: channel!.playbackUrl,
    });
    const listed = await c.cc.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Channel', MaxResults: 100 }));
    expect(listed.ResourceDescriptions?.map((d) => d.Identifier)).toContain(channel!.arn);
    const keys = await c.cc.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::StreamKey', ResourceModel: JSON.stringify({ ChannelArn: channel!.arn }) }));
    expect(keys.ResourceDescriptions?.map((d) => d.Identifier)).toEqual([streamKey!.arn]);
  });

  it('a channel Cloud Control created or changed is what IVS answers', async () => {
    const created = await ccDone(c.cc, (await c.cc.send(new CreateResourceCommand({ TypeName: 'AWS::IVS::Channel', DesiredState: JSON.stringify({ Name: 'from-cc', Type: 'BASIC' }) }))).ProgressEvent);
    expect(created.OperationStatus).toBe('SUCCESS');
    const arn = created.Identifier!;
    const native = await c.ivs.send(new GetChannelCommand({ arn }));
    expect(native.channel).toMatchObject({ arn, name: 'from-cc', type: 'BASIC', latencyMode: 'LOW', authorized: false });
    expect((await c.ivs.send(new ListChannelsCommand({ filterByName: 'from-cc' }))).channels?.map((ch) => ch.arn)).toEqual([arn]);

    const patch = [{ op: 'replace', path: '/Authorized', value: true }];
    const updated = await ccDone(c.cc, (await c.cc.send(new UpdateResourceCommand({ TypeName: 'AWS::IVS::Channel', Identifier: arn, PatchDocument: JSON.stringify(patch) }))).ProgressEvent);
    expect(updated.OperationStatus).toBe('SUCCESS');
    expect((await c.ivs.send(new GetChannelCommand({ arn }))).channel?.authorized).toBe(true);
  });

  it('a channel IVS created can be changed through Cloud Control (its model is valid for the type)', async () => {
    const { channel } = await c.ivs.send(new CreateChannelCommand({ name: 'patch-me' }));
    const patch = [{ op: 'replace', path: '/Name', value: 'patched' }];
    const done = await ccDone(c.cc, (await c.cc.send(new UpdateResourceCommand({ TypeName: 'AWS::IVS::Channel', Identifier: channel!.arn!, PatchDocument: JSON.stringify(patch) }))).ProgressEvent);
    expect(done.OperationStatus).toBe('SUCCESS');
    expect((await c.ivs.send(new GetChannelCommand({ arn: channel!.arn! }))).channel?.name).toBe('patched');
  });
});

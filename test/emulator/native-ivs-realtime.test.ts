/**
 * IVS real-time stages and participant tokens through the real @aws-sdk/client-ivs-realtime,
 * starting from the seed's example (`aws ivs-realtime create-stage --name stage1
 * --participant-token-configurations userId=alice`), and the same stages through Cloud Control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateParticipantTokenCommand,
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  ListStagesCommand,
  TagResourceCommand,
  UpdateStageCommand,
  paginateListStages,
} from '@aws-sdk/client-ivs-realtime';
import { CreateResourceCommand, GetResourceCommand, ListResourcesCommand } from '@aws-sdk/client-cloudcontrol';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { model } from '../../src/emulator/native/models/ivs-realtime.js';
import { ccDone, clients, failure, outputProblems, rest, startNative } from './native-helpers.js';

let emu: RunningEmulator;
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  emu = await startNative();
  c = clients(emu, 'us-west-2');
});
afterAll(async () => {
  await emu.stop();
});

function claims(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('stages', () => {
  it("the seed's example: a stage named stage1 with a participant token for alice", async () => {
    const out = await c.realtime.send(new CreateStageCommand({ name: 'stage1', participantTokenConfigurations: [{ userId: 'alice' }] }));
    expect(out.stage?.name).toBe('stage1');
    expect(out.stage?.arn).toMatch(/^arn:aws:ivs:us-west-2:123456789012:stage\/[a-zA-Z0-9]{12}$/);
    expect(out.stage?.activeSessionId).toMatch(/^st-[a-zA-Z0-9]{13}$/);
    expect(out.stage?.endpoints?.whip).toMatch(/^https:\/\//);
    expect(out.participantTokens).toHaveLength(1);
    const t = out.participantTokens![0]!;
    expect(t).toMatchObject({ userId: 'alice', duration: 720, capabilities: ['PUBLISH', 'SUBSCRIBE'], attributes: {} });
    expect(t.participantId).toMatch(/^[a-zA-Z0-9]+$/);
    // A JWT naming the stage and the user, expiring when expirationTime says.
    expect(t.token!.split('.')).toHaveLength(3);
    const cl = claims(t.token!);
    expect(cl).toMatchObject({ resource: out.stage!.arn, user_id: 'alice', jti: t.participantId, capabilities: { allow_publish: true, allow_subscribe: true } });
    expect(cl.exp).toBe(Math.floor(t.expirationTime!.getTime() / 1000));
    expect(Number(cl.exp) - Number(cl.iat)).toBe(720 * 60);
  });

  it('answers in the API shape: expirationTime as ISO 8601 text, the token only in this response', async () => {
    const raw = await rest(emu, 'POST', '/CreateStage', { name: 'shape', participantTokenConfigurations: [{ userId: 'bob', duration: 5, capabilities: ['SUBSCRIBE'], attributes: { seat: '12' } }] }, 'us-west-2');
    expect(raw.status).toBe(200);
    expect(outputProblems(model, 'CreateStage', raw.json)).toEqual([]);
    const token = (raw.json.participantTokens as Array<Record<string, unknown>>)[0]!;
    expect(token).toMatchObject({ userId: 'bob', duration: 5, capabilities: ['SUBSCRIBE'], attributes: { seat: '12' } });
    expect(token.expirationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(claims(String(token.token))).toMatchObject({ attributes: { seat: '12' }, capabilities: { allow_publish: false, allow_subscribe: true } });

    // Tokens are secrets that no API reads back: the state keeps none, Cloud Control shows none.
    const arn = (raw.json.stage as { arn: string }).arn;
    expect(JSON.stringify(emu.service.store.snapshot())).not.toContain(String(token.token));
    const viaCc = await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Stage', Identifier: arn }));
    expect(viaCc.ResourceDescription?.Properties).not.toContain(String(token.token));
    const got = await rest(emu, 'POST', '/GetStage', { arn }, 'us-west-2');
    expect(got.text).not.toContain(String(token.token));
  });

  it('refuses bad token configurations before creating anything', async () => {
    const before = (await c.realtime.send(new ListStagesCommand({ maxResults: 100 }))).stages?.length;
    const many = await failure(c.realtime.send(new CreateStageCommand({ name: 'many', participantTokenConfigurations: Array.from({ length: 13 }, (_, i) => ({ userId: `u${i}` })) })));
    expect(many).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(many.exceptionMessage).toContain("at 'participantTokenConfigurations' failed to satisfy constraint: Member must have length less than or equal to 12");
    const cap = await failure(c.realtime.send(new CreateStageCommand({ participantTokenConfigurations: [{ capabilities: ['SHOUT' as 'PUBLISH'] }] })));
    expect(cap.exceptionMessage).toContain("at 'participantTokenConfigurations.1.member.capabilities.1.member'");
    const big = await failure(c.realtime.send(new CreateStageCommand({ participantTokenConfigurations: [{ attributes: { blob: 'x'.repeat(1100) } }] })));
    expect(big.exceptionMessage).toContain('1 KB');
    const duration = await failure(c.realtime.send(new CreateStageCommand({ participantTokenConfigurations: [{ duration: 0 }] })));
    expect(duration.exceptionMessage).toContain('Member must have value greater than or equal to 1');
    expect((await c.realtime.send(new ListStagesCommand({ maxResults: 100 }))).stages?.length).toBe(before);
  });

  it('GetStage, UpdateStage, ListStages and DeleteStage', async () => {
    const { stage } = await c.realtime.send(new CreateStageCommand({ name: 'lifecycle', tags: { team: 'live' } }));
    const arn = stage!.arn!;
    const updated = await c.realtime.send(
      new UpdateStageCommand({
        arn,
        name: 'renamed',
        autoParticipantRecordingConfiguration: {
          storageConfigurationArn: 'arn:aws:ivs:us-west-2:123456789012:storage-configuration/abcdEFGH1234',
          mediaTypes: ['AUDIO_ONLY'],
          thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 30 },
          hlsConfiguration: { targetSegmentDurationSeconds: 4 },
        },
      }),
    );
    expect(updated.stage).toMatchObject({
      arn,
      name: 'renamed',
      tags: { team: 'live' },
      autoParticipantRecordingConfiguration: {
        mediaTypes: ['AUDIO_ONLY'],
        thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 30, storage: ['SEQUENTIAL'] },
        hlsConfiguration: { targetSegmentDurationSeconds: 4 },
        recordingReconnectWindowSeconds: 0,
      },
    });
    expect((await c.realtime.send(new GetStageCommand({ arn }))).stage?.name).toBe('renamed');

    const seen: string[] = [];
    for await (const page of paginateListStages({ client: c.realtime, pageSize: 1 }, {})) for (const s of page.stages ?? []) seen.push(s.arn!);
    expect(seen).toContain(arn);
    expect(new Set(seen).size).toBe(seen.length);

    await c.realtime.send(new DeleteStageCommand({ arn }));
    const gone = await failure(c.realtime.send(new GetStageCommand({ arn })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect((await failure(c.realtime.send(new DeleteStageCommand({ arn })))).status).toBe(404);
  });

  it('CreateParticipantToken mints a token for an existing stage only', async () => {
    const { stage } = await c.realtime.send(new CreateStageCommand({ name: 'tokens' }));
    const out = await c.realtime.send(new CreateParticipantTokenCommand({ stageArn: stage!.arn!, userId: 'carol', duration: 60, attributes: { role: 'host' } }));
    expect(out.participantToken).toMatchObject({ userId: 'carol', duration: 60, attributes: { role: 'host' }, capabilities: ['PUBLISH', 'SUBSCRIBE'] });
    expect(claims(out.participantToken!.token!)).toMatchObject({ resource: stage!.arn, user_id: 'carol' });
    const missing = await failure(c.realtime.send(new CreateParticipantTokenCommand({ stageArn: 'arn:aws:ivs:us-west-2:123456789012:stage/nope1234abcd' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });
});

describe('one account with Cloud Control', () => {
  it('a stage IVS real-time created is an AWS::IVS::Stage, its recording settings in CloudFormation form', async () => {
    const { stage } = await c.realtime.send(
      new CreateStageCommand({
        name: 'cfn-shape',
        tags: { a: 'b' },
        autoParticipantRecordingConfiguration: {
          storageConfigurationArn: 'arn:aws:ivs:us-west-2:123456789012:storage-configuration/abcdEFGH1234',
          thumbnailConfiguration: { recordingMode: 'INTERVAL', storage: ['LATEST'] },
        },
      }),
    );
    const props = JSON.parse((await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Stage', Identifier: stage!.arn! }))).ResourceDescription!.Properties!);
    expect(props).toEqual({
      Arn: stage!.arn,
      Name: 'cfn-shape',
      Tags: [{ Key: 'a', Value: 'b' }],
      ActiveSessionId: stage!.activeSessionId,
      AutoParticipantRecordingConfiguration: {
        StorageConfigurationArn: 'arn:aws:ivs:us-west-2:123456789012:storage-configuration/abcdEFGH1234',
        ThumbnailConfiguration: { ParticipantThumbnailConfiguration: { RecordingMode: 'INTERVAL', Storage: ['LATEST'] } },
      },
    });
    const listed = await c.cc.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage', MaxResults: 100 }));
    expect(listed.ResourceDescriptions?.map((d) => d.Identifier)).toContain(stage!.arn);
  });

  it('a stage Cloud Control created is what GetStage answers, and tags set natively show in Cloud Control', async () => {
    const done = await ccDone(c.cc, (await c.cc.send(new CreateResourceCommand({ TypeName: 'AWS::IVS::Stage', DesiredState: JSON.stringify({ Name: 'from-cc' }) }))).ProgressEvent);
    expect(done.OperationStatus).toBe('SUCCESS');
    const arn = done.Identifier!;
    expect((await c.realtime.send(new GetStageCommand({ arn }))).stage).toMatchObject({ arn, name: 'from-cc', tags: {} });
    await c.realtime.send(new TagResourceCommand({ resourceArn: arn, tags: { owner: 'ops' } }));
    const props = JSON.parse((await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Stage', Identifier: arn }))).ResourceDescription!.Properties!);
    expect(props.Tags).toEqual([{ Key: 'owner', Value: 'ops' }]);
  });
});

/**
 * Amazon IVS real-time, restJson1: stages and participant tokens. A stage is an AWS::IVS::Stage
 * in the store under its ARN (its auto-recording settings translated between the API's shape
 * and CloudFormation's nested one), so Cloud Control sees it; what CloudFormation has no
 * property for is kept beside it.
 *
 * Participant tokens are JWTs naming the stage, the user, the attributes and capabilities, signed
 * with a key of this process. They are secrets and, as in IVS, returned once (by CreateStage or
 * CreateParticipantToken) and never kept: no API reads one back.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Json, JsonObject } from '../../schema/pointer.js';
import { NativeError } from './errors.js';
import { tagHandlers } from './ivs-tags.js';
import { model } from './models/ivs-realtime.js';
import type { NativeService } from './services.js';
import { NATIVE, randomText, tagsFromCfn, tagsToCfn, type NativeContext } from './state.js';

const STAGE = 'AWS::IVS::Stage';

interface ThumbnailInput {
  targetIntervalSeconds?: number;
  storage?: string[];
  recordingMode?: string;
}

interface RecordingInput {
  storageConfigurationArn: string;
  mediaTypes?: string[];
  thumbnailConfiguration?: ThumbnailInput;
  recordingReconnectWindowSeconds?: number;
  hlsConfiguration?: { targetSegmentDurationSeconds?: number };
  recordParticipantReplicas?: boolean;
}

interface TokenConfig {
  duration?: number;
  userId?: string;
  attributes?: Record<string, string>;
  capabilities?: string[];
}

function notFound(arn: string): NativeError {
  return new NativeError('ResourceNotFoundException', `Resource ${arn} not found`);
}

function stageModel(ctx: NativeContext, arn: string): JsonObject {
  const m = ctx.get(STAGE, arn);
  if (!m) throw notFound(arn);
  return m;
}

/** The API's recording settings in CloudFormation's shape; what it cannot hold goes to `extras`. */
function recordingToCfn(r: RecordingInput, extras: JsonObject): JsonObject {
  const out: JsonObject = { StorageConfigurationArn: r.storageConfigurationArn };
  // CloudFormation's MediaTypes has no NONE: a stage recording nothing keeps that beside the model.
  if (r.mediaTypes?.includes('NONE')) extras.mediaTypes = r.mediaTypes;
  else {
    delete extras.mediaTypes;
    if (r.mediaTypes) out.MediaTypes = r.mediaTypes;
  }
  if (r.thumbnailConfiguration) {
    const t: JsonObject = {};
    if (r.thumbnailConfiguration.targetIntervalSeconds !== undefined) t.TargetIntervalSeconds = r.thumbnailConfiguration.targetIntervalSeconds;
    if (r.thumbnailConfiguration.storage) t.Storage = r.thumbnailConfiguration.storage;
    if (r.thumbnailConfiguration.recordingMode) t.RecordingMode = r.thumbnailConfiguration.recordingMode;
    out.ThumbnailConfiguration = { ParticipantThumbnailConfiguration: t };
  }
  if (r.recordingReconnectWindowSeconds !== undefined) out.RecordingReconnectWindowSeconds = r.recordingReconnectWindowSeconds;
  if (r.hlsConfiguration?.targetSegmentDurationSeconds !== undefined) {
    out.HlsConfiguration = { ParticipantRecordingHlsConfiguration: { TargetSegmentDurationSeconds: r.hlsConfiguration.targetSegmentDurationSeconds } };
  }
  if (r.recordParticipantReplicas !== undefined) extras.recordParticipantReplicas = r.recordParticipantReplicas;
  else delete extras.recordParticipantReplicas;
  return out;
}

/** CloudFormation's recording settings as the API shows them, with the API's defaults. */
function recordingView(cfn: Json | undefined, extras: JsonObject): Record<string, unknown> | undefined {
  if (!cfn || typeof cfn !== 'object' || Array.isArray(cfn)) return undefined;
  const thumb = ((cfn.ThumbnailConfiguration as JsonObject | undefined)?.ParticipantThumbnailConfiguration ?? {}) as JsonObject;
  const hls = ((cfn.HlsConfiguration as JsonObject | undefined)?.ParticipantRecordingHlsConfiguration ?? {}) as JsonObject;
  return {
    storageConfigurationArn: cfn.StorageConfigurationArn ?? '',
    mediaTypes: extras.mediaTypes ?? cfn.MediaTypes ?? ['AUDIO_VIDEO'],
    thumbnailConfiguration: {
      targetIntervalSeconds: thumb.TargetIntervalSeconds ?? 60,
      storage: thumb.Storage ?? ['SEQUENTIAL'],
      recordingMode: thumb.RecordingMode ?? 'DISABLED',
    },
    recordingReconnectWindowSeconds: cfn.RecordingReconnectWindowSeconds ?? 0,
    hlsConfiguration: { targetSegmentDurationSeconds: hls.TargetSegmentDurationSeconds ?? 6 },
    recordParticipantReplicas: extras.recordParticipantReplicas ?? true,
  };
}

/** Where participants connect: fixed per stage, derived from its ARN. */
function endpoints(arn: string): Record<string, string> {
  const host = createHash('sha256').update(arn).digest('hex').slice(0, 12);
  return {
    events: 'wss://global.events.live-video.net',
    whip: `https://${host}.global-bm.whip.live-video.net`,
    rtmp: `rtmp://${host}.global-contribute-staging.live-video.net/app/`,
    rtmps: `rtmps://${host}.global-contribute-staging.live-video.net:443/app/`,
  };
}

function stageView(ctx: NativeContext, cfn: JsonObject): Record<string, unknown> {
  const arn = String(cfn.Arn);
  const extras = ctx.get(NATIVE.ivsStage, arn) ?? {};
  const recording = recordingView(cfn.AutoParticipantRecordingConfiguration, extras);
  return {
    arn,
    name: cfn.Name ?? '',
    ...(typeof cfn.ActiveSessionId === 'string' && cfn.ActiveSessionId !== '' ? { activeSessionId: cfn.ActiveSessionId } : {}),
    tags: tagsFromCfn(cfn.Tags),
    ...(recording ? { autoParticipantRecordingConfiguration: recording } : {}),
    endpoints: endpoints(arn),
  };
}

/** A key for this process's tokens: they only need to look like, and decode as, IVS's JWTs. */
const signingKey = randomBytes(32);

function b64(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function participantToken(ctx: NativeContext, stageArn: string, c: TokenConfig): Record<string, unknown> {
  const attributes = c.attributes ?? {};
  if (Buffer.byteLength(JSON.stringify(attributes)) > 1024) {
    throw new NativeError('ValidationException', 'Participant token attributes must not exceed 1 KB in total');
  }
  const duration = c.duration ?? 720;
  const capabilities = c.capabilities ?? ['PUBLISH', 'SUBSCRIBE'];
  const participantId = randomText(12);
  const expires = ctx.now + duration * 60_000;
  const e = endpoints(stageArn);
  const claims = {
    exp: Math.floor(expires / 1000),
    iat: Math.floor(ctx.now / 1000),
    jti: participantId,
    resource: stageArn,
    topic: stageArn.slice(stageArn.lastIndexOf('/') + 1),
    events_url: e.events,
    whip_url: e.whip,
    ...(c.userId !== undefined ? { user_id: c.userId } : {}),
    attributes,
    capabilities: { allow_publish: capabilities.includes('PUBLISH'), allow_subscribe: capabilities.includes('SUBSCRIBE') },
    version: '1.0',
  };
  const unsigned = `${b64({ alg: 'HS384', typ: 'JWT' })}.${b64(claims)}`;
  const token = `${unsigned}.${createHmac('sha384', signingKey).update(unsigned).digest('base64url')}`;
  return {
    participantId,
    token,
    ...(c.userId !== undefined ? { userId: c.userId } : {}),
    attributes,
    duration,
    capabilities,
    expirationTime: expires,
  };
}

export const ivsRealtime: NativeService = {
  model,
  handlers: {
    ...tagHandlers,

    CreateStage(ctx, input) {
      const arn = ctx.arn('ivs', `stage/${randomText(12)}`);
      const extras: JsonObject = {};
      const cfn: JsonObject = {
        Arn: arn,
        Name: (input.name as string | undefined) ?? '',
        Tags: tagsToCfn(input.tags as Record<string, string> | undefined),
        ActiveSessionId: `st-${randomText(13)}`,
      };
      const recording = input.autoParticipantRecordingConfiguration as RecordingInput | undefined;
      if (recording) cfn.AutoParticipantRecordingConfiguration = recordingToCfn(recording, extras);
      // Tokens are made before anything is stored: a bad configuration creates no stage.
      const tokens = ((input.participantTokenConfigurations as TokenConfig[] | undefined) ?? []).map((c) => participantToken(ctx, arn, c));
      ctx.put(STAGE, arn, cfn);
      if (Object.keys(extras).length > 0) ctx.put(NATIVE.ivsStage, arn, extras);
      return { stage: stageView(ctx, cfn), participantTokens: tokens };
    },

    GetStage(ctx, input) {
      return { stage: stageView(ctx, stageModel(ctx, input.arn as string)) };
    },

    ListStages(ctx, input) {
      const all = ctx.list(STAGE);
      const { page, nextToken } = ctx.page(all, input.nextToken as string | undefined, (input.maxResults as number | undefined) ?? 50, 'ivs-realtime:stages', () =>
        new NativeError('ValidationException', 'The nextToken is invalid or expired'),
      );
      return { stages: page.map((s) => stageView(ctx, s.model)), ...(nextToken ? { nextToken } : {}) };
    },

    UpdateStage(ctx, input) {
      const arn = input.arn as string;
      const cfn = stageModel(ctx, arn);
      if (input.name !== undefined) cfn.Name = input.name as string;
      const recording = input.autoParticipantRecordingConfiguration as RecordingInput | undefined;
      if (recording) {
        const extras = ctx.get(NATIVE.ivsStage, arn) ?? {};
        cfn.AutoParticipantRecordingConfiguration = recordingToCfn(recording, extras);
        if (Object.keys(extras).length > 0) ctx.put(NATIVE.ivsStage, arn, extras);
        else ctx.delete(NATIVE.ivsStage, arn);
      }
      ctx.put(STAGE, arn, cfn);
      return { stage: stageView(ctx, cfn) };
    },

    DeleteStage(ctx, input) {
      const arn = input.arn as string;
      stageModel(ctx, arn);
      ctx.delete(NATIVE.ivsStage, arn);
      ctx.delete(STAGE, arn);
      return {};
    },

    CreateParticipantToken(ctx, input) {
      const stageArn = input.stageArn as string;
      stageModel(ctx, stageArn);
      return { participantToken: participantToken(ctx, stageArn, input as TokenConfig) };
    },
  },
};

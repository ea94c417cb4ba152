/**
 * Amazon IVS (low-latency streaming), restJson1: channels and stream keys. A channel is an
 * AWS::IVS::Channel and a stream key an AWS::IVS::StreamKey in the store, under their ARNs, so
 * Cloud Control lists what IVS created and IVS reads what Cloud Control created. What
 * CloudFormation has no property for (the SRT passphrase, the playback-restriction-policy and
 * ad-configuration ARNs) is kept beside the channel.
 *
 * Rules kept from the service: one stream key per channel (ServiceQuotaExceededException);
 * ListChannels filters are exclusive (409 ConflictException); deleting a channel deletes its
 * stream keys; a preset only for the ADVANCED types; multitrack input needs FRAGMENTED_MP4.
 */
import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../../schema/pointer.js';
import { NativeError } from './errors.js';
import { tagHandlers } from './ivs-tags.js';
import { model } from './models/ivs.js';
import type { NativeService } from './services.js';
import { NATIVE, randomLower, randomText, tagsFromCfn, tagsToCfn, type NativeContext } from './state.js';

const CHANNEL = 'AWS::IVS::Channel';
const STREAM_KEY = 'AWS::IVS::StreamKey';

interface MultitrackInput {
  enabled?: boolean;
  policy?: string;
  maximumResolution?: string;
}

interface ChannelInput {
  arn?: string;
  name?: string;
  latencyMode?: string;
  type?: string;
  authorized?: boolean;
  recordingConfigurationArn?: string;
  tags?: Record<string, string>;
  insecureIngest?: boolean;
  preset?: string;
  playbackRestrictionPolicyArn?: string;
  multitrackInputConfiguration?: MultitrackInput;
  containerFormat?: string;
  adConfigurationArn?: string;
}

function notFound(arn: string): NativeError {
  return new NativeError('ResourceNotFoundException', `Resource ${arn} not found`);
}

function badToken(): NativeError {
  return new NativeError('ValidationException', 'The nextToken is invalid or expired');
}

function channelModel(ctx: NativeContext, arn: string): JsonObject {
  const m = ctx.get(CHANNEL, arn);
  if (!m) throw notFound(arn);
  return m;
}

/** The channel as IVS shows it: CloudFormation's properties with IVS's defaults, and the extras. */
function channelView(ctx: NativeContext, cfn: JsonObject): Record<string, unknown> {
  const arn = String(cfn.Arn);
  const extras = ctx.get(NATIVE.ivsChannel, arn) ?? {};
  const mt = (cfn.MultitrackInputConfiguration ?? {}) as JsonObject;
  const ingest = typeof cfn.IngestEndpoint === 'string' ? cfn.IngestEndpoint : '';
  const host = ingest.replace(/^[a-z]+:\/\//, '').split(/[./]/)[0] ?? '';
  return {
    arn,
    name: cfn.Name ?? '',
    latencyMode: cfn.LatencyMode ?? 'LOW',
    type: cfn.Type ?? 'STANDARD',
    recordingConfigurationArn: cfn.RecordingConfigurationArn ?? '',
    ingestEndpoint: ingest,
    playbackUrl: cfn.PlaybackUrl ?? '',
    authorized: cfn.Authorized ?? false,
    tags: tagsFromCfn(cfn.Tags),
    insecureIngest: cfn.InsecureIngest ?? false,
    preset: cfn.Preset ?? '',
    srt: {
      endpoint: `${host}.srt.live-video.net`,
      // A channel Cloud Control created has none stored: one derived from its ARN, stable across reads.
      passphrase: typeof extras.srtPassphrase === 'string' ? extras.srtPassphrase : createHash('sha256').update(`srt:${arn}`).digest('base64url'),
    },
    playbackRestrictionPolicyArn: extras.playbackRestrictionPolicyArn ?? '',
    multitrackInputConfiguration: {
      enabled: mt.Enabled ?? false,
      ...(mt.Policy !== undefined ? { policy: mt.Policy } : {}),
      ...(mt.MaximumResolution !== undefined ? { maximumResolution: mt.MaximumResolution } : {}),
    },
    containerFormat: cfn.ContainerFormat ?? 'TS',
    adConfigurationArn: extras.adConfigurationArn ?? '',
  };
}

function streamKeyView(cfn: JsonObject): Record<string, unknown> {
  return { arn: cfn.Arn, value: cfn.Value, channelArn: cfn.ChannelArn, tags: tagsFromCfn(cfn.Tags) };
}

/** The service's cross-member rules for a channel's settings after a create or update. */
function checkChannel(c: { type: string; preset: string; multitrackEnabled: boolean; containerFormat: string }): void {
  if (c.preset !== '' && c.type !== 'ADVANCED_SD' && c.type !== 'ADVANCED_HD') {
    throw new NativeError('ValidationException', `A transcode preset can be set only for ADVANCED_SD and ADVANCED_HD channels, not ${c.type}`);
  }
  if (c.multitrackEnabled && c.containerFormat !== 'FRAGMENTED_MP4') {
    throw new NativeError('ValidationException', 'Multitrack input requires containerFormat FRAGMENTED_MP4');
  }
}

function multitrackToCfn(m: MultitrackInput): JsonObject {
  const out: JsonObject = {};
  if (m.enabled !== undefined) out.Enabled = m.enabled;
  if (m.policy !== undefined) out.Policy = m.policy;
  if (m.maximumResolution !== undefined) out.MaximumResolution = m.maximumResolution;
  return out;
}

function keysOf(ctx: NativeContext, channelArn: string): ReturnType<NativeContext['list']> {
  return ctx.list(STREAM_KEY).filter((k) => k.model.ChannelArn === channelArn);
}

function newStreamKey(ctx: NativeContext, channelArn: string, tags: Record<string, string> | undefined): JsonObject {
  const arn = ctx.arn('ivs', `stream-key/${randomText(12)}`);
  const key: JsonObject = { Arn: arn, ChannelArn: channelArn, Value: `sk_${ctx.region}_${randomText(36)}`, Tags: tagsToCfn(tags) };
  ctx.put(STREAM_KEY, arn, key);
  return key;
}

export const ivs: NativeService = {
  model,
  handlers: {
    ...tagHandlers,

    CreateChannel(ctx, input) {
      const i = input as ChannelInput;
      const type = i.type ?? 'STANDARD';
      const preset = i.preset ?? (type === 'ADVANCED_SD' || type === 'ADVANCED_HD' ? 'HIGHER_BANDWIDTH_DELIVERY' : '');
      const containerFormat = i.containerFormat ?? 'TS';
      checkChannel({ type, preset, multitrackEnabled: i.multitrackInputConfiguration?.enabled === true, containerFormat });
      const id = randomText(12);
      const arn = ctx.arn('ivs', `channel/${id}`);
      const host = randomLower(12);
      const cfn: JsonObject = {
        Arn: arn,
        Name: i.name ?? '',
        LatencyMode: i.latencyMode ?? 'LOW',
        Type: type,
        Authorized: i.authorized ?? false,
        InsecureIngest: i.insecureIngest ?? false,
        RecordingConfigurationArn: i.recordingConfigurationArn ?? '',
        Preset: preset,
        ContainerFormat: containerFormat,
        MultitrackInputConfiguration: { Enabled: false, ...multitrackToCfn(i.multitrackInputConfiguration ?? {}) },
        Tags: tagsToCfn(i.tags),
        IngestEndpoint: `${host}.global-contribute.live-video.net`,
        PlaybackUrl: `https://${host}.${ctx.region}.playback.live-video.net/api/video/v1/${ctx.region}.${arn.split(':')[4]}.channel.${id}.m3u8`,
      };
      ctx.put(CHANNEL, arn, cfn);
      ctx.put(NATIVE.ivsChannel, arn, {
        srtPassphrase: randomText(64),
        playbackRestrictionPolicyArn: i.playbackRestrictionPolicyArn ?? '',
        adConfigurationArn: i.adConfigurationArn ?? '',
      });
      const key = newStreamKey(ctx, arn, i.tags);
      return { channel: channelView(ctx, cfn), streamKey: streamKeyView(key) };
    },

    GetChannel(ctx, input) {
      return { channel: channelView(ctx, channelModel(ctx, input.arn as string)) };
    },

    BatchGetChannel(ctx, input) {
      const channels: unknown[] = [];
      const errors: unknown[] = [];
      for (const arn of new Set(input.arns as string[])) {
        const m = ctx.get(CHANNEL, arn);
        if (m) channels.push(channelView(ctx, m));
        else errors.push({ arn, code: 'ResourceNotFoundException', message: `Resource ${arn} not found` });
      }
      return { channels, errors };
    },

    ListChannels(ctx, input) {
      const filters = ['filterByName', 'filterByRecordingConfigurationArn', 'filterByPlaybackRestrictionPolicyArn', 'filterByAdConfigurationArn'].filter(
        (f) => input[f] !== undefined,
      );
      if (filters.length > 1) throw new NativeError('ConflictException', `The filters ${filters.join(' and ')} cannot be used together`);
      const views = ctx.list(CHANNEL).map((c) => ({ seq: c.seq, view: channelView(ctx, c.model) }));
      const matching = views.filter(({ view }) => {
        if (input.filterByName !== undefined) return view.name === input.filterByName;
        if (input.filterByRecordingConfigurationArn !== undefined) return view.recordingConfigurationArn === input.filterByRecordingConfigurationArn;
        if (input.filterByPlaybackRestrictionPolicyArn !== undefined) return view.playbackRestrictionPolicyArn === input.filterByPlaybackRestrictionPolicyArn;
        if (input.filterByAdConfigurationArn !== undefined) return view.adConfigurationArn === input.filterByAdConfigurationArn;
        return true;
      });
      const { page, nextToken } = ctx.page(matching, input.nextToken as string | undefined, (input.maxResults as number | undefined) ?? 100, 'ivs:channels', badToken);
      return { channels: page.map((p) => p.view), ...(nextToken ? { nextToken } : {}) };
    },

    UpdateChannel(ctx, input) {
      const i = input as unknown as ChannelInput & { arn: string };
      const cfn = channelModel(ctx, i.arn);
      const set = (prop: string, v: Json | undefined): void => {
        if (v !== undefined) cfn[prop] = v;
      };
      set('Name', i.name);
      set('LatencyMode', i.latencyMode);
      set('Type', i.type);
      set('Authorized', i.authorized);
      set('InsecureIngest', i.insecureIngest);
      set('RecordingConfigurationArn', i.recordingConfigurationArn);
      set('ContainerFormat', i.containerFormat);
      if (i.type !== undefined && i.preset === undefined && i.type !== 'ADVANCED_SD' && i.type !== 'ADVANCED_HD') cfn.Preset = '';
      set('Preset', i.preset);
      if (i.multitrackInputConfiguration) cfn.MultitrackInputConfiguration = { Enabled: false, ...multitrackToCfn(i.multitrackInputConfiguration) };
      const view = channelView(ctx, cfn);
      checkChannel({
        type: String(view.type),
        preset: String(view.preset),
        multitrackEnabled: (view.multitrackInputConfiguration as { enabled: boolean }).enabled,
        containerFormat: String(view.containerFormat),
      });
      ctx.put(CHANNEL, i.arn, cfn);
      if (i.playbackRestrictionPolicyArn !== undefined || i.adConfigurationArn !== undefined) {
        const extras = ctx.get(NATIVE.ivsChannel, i.arn) ?? {};
        if (i.playbackRestrictionPolicyArn !== undefined) extras.playbackRestrictionPolicyArn = i.playbackRestrictionPolicyArn;
        if (i.adConfigurationArn !== undefined) extras.adConfigurationArn = i.adConfigurationArn;
        ctx.put(NATIVE.ivsChannel, i.arn, extras);
      }
      return { channel: channelView(ctx, cfn) };
    },

    DeleteChannel(ctx, input) {
      const arn = input.arn as string;
      channelModel(ctx, arn);
      for (const k of keysOf(ctx, arn)) ctx.delete(STREAM_KEY, k.id);
      ctx.delete(NATIVE.ivsChannel, arn);
      ctx.delete(CHANNEL, arn);
      return undefined;
    },

    CreateStreamKey(ctx, input) {
      const channelArn = input.channelArn as string;
      channelModel(ctx, channelArn);
      if (keysOf(ctx, channelArn).length >= 1) {
        throw new NativeError('ServiceQuotaExceededException', `Channel ${channelArn} already has a stream key: a channel can have 1 stream key`);
      }
      return { streamKey: streamKeyView(newStreamKey(ctx, channelArn, input.tags as Record<string, string> | undefined)) };
    },

    GetStreamKey(ctx, input) {
      const m = ctx.get(STREAM_KEY, input.arn as string);
      if (!m) throw notFound(input.arn as string);
      return { streamKey: streamKeyView(m) };
    },

    BatchGetStreamKey(ctx, input) {
      const streamKeys: unknown[] = [];
      const errors: unknown[] = [];
      for (const arn of new Set(input.arns as string[])) {
        const m = ctx.get(STREAM_KEY, arn);
        if (m) streamKeys.push(streamKeyView(m));
        else errors.push({ arn, code: 'ResourceNotFoundException', message: `Resource ${arn} not found` });
      }
      return { streamKeys, errors };
    },

    ListStreamKeys(ctx, input) {
      const channelArn = input.channelArn as string;
      channelModel(ctx, channelArn);
      const { page, nextToken } = ctx.page(keysOf(ctx, channelArn), input.nextToken as string | undefined, (input.maxResults as number | undefined) ?? 50, `ivs:stream-keys:${channelArn}`, badToken);
      return { streamKeys: page.map((k) => streamKeyView(k.model)), ...(nextToken ? { nextToken } : {}) };
    },

    DeleteStreamKey(ctx, input) {
      const arn = input.arn as string;
      if (!ctx.delete(STREAM_KEY, arn)) throw notFound(arn);
      return undefined;
    },
  },
};

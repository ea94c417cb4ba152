/**
 * IVS channels and stream keys through IVS's own API, from SQL to the emulator over HTTP with the
 * real SDK client: CreateChannel's stream key shown by RETURNING and masked everywhere else, the
 * list's summaries filled by GetChannel only for the columns a statement uses, UPDATE and DELETE,
 * stream keys listed by channel, and a join between the native and the Cloud Control tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRows, records, startHarness, type Harness } from './query-harness.js';

const REGION = 'eu-central-1';
let h: Harness;
let channelArn = '';
let streamKey = '';

beforeAll(async () => {
  h = await startHarness({ pageSize: 2 }, { region: REGION, regionSource: '--region' });
});

afterAll(async () => {
  await h?.close();
});

describe('aws.ivs.channels_native', () => {
  it("INSERT returns the channel and its first stream key (RETURNING only)", async () => {
    const o = await h.run(`INSERT INTO aws.ivs.channels_native (name, latency_mode, type, tags, region) VALUES ('show', 'NORMAL', 'BASIC', '{"team": "video"}', '${REGION}') RETURNING arn, name, latency_mode, type, tags, stream_key, playback_url`);
    const [row] = records(lastRows(o));
    expect(row).toMatchObject({ name: 'show', latency_mode: 'NORMAL', type: 'BASIC', tags: { team: 'video' } });
    channelArn = String(row!.arn);
    const key = row!.stream_key as { arn: string; value: string; channelArn: string };
    expect(key.channelArn).toBe(channelArn);
    expect(key.value).toMatch(/^sk_eu-central-1_/);
    streamKey = key.value;
    expect(String(row!.playback_url)).toMatch(/^https:\/\//);
    expect(JSON.stringify(o.notices)).not.toContain(streamKey);
  });

  it('lists with summaries only, reading each channel whole when the statement needs more', async () => {
    for (const n of ['a', 'b', 'c']) await h.rows(`INSERT INTO aws.ivs.channels_native (name, region) VALUES ('${n}', '${REGION}') RETURNING arn`);
    const summary = await h.run(`SELECT name, latency_mode FROM aws.ivs.channels_native WHERE region = '${REGION}' ORDER BY name`);
    expect(lastRows(summary).rows).toEqual([
      ['a', 'LOW'],
      ['b', 'LOW'],
      ['c', 'LOW'],
      ['show', 'NORMAL'],
    ]);
    // Four channels, two a page: two ListChannels calls and no GetChannel.
    expect(summary.calls).toEqual({ 'ivs:ListChannels': 2 });
    const whole = await h.run(`SELECT name, ingest_endpoint FROM aws.ivs.channels_native WHERE region = '${REGION}' AND name = 'show'`);
    expect(records(lastRows(whole))).toEqual([{ name: 'show', ingest_endpoint: expect.any(String) }]);
    expect(whole.calls).toEqual({ 'ivs:ListChannels': 1, 'ivs:GetChannel': 1 });
  });

  it('masks the stream key wherever it is read back', async () => {
    const keys = await h.run(`SELECT arn, value FROM aws.ivs.stream_keys_native WHERE region = '${REGION}' AND channel_arn = '${channelArn}'`);
    const rows = records(lastRows(keys));
    expect(rows).toEqual([{ arn: expect.stringContaining(':stream-key/'), value: '********' }]);
    expect(keys.calls).toEqual({ 'ivs:ListStreamKeys': 1, 'ivs:GetStreamKey': 1 });
    const shown = await h.run(`EXEC /*+ SHOWRESULTS */ aws.ivs.stream_keys_native.get_stream_key @arn = '${String(rows[0]!.arn)}', @region = '${REGION}'`);
    expect(records(lastRows(shown))[0]).toMatchObject({ channel_arn: channelArn, value: '********' });
    expect(JSON.stringify([keys.results, shown.results, shown.notices])).not.toContain(streamKey);
  });

  it('joins the native table with the Cloud Control table of the same resources', async () => {
    const rows = await h.rows(`SELECT n.name, c.latency_mode FROM aws.ivs.channels_native n JOIN aws.ivs.channels c ON c.arn = n.arn WHERE n.region = '${REGION}' AND n.name = 'show'`);
    expect(rows).toEqual([['show', 'NORMAL']]);
  });

  it('UPDATE changes a channel; DELETE deletes it', async () => {
    const u = await h.run(`UPDATE aws.ivs.channels_native SET latency_mode = 'LOW', name = 'show2' WHERE arn = '${channelArn}' AND region = '${REGION}' RETURNING name, latency_mode`);
    expect(records(lastRows(u))).toEqual([{ name: 'show2', latency_mode: 'LOW' }]);
    expect(u.calls['ivs:UpdateChannel']).toBe(1);
    const d = await h.run(`DELETE FROM aws.ivs.channels_native WHERE region = '${REGION}' AND name IN ('a', 'b', 'c', 'show2')`);
    expect(d.results).toEqual([{ kind: 'command', command: 'DELETE 4' }]);
    expect(d.calls['ivs:DeleteChannel']).toBe(4);
    expect(await h.rows(`SELECT count(*)::int FROM aws.ivs.channels_native WHERE region = '${REGION}'`)).toEqual([[0]]);
  });

  it("a statement the API cannot take is refused with the service's code and message", async () => {
    const o = await h.run(`INSERT INTO aws.ivs.channels_native (name, latency_mode, region) VALUES ('x', 'FAST', '${REGION}')`);
    expect(o.error?.message).toMatch(/^CreateChannel aws\.ivs\.channels_native in eu-central-1 failed: ValidationException: .*latencyMode/);
  });
});

/**
 * SELECT over Cloud Control, end to end: SQL in, the calls the emulator saw (GET /_ccql/stats),
 * rows out. Everything goes through the real AWS SDK over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededResource } from '../../src/emulator/index.js';
import { lastRows, records, startHarness, type Harness } from './query-harness.js';

let h: Harness;
let east: SeededResource[];
let channels: SeededResource[];
let keys: SeededResource[];

beforeAll(async () => {
  // A page size of 2 makes every listing below span several pages.
  h = await startHarness({ pageSize: 2 }, { region: 'us-east-1', regionSource: '--region' });
  east = h.emulator.seedResources('AWS::IVS::Stage', 'us-east-1', [
    { Name: 'alpha', Tags: [{ Key: 'team', Value: 'video' }] },
    { Name: 'beta', Tags: [{ Key: 'team', Value: 'video' }, { Key: 'env', Value: 'prod' }] },
    { Name: 'gamma', Tags: [{ Key: 'team', Value: 'audio' }] },
    { Name: 'delta' },
    { Name: 'epsilon', Tags: [{ Key: 'env', Value: 'dev' }] },
  ]);
  h.emulator.seedResources('AWS::IVS::Stage', 'us-west-2', [{ Name: 'west-one', Tags: [{ Key: 'team', Value: 'audio' }] }, { Name: 'west-two' }]);
  channels = h.emulator.seedResources('AWS::IVS::Channel', 'us-east-1', [{ Name: 'keynote' }, { Name: 'backstage' }, { Name: 'empty' }]);
  keys = h.emulator.seedResources('AWS::IVS::StreamKey', 'us-east-1', [
    { ChannelArn: channels[0]!.properties.Arn as string },
    { ChannelArn: channels[0]!.properties.Arn as string },
    { ChannelArn: channels[1]!.properties.Arn as string },
  ]);
});

afterAll(async () => {
  await h.close();
});

describe('list', () => {
  it('lists every page of a region and returns the identifier columns without GetResource', async () => {
    const o = await h.run(`SELECT region, data__Identifier, arn FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY arn`);
    const rows = records(lastRows(o));
    expect(rows).toEqual(
      east
        .map((s) => ({ region: 'us-east-1', data__identifier: s.identifier, arn: s.properties.Arn }))
        .sort((a, b) => byteOrder(String(a.arn), String(b.arn))),
    );
    expect(lastRows(o).command).toBe('SELECT 5');
    expect(o.calls).toEqual({ ListResources: 3 }); // 5 stages, 2 per page
  });

  it('needs no GetResource for count(*) either', async () => {
    const o = await h.run(`SELECT count(*) AS n FROM aws.ivs.stages WHERE region = 'us-east-1'`);
    expect(lastRows(o).rows).toEqual([[5]]);
    expect(o.calls).toEqual({ ListResources: 3 });
  });
});

describe('get', () => {
  it('makes one GetResource for data__Identifier = …', async () => {
    const o = await h.run(`SELECT name, tags, active_session_id FROM aws.ivs.stages WHERE region = 'us-east-1' AND data__Identifier = '${east[1]!.identifier}'`);
    const [row] = records(lastRows(o));
    expect(row).toMatchObject({ name: 'beta', tags: [{ Key: 'team', Value: 'video' }, { Key: 'env', Value: 'prod' }] });
    expect(typeof row!.active_session_id).toBe('string'); // read-only, set by the service
    expect(o.calls).toEqual({ GetResource: 1 });
  });

  it('accepts Identifier as an alias and the primary identifier column', async () => {
    const a = await h.run(`SELECT name, Identifier FROM aws.ivs.stages WHERE Identifier = '${east[0]!.identifier}' AND region = 'us-east-1'`);
    expect(records(lastRows(a))).toEqual([{ name: 'alpha', identifier: east[0]!.identifier }]);
    expect(a.calls).toEqual({ GetResource: 1 });
    const b = await h.run(`SELECT name FROM aws.ivs.stages WHERE arn IN ('${east[2]!.properties.Arn}', '${east[3]!.properties.Arn}') AND region = 'us-east-1' ORDER BY name`);
    expect(lastRows(b).rows).toEqual([['delta'], ['gamma']]);
    expect(b.calls).toEqual({ GetResource: 2 });
  });

  it('reads a column quoted as DESCRIBE shows it ("data__Identifier"), bare or qualified, and keeps the name written', async () => {
    const o = await h.run(`SELECT s."data__Identifier", "Name" FROM aws.ivs.stages s WHERE "data__Identifier" = '${east[0]!.identifier}' AND region = 'us-east-1'`);
    expect(lastRows(o).columns.map((c) => c.name)).toEqual(['data__Identifier', 'Name']);
    expect(lastRows(o).rows).toEqual([[east[0]!.identifier, 'alpha']]);
    expect(o.calls).toEqual({ GetResource: 1 });
  });

  it('returns no rows (and no error) for an identifier that does not exist', async () => {
    const o = await h.run(`SELECT name FROM aws.ivs.stages WHERE data__Identifier = 'arn:aws:ivs:us-east-1:123456789012:stage/nope' AND region = 'us-east-1'`);
    expect(lastRows(o).rows).toEqual([]);
    expect(o.calls).toEqual({ GetResource: 1 });
  });
});

describe('list + hydrate', () => {
  it('hydrates each listed row with GetResource when the query needs more than the list returns', async () => {
    const o = await h.run(`SELECT region, arn, name, tags, active_session_id FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY name`);
    expect(lastRows(o).rows.map((r) => r[2])).toEqual(['alpha', 'beta', 'delta', 'epsilon', 'gamma']);
    expect(o.calls).toEqual({ ListResources: 3, GetResource: 5 });
  });

  it('hydrates for a column used only in WHERE, and SELECT * hydrates', async () => {
    const a = await h.run(`SELECT arn FROM aws.ivs.stages WHERE region = 'us-east-1' AND name LIKE 'a%'`);
    expect(lastRows(a).rows).toEqual([[east[0]!.properties.Arn]]);
    expect(a.calls).toEqual({ ListResources: 3, GetResource: 5 });
    const b = await h.run(`SELECT * FROM aws.ivs.stages WHERE region = 'us-west-2' ORDER BY name`);
    const r = lastRows(b);
    expect(r.columns.map((c) => c.name)).toEqual(['region', 'data__identifier', 'arn', 'name', 'auto_participant_recording_configuration', 'tags', 'active_session_id']);
    expect(records(r).map((x) => x.name)).toEqual(['west-one', 'west-two']);
    expect(b.calls).toEqual({ ListResources: 1, GetResource: 2 });
  });
});

describe('region fan-out', () => {
  it('lists each region of region IN (…) and returns the rows of both', async () => {
    const o = await h.run(`SELECT region, count(*) AS n FROM aws.ivs.stages WHERE region IN ('us-east-1', 'us-west-2') GROUP BY region ORDER BY region`);
    expect(lastRows(o).rows).toEqual([
      ['us-east-1', 5],
      ['us-west-2', 2],
    ]);
    expect(o.calls).toEqual({ ListResources: 4 });
  });

  it('calls the region a JOIN … USING (region) condition names, for both tables', async () => {
    h.emulator.seedResources('AWS::IVS::Channel', 'us-west-2', [{ Name: 'west-channel' }]);
    const o = await h.run(`SELECT s.name AS stage, c.name AS channel FROM aws.ivs.stages s JOIN aws.ivs.channels c USING (region) WHERE region = 'us-west-2' ORDER BY 1`);
    expect(lastRows(o).rows).toEqual([
      ['west-one', 'west-channel'],
      ['west-two', 'west-channel'],
    ]);
    expect(o.notices).toEqual([]);
  });

  it('calls the region a condition outside a CTE names, when the CTE only passes the table on', async () => {
    const o = await h.run(`WITH s AS (SELECT * FROM aws.ivs.stages) SELECT name FROM s WHERE region = 'us-west-2' ORDER BY name`);
    expect(lastRows(o).rows).toEqual([['west-one'], ['west-two']]);
    expect(o.notices).toEqual([]);
  });

  it('calls the region a condition names two pass-through levels out', async () => {
    const o = await h.run(`WITH a AS (SELECT * FROM aws.ivs.stages), b AS (SELECT * FROM a) SELECT name FROM (SELECT * FROM b) x WHERE region = 'us-west-2' ORDER BY name`);
    expect(lastRows(o).rows).toEqual([['west-one'], ['west-two']]);
    expect(o.notices).toEqual([]);
  });

  it('refuses a view over a provider table before any call, and leaves no view behind', async () => {
    const o = await h.run(`CREATE VIEW west AS SELECT name FROM aws.ivs.stages WHERE region = 'us-west-2'`);
    expect(o.error?.message).toMatch(/^a view cannot read a provider table/);
    expect(o.total).toBe(0);
    expect(await h.rows(`SELECT count(*) FROM pg_class WHERE relname = 'west' OR relname LIKE 'ccql%'`)).toEqual([[0]]);
  });

  it('reads a resource in the region of the ARN it is named by, when the statement names none', async () => {
    const west = (await h.rows(`SELECT arn FROM aws.ivs.stages WHERE region = 'us-west-2' AND name = 'west-one'`))[0]![0] as string;
    const o = await h.run(`SELECT name, region FROM aws.ivs.stages WHERE arn = '${west}'`);
    expect(lastRows(o).rows).toEqual([['west-one', 'us-west-2']]);
    expect(o.calls).toEqual({ GetResource: 1 });
  });

  it("refuses a region that is no region's name before any call (the emulator answered for us-east-1)", async () => {
    const o = await h.run(`SELECT name FROM aws.ivs.stages WHERE region = 'US-WEST-2'`);
    expect(o.error?.message).toBe("'US-WEST-2' is not the name of a region, for aws.ivs.stages");
    expect(o.total).toBe(0);
  });

  it('uses the session default region when the statement names none, and says so', async () => {
    const o = await h.run(`SELECT count(*) FROM aws.ivs.stages`);
    expect(lastRows(o).rows).toEqual([[5]]);
    expect(o.notices.map((n) => n.message)).toContainEqual(expect.stringMatching(/using us-east-1 \(from --region\)/));
  });

  it('without a default region, names the missing parameter before any call', async () => {
    const s = h.newSession({ region: undefined });
    const o = await h.run(`SELECT name FROM aws.ivs.stages`, s);
    expect(o.error?.message).toMatch(/aws\.ivs\.stages needs a region: add WHERE region = /);
    expect(o.error?.hint).toMatch(/--region or AWS_REGION/);
    expect(o.total).toBe(0);
  });
});

describe('list parents', () => {
  it('lists aws.ivs.stream_keys of a channel given by channel_arn', async () => {
    const arn = channels[0]!.properties.Arn as string;
    const o = await h.run(`SELECT arn, channel_arn FROM aws.ivs.stream_keys WHERE region = 'us-east-1' AND channel_arn = '${arn}' ORDER BY arn`);
    expect(records(lastRows(o))).toEqual(
      keys
        .slice(0, 2)
        .map((k) => ({ arn: k.properties.Arn, channel_arn: arn }))
        .sort((a, b) => byteOrder(String(a.arn), String(b.arn))),
    );
    expect(o.calls).toEqual({ ListResources: 1 });
  });

  it('refuses to list without the parent, naming it', async () => {
    const o = await h.run(`SELECT arn FROM aws.ivs.stream_keys WHERE region = 'us-east-1'`);
    expect(o.error?.message).toMatch(/aws\.ivs\.stream_keys can only be listed with channel_arn given/);
    expect(o.error?.location).toMatchObject({ line: 1, column: 17 });
    expect(o.total).toBe(0);
  });
});

describe('joins', () => {
  it('fetches stream keys once per channel when ON supplies the list parent', async () => {
    const o = await h.run(`
      SELECT c.name, count(k.arn) AS keys
      FROM aws.ivs.channels c
      LEFT JOIN aws.ivs.stream_keys k ON k.channel_arn = c.arn
      WHERE c.region = 'us-east-1'
      GROUP BY c.name ORDER BY c.name`);
    expect(lastRows(o).rows).toEqual([
      ['backstage', 1],
      ['empty', 0],
      ['keynote', 2],
    ]);
    // channels: 2 list pages + 3 GetResource (name); stream keys: one listing per channel
    expect(o.calls).toEqual({ ListResources: 5, GetResource: 3 });
  });

  it('joins two independently listed resources in the engine', async () => {
    const o = await h.run(`
      SELECT s.name AS stage, c.name AS channel
      FROM aws.ivs.stages s JOIN aws.ivs.channels c ON substr(s.name, 1, 1) = substr(c.name, 1, 1)
      WHERE s.region = 'us-east-1' AND c.region = 'us-east-1'
      ORDER BY 1, 2`);
    expect(lastRows(o).rows).toEqual([
      ['beta', 'backstage'],
      ['epsilon', 'empty'],
    ]);
  });

  it('gets a table by identifier once per distinct value the other table supplies', async () => {
    const o = await h.run(`
      SELECT k.arn, c.name
      FROM aws.ivs.stream_keys k JOIN aws.ivs.channels c ON c.arn = k.channel_arn
      WHERE k.channel_arn = '${channels[0]!.properties.Arn}' AND k.region = 'us-east-1'`);
    expect(lastRows(o).rows.map((r) => r[1])).toEqual(['keynote', 'keynote']);
    expect(o.calls).toEqual({ ListResources: 1, GetResource: 1 });
  });
});

describe('correlated subqueries, progress and cancellation', () => {
  it("fetches a correlated subquery's table per value of the outer row", async () => {
    const o = await h.run(`
      SELECT c.name, (SELECT count(*) FROM aws.ivs.stream_keys k WHERE k.channel_arn = c.arn) AS keys
      FROM aws.ivs.channels c WHERE c.region = 'us-east-1' ORDER BY c.name`);
    expect(lastRows(o).rows).toEqual([
      ['backstage', 1],
      ['empty', 0],
      ['keynote', 2],
    ]);
    expect(o.calls).toEqual({ ListResources: 5, GetResource: 3 });
  });

  it('reports progress as calls finish', async () => {
    const seen: Array<{ done: number; total: number }> = [];
    const results = [];
    for await (const r of h.session.run(`SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1'`, { onProgress: (p) => seen.push({ done: p.done, total: p.total }) })) results.push(r);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[seen.length - 1]).toEqual({ done: 8, total: 8 }); // 3 pages + 5 GetResource
    expect(seen.every((p) => p.done <= p.total)).toBe(true);
  });

  it('cancels a running statement and its API calls', async () => {
    const slow = await startHarness({ latencyMs: 300 });
    try {
      slow.emulator.seedResources('AWS::IVS::Stage', 'us-east-1', Array.from({ length: 40 }, (_, i) => ({ Name: `s${i}` })));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 450);
      const run = slow.session.runStatement(`SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1'`, { signal: controller.signal });
      await expect(run).rejects.toMatchObject({ code: 'cancelled' });
      // Cancelled, not finished: the 40 GetResource calls after the list were not all made.
      const stats = (await (await fetch(`${slow.emulator.url}/_ccql/stats`)).json()) as { calls: Record<string, number> };
      expect(stats.calls.GetResource ?? 0).toBeLessThan(40);
      // the session is still usable
      const again = await slow.run(`SELECT 1`);
      expect(again.error).toBeUndefined();
    } finally {
      await slow.close();
    }
  });
});

describe('jsonb and the engine', () => {
  it('aggregates over jsonb tags', async () => {
    const o = await h.run(`
      SELECT t->>'Value' AS team, count(*) AS stages
      FROM aws.ivs.stages s, jsonb_array_elements(s.tags) AS t
      WHERE s.region IN ('us-east-1', 'us-west-2') AND t->>'Key' = 'team'
      GROUP BY 1 ORDER BY 1`);
    expect(lastRows(o).rows).toEqual([
      ['audio', 2],
      ['video', 2],
    ]);
  });

  it("supports json_extract as in StackQL's SQLite dialect", async () => {
    const o = await h.run(`
      SELECT name, json_extract(tags, '$[0].Key') AS k, json_extract(tags, '$[#-1].Value') AS last, json_extract(tags, '$[0]') AS first
      FROM aws.ivs.stages WHERE region = 'us-east-1' AND name IN ('beta', 'delta') ORDER BY name`);
    expect(lastRows(o).rows).toEqual([
      ['beta', 'team', 'prod', '{"Key": "team", "Value": "video"}'],
      ['delta', null, null, null],
    ]);
    expect(lastRows(o).columns.map((c) => c.type)).toEqual(['text', 'text', 'text', 'text']);
  });

  it('runs CTEs, window functions, ORDER BY and LIMIT as written', async () => {
    const o = await h.run(`
      WITH s AS (SELECT name, region FROM aws.ivs.stages WHERE region IN ('us-east-1', 'us-west-2'))
      SELECT region, name, row_number() OVER (PARTITION BY region ORDER BY name) AS n
      FROM s ORDER BY region, name LIMIT 3`);
    expect(lastRows(o).rows).toEqual([
      ['us-east-1', 'alpha', 1],
      ['us-east-1', 'beta', 2],
      ['us-east-1', 'delta', 3],
    ]);
  });

  it('sends a statement that names no provider table to the engine unchanged', async () => {
    const o = await h.run(`SELECT 1 AS one; CREATE TEMP TABLE notes (t text); INSERT INTO notes VALUES ('x'), ('y'); SELECT count(*) FROM notes`);
    expect(o.results.map((r) => r.command)).toEqual(['SELECT 1', 'CREATE TABLE', 'INSERT 0 2', 'SELECT 1']);
    expect(o.total).toBe(0);
  });

  it('keeps write-only properties out of every row', async () => {
    h.emulator.seedResources('AWS::Events::Connection', 'us-east-1', [
      {
        Name: 'billing',
        AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Username: 'svc', Password: 'hunter2-secret' } },
      },
    ]);
    const o = await h.run(`SELECT * FROM aws.events.connections WHERE region = 'us-east-1'`);
    const text = JSON.stringify(lastRows(o).rows);
    expect(text).toContain('svc');
    expect(text).not.toContain('hunter2-secret');
  });
});

describe('bad input', () => {
  it('points syntax errors at line and column of the script', async () => {
    const o = await h.run(`SELECT 1;\nSELECT name\n  FORM aws.ivs.stages`);
    expect(o.error?.code).toBe('syntax');
    expect(o.error?.message).toBe('syntax error at or near "aws"');
    expect(o.error?.location).toMatchObject({ line: 3, column: 8 });
    expect(o.results).toHaveLength(1);
  });

  it('suggests the nearest column and table name before any call', async () => {
    const a = await h.run(`SELECT nmae FROM aws.ivs.stages WHERE region = 'us-east-1'`);
    expect(a.error?.message).toBe('column "nmae" does not exist in aws.ivs.stages');
    expect(a.error?.hint).toBe('did you mean "name"?');
    expect(a.error?.location).toMatchObject({ line: 1, column: 8 });
    const b = await h.run(`SELECT s.nmae FROM aws.ivs.stages s WHERE region = 'us-east-1'`);
    expect(b.error?.hint).toBe('did you mean "name"?');
    const c = await h.run(`SELECT * FROM aws.ivs.stagez WHERE region = 'us-east-1'`);
    expect(c.error?.message).toBe("unknown resource 'aws.ivs.stagez'");
    expect(c.error?.hint).toBe("did you mean 'aws.ivs.stages'?");
    expect(c.error?.location).toMatchObject({ line: 1, column: 15 });
    expect(a.total + b.total + c.total).toBe(0);
  });

  it('maps engine errors back to the user text, with a suggestion', async () => {
    const o = await h.run(`WITH x AS (SELECT name FROM aws.ivs.stages WHERE region = 'us-west-2') SELECT nam FROM x`);
    expect(o.error?.code).toBe('engine');
    expect(o.error?.sqlstate).toBe('42703');
    expect(o.error?.location).toMatchObject({ line: 1, column: 79 });
    expect(o.error?.hint).toMatch(/name/);
  });
});

describe('dry run', () => {
  it('lists the calls a SELECT would make, making none', async () => {
    const s = h.newSession({ dryRun: true, region: 'us-east-1' });
    const o = await h.run(
      `SELECT c.name, k.arn FROM aws.ivs.channels c JOIN aws.ivs.stream_keys k ON k.channel_arn = c.arn WHERE c.region IN ('us-east-1', 'us-west-2')`,
      s,
    );
    expect(o.total).toBe(0);
    expect(records(lastRows(o))).toEqual([
      { step: 1, operation: 'ListResources', region: 'us-east-1', type: 'AWS::IVS::Channel', parameters: { TypeName: 'AWS::IVS::Channel', pages: 'all' } },
      { step: 2, operation: 'GetResource', region: 'us-east-1', type: 'AWS::IVS::Channel', parameters: { TypeName: 'AWS::IVS::Channel', Identifier: '<each identifier listed>' } },
      { step: 3, operation: 'ListResources', region: 'us-west-2', type: 'AWS::IVS::Channel', parameters: { TypeName: 'AWS::IVS::Channel', pages: 'all' } },
      { step: 4, operation: 'GetResource', region: 'us-west-2', type: 'AWS::IVS::Channel', parameters: { TypeName: 'AWS::IVS::Channel', Identifier: '<each identifier listed>' } },
      {
        step: 5,
        operation: 'ListResources',
        region: '<region of each row of aws.ivs.channels c>',
        type: 'AWS::IVS::StreamKey',
        parameters: { TypeName: 'AWS::IVS::StreamKey', ResourceModel: { ChannelArn: '<arn of each row of aws.ivs.channels c>' }, pages: 'all' },
      },
    ]);
  });
});

/** ORDER BY on text in the engine's C collation: code-unit order, not the locale's (`B` before `a`). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * INSERT, UPDATE and DELETE over Cloud Control, end to end through the real AWS SDK: the calls
 * made (GET /_ccql/stats), waiting for requests, RETURNING, NOWAIT, dry runs, and every bad
 * input refused before any call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRows, records, startHarness, type Harness } from './query-harness.js';

let h: Harness;

beforeAll(async () => {
  // Requests stay IN_PROGRESS for a moment, so waiting means polling GetResourceRequestStatus.
  h = await startHarness({ requestDelayMs: 40 });
});

afterAll(async () => {
  await h.close();
});

async function stageByName(name: string, region = 'us-east-1'): Promise<Record<string, unknown> | undefined> {
  const rows = records(lastRows(await h.run(`SELECT * FROM aws.ivs.stages WHERE region = '${region}' AND name = '${name}'`)));
  return rows[0];
}

describe('INSERT', () => {
  it('creates several rows from VALUES (CloudFormation names), waits, and reports each identifier', async () => {
    const o = await h.run(`
      INSERT INTO aws.ivs.stages (Name, Tags, region) VALUES
        ('ins-one', '[{"Key": "team", "Value": "video"}]', 'us-east-1'),
        ('ins-two', NULL, 'us-west-2')`);
    expect(o.error).toBeUndefined();
    expect(o.results).toEqual([{ kind: 'command', command: 'INSERT 0 2' }]);
    expect(o.calls.CreateResource).toBe(2);
    expect(o.calls.GetResourceRequestStatus).toBeGreaterThanOrEqual(2);
    const created = o.notices.map((n) => n.message).filter((m) => m.startsWith('created'));
    expect(created).toHaveLength(2);
    expect(created[0]).toMatch(/^created aws\.ivs\.stages arn:aws:ivs:us-east-1:\d+:stage\/\S+ in us-east-1$/);
    expect(await stageByName('ins-one')).toMatchObject({ name: 'ins-one', tags: [{ Key: 'team', Value: 'video' }] });
    expect(await stageByName('ins-two', 'us-west-2')).toMatchObject({ name: 'ins-two', tags: null });
  });

  it('creates from INSERT … SELECT with snake_case columns, as in the StackQL docs', async () => {
    const o = await h.run(`
      /*+ create */
      INSERT INTO aws.ivs.stages (name, tags, region)
      SELECT 'ins-select', '[{"Key": "env", "Value": "prod"}]', 'us-east-1'`);
    expect(o.results).toEqual([{ kind: 'command', command: 'INSERT 0 1' }]);
    expect(await stageByName('ins-select')).toMatchObject({ tags: [{ Key: 'env', Value: 'prod' }] });
  });

  it('evaluates INSERT … SELECT with expressions and provider tables in the engine', async () => {
    const o = await h.run(`
      INSERT INTO aws.ivs.stages (Name, region)
      SELECT 'copy-of-' || name, region FROM aws.ivs.stages WHERE region = 'us-west-2' AND name = 'ins-two'`);
    expect(o.results).toEqual([{ kind: 'command', command: 'INSERT 0 1' }]);
    expect(await stageByName('copy-of-ins-two', 'us-west-2')).toBeDefined();
  });

  it('returns the created resource with RETURNING', async () => {
    const o = await h.run(`INSERT INTO aws.ivs.stages (Name, region) VALUES ('ins-returning', 'us-east-1') RETURNING *`);
    const r = lastRows(o);
    expect(r.command).toBe('INSERT 0 1');
    const [row] = records(r);
    expect(row).toMatchObject({ region: 'us-east-1', name: 'ins-returning' });
    expect(row!.arn).toMatch(/^arn:aws:ivs:us-east-1:/);
    expect(row!.data__identifier).toBe(row!.arn);
    expect(o.calls).toMatchObject({ CreateResource: 1, GetResource: 1 });
  });

  it('returns as soon as the request is accepted with /*+ NOWAIT */', async () => {
    const o = await h.run(`/*+ NOWAIT */ INSERT INTO aws.ivs.stages (Name, region) VALUES ('ins-nowait', 'us-east-1')`);
    expect(o.results).toEqual([{ kind: 'command', command: 'INSERT 0 1' }]);
    expect(o.calls).toEqual({ CreateResource: 1 });
    expect(o.notices[0]?.message).toMatch(/accepted, not waiting \(\/\*\+ NOWAIT \*\/\): request token \S+/);
  });

  it('fails with Cloud Control ErrorCode and StatusMessage, and says which rows were created', async () => {
    h.emulator.seedResources('AWS::Events::Connection', 'us-east-1', [{ Name: 'taken', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v-secret-1' } } }]);
    const s = h.newSession({ concurrency: 1 });
    const o = await h.run(
      `INSERT INTO aws.events.connections (Name, AuthorizationType, AuthParameters, region) VALUES
        ('fresh-1', 'API_KEY', '{"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "s3cr3t-value-1"}}', 'us-east-1'),
        ('taken', 'API_KEY', '{"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "s3cr3t-value-2"}}', 'us-east-1'),
        ('fresh-3', 'API_KEY', '{"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "s3cr3t-value-3"}}', 'us-east-1')`,
      s,
    );
    expect(o.error?.code).toBe('request_failed');
    expect(o.error?.message).toMatch(/^CreateResource aws\.events\.connections row 2 in us-east-1 failed: AlreadyExists: /);
    expect(o.error?.details).toContain('created: row 1 → fresh-1');
    expect(o.error?.details).toContain('not sent: row 3');
    // Each creation is reported as it happens, so a killed process leaves a record of it.
    expect(o.notices.map((n) => n.message)).toContain('created aws.events.connections fresh-1 in us-east-1');
    expect(JSON.stringify([o.error?.message, o.error?.details, o.notices])).not.toMatch(/s3cr3t/);
    expect(o.calls.CreateResource).toBe(2);
  });
});

describe('UPDATE', () => {
  it('applies data__PatchDocument as in the seed, by identifier, without listing', async () => {
    const [stage] = h.emulator.seedResources('AWS::IVS::Stage', 'us-east-1', [{ Name: 'upd-patch' }]);
    const o = await h.run(`
      UPDATE aws.ivs.stages
      SET data__PatchDocument = '[{"op": "add", "path": "/Tags", "value": [{"Key": "team", "Value": "ops"}]}]'
      WHERE data__Identifier = '${stage!.identifier}' AND region = 'us-east-1'`);
    expect(o.results).toEqual([{ kind: 'command', command: 'UPDATE 1' }]);
    expect(o.calls.UpdateResource).toBe(1);
    expect(o.calls.ListResources).toBeUndefined();
    expect(o.calls.GetResourceRequestStatus).toBeGreaterThanOrEqual(1);
    expect(await stageByName('upd-patch')).toMatchObject({ tags: [{ Key: 'team', Value: 'ops' }] });
  });

  it('builds the JSON Patch from SET name = …, tags = …', async () => {
    const [stage] = h.emulator.seedResources('AWS::IVS::Stage', 'us-east-1', [{ Name: 'upd-set', Tags: [{ Key: 'a', Value: 'b' }] }]);
    const o = await h.run(`UPDATE aws.ivs.stages SET name = 'upd-set-renamed', tags = '[{"Key": "c", "Value": "d"}]' WHERE arn = '${stage!.properties.Arn}' AND region = 'us-east-1' RETURNING name, tags`);
    expect(records(lastRows(o))).toEqual([{ name: 'upd-set-renamed', tags: [{ Key: 'c', Value: 'd' }] }]);
    expect(lastRows(o).command).toBe('UPDATE 1');
  });

  it('lists first when WHERE is not an identifier equality, then updates each match and counts them', async () => {
    h.emulator.seedResources('AWS::IVS::Stage', 'us-west-2', [{ Name: 'bulk-1' }, { Name: 'bulk-2' }, { Name: 'other' }]);
    const o = await h.run(`UPDATE aws.ivs.stages SET tags = '[{"Key": "bulk", "Value": "yes"}]' WHERE region = 'us-west-2' AND name LIKE 'bulk-%'`);
    expect(o.results).toEqual([{ kind: 'command', command: 'UPDATE 2' }]);
    expect(o.calls.UpdateResource).toBe(2);
    expect(o.notices.map((n) => n.message)).toContainEqual(expect.stringMatching(/^2 of \d+ aws\.ivs\.stages resources read match the WHERE clause$/));
    const rows = await h.rows(`SELECT name FROM aws.ivs.stages WHERE region = 'us-west-2' AND tags @> '[{"Key": "bulk"}]' ORDER BY name`);
    expect(rows).toEqual([['bulk-1'], ['bulk-2']]);
  });

  it('evaluates SET expressions per row in the engine', async () => {
    h.emulator.seedResources('AWS::IVS::Stage', 'us-west-2', [{ Name: 'expr-1' }]);
    const o = await h.run(`UPDATE aws.ivs.stages SET name = upper(name) WHERE region = 'us-west-2' AND name = 'expr-1'`);
    expect(o.results).toEqual([{ kind: 'command', command: 'UPDATE 1' }]);
    expect(await stageByName('EXPR-1', 'us-west-2')).toBeDefined();
  });
});

describe('DELETE', () => {
  it('deletes by identifier and region, waiting for the request', async () => {
    const [stage] = h.emulator.seedResources('AWS::IVS::Stage', 'us-east-1', [{ Name: 'del-one' }]);
    const o = await h.run(`/*+ delete */ DELETE FROM aws.ivs.stages WHERE data__Identifier = '${stage!.identifier}' AND region = 'us-east-1'`);
    expect(o.results).toEqual([{ kind: 'command', command: 'DELETE 1' }]);
    expect(o.calls.DeleteResource).toBe(1);
    expect(o.calls.ListResources).toBeUndefined();
    expect(await stageByName('del-one')).toBeUndefined();
  });

  it('lists, then deletes each match of a non-identifier WHERE, and says how many', async () => {
    h.emulator.seedResources('AWS::IVS::Stage', 'us-east-1', [{ Name: 'tmp-a' }, { Name: 'tmp-b' }, { Name: 'keep-c' }]);
    const o = await h.run(`DELETE FROM aws.ivs.stages s WHERE s.region = 'us-east-1' AND s.name IN (SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1' AND name LIKE 'tmp-%') RETURNING s.name`);
    const r = lastRows(o);
    expect(r.command).toBe('DELETE 2');
    expect(r.rows.map((x) => x[0]).sort()).toEqual(['tmp-a', 'tmp-b']);
    expect(o.calls.DeleteResource).toBe(2);
    expect(o.notices.map((n) => n.message)).toContainEqual(expect.stringMatching(/^2 of \d+ aws\.ivs\.stages resources read match/));
    expect(await stageByName('keep-c')).toBeDefined();
  });

  it("keeps the statement's own WITH clause", async () => {
    h.emulator.seedResources('AWS::IVS::Stage', 'us-west-2', [{ Name: 'with-a' }, { Name: 'with-b' }, { Name: 'without' }]);
    const o = await h.run(`
      WITH doomed AS (SELECT name FROM aws.ivs.stages WHERE region = 'us-west-2' AND name LIKE 'with-%')
      DELETE FROM aws.ivs.stages WHERE region = 'us-west-2' AND name IN (SELECT name FROM doomed)`);
    expect(o.results).toEqual([{ kind: 'command', command: 'DELETE 2' }]);
    const i = await h.run(`
      WITH src AS (SELECT 'with-c' AS n UNION ALL SELECT 'with-d')
      INSERT INTO aws.ivs.stages (Name, region) SELECT n, 'us-west-2' FROM src`);
    expect(i.results).toEqual([{ kind: 'command', command: 'INSERT 0 2' }]);
    expect(await stageByName('with-d', 'us-west-2')).toBeDefined();
  });

  it('counts a missing identifier as nothing deleted', async () => {
    const o = await h.run(`DELETE FROM aws.ivs.stages WHERE data__Identifier = 'arn:aws:ivs:us-east-1:123456789012:stage/gone' AND region = 'us-east-1'`);
    expect(o.results).toEqual([{ kind: 'command', command: 'DELETE 0' }]);
    expect(o.notices[0]?.message).toMatch(/does not exist/);
  });
});

describe('dry run', () => {
  it('shows the CreateResource it would make with write-only values masked, and makes no call', async () => {
    const s = h.newSession({ dryRun: true });
    const o = await h.run(
      `INSERT INTO aws.events.connections (Name, AuthorizationType, AuthParameters, region)
       VALUES ('dry', 'BASIC', '{"BasicAuthParameters": {"Username": "u", "Password": "p4ssw0rd-dry"}}', 'us-east-1')`,
      s,
    );
    expect(o.total).toBe(0);
    const text = JSON.stringify(lastRows(o));
    expect(text).not.toContain('p4ssw0rd-dry');
    expect(records(lastRows(o))).toEqual([
      {
        step: 1,
        operation: 'CreateResource',
        region: 'us-east-1',
        type: 'AWS::Events::Connection',
        parameters: {
          TypeName: 'AWS::Events::Connection',
          DesiredState: { Name: 'dry', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: '********' } } },
        },
      },
    ]);
  });

  it('shows UpdateResource and DeleteResource calls', async () => {
    const s = h.newSession({ dryRun: true });
    const u = await h.run(
      `UPDATE aws.events.connections SET auth_parameters = '{"BasicAuthParameters": {"Username": "u", "Password": "n3w-pass"}}' WHERE data__Identifier = 'taken' AND region = 'us-east-1'`,
      s,
    );
    expect(records(lastRows(u))).toEqual([
      {
        step: 1,
        operation: 'UpdateResource',
        region: 'us-east-1',
        type: 'AWS::Events::Connection',
        parameters: {
          TypeName: 'AWS::Events::Connection',
          Identifier: 'taken',
          PatchDocument: [{ op: 'add', path: '/AuthParameters', value: { BasicAuthParameters: { Username: 'u', Password: '********' } } }],
        },
      },
    ]);
    const d = await h.run(`DELETE FROM aws.ivs.stages WHERE region = 'us-east-1' AND name = 'x'`, s);
    expect(lastRows(d).rows.map((r) => r[1])).toEqual(['ListResources', 'GetResource', 'DeleteResource']);
    expect(u.total + d.total).toBe(0);
  });
});

describe('bad input is refused before any call', () => {
  const cases: Array<[string, string, RegExp, RegExp | undefined]> = [
    ['missing required property', `INSERT INTO aws.ivs.stream_keys (Tags, region) VALUES ('[]', 'us-east-1')`, /needs ChannelArn \(channel_arn\): missing required property/, undefined],
    ['unknown property', `INSERT INTO aws.ivs.stages (Nmae, region) VALUES ('x', 'us-east-1')`, /aws\.ivs\.stages has no property 'nmae'/, /did you mean 'name'\?/],
    ['read-only property', `INSERT INTO aws.ivs.stages (Name, Arn, region) VALUES ('x', 'arn:x', 'us-east-1')`, /Arn \(arn\) is read-only/, undefined],
    ['JSON that does not parse', `INSERT INTO aws.ivs.stages (Name, Tags, region) VALUES ('x', '[{"Key": "a",]', 'us-east-1')`, /^Tags is not valid JSON/, /JSON values are written as SQL strings/],
    ['create-only column in UPDATE', `UPDATE aws.ivs.stream_keys SET channel_arn = 'arn:x' WHERE data__Identifier = 'arn:y' AND region = 'us-east-1'`, /ChannelArn \(channel_arn\) is create-only/, /DELETE the resource and INSERT it again/],
    ['read-only column in UPDATE', `UPDATE aws.ivs.stages SET active_session_id = 'x' WHERE data__Identifier = 'arn:y' AND region = 'us-east-1'`, /ActiveSessionId \(active_session_id\) is read-only/, undefined],
    ['a patch on a read-only path', `UPDATE aws.ivs.stages SET data__PatchDocument = '[{"op": "replace", "path": "/Arn", "value": "x"}]' WHERE data__Identifier = 'arn:y' AND region = 'us-east-1'`, /Arn \(arn\) is read-only/, undefined],
    ['no column list', `INSERT INTO aws.ivs.stages VALUES ('x')`, /needs a column list/, undefined],
    ['RETURNING a resource column with NOWAIT', `/*+ NOWAIT */ INSERT INTO aws.ivs.stages (Name, region) VALUES ('x', 'us-east-1') RETURNING *`, /with \/\*\+ NOWAIT \*\/, RETURNING can give only the accepted request's fields/, /RETURNING RequestToken/],
    ['a number for a text list', `INSERT INTO aws.ivs.stages (Name, Tags, region) VALUES ('x', 5, 'us-east-1')`, /./, undefined],
  ];
  it.each(cases)('%s', async (_name, sql, message, hint) => {
    const o = await h.run(sql);
    expect(o.error, `expected an error for: ${sql}`).toBeDefined();
    expect(o.error!.message).toMatch(message);
    if (hint) expect(o.error!.hint).toMatch(hint);
    expect(o.total).toBe(0);
  });

  it('names the offending column with its position', async () => {
    const o = await h.run(`INSERT INTO aws.ivs.stages (Name,\n  Arn, region) VALUES ('x', 'y', 'us-east-1')`);
    expect(o.error?.location).toMatchObject({ line: 2, column: 3 });
  });

  // Regression: errors about an INSERT value (bad JSON, wrong JSON shape, a row too long) said
  // what but not where.
  it('points at the offending value of a VALUES row', async () => {
    const json = await h.run(`INSERT INTO aws.ivs.stages (Name, Tags, region)\nVALUES ('a', NULL, 'us-east-1'),\n       ('b', '[{"Key": ', 'us-east-1')`);
    expect(json.error?.message).toMatch(/^Tags \(row 2\) is not valid JSON/);
    expect(json.error?.location).toMatchObject({ line: 3, column: 14 });
    const shape = await h.run(`INSERT INTO aws.ivs.stages (Name, Tags, region) VALUES ('x', '{"a": 1}'::jsonb, 'us-east-1')`);
    expect(shape.error?.message).toMatch(/^Tags takes a JSON array, not a JSON object/);
    expect(shape.error?.location).toMatchObject({ line: 1, column: 62 });
    const long = await h.run(`INSERT INTO aws.ivs.stages (Name, region) SELECT 'x', 'us-east-1', 'extra'`);
    expect(long.error?.message).toMatch(/INSERT has 2 columns but row 1 has 3 values/);
    expect(long.error?.location).toMatchObject({ line: 1, column: 68 });
    expect(json.total + shape.total + long.total).toBe(0);
  });

  it('never shows a write-only value in a JSON error', async () => {
    const o = await h.run(`INSERT INTO aws.events.connections (Name, AuthorizationType, AuthParameters, region) VALUES ('c', 'BASIC', '{"BasicAuthParameters": {"Password": "very-secret-pw"', 'us-east-1')`);
    expect(o.error?.message).toMatch(/AuthParameters is not valid JSON/);
    expect(JSON.stringify([o.error?.message, o.error?.hint, o.error?.details])).not.toContain('very-secret-pw');
  });
});

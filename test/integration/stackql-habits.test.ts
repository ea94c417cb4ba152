/**
 * What StackQL users write out of habit, run through a Session against the emulator: the SQLite
 * functions StackQL's dialect has (json_each, json_array_length, ifnull, group_concat,
 * string), over provider tables and in engine-only SQL, and its REGISTRY and USE statements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRows, records, startHarness, type Harness } from './query-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 'none' }, { region: 'us-east-1', regionSource: '--region' });
  const created = await h.run(`
    INSERT INTO aws.ivs.stages (Name, Tags, region) VALUES
      ('habit-a', '[{"Key": "team", "Value": "video"}, {"Key": "env", "Value": "prod"}]', 'us-east-1'),
      ('habit-b', '[{"Key": "team", "Value": "audio"}]', 'us-east-1'),
      ('habit-c', '[]', 'us-east-1')`);
  if (created.error) throw created.error;
});

afterAll(async () => {
  await h?.close();
});

describe('SQLite functions over provider tables', () => {
  it('json_array_length(tags) counts a jsonb array', async () => {
    const o = await h.run(`SELECT name, json_array_length(tags) AS n FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY name`);
    expect(records(lastRows(o))).toEqual([
      { name: 'habit-a', n: 2 },
      { name: 'habit-b', n: 1 },
      { name: 'habit-c', n: 0 },
    ]);
  });

  it('json_each(tags) gives one row per element, as SQLite does, with json_extract on its value', async () => {
    const o = await h.run(`
      SELECT name, json_extract(json_each.value, '$.Key') AS k, json_each.value ->> 'Value' AS v, json_each.key AS i
      FROM aws.ivs.stages, json_each(tags)
      WHERE region = 'us-east-1'
      ORDER BY name, json_each.id`);
    expect(records(lastRows(o))).toEqual([
      { name: 'habit-a', k: 'team', v: 'video', i: '0' },
      { name: 'habit-a', k: 'env', v: 'prod', i: '1' },
      { name: 'habit-b', k: 'team', v: 'audio', i: '0' },
    ]);
  });

  it('json_each in a WHERE filter, with an alias', async () => {
    const o = await h.run(`
      SELECT s.name FROM aws.ivs.stages s, json_each(s.tags) t
      WHERE s.region = 'us-east-1' AND json_extract(t.value, '$.Key') = 'env' AND t.value ->> 'Value' = 'prod'`);
    expect(lastRows(o).rows).toEqual([['habit-a']]);
  });

  it('group_concat with the default and a given separator', async () => {
    const o = await h.run(`
      SELECT group_concat(name ORDER BY name) AS names, group_concat(DISTINCT json_array_length(tags), ' / ') AS counts
      FROM aws.ivs.stages WHERE region = 'us-east-1'`);
    const [row] = records(lastRows(o));
    expect(row!.names).toBe('habit-a,habit-b,habit-c');
    expect(String(row!.counts).split(' / ').sort()).toEqual(['0', '1', '2']);
  });

  it('IFNULL of a missing value', async () => {
    const o = await h.run(`SELECT name, IFNULL(json_extract(tags, '$[0].Value'), 'untagged') AS first_tag FROM aws.ivs.stages WHERE region = 'us-east-1' ORDER BY name`);
    expect(lastRows(o).rows).toEqual([
      ['habit-a', 'video'],
      ['habit-b', 'audio'],
      ['habit-c', 'untagged'],
    ]);
  });

  it('string(jsonb) is the value as text, a JSON string without its quotes', async () => {
    const o = await h.run(`SELECT string(tags -> 0 -> 'Key') AS k, string(tags -> 0) AS tag FROM aws.ivs.stages WHERE region = 'us-east-1' AND name = 'habit-b'`);
    expect(records(lastRows(o))).toEqual([{ k: 'team', tag: '{"Key": "team", "Value": "audio"}' }]);
  });
});

describe('SQLite functions in engine-only SQL', () => {
  it.each([
    [`SELECT ifnull(NULL, 'x')`, 'x'],
    [`SELECT ifnull('a', 'x')`, 'a'],
    [`SELECT ifnull(NULL::bigint, 7)`, 7],
    [`SELECT json_array_length('[1, 2, 3]')`, 3],
    [`SELECT json_array_length('{"a": [1, 2]}', '$.a')`, 2],
    [`SELECT json_array_length('{"a": 1}')`, 0],
    [`SELECT group_concat(x) FROM (VALUES ('a'), (NULL), ('c')) t(x)`, 'a,c'],
    [`SELECT group_concat(x, '; ') FROM (VALUES (1), (2)) t(x)`, '1; 2'],
    [`SELECT string(42)`, '42'],
    [`SELECT count(*) FROM json_each('{"a": 1, "b": [2]}')`, 2],
    [`SELECT string_agg(key || '=' || type, ',' ORDER BY id) FROM json_each('{"a": 1, "b": 1.5, "c": "s", "d": true, "e": null, "f": []}')`, 'a=integer,b=real,c=text,d=true,e=null,f=array'],
  ])('%s', async (sql, expected) => {
    expect(await h.rows(sql)).toEqual([[expected]]);
  });
});

describe('REGISTRY and USE', () => {
  it('REGISTRY LIST lists the built-in providers, StackQL names too', async () => {
    const o = await h.run('REGISTRY LIST');
    expect(records(lastRows(o)).map((r) => [r.provider, r.version])).toEqual([
      ['aws', '1'],
      ['awscc', '1'],
    ]);
    expect(o.total).toBe(0);
  });

  it('a StackQL script that pulls its provider and USEs it runs, each statement saying what it did', async () => {
    const o = await h.run(`REGISTRY PULL awscc v24.07.00246;\nUSE awscc;\nSELECT count(*) AS n FROM awscc.ivs.stages WHERE region = 'us-east-1';`);
    expect(o.error).toBeUndefined();
    const [pull, use, count] = o.results;
    expect(pull).toMatchObject({ kind: 'rows', columns: [{ name: 'message' }] });
    expect(String((pull as { rows: unknown[][] }).rows[0]![0])).toMatch(/^awscc is built into ccql \(provider version 1\): there is nothing to pull; the version asked for \(v24\.07\.00246\) does not apply/);
    expect(String((use as { rows: unknown[][] }).rows[0]![0])).toMatch(/^USE awscc changes nothing: ccql has no default provider/);
    expect((count as { rows: unknown[][] }).rows).toEqual([[3]]);
  });

  it('an unknown provider is an error that names the built-in ones, at the name', async () => {
    const o = await h.run('REGISTRY PULL google');
    expect(o.error?.message).toBe("REGISTRY PULL google: ccql has no provider 'google'");
    expect(o.error?.hint).toContain("ccql's providers are built in: aws, awscc");
    expect(o.error?.location).toMatchObject({ line: 1, column: 15 });
    const u = await h.run('USE azure');
    expect(u.error?.message).toBe("USE azure: ccql has no provider 'azure'");
  });

  it('another REGISTRY statement is a syntax error with the forms there are', async () => {
    const o = await h.run('REGISTRY INSTALL aws');
    expect(o.error?.code).toBe('syntax');
    expect(o.error?.hint).toBe('the REGISTRY statements are: REGISTRY LIST [aws]; REGISTRY PULL aws [version]');
  });
});

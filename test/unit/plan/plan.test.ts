/** Statement plans built from SQL and asserted as data: no emulator, no engine, no call. */
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/loader.js';
import { CcqlError } from '../../../src/errors.js';
import { columnNames } from '../../../src/plan/columns.js';
import { planStatement, type MutationPlan, type QueryPlan, type StatementPlan } from '../../../src/plan/plan.js';
import { dryRunResult, explainDocument, plannedCalls } from '../../../src/plan/render.js';
import { stringifyJson } from '../../../src/schema/json.js';
import { lowerSql } from '../../../src/sql/lower.js';
import { loadParser } from '../../../src/sql/parser.js';

const catalog = new Catalog();

beforeAll(async () => {
  await loadParser();
});

function plan(sql: string, defaultRegion: string | undefined = 'us-east-1'): StatementPlan {
  const node = lowerSql(sql, (parts) => (parts[0].toLowerCase() === 'aws' ? { columns: columnNames(catalog.resource(...parts)) } : undefined));
  return planStatement(node, { catalog, options: { defaultRegion, regionSource: '--region', statementId: 7, maxCalls: 1_000 } });
}

function query(sql: string, defaultRegion?: string): QueryPlan {
  const p = plan(sql, defaultRegion);
  if (p.kind !== 'query') throw new Error(`expected a query plan, got ${p.kind}`);
  return p;
}

function mutation(sql: string): MutationPlan {
  const p = plan(sql);
  if (p.kind !== 'mutation') throw new Error(`expected a mutation plan, got ${p.kind}`);
  return p;
}

function failure(fn: () => unknown): CcqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CcqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('regions', () => {
  it('derives the regions of OR-of-AND conditions', () => {
    const p = query(`SELECT name FROM aws.ivs.stages WHERE (region = 'us-east-1' AND name = 'a') OR (region = 'us-west-2' AND name = 'b')`);
    expect(p.fetches[0]!.region).toEqual({ kind: 'const', values: ['us-east-1', 'us-west-2'], origin: 'statement' });
    expect(p.notices).toEqual([]);
  });

  it('derives regions from an array literal, the form drivers send a list parameter in', () => {
    expect(query(`SELECT arn FROM aws.ivs.stages WHERE region = ANY('{us-east-1,us-west-2}')`).fetches[0]!.region).toMatchObject({ values: ['us-east-1', 'us-west-2'], origin: 'statement' });
    expect(query(`SELECT arn FROM aws.ivs.stages WHERE region = ANY('{"us-east-1", "eu-west-1"}'::text[])`).fetches[0]!.region).toMatchObject({ values: ['us-east-1', 'eu-west-1'] });
    // a NULL, a nested array or no array at all tells no list of regions
    for (const v of [`'{us-east-1,NULL}'`, `'{{us-east-1}}'`, `'us-east-1'`, `'{}'`]) {
      expect(failure(() => query(`SELECT arn FROM aws.ivs.stages WHERE region = ANY(${v})`)).message).toMatch(/cannot tell which regions/);
    }
  });

  it('derives regions from OR of equalities and intersects under AND', () => {
    expect(query(`SELECT arn FROM aws.ivs.stages WHERE region = 'a' OR region = 'b'`).fetches[0]!.region).toMatchObject({ values: ['a', 'b'] });
    expect(query(`SELECT arn FROM aws.ivs.stages WHERE (region = 'a' OR region = 'b') AND region IN ('b', 'c')`).fetches[0]!.region).toMatchObject({ values: ['b'] });
    expect(query(`SELECT arn FROM aws.ivs.stages WHERE region = 'a' AND (region = 'b' OR region = 'c')`).fetches[0]!.method).toEqual({ kind: 'none' });
  });

  it('refuses region conditions it cannot turn into a list, instead of using the default region', () => {
    for (const where of [`region LIKE 'us-%'`, `region = 'us-east-1' OR name = 'x'`, `region <> 'us-east-1'`, `upper(region) = 'US-EAST-1'`]) {
      const sql = `SELECT arn FROM aws.ivs.stages WHERE ${where}`;
      const e = failure(() => query(sql));
      expect(e.message).toMatch(/cannot tell which regions to call for aws\.ivs\.stages/);
      expect(e.hint).toMatch(/region IN \(/);
      expect(e.location?.offset).toBe(sql.indexOf('region', sql.indexOf('WHERE')));
    }
  });

  it('reads a region condition on a column merged by JOIN … USING or NATURAL JOIN as one on every table joined on it', () => {
    const regions = (sql: string) => query(sql).fetches.map((f) => f.region);
    const both = (values: string[]) => [1, 2].map(() => ({ kind: 'const', values, origin: 'statement' }));
    const from = `FROM aws.ivs.stages s JOIN aws.ivs.channels c USING (region)`;
    expect(regions(`SELECT s.name, c.name ${from} WHERE region = 'us-west-2'`)).toEqual(both(['us-west-2']));
    expect(regions(`SELECT s.name ${from} WHERE 'us-west-2' = region`)).toEqual(both(['us-west-2']));
    expect(regions(`SELECT s.name ${from} WHERE region IN ('a', 'b')`)).toEqual(both(['a', 'b']));
    expect(regions(`SELECT s.name ${from} WHERE region = 'a' OR region = 'b'`)).toEqual(both(['a', 'b']));
    expect(regions(`SELECT s.name ${from} WHERE (region = 'a' AND s.name = 'x') OR (region = 'b' AND c.name = 'y')`)).toEqual(both(['a', 'b']));
    expect(regions(`SELECT s.name FROM aws.ivs.stages s LEFT JOIN aws.ivs.channels c USING (region, name) WHERE region = 'a'`)).toEqual(both(['a']));
    expect(regions(`SELECT count(*) FROM aws.ivs.stages s NATURAL JOIN aws.ivs.channels c WHERE region = 'a'`)).toEqual(both(['a']));
    // three tables on one column
    const three = query(`SELECT 1 ${from} JOIN aws.ivs.recording_configurations k USING (region) WHERE region = 'a'`).fetches.map((f) => f.region);
    expect(three).toEqual([1, 2, 3].map(() => ({ kind: 'const', values: ['a'], origin: 'statement' })));
    const sql = `SELECT s.name ${from} WHERE region LIKE 'us-%'`;
    expect(failure(() => query(sql)).message).toMatch(/cannot tell which regions to call for aws\.ivs\.stages/);
  });

  it("refuses, before any call, a region that is no region's name, from the statement, the default or an INSERT row", () => {
    const upper = `SELECT name FROM aws.ivs.stages WHERE region = 'US-WEST-2'`;
    const e = failure(() => query(upper));
    expect(e.message).toBe("'US-WEST-2' is not the name of a region, for aws.ivs.stages");
    expect(e.hint).toBe("region names are lower case, without spaces: 'us-west-2'");
    expect(e.location?.offset).toBe(upper.indexOf('aws.ivs.stages'));
    expect(failure(() => query(`SELECT name FROM aws.ivs.stages WHERE region IN ('us-east-1', 'us east 2')`)).message).toMatch(/^'us east 2' is not the name/);
    expect(failure(() => query(`SELECT name FROM aws.ivs.stages s JOIN aws.ivs.channels c USING (region) WHERE region = 'Eu-West-1'`)).hint).toContain("'eu-west-1'");
    const byDefault = failure(() => query(`SELECT name FROM aws.ivs.stages`, 'US-EAST-1'));
    expect(byDefault.message).toBe("'US-EAST-1' is not the name of a region (the default region, from --region), for aws.ivs.stages");
    const insert = `INSERT INTO aws.ivs.stages (region, name) VALUES ('us-east-1', 'a'), ('us_east_1', 'b')`;
    const row = failure(() => mutation(insert));
    expect(row.message).toBe("'us_east_1' is not the name of a region (row 2)");
    expect(row.hint).toBe("a region's name is letters, digits and dashes, such as 'us-east-1'");
    expect(row.location?.offset).toBe(insert.indexOf("'us_east_1'"));
    // every real form passes
    for (const r of ['us-east-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-5', 'eu-central-2']) {
      expect(query(`SELECT name FROM aws.ivs.stages WHERE region = '${r}'`).fetches[0]!.region).toMatchObject({ values: [r] });
    }
  });

  it('reads a region condition outside a subquery or CTE that only passes a table on as one on the table', () => {
    const region = (sql: string) => query(sql).fetches[0]!.region;
    const west = { kind: 'const', values: ['us-west-2'], origin: 'statement' };
    expect(region(`WITH s AS (SELECT * FROM aws.ivs.stages) SELECT name FROM s WHERE region = 'us-west-2'`)).toEqual(west);
    expect(region(`SELECT name FROM (SELECT name, region FROM aws.ivs.stages) s WHERE s.region IN ('us-west-2')`)).toEqual(west);
    expect(region(`SELECT name FROM (SELECT st.name, st.region AS r FROM aws.ivs.stages st WHERE st.name LIKE 'a%') s WHERE r = 'us-west-2'`)).toEqual(west);
    // an identifier given outside is pushed down too
    expect(query(`WITH s AS (SELECT * FROM aws.ivs.stages) SELECT name FROM s WHERE region = 'a' AND arn = 'x'`).fetches[0]!.method).toMatchObject({ kind: 'get' });
    // where a filter outside would mean something else inside, the default region stays, as the notice says
    for (const inner of ['SELECT * FROM aws.ivs.stages LIMIT 2', 'SELECT DISTINCT region FROM aws.ivs.stages', 'SELECT region, count(*) FROM aws.ivs.stages GROUP BY region', 'SELECT region, row_number() OVER () FROM aws.ivs.stages']) {
      expect(region(`SELECT * FROM (${inner}) s WHERE s.region = 'us-west-2'`)).toMatchObject({ origin: 'default' });
    }
    expect(failure(() => query(`WITH s AS (SELECT * FROM aws.ivs.stages) SELECT name FROM s WHERE region LIKE 'us-%'`)).message).toMatch(/cannot tell which regions/);
    // a CTE read twice is one fetch: one reader's condition must not narrow the other's rows
    const twice = query(`WITH s AS (SELECT * FROM aws.ivs.stages) SELECT a.name FROM s a JOIN s b ON a.name <> b.name WHERE a.region = 'us-west-2' AND b.region = 'us-east-1'`);
    expect(twice.fetches.map((f) => f.region)).toEqual([{ kind: 'const', values: ['us-east-1'], origin: 'default' }]);
  });

  it('passes a region condition through any depth of pass-through subqueries and CTEs', () => {
    const region = (sql: string) => query(sql).fetches[0]!.region;
    const west = { kind: 'const', values: ['us-west-2'], origin: 'statement' };
    expect(region(`WITH a AS (SELECT * FROM aws.ivs.stages), b AS (SELECT * FROM a) SELECT name FROM b WHERE region = 'us-west-2'`)).toEqual(west);
    expect(region(`SELECT name FROM (SELECT * FROM (SELECT * FROM aws.ivs.stages) x) y WHERE region = 'us-west-2'`)).toEqual(west);
    expect(region(`WITH a AS (SELECT * FROM aws.ivs.stages) SELECT name FROM (SELECT * FROM a) b WHERE b.region = 'us-west-2'`)).toEqual(west);
    // renamed on the way out, and qualified by each level's alias
    expect(region(`WITH a AS (SELECT name, region AS r FROM aws.ivs.stages) SELECT name FROM (SELECT a.name, a.r AS rr FROM a) b WHERE rr = 'us-west-2'`)).toEqual(west);
    // one level that does not pass rows on keeps the default, however deep it is
    for (const sql of [
      `SELECT name FROM (SELECT * FROM (SELECT DISTINCT region, name FROM aws.ivs.stages) x) y WHERE region = 'us-west-2'`,
      `WITH a AS (SELECT * FROM aws.ivs.stages LIMIT 5), b AS (SELECT * FROM a) SELECT name FROM b WHERE region = 'us-west-2'`,
      `WITH a AS (SELECT * FROM aws.ivs.stages), b AS (SELECT * FROM a) SELECT x.name FROM b x JOIN b y USING (name) WHERE x.region = 'us-west-2'`,
    ]) {
      expect(region(sql), sql).toMatchObject({ origin: 'default' });
    }
  });

  it('says why a region condition outside a subquery that does not pass rows on was not used', () => {
    const p = query(`SELECT name FROM (SELECT DISTINCT region, name FROM aws.ivs.stages) s WHERE region = 'us-west-2'`);
    expect(p.notices).toEqual([
      {
        severity: 'NOTICE',
        message: 'no region condition reaches aws.ivs.stages: using us-east-1 (from --region)',
        hint: 'a condition outside a subquery with GROUP BY, DISTINCT, a window or LIMIT, or outside a CTE read more than once, does not choose the regions read inside it: put the region condition inside',
      },
    ]);
  });

  it("takes the region from the ARN a get names, when the statement names none, and says so", () => {
    const west = 'arn:aws:ivs:us-west-2:123456789012:stage/abc';
    const east = 'arn:aws:ivs:us-east-1:123456789012:stage/def';
    const p = query(`SELECT name FROM aws.ivs.stages WHERE arn = '${west}'`);
    expect(p.fetches[0]!.region).toEqual({ kind: 'const', values: ['us-west-2'], origin: 'arn' });
    expect(p.notices.map((n) => n.message)).toEqual(['no region in the statement for aws.ivs.stages: using us-west-2 (from the ARN it names)']);
    expect(query(`SELECT name FROM aws.ivs.stages WHERE data__Identifier IN ('${west}', '${east}')`).fetches[0]!.region).toMatchObject({ values: ['us-west-2', 'us-east-1'], origin: 'arn' });
    // the statement's own region wins; an identifier that is no regional ARN leaves the default
    expect(query(`SELECT name FROM aws.ivs.stages WHERE arn = '${west}' AND region = 'eu-west-1'`).fetches[0]!.region).toMatchObject({ values: ['eu-west-1'], origin: 'statement' });
    expect(query(`SELECT name FROM aws.ivs.stages WHERE arn = 'abc'`).fetches[0]!.region).toMatchObject({ values: ['us-east-1'], origin: 'default' });
    expect(query(`SELECT role_name FROM aws.iam.roles WHERE data__Identifier = 'arn:aws:iam::123456789012:role/x'`).fetches[0]!.region).toMatchObject({ origin: 'default' });
    expect(explainDocument(p, { rateLimit: undefined }).tables[0]).toMatchObject({ regions: 'us-west-2 (from the ARN)' });
  });

  it('still defaults when the statement says nothing about region, and says so', () => {
    const p = query(`SELECT arn FROM aws.ivs.stages WHERE name LIKE 'a%'`);
    expect(p.fetches[0]!.region).toEqual({ kind: 'const', values: ['us-east-1'], origin: 'default' });
    expect(p.notices.map((n) => n.message)).toEqual(['no region in the statement for aws.ivs.stages: using us-east-1 (from --region)']);
  });
});

describe('method choice from the provider methods', () => {
  it('names the provider method each table is read with', () => {
    expect(query(`SELECT arn FROM aws.ivs.stages WHERE region = 'r'`).fetches[0]!.providerMethod?.name).toBe('list_resources');
    expect(query(`SELECT * FROM aws.ivs.stages WHERE region = 'r' AND arn = 'x'`).fetches[0]!.providerMethod?.name).toBe('get_resource');
  });
});

describe('mutation plans', () => {
  it('INSERT … VALUES: the desired states, before any call', () => {
    const p = mutation(`INSERT INTO aws.ivs.stages (Name, region) VALUES ('a', 'us-east-1'), ('b', 'us-west-2')`);
    expect(p.providerMethod?.name).toBe('create_resource');
    expect(p.source).toEqual({
      kind: 'direct',
      requests: [
        { region: 'us-east-1', label: 'row 1', desiredState: { Name: 'a' } },
        { region: 'us-west-2', label: 'row 2', desiredState: { Name: 'b' } },
      ],
    });
  });

  it('UPDATE by identifier: the patch document per resource', () => {
    const p = mutation(`UPDATE aws.ivs.stages SET name = 'n' WHERE region = 'us-east-1' AND data__Identifier IN ('x', 'y')`);
    expect(p.source).toEqual({
      kind: 'direct',
      requests: ['x', 'y'].map((id) => ({ region: 'us-east-1', identifier: id, label: id, patch: [{ op: 'add', path: '/Name', value: 'n' }] })),
    });
  });

  it('DELETE with a WHERE the engine decides: fetches, engine SQL and how rows become requests', () => {
    const p = mutation(`DELETE FROM aws.ivs.stages WHERE region = 'us-east-1' AND name LIKE 'tmp-%'`);
    expect(p.source.kind).toBe('engine');
    if (p.source.kind !== 'engine') return;
    expect(p.source.fetches.map((f) => [f.ref.name, f.method.kind, f.hydrate])).toEqual([['aws.ivs.stages', 'list', true]]);
    expect(p.source.sql.text).toBe(`SELECT stages.data__identifier AS ccql_identifier, stages.region AS ccql_region FROM pg_temp.ccql_7_t0 AS stages WHERE  region = 'us-east-1' AND name LIKE 'tmp-%'`);
    expect(p.source.strict).toBe(true);
  });

  it('keeps integers beyond 2^53 exact up to the request body', () => {
    const p = mutation(
      `INSERT INTO aws.cloudwatch.alarms (ComparisonOperator, EvaluationPeriods, region) VALUES ('GreaterThanThreshold', 9007199254740993, 'us-east-1')`,
    );
    if (p.source.kind !== 'direct') throw new Error('expected direct requests');
    const state = p.source.requests[0]!.desiredState!;
    expect(state.EvaluationPeriods).toBe(9007199254740993n);
    expect(stringifyJson(state)).toBe('{"ComparisonOperator":"GreaterThanThreshold","EvaluationPeriods":9007199254740993}');
  });
});

describe('EXPLAIN and dry-run read the same plan', () => {
  it('EXPLAIN lists the calls --dry-run returns, with predicted counts', () => {
    const sql = `SELECT s.name, k.value FROM aws.ivs.stages s, aws.ivs.channels c JOIN aws.ivs.stream_keys k ON k.channel_arn = c.arn WHERE s.region IN ('us-east-1', 'eu-west-1') AND c.region = 'us-east-1'`;
    const p = query(sql);
    const doc = explainDocument(p, { rateLimit: 2 });
    const dry = dryRunResult(p);
    expect(doc.calls).toEqual(dry.rows.map(([, operation, region, type, parameters]) => ({ operation, region, type, parameters })));
    expect(doc.calls).toEqual(plannedCalls(p));
    expect(doc.estimates.map((e) => [e.operation, e.table, e.count, e.exact])).toEqual([
      ['ListResources', 'aws.ivs.stages s', 2, false],
      ['GetResource', 'aws.ivs.stages s', 0, false],
      ['ListResources', 'aws.ivs.channels c', 1, false],
      ['ListResources', 'aws.ivs.stream_keys k', 0, false],
      ['GetResource', 'aws.ivs.stream_keys k', 0, false],
    ]);
    expect(doc.min_seconds).toBe(1); // two calls in us-east-1 at 2 per second
  });

  it('predicts the exact count where identifiers are given', () => {
    const doc = explainDocument(query(`SELECT * FROM aws.ivs.stages WHERE region IN ('a', 'b', 'c') AND data__Identifier IN ('x', 'y')`), { rateLimit: undefined });
    expect(doc.calls_exact).toBe(true);
    expect(doc.calls_at_least).toBe(6);
  });
});

describe('keyword columns', () => {
  it('reads `user` as the column of a table that has one, with a warning', () => {
    const sql = `SELECT user FROM aws.datasync.location_f_sx_windows WHERE region = 'us-east-1'`;
    const p = query(sql);
    expect(p.sql.text).toBe(`SELECT "user" FROM pg_temp.ccql_7_t0 AS location_f_sx_windows WHERE region = 'us-east-1'`);
    expect(p.fetches[0]!.hydrate).toBe(true);
    expect(p.notices[0]).toMatchObject({ severity: 'WARNING', message: expect.stringMatching(/user is read as the column "user"/) });
  });

  it('leaves current_user alone where no table has such a column', () => {
    expect(query(`SELECT current_user, name FROM aws.ivs.stages WHERE region = 'r'`).sql.text).toContain('SELECT current_user, name');
  });
});

describe('errors keep their place', () => {
  it('an unknown column points at its offset in the statement', () => {
    const sql = `SELECT arn,\n  nmae FROM aws.ivs.stages WHERE region = 'r'`;
    expect(failure(() => query(sql)).location).toEqual({ offset: sql.indexOf('nmae') });
  });
});

describe('reserved words as column names', () => {
  it('reads authorization, group and primary as the columns StackQL writes unquoted, and says so', () => {
    const p = query(`SELECT authorization, id FROM aws.mediapackage.origin_endpoints WHERE region = 'r' AND authorization IS NOT NULL`);
    expect(p.sql.text).toBe(`SELECT "authorization", id FROM pg_temp.ccql_7_t0 AS origin_endpoints WHERE region = 'r' AND "authorization" IS NOT NULL`);
    expect(p.notices.map((n) => n.message)).toContain('authorization is a reserved word in SQL: read as the column "authorization" (write "authorization" to say so)');
  });

  it('keeps error positions in the user text after quoting', () => {
    const sql = `SELECT authorization, nope FROM aws.mediapackage.origin_endpoints WHERE region = 'r'`;
    expect(failure(() => query(sql)).location).toEqual({ offset: sql.indexOf('nope') });
  });

  it('leaves other syntax errors alone', () => {
    expect(failure(() => query(`SELECT name FROM FROM aws.ivs.stages`)).code).toBe('syntax');
  });
});

describe('the bound on one statement’s calls', () => {
  it('refuses before any call what the statement alone says is too many', () => {
    const ids = Array.from({ length: 600 }, (_, i) => `'arn:${i}'`).join(', ');
    const e = failure(() => query(`SELECT * FROM aws.ivs.stages WHERE region IN ('a', 'b') AND arn IN (${ids})`));
    expect(e.message).toBe('this statement would make at least 1200 API calls, more than the 1000 one statement may make');
    expect(e.hint).toMatch(/--max-calls 1200/);
    const rows = Array.from({ length: 1_001 }, (_, i) => `('s${i}', 'us-east-1')`).join(', ');
    expect(failure(() => mutation(`INSERT INTO aws.ivs.stages (Name, region) VALUES ${rows}`)).message).toMatch(/at least 1001 API calls/);
  });

  it('lets a list through: its calls are counted as they start', () => {
    expect(query(`SELECT * FROM aws.ivs.stages WHERE region = 'a'`).fetches).toHaveLength(1);
  });
});

describe('values nested too deep', () => {
  it('are refused before any call, naming the property', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const e = failure(() => mutation(`INSERT INTO aws.ivs.stages (Name, Tags, region) VALUES ('x', '${deep}', 'us-east-1')`));
    expect(e.message).toBe('Tags is nested more than 64 levels deep');
  });
});

describe('a property named Region', () => {
  it('is written as "Region" (quoted) or property_region; region is where the request goes', () => {
    for (const name of ['"Region"', 'property_region']) {
      const p = mutation(`INSERT INTO aws.sns.subscriptions (TopicArn, Protocol, ${name}, region) VALUES ('arn:aws:sns:us-east-1:123456789012:t', 'sqs', 'us-west-2', 'us-east-1')`);
      if (p.source.kind !== 'direct') throw new Error('expected direct requests');
      expect(p.source.requests[0]).toMatchObject({ region: 'us-east-1', desiredState: { Region: 'us-west-2' } });
    }
    expect(failure(() => mutation(`INSERT INTO aws.sns.subscriptions (TopicArn, Protocol, Region, region) VALUES ('t', 'sqs', 'a', 'b')`)).hint).toBe(
      'the property Region is the column property_region (or "Region", quoted)',
    );
  });
});

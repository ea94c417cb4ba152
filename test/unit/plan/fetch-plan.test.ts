/** The fetch planner: which calls each table reference needs, in which order. Pure. */
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/loader.js';
import { columnNames } from '../../../src/plan/columns.js';
import type { FetchPlan } from '../../../src/plan/fetch-plan.js';
import { planStatement } from '../../../src/plan/plan.js';
import { lowerSql } from '../../../src/sql/lower.js';
import { loadParser } from '../../../src/sql/parser.js';

const catalog = new Catalog();

beforeAll(async () => {
  await loadParser();
});

function plan(sql: string, defaultRegion?: string): FetchPlan[] {
  const node = lowerSql(sql, (parts) => ({ columns: columnNames(catalog.resource(...parts)) }));
  const p = planStatement(node, { catalog, options: { defaultRegion, regionSource: '--region', statementId: 1, maxCalls: 10_000 } });
  if (p.kind !== 'query') throw new Error(`expected a query plan, got ${p.kind}`);
  return [...p.fetches];
}

describe('method choice', () => {
  it('lists without hydration when only list columns are used', () => {
    const [p] = plan(`SELECT region, arn, data__Identifier FROM aws.ivs.stages WHERE region = 'r'`);
    expect(p!.method).toEqual({ kind: 'list', parents: [] });
    expect(p!.hydrate).toBe(false);
    expect(p!.region).toEqual({ kind: 'const', values: ['r'], origin: 'statement' });
  });

  it('hydrates when any other column is used, anywhere in the statement', () => {
    expect(plan(`SELECT arn FROM aws.ivs.stages WHERE region = 'r' ORDER BY name`)[0]!.hydrate).toBe(true);
    expect(plan(`SELECT * FROM aws.ivs.stages WHERE region = 'r'`)[0]!.hydrate).toBe(true);
  });

  it('gets by data__Identifier, Identifier or the primary identifier', () => {
    for (const where of [`data__Identifier = 'a'`, `Identifier = 'a'`, `arn = 'a'`]) {
      const [p] = plan(`SELECT * FROM aws.ivs.stages WHERE region = 'r' AND ${where}`);
      expect(p!.method).toEqual({ kind: 'get', identifierParts: [{ kind: 'const', values: ['a'] }] });
      expect(p!.hydrate).toBe(false);
    }
  });

  it('plans no call for contradicting constants', () => {
    expect(plan(`SELECT * FROM aws.ivs.stages WHERE region = 'a' AND region = 'b'`)[0]!.method).toEqual({ kind: 'none' });
  });

  it('intersects constraints on one column', () => {
    expect(plan(`SELECT arn FROM aws.ivs.stages WHERE region IN ('a', 'b') AND region IN ('b', 'c')`)[0]!.region).toEqual({
      kind: 'const',
      values: ['b'],
      origin: 'statement',
    });
  });
});

describe('regions', () => {
  it('falls back to the default region, marked as such', () => {
    expect(plan(`SELECT arn FROM aws.ivs.stages`, 'eu-west-1')[0]!.region).toEqual({ kind: 'const', values: ['eu-west-1'], origin: 'default' });
  });

  it('names region when there is neither', () => {
    expect(() => plan(`SELECT arn FROM aws.ivs.stages`)).toThrow(/aws\.ivs\.stages needs a region/);
  });
});

describe('list parents and dependencies', () => {
  it('passes list parents from constants', () => {
    const [p] = plan(`SELECT arn FROM aws.ivs.stream_keys WHERE region = 'r' AND channel_arn IN ('c1', 'c2')`);
    expect(p!.method).toEqual({ kind: 'list', parents: [{ property: 'ChannelArn', column: 'channel_arn', source: { kind: 'const', values: ['c1', 'c2'] } }] });
  });

  it('orders a dependent table after the table supplying its parent, in that row’s region', () => {
    const plans = plan(`SELECT 1 FROM aws.ivs.stream_keys k JOIN aws.ivs.channels c ON k.channel_arn = c.arn WHERE c.region = 'r'`);
    expect(plans.map((p) => p.ref.name)).toEqual(['aws.ivs.channels', 'aws.ivs.stream_keys']);
    const k = plans[1]!;
    expect(k.dependsOn).toEqual([1]);
    expect(k.method).toEqual({ kind: 'list', parents: [{ property: 'ChannelArn', column: 'channel_arn', source: { kind: 'column', ref: 1, column: 'arn' } }] });
    expect(k.region).toEqual({ kind: 'column', ref: 1, column: 'region' });
  });

  it('gets a table by identifier per value of another table once that one is fetched', () => {
    const plans = plan(`SELECT c.name FROM aws.ivs.stream_keys k JOIN aws.ivs.channels c ON c.arn = k.channel_arn WHERE k.region = 'r' AND k.channel_arn = 'x'`);
    expect(plans.map((p) => [p.ref.name, p.method.kind])).toEqual([
      ['aws.ivs.stream_keys', 'list'],
      ['aws.ivs.channels', 'get'],
    ]);
  });

  it('refuses a parentless listing, naming the parameter', () => {
    expect(() => plan(`SELECT arn FROM aws.ivs.stream_keys WHERE region = 'r'`)).toThrow(/can only be listed with channel_arn given/);
  });
});

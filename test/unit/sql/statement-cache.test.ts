import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/loader.js';
import { Session } from '../../../src/exec/session.js';
import { StatementCache } from '../../../src/sql/statement-cache.js';

describe('StatementCache', () => {
  it('keeps the most recently used texts, up to its size', () => {
    const cache = new StatementCache<{ n: number }>();
    for (let i = 0; i < 500; i++) cache.set(`select ${i}`, { n: i });
    expect(cache.get('select 0')).toEqual({ n: 0 }); // now the most recent
    cache.set('select 500', { n: 500 });
    expect(cache.get('select 1')).toBeUndefined(); // the least recent went
    expect(cache.get('select 0')).toEqual({ n: 0 });
    expect(cache.get('select 500')).toEqual({ n: 500 });
  });

  it('keeps the order right when the most recent text is asked for again and again, or stored again', () => {
    const cache = new StatementCache<{ n: number }>();
    for (let i = 0; i < 500; i++) cache.set(`select ${i}`, { n: i });
    for (let i = 0; i < 3; i++) expect(cache.get('select 499')).toEqual({ n: 499 });
    cache.set('select 0', { n: 0 }); // stored again: now the most recent
    cache.get('select 1');
    cache.set('select 500', { n: 500 });
    cache.set('select 501', { n: 501 });
    expect(cache.get('select 2')).toBeUndefined(); // the two least recent went
    expect(cache.get('select 3')).toBeUndefined();
    for (const kept of [0, 1, 4, 499, 500, 501]) expect(cache.get(`select ${kept}`)).toEqual({ n: kept });
  });

  it('freezes what it keeps, all the way down, so that no user of a text can change it for the next', () => {
    const cache = new StatementCache<{ refs: Array<{ name: string }> }>();
    cache.set('q', { refs: [{ name: 'a' }] });
    const v = cache.get('q')!;
    expect(() => v.refs.push({ name: 'b' })).toThrow(TypeError);
    expect(() => ((v.refs[0] as { name: string }).name = 'b')).toThrow(TypeError);
  });

  it('does not keep long texts', () => {
    const cache = new StatementCache<{ n: number }>();
    const long = `select '${'x'.repeat(20_000)}'`;
    cache.set(long, { n: 1 });
    expect(cache.get(long)).toBeUndefined();
  });
});

describe('a Session over a catalog it shares with others', () => {
  it('gives a repeated statement the same plan, and a repeated error the same place, in any session', async () => {
    const catalog = new Catalog();
    const [a, b] = [new Session({ catalog, region: 'us-east-1' }), new Session({ catalog, region: 'us-east-1' })];
    const sql = `SELECT name FROM aws.ivs.stages WHERE region = 'us-west-2' AND name = 'x'`;
    // (Each statement's engine tables are numbered by the session: ccql_<n>_t0.)
    const plan = async (s: Session): Promise<string> => JSON.stringify(await s.planOf(sql)).replace(/ccql_\d+_/g, 'ccql_N_');
    const first = await plan(a);
    expect(first).toContain(`"region":{"kind":"const","values":["us-west-2"]`);
    expect(await plan(b)).toBe(first);
    expect(await plan(a)).toBe(first);
    const bad = 'SELECT name FROM aws.ivs.stages WHERE nmae = 1';
    const where = async (s: Session): Promise<unknown> => s.planOf(bad).then(() => 'planned', (e: { message: string; location?: unknown }) => [e.message, e.location]);
    const err = await where(a);
    expect(err).not.toBe('planned');
    expect(await where(b)).toEqual(err);
    expect(await where(a)).toEqual(err);
  });
});

/** The engine seam (PGlite): materializing rows, running SQL, json_extract, errors with positions. */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, openEngine, type Engine } from '../../src/engine/engine.js';

let engine: Engine;

beforeAll(async () => {
  const cacheDir = join(tmpdir(), 'ccql-test-home', 'cache');
  mkdirSync(cacheDir, { recursive: true });
  engine = await openEngine({ cacheDir });
});

afterAll(async () => {
  await engine.close();
});

describe('materialize', () => {
  it('loads rows in bulk with each column converted to its type', async () => {
    await engine.materialize(
      'm1',
      [
        { name: 'region', type: 'text' },
        { name: 'n', type: 'bigint' },
        { name: 'f', type: 'double precision' },
        { name: 'b', type: 'boolean' },
        { name: 'j', type: 'jsonb' },
        { name: 't', type: 'timestamptz' },
        { name: 'default', type: 'text' },
      ],
      [
        { region: 'r', n: 5, f: '1.5', b: 'true', j: { a: [1] }, t: '2024-01-02T03:04:05Z', default: 'reserved word' },
        { region: 'r', n: 'not a number', f: null, b: 'maybe', j: [1, 2], t: 'yesterday-ish' },
        { region: 'r', n: '1152921504606846976', j: 'just text', t: null },
      ],
    );
    const out = await engine.query(`SELECT region, n, f, b, j, t, "default" FROM pg_temp.m1 ORDER BY n NULLS LAST`);
    expect(out.columns.map((c) => c.type)).toEqual(['text', 'bigint', 'double precision', 'boolean', 'jsonb', 'timestamptz', 'text']);
    expect(out.rows[0]).toEqual(['r', 5, 1.5, true, { a: [1] }, new Date('2024-01-02T03:04:05Z'), 'reserved word']);
    expect(out.rows[1]![1]).toBe(2n ** 60n); // beyond 2^53: a BigInt, not a rounded number
    expect(out.rows[1]![4]).toBe('just text');
    expect(out.rows[2]).toEqual(['r', null, null, null, [1, 2], null, null]);
    expect(out.command).toBe('SELECT 3');
    await engine.drop(['m1']);
    await expect(engine.query('SELECT * FROM pg_temp.m1')).rejects.toThrow(/does not exist/);
  });
});

describe('json_extract', () => {
  const doc = `'{"a": {"b": [10, {"c": "x"}, true]}, "n": null, "s": "str", "k.y": 1}'::jsonb`;
  it.each([
    ['$.a.b[0]', '10'],
    ['$.a.b[1].c', 'x'],
    ['$.a.b[2]', 'true'],
    ['$.a.b[#-1]', 'true'],
    ['$.a.b[1]', '{"c": "x"}'],
    ['$.a.b', '[10, {"c": "x"}, true]'],
    ['$.s', 'str'],
    ['$.n', null],
    ['$.missing', null],
    ['$."k.y"', '1'],
    ['$', '{"a": {"b": [10, {"c": "x"}, true]}, "n": null, "s": "str", "k.y": 1}'],
  ])('%s → %s', async (path, expected) => {
    const out = await engine.query(`SELECT json_extract(${doc}, '${path}')`);
    expect(out.rows).toEqual([[expected]]);
  });

  it('takes json and text documents too, and rejects a malformed path', async () => {
    expect((await engine.query(`SELECT json_extract('{"a": 1}'::json, '$.a'), json_extract('[5]', '$[0]')`)).rows).toEqual([['1', '5']]);
    await expect(engine.query(`SELECT json_extract('{}'::jsonb, 'a.b')`)).rejects.toThrow(/JSON path must start with \$/);
  });
});

describe('errors', () => {
  it('carry the engine SQLSTATE and the 0-based position in the SQL', async () => {
    try {
      await engine.query(`SELECT nope FROM (SELECT 1 AS yes) x`);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).sqlstate).toBe('42703');
      expect((e as EngineError).position).toBe(7);
    }
  });
});

/** Building engine SQL from the user's text: replacements by position and the position map back. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readHints } from '../../../src/sql/hints.js';
import { loadParser, parseStatement } from '../../../src/sql/parser.js';
import { SqlBuilder, sourceOffset } from '../../../src/sql/rewrite.js';

beforeAll(async () => {
  await loadParser();
});

describe('SqlBuilder', () => {
  it('replaces spans and maps positions back to the user text', () => {
    const text = `SELECT nam FROM aws.ivs.stages s WHERE x = 1`;
    const start = text.indexOf('aws');
    const b = new SqlBuilder().slice(text, 0, text.length, [{ start, end: start + 'aws.ivs.stages'.length, text: 'pg_temp.ccql_t0' }]).build();
    expect(b.text).toBe(`SELECT nam FROM pg_temp.ccql_t0 s WHERE x = 1`);
    expect(sourceOffset(b, b.text.indexOf('nam'))).toBe(text.indexOf('nam'));
    expect(sourceOffset(b, b.text.indexOf('x = 1'))).toBe(text.indexOf('x = 1'));
    expect(sourceOffset(b, b.text.indexOf('ccql_t0'))).toBe(start);
  });

  it('maps slices inside a frame of ours', () => {
    const text = `DELETE FROM t WHERE a = 1 RETURNING b`;
    const where = { start: text.indexOf(' a = 1'), end: text.indexOf('RETURNING') };
    const b = new SqlBuilder().raw('SELECT id FROM x WHERE').slice(text, where.start, where.end).build();
    expect(sourceOffset(b, b.text.indexOf('a = 1'))).toBe(text.indexOf('a = 1'));
    expect(sourceOffset(b, 0)).toBeUndefined();
  });
});

describe('hints', () => {
  it('reads /*+ NOWAIT */ anywhere and ignores StackQL markers', () => {
    expect([...readHints(parseStatement(`/*+ nowait */ INSERT INTO t VALUES (1)`).tokens)]).toEqual(['NOWAIT']);
    expect([...readHints(parseStatement(`INSERT /*+ NOWAIT, other */ INTO t VALUES (1)`).tokens)]).toEqual(['NOWAIT']);
    expect([...readHints(parseStatement(`/*+ create */ INSERT INTO t VALUES (1)`).tokens)]).toEqual([]);
    expect([...readHints(parseStatement(`/* NOWAIT */ SELECT 1`).tokens)]).toEqual([]);
  });
});

describe('syntax errors', () => {
  it('carry their offset in the statement', () => {
    try {
      parseStatement(`SELECT 1\n  FROMM x`);
      expect.unreachable();
    } catch (e) {
      expect((e as { location?: unknown }).location).toEqual({ offset: 17 }); // at x: FROMM reads as an alias
    }
  });
});

describe('splitting scripts', () => {
  it('places every statement of a long script at its line and column', async () => {
    const { splitScript } = await import('../../../src/sql/split.js');
    const script = 'SELECT 1;\n'.repeat(20_000) + '  SELECT 2';
    const statements = splitScript(script);
    expect(statements).toHaveLength(20_001);
    expect(statements[19_999]).toMatchObject({ text: 'SELECT 1', line: 20_000, column: 1 });
    expect(statements[20_000]).toMatchObject({ text: 'SELECT 2', line: 20_001, column: 3 });
  });
});

/** Building engine SQL from the user's text: replacements by position and the position map back. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readHints } from '../../src/sql/hints.js';
import { loadParser, parseStatement, scanTokens } from '../../src/sql/parser.js';
import { SqlBuilder, clauseSpan } from '../../src/sql/rewrite.js';

beforeAll(async () => {
  await loadParser();
});

describe('SqlBuilder', () => {
  it('replaces spans and maps positions back to the user text', () => {
    const text = `SELECT nam FROM aws.ivs.stages s WHERE x = 1`;
    const start = text.indexOf('aws');
    const b = new SqlBuilder().slice(text, 0, text.length, [{ start, end: start + 'aws.ivs.stages'.length, text: 'pg_temp.ccql_t0' }]);
    expect(b.build()).toBe(`SELECT nam FROM pg_temp.ccql_t0 s WHERE x = 1`);
    expect(b.sourceOffset(b.build().indexOf('nam'))).toBe(text.indexOf('nam'));
    expect(b.sourceOffset(b.build().indexOf('x = 1'))).toBe(text.indexOf('x = 1'));
    expect(b.sourceOffset(b.build().indexOf('ccql_t0'))).toBe(start);
  });

  it('maps slices inside a frame of ours', () => {
    const text = `DELETE FROM t WHERE a = 1 RETURNING b`;
    const where = clauseSpan(text, scanTokens(text), 'WHERE', ['RETURNING'])!;
    expect(text.slice(where.start, where.end)).toBe(' a = 1 ');
    const b = new SqlBuilder().raw('SELECT id FROM x WHERE').slice(text, where.start, where.end);
    expect(b.sourceOffset(b.build().indexOf('a = 1'))).toBe(text.indexOf('a = 1'));
    expect(b.sourceOffset(0)).toBeUndefined();
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
  it('are located in the script from the statement start', () => {
    try {
      parseStatement(`SELECT 1\n  FROMM x`, { line: 4, column: 3 });
      expect.unreachable();
    } catch (e) {
      expect((e as { location?: unknown }).location).toEqual({ line: 5, column: 9 }); // at x: FROMM reads as an alias
    }
  });
});

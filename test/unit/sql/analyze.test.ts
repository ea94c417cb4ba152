import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/loader.js';
import { CcqlError } from '../../../src/errors.js';
import { columnNames } from '../../../src/plan/columns.js';
import { analyze, type Analysis } from '../../../src/sql/analyze.js';
import { loadParser, parseStatement } from '../../../src/sql/parser.js';
import { lineColumn } from '../../../src/sql/split.js';
import { lowerStatement } from '../../../src/sql/lower.js';

const catalog = new Catalog();

beforeAll(async () => {
  await loadParser();
});

function run(sql: string): Analysis {
  return analyze(parseStatement(sql), (parts) => (parts[0].toLowerCase() === 'aws' ? { columns: columnNames(catalog.resource(...parts)) } : undefined));
}

describe('provider table references', () => {
  it('finds each reference with its exact span, alias and exposed name', () => {
    const sql = `SELECT 1 FROM aws . ivs."stages" s, aws.ivs.channels WHERE true`;
    const a = run(sql);
    expect(a.refs.map((r) => [r.name, r.alias, r.exposedName, sql.slice(r.start, r.end)])).toEqual([
      ['aws.ivs.stages', 's', 's', 'aws . ivs."stages"'],
      ['aws.ivs.channels', undefined, 'channels', 'aws.ivs.channels'],
    ]);
  });

  it('places a syntax error after non-ASCII text where psql puts its caret, counting characters', () => {
    const at = (sql: string): { offset: number | undefined; column: number } => {
      try {
        parseStatement(sql);
      } catch (e) {
        const offset = (e as CcqlError).location?.offset;
        return { offset, column: lineColumn(sql, offset ?? 0).column };
      }
      throw new Error('no syntax error');
    };
    // PostgreSQL: syntax error at or near "1", at character 17, 18, 19 and 17 (an emoji is one)
    expect(["SELECT 'é' ANDD 1", "SELECT 'éé' ANDD 1", "SELECT 'ééé' ANDD 1", "SELECT '😀' ANDD 1"].map((sql) => at(sql).column)).toEqual([17, 18, 19, 17]);
    const emoji = "SELECT '😀' ANDD 1";
    expect(emoji.slice(at(emoji).offset)).toBe('1');
    expect(lineColumn("SELECT 'ééé',\n 'ab' ANDD 1", "SELECT 'ééé',\n 'ab' ANDD ".length)).toEqual({ line: 2, column: 12 });
  });

  it('refuses an expression too deep to walk with a clear error, not a stack overflow', async () => {
    // How deep the stack goes depends on the thread: deepen until lowering fails, which must be a CcqlError.
    let failure: unknown;
    for (let n = 4_000; n <= 1_024_000 && failure === undefined; n *= 2) {
      failure = await lowerStatement(`SELECT ${Array.from({ length: n }, () => '1').join('+')}`, () => undefined).then(() => undefined, (e: unknown) => e);
    }
    expect(failure).toBeInstanceOf(CcqlError);
    expect(failure).toMatchObject({ sqlstate: expect.stringMatching(/^(54001|42601)$/) });
    expect((await lowerStatement(`SELECT ${Array.from({ length: 500 }, () => '1').join('+')}`, () => undefined)).kind).toBe('passthrough');
  });

  it('keeps string offsets right after non-ASCII text', () => {
    const sql = `SELECT 'héllo ✓' AS x FROM aws.ivs.stages`;
    const [ref] = run(sql).refs;
    expect(sql.slice(ref!.start, ref!.end)).toBe('aws.ivs.stages');
  });

  it('refuses provider tables in statements that keep their query to run later, and changes of them inside WITH', () => {
    const refused = (sql: string): CcqlError => {
      try {
        run(sql);
      } catch (e) {
        if (e instanceof CcqlError) return e;
        throw e;
      }
      throw new Error(`not refused: ${sql}`);
    };
    const cases: Array<[string, RegExp]> = [
      [`CREATE VIEW v AS SELECT name FROM aws.ivs.stages`, /^a view cannot read a provider table/],
      [`CREATE OR REPLACE VIEW v AS SELECT * FROM t JOIN aws.ivs.stages s ON true`, /^a view cannot read a provider table/],
      [`CREATE MATERIALIZED VIEW m AS SELECT name FROM aws.ivs.stages`, /^a materialized view cannot read a provider table/],
      [`DECLARE c CURSOR FOR SELECT name FROM aws.ivs.stages`, /^a cursor cannot read a provider table/],
      [`PREPARE p AS SELECT name FROM aws.ivs.stages`, /^PREPARE cannot prepare a statement that uses a provider table/],
      [`WITH d AS (DELETE FROM aws.ivs.stages WHERE name = 'x' RETURNING name) SELECT * FROM d`, /^a provider table cannot be changed inside WITH/],
      [`WITH d AS (UPDATE aws.ivs.stages SET name = 'y' WHERE name = 'x' RETURNING name) SELECT * FROM d`, /^a provider table cannot be changed inside WITH/],
      [`WITH d AS (INSERT INTO aws.ivs.stages (name) VALUES ('x') RETURNING name) SELECT * FROM d`, /^a provider table cannot be changed inside WITH/],
    ];
    for (const [sql, message] of cases) {
      const e = refused(sql);
      expect(e.message, sql).toMatch(message);
      expect(e.sqlstate, sql).toBe('0A000');
      expect(e.hint, sql).toBeTruthy();
      expect(sql.slice(e.location?.offset).startsWith('aws.ivs.stages'), sql).toBe(true);
    }
    // the same statements over other tables, and statements that run their query now, are fine
    for (const sql of [`CREATE VIEW v AS SELECT 1 AS x`, `PREPARE p AS SELECT 1`, `CREATE TABLE t AS SELECT name FROM aws.ivs.stages`, `COPY (SELECT name FROM aws.ivs.stages) TO STDOUT`, `WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d`, `WITH d AS (INSERT INTO t SELECT name FROM aws.ivs.stages RETURNING *) SELECT * FROM d`]) {
      expect(() => run(sql), sql).not.toThrow();
    }
  });

  it('leaves three-part names of other catalogs to the engine', () => {
    expect(run(`SELECT * FROM mydb.public.t`).refs).toEqual([]);
  });

  it('finds references in CTEs, subqueries, set operations and EXPLAIN', () => {
    expect(run(`WITH x AS (SELECT * FROM aws.ivs.stages) SELECT * FROM x`).refs).toHaveLength(1);
    expect(run(`SELECT * FROM t WHERE a IN (SELECT name FROM aws.ivs.stages)`).refs).toHaveLength(1);
    expect(run(`SELECT name FROM aws.ivs.stages UNION ALL SELECT name FROM aws.ivs.channels`).refs).toHaveLength(2);
    expect(run(`EXPLAIN SELECT name FROM aws.ivs.stages`).refs).toHaveLength(1);
  });

  it('reports an unknown table with its position and a suggestion', () => {
    try {
      run(`SELECT *\nFROM aws.ivs.stagez`);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CcqlError);
      expect((e as CcqlError).location?.offset).toBe(14);
      expect((e as CcqlError).hint).toBe("did you mean 'aws.ivs.stages'?");
    }
  });
});

describe('columns used', () => {
  it('attributes qualified, unqualified and whole-row references', () => {
    const a = run(`SELECT s.name, tags, c FROM aws.ivs.stages s, aws.ivs.channels c WHERE s.region = 'x' ORDER BY active_session_id`);
    const [s, c] = a.refs;
    expect([...s!.columns].sort()).toEqual(['active_session_id', 'name', 'region', 'tags']);
    expect(s!.allColumns).toBe(false);
    expect(c!.allColumns).toBe(true);
  });

  it('treats * and s.* as every column', () => {
    expect(run(`SELECT * FROM aws.ivs.stages`).refs[0]!.allColumns).toBe(true);
    const a = run(`SELECT s.*, c.name FROM aws.ivs.stages s JOIN aws.ivs.channels c ON true`);
    expect(a.refs.map((r) => r.allColumns)).toEqual([true, false]);
  });

  it('does not take count(*) for every column', () => {
    const [r] = run(`SELECT count(*) FROM aws.ivs.stages WHERE region = 'x'`).refs;
    expect(r!.allColumns).toBe(false);
    expect([...r!.columns]).toEqual(['region']);
  });

  it('catches a misspelt column when nothing else could supply it', () => {
    expect(() => run(`SELECT nmae FROM aws.ivs.stages`)).toThrow(/column "nmae" does not exist in aws\.ivs\.stages/);
    expect(() => run(`SELECT s.nmae FROM aws.ivs.stages s`)).toThrow(/column "nmae" does not exist/);
    // output aliases and other tables may supply a bare name: the engine decides
    expect(() => run(`SELECT name AS n FROM aws.ivs.stages ORDER BY n`)).not.toThrow();
    expect(() => run(`SELECT nmae FROM aws.ivs.stages, (SELECT 1 AS nmae) x`)).not.toThrow();
  });
});

describe('pushable conjuncts', () => {
  it('collects equalities, IN lists and ORs of equalities on one column', () => {
    const [r] = run(`SELECT 1 FROM aws.ivs.stages WHERE region IN ('a', 'b') AND (name = 'x' OR name = 'y') AND data__Identifier = 'id' AND arn LIKE 'z%'`).refs;
    expect(r!.conjuncts).toEqual([
      { column: 'region', values: ['a', 'b'] },
      { column: 'name', values: ['x', 'y'] },
      { column: 'data__identifier', values: ['id'] },
    ]);
  });

  // Regression: `= ANY(ARRAY[…])` was not recognised, so such a statement silently listed only the
  // default region.
  it('treats = ANY(ARRAY[…]) of constants as an IN list, and nothing else of the ANY/ALL forms', () => {
    const [r] = run(`SELECT 1 FROM aws.ivs.stages WHERE region = ANY(ARRAY['a', 'b']) AND arn = ANY(ARRAY['x']::text[])`).refs;
    expect(r!.conjuncts).toEqual([
      { column: 'region', values: ['a', 'b'] },
      { column: 'arn', values: ['x'] },
    ]);
    const others = run(
      `SELECT 1 FROM aws.ivs.stages WHERE region <> ANY(ARRAY['a']) AND region = ALL(ARRAY['a']) AND name = ANY(ARRAY['a', NULL]) AND arn = ANY(ARRAY[lower('X')])`,
    ).refs;
    expect(others[0]!.conjuncts).toEqual([]);
  });

  it('records column equalities between references in both directions', () => {
    const [c, k] = run(`SELECT 1 FROM aws.ivs.channels c JOIN aws.ivs.stream_keys k ON k.channel_arn = c.arn`).refs;
    expect(k!.conjuncts).toEqual([{ column: 'channel_arn', from: { ref: 0, column: 'arn' } }]);
    expect(c!.conjuncts).toEqual([{ column: 'arn', from: { ref: 1, column: 'channel_arn' } }]);
  });

  it('pushes ON conditions only to the side an outer join filters', () => {
    const [c, k] = run(`SELECT 1 FROM aws.ivs.channels c LEFT JOIN aws.ivs.stream_keys k ON k.channel_arn = c.arn AND c.region = 'x'`).refs;
    expect(k!.conjuncts).toEqual([{ column: 'channel_arn', from: { ref: 0, column: 'arn' } }]);
    expect(c!.conjuncts).toEqual([]);
    const full = run(`SELECT 1 FROM aws.ivs.channels c FULL JOIN aws.ivs.stream_keys k ON k.channel_arn = c.arn`).refs;
    expect(full.flatMap((r) => r.conjuncts)).toEqual([]);
  });

  it('does not push an ambiguous bare column', () => {
    const refs = run(`SELECT 1 FROM aws.ivs.stages s, aws.ivs.channels c WHERE region = 'x'`).refs;
    expect(refs.flatMap((r) => r.conjuncts)).toEqual([]);
  });

  it('takes correlated subquery conditions as dependencies on the outer reference', () => {
    const [c, k] = run(`SELECT (SELECT count(*) FROM aws.ivs.stream_keys k WHERE k.channel_arn = c.arn) FROM aws.ivs.channels c`).refs;
    expect(c!.name).toBe('aws.ivs.channels');
    expect(k!.conjuncts).toEqual([{ column: 'channel_arn', from: { ref: 0, column: 'arn' } }]);
  });

  it('tells whether an UPDATE/DELETE WHERE is only constraints on the target', () => {
    expect(run(`DELETE FROM aws.ivs.stages WHERE data__Identifier = 'a' AND region = 'r'`).targetWhereIsConstraintsOnly).toBe(true);
    expect(run(`DELETE FROM aws.ivs.stages WHERE data__Identifier = 'a' AND name LIKE 'x'`).targetWhereIsConstraintsOnly).toBe(false);
    expect(run(`UPDATE aws.ivs.stages SET name = 'x' WHERE data__Identifier = 'a' OR region = 'r'`).targetWhereIsConstraintsOnly).toBe(false);
  });
});

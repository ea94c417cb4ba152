/**
 * StackQL's EXEC, which PostgreSQL's grammar lacks: recognised before the SQL parser, lowered to
 * its own IR node with every name and value where it was written, and refused with the place of
 * the problem when it is malformed.
 */
import { describe, expect, it } from 'vitest';
import { CcqlError } from '../../../src/errors.js';
import { isExecStatement, parseExecStatement } from '../../../src/sql/exec-statement.js';
import type { ExecNode } from '../../../src/sql/ir.js';
import { lowerStatement } from '../../../src/sql/lower.js';

function exec(text: string): ExecNode {
  const node = parseExecStatement(text);
  if (node.kind !== 'exec') throw new Error('expected EXEC');
  return node;
}

function failure(text: string): CcqlError {
  try {
    parseExecStatement(text);
  } catch (e) {
    if (e instanceof CcqlError) return e;
    throw e;
  }
  throw new Error(`expected an error for ${text}`);
}

describe('EXEC', () => {
  it('is told apart from SQL, EXECUTE and other statements', () => {
    expect(isExecStatement("EXEC aws.appstream.fleets.start_fleet @Name = 'f1'")).toBe(true);
    expect(isExecStatement("  -- start it\n exec /*+ SHOWRESULTS */ aws.appstream.fleets.start_fleet @Name = 'f1'")).toBe(true);
    expect(isExecStatement("EXPLAIN (FORMAT JSON) EXEC aws.appstream.fleets.start_fleet @Name = 'f1'")).toBe(true);
    expect(isExecStatement('EXECUTE plan1')).toBe(false);
    expect(isExecStatement('EXPLAIN SELECT 1')).toBe(false);
    expect(isExecStatement("SELECT 'EXEC'")).toBe(false);
  });

  it("lowers StackQL's form: the method, each @parameter and value where written", () => {
    const text = "EXEC aws.appstream.fleets.start_fleet @Name = 'f1', @region = 'us-east-1';";
    const node = exec(text);
    expect(node.parts).toEqual(['aws', 'appstream', 'fleets']);
    expect(node.method).toEqual({ name: 'start_fleet', offset: text.indexOf('start_fleet') });
    expect(node.span).toEqual({ start: 5, end: text.indexOf(' @Name') });
    expect(node.params.map((p) => [p.name.name, p.value.literal])).toEqual([
      ['Name', { kind: 'string', value: 'f1' }],
      ['region', { kind: 'string', value: 'us-east-1' }],
    ]);
    expect(node.params[1]!.name.offset).toBe(text.indexOf('@region'));
    expect(node.hints.size).toBe(0);
  });

  it('reads /*+ SHOWRESULTS */, numbers, booleans, NULL, casts, doubled quotes and @@json', () => {
    const node = exec(`EXEC /*+ SHOWRESULTS */ aws.x.y.z @a = 2, @b = -1.5e3, @c = TRUE, @d = null, @e = '{"k": "it''s"}'::jsonb @@json = '{"f": 1}'`);
    expect(node.hints.has('SHOWRESULTS')).toBe(true);
    expect(node.params.map((p) => p.value.literal)).toEqual([
      { kind: 'number', value: '2' },
      { kind: 'number', value: '-1.5e3' },
      { kind: 'boolean', value: true },
      { kind: 'null' },
      { kind: 'string', value: `{"k": "it's"}` },
    ]);
    expect(node.params[4]!.value.cast).toBe('jsonb');
    expect(node.json?.text).toBe('{"f": 1}');
  });

  it('is explained: EXPLAIN [(FORMAT JSON)] EXEC', () => {
    const node = parseExecStatement("EXPLAIN (FORMAT JSON) EXEC aws.appstream.fleets.stop_fleet @Name = 'f1'");
    expect(node.kind).toBe('explain');
    if (node.kind !== 'explain') return;
    expect(node.format).toBe('json');
    expect(node.statement.kind).toBe('exec');
  });

  it('takes quoted names, and parameters without commas', () => {
    const node = exec(`EXEC "aws"."appstream"."fleets"."start_fleet" @"Name" = 'f1' @region = 'us-east-1'`);
    expect(node.parts).toEqual(['aws', 'appstream', 'fleets']);
    expect(node.params.map((p) => p.name.name)).toEqual(['Name', 'region']);
  });

  it('points at what is wrong, never quoting a value', () => {
    const short = failure("EXEC aws.appstream.start_fleet @Name = 'f1'");
    expect(short.message).toContain("'aws.appstream.start_fleet' is not a method name: expected provider.service.resource.method");
    expect(short.location).toEqual({ offset: 5 });
    const noValue = failure('EXEC aws.appstream.fleets.start_fleet @Name =');
    expect(noValue.message).toContain('expected a value');
    expect(noValue.location?.offset).toBe('EXEC aws.appstream.fleets.start_fleet @Name ='.length);
    const bare = failure("EXEC aws.appstream.fleets.start_fleet Name = 'f1'");
    expect(bare.message).toContain("expected a parameter (@name = value) but found 'Name'");
    expect(bare.hint).toContain('@name');
    const open = failure("EXEC aws.appstream.fleets.start_fleet @Name = 'secret-value");
    expect(open.message).toContain('unterminated string literal');
    expect(open.message).not.toContain('secret-value');
    const after = failure("EXEC aws.appstream.fleets.start_fleet @Name = 'x' 'secret-value'");
    expect(after.message).toContain('a string literal');
    expect(after.message).not.toContain('secret-value');
    expect(isExecStatement('EXPLAIN ANALYZE EXEC aws.a.b.c')).toBe(true);
    expect(failure('EXPLAIN ANALYZE EXEC aws.a.b.c').message).toContain('EXPLAIN ANALYZE is not supported for EXEC');
    expect(failure('EXPLAIN (COSTS) EXEC aws.a.b.c').message).toContain('unknown EXPLAIN option');
    expect(failure('EXPLAIN (ANALYZE) EXEC aws.a.b.c').message).toContain('EXPLAIN ANALYZE is not supported for EXEC');
    expect(failure("EXEC aws.a.b.c @@body = '{}'").message).toContain('unknown @@body');
  });

  it('reaches lowerStatement without the SQL parser', async () => {
    const node = await lowerStatement("exec aws.appstream.fleets.start_fleet @Name = 'f1'", () => undefined);
    expect(node.kind).toBe('exec');
  });
});

import { describe, expect, it } from 'vitest';
import { CcqlError } from '../../../src/errors.js';
import { likeMatcher, parseCatalogStatement } from '../../../src/sql/catalog-statement.js';

function syntaxErrorOf(text: string): CcqlError {
  try {
    parseCatalogStatement(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CcqlError);
    return e as CcqlError;
  }
  throw new Error(`expected a syntax error for: ${text}`);
}

describe('parseCatalogStatement', () => {
  it('parses every statement form, keywords in any case, with or without a semicolon', () => {
    expect(parseCatalogStatement('SHOW PROVIDERS')).toEqual({ kind: 'show_providers' });
    expect(parseCatalogStatement("show providers like 'a%';")).toEqual({ kind: 'show_providers', like: 'a%' });
    expect(parseCatalogStatement('Show Services In aws')).toMatchObject({ kind: 'show_services', provider: 'aws' });
    expect(parseCatalogStatement("SHOW SERVICES IN aws LIKE '%iv%'")).toMatchObject({ kind: 'show_services', provider: 'aws', like: '%iv%' });
    expect(parseCatalogStatement('SHOW RESOURCES IN aws.ivs;')).toMatchObject({ kind: 'show_resources', extended: false, provider: 'aws', service: 'ivs' });
    expect(parseCatalogStatement("show extended resources in aws.ivs like 'stage%'")).toMatchObject({ kind: 'show_resources', extended: true, like: 'stage%' });
    expect(parseCatalogStatement('SHOW METHODS IN aws.ivs.stream_keys')).toMatchObject({ kind: 'show_methods', provider: 'aws', service: 'ivs', resource: 'stream_keys' });
    expect(parseCatalogStatement('DESCRIBE aws.ivs.stages')).toMatchObject({ kind: 'describe', extended: false, resource: 'stages' });
    expect(parseCatalogStatement('describe extended aws.ivs.stages ;')).toMatchObject({ kind: 'describe', extended: true });
    expect(parseCatalogStatement('DESC aws.ivs.stages')).toMatchObject({ kind: 'describe' });
    expect(parseCatalogStatement('SHOW INSERT INTO aws.ivs.stages')).toMatchObject({ kind: 'show_insert', provider: 'aws', service: 'ivs', resource: 'stages' });
  });

  it("parses StackQL's REGISTRY and USE", () => {
    expect(parseCatalogStatement('REGISTRY LIST')).toEqual({ kind: 'registry_list' });
    expect(parseCatalogStatement('registry list awscc;')).toEqual({ kind: 'registry_list', provider: 'awscc', nameAt: { line: 1, column: 15 } });
    expect(parseCatalogStatement('REGISTRY PULL aws')).toEqual({ kind: 'registry_pull', provider: 'aws', nameAt: { line: 1, column: 15 } });
    expect(parseCatalogStatement('REGISTRY PULL awscc v24.07.00246;')).toMatchObject({ kind: 'registry_pull', provider: 'awscc', version: 'v24.07.00246' });
    expect(parseCatalogStatement("REGISTRY PULL aws 'v23.01.00104'")).toMatchObject({ version: 'v23.01.00104' });
    expect(parseCatalogStatement('use aws;')).toEqual({ kind: 'use', provider: 'aws', nameAt: { line: 1, column: 5 } });
    expect(syntaxErrorOf('REGISTRY INSTALL aws').hint).toBe('the REGISTRY statements are: REGISTRY LIST [aws]; REGISTRY PULL aws [version]');
    expect(syntaxErrorOf('REGISTRY PULL').message).toBe('syntax error: expected a provider name such as aws but found the end of the statement');
    expect(syntaxErrorOf('USE aws.ivs').hint).toBe('write USE aws');
  });

  it('accepts comments, line breaks and quoted identifiers', () => {
    const stmt = parseCatalogStatement('-- what can I query?\nDESCRIBE /* columns */\n  "aws"."ivs"."stages"');
    expect(stmt).toMatchObject({ kind: 'describe', provider: 'aws', service: 'ivs', resource: 'stages', nameAt: { line: 3, column: 3 } });
  });

  it('keeps a doubled quote inside a LIKE pattern', () => {
    expect(parseCatalogStatement("SHOW SERVICES IN aws LIKE 'it''s'")).toMatchObject({ like: "it's" });
  });

  it('leaves SQL and PostgreSQL SHOW statements to the engine', () => {
    expect(parseCatalogStatement('SELECT * FROM aws.ivs.stages')).toBeUndefined();
    expect(parseCatalogStatement('SHOW search_path')).toBeUndefined();
    expect(parseCatalogStatement('show server_version;')).toBeUndefined();
    expect(parseCatalogStatement('SHOW ALL')).toBeUndefined();
    expect(parseCatalogStatement('SHOW TRANSACTION ISOLATION LEVEL')).toBeUndefined();
    expect(parseCatalogStatement('-- only a comment')).toBeUndefined();
    expect(parseCatalogStatement('')).toBeUndefined();
  });

  it('reports a misspelt SHOW keyword with a suggestion and the correct form', () => {
    const e = syntaxErrorOf('SHOW SERVICE IN aws');
    expect(e.code).toBe('syntax');
    expect(e.sqlstate).toBe('42601');
    expect(e.location).toEqual({ line: 1, column: 6 });
    expect(e.hint).toContain('did you mean SHOW SERVICES');
    expect(e.hint).toContain("SHOW SERVICES IN aws [LIKE 'pattern']");
  });

  it('reports a missing IN / INTO where it should be', () => {
    const e = syntaxErrorOf('SHOW METHODS aws.ivs.stages');
    expect(e.message).toContain("expected IN but found 'aws'");
    expect(e.location).toEqual({ line: 1, column: 14 });
    expect(e.hint).toContain('SHOW METHODS IN aws.ivs.stages');
    expect(syntaxErrorOf('SHOW INSERT aws.ivs.stages').message).toContain('expected INTO');
  });

  it('reports a name with the wrong number of parts, pointing at the name', () => {
    const e = syntaxErrorOf('SHOW RESOURCES IN aws');
    expect(e.message).toContain("'aws' is missing a part");
    expect(e.location).toEqual({ line: 1, column: 19 });
    expect(e.hint).toContain('SHOW [EXTENDED] RESOURCES IN aws.ivs');
    expect(syntaxErrorOf('DESCRIBE aws.ivs').message).toContain('expected a resource name such as aws.ivs.stages');
    expect(syntaxErrorOf('SHOW SERVICES IN aws.ivs').message).toContain('has too many parts');
    expect(syntaxErrorOf('DESCRIBE aws.ivs.').message).toContain('expected a name after the dot');
  });

  it('reports trailing text, a bad LIKE and an unterminated string with line and column', () => {
    const e = syntaxErrorOf('DESCRIBE aws.ivs.stages\n  extra');
    expect(e.message).toContain("unexpected 'extra'");
    expect(e.location).toEqual({ line: 2, column: 3 });
    expect(syntaxErrorOf('SHOW SERVICES IN aws LIKE iv').message).toContain('expected a quoted pattern after LIKE');
    const u = syntaxErrorOf("SHOW SERVICES IN aws LIKE '%iv");
    expect(u.message).toContain('unterminated string literal');
    expect(u.location).toEqual({ line: 1, column: 27 });
    expect(syntaxErrorOf('DESCRIBE').message).toContain('found the end of the statement');
  });

  it('rejects EXTENDED where it means nothing', () => {
    expect(syntaxErrorOf('SHOW EXTENDED SERVICES IN aws').message).toContain('EXTENDED is not supported with SHOW SERVICES');
  });

  it('takes SHOW EXTENDED METHODS (what each method calls)', () => {
    expect(parseCatalogStatement('SHOW EXTENDED METHODS IN aws.appstream.fleets')).toMatchObject({ kind: 'show_methods', extended: true, resource: 'fleets' });
  });
});

describe('likeMatcher', () => {
  it('implements % and _ case-insensitively, with backslash escapes', () => {
    expect(likeMatcher('%iv%')('ivschat')).toBe(true);
    expect(likeMatcher('%iv%')('detective')).toBe(true);
    expect(likeMatcher('%iv%')('ec2')).toBe(false);
    expect(likeMatcher('IVS')('ivs')).toBe(true);
    expect(likeMatcher('iv_')('ivs')).toBe(true);
    expect(likeMatcher('iv_')('ivschat')).toBe(false);
    expect(likeMatcher('a\\_b')('a_b')).toBe(true);
    expect(likeMatcher('a\\_b')('axb')).toBe(false);
    expect(likeMatcher('a.b')('axb')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { checkStatement } from '../../../src/server/policy.js';
import { threePartNames, type ProviderSchemas } from '../../../src/server/two-level-names.js';

const schemas: ProviderSchemas = {
  lookup: (s) => (s === 'aws_ivs' ? { provider: 'aws', service: 'ivs' } : undefined),
  hasResource: (_p, _s, r) => r === 'stages',
};

describe('threePartNames', () => {
  it('writes aws_ivs.stages as aws.ivs.stages, quoted or not, keeping every offset', () => {
    const text = `select s.name from aws_ivs.stages s join "aws_ivs"."stages" t on true where x = 'aws_ivs.stages'`;
    const out = threePartNames(text, schemas);
    expect(out).toBe(`select s.name from aws.ivs.stages s join "aws".ivs."stages" t on true where x = 'aws_ivs.stages'`);
    expect(out.length).toBe(text.length);
  });

  it('leaves other schemas, other tables, three-part names and column references alone', () => {
    for (const text of ['select * from aws_ivs.channels', 'select * from public.stages', 'select * from db.aws_ivs.stages', 'select aws_ivs.stages.name from x', 'select * from AWS_IVS_other.stages']) {
      expect(threePartNames(text, schemas)).toBe(text);
    }
  });
});

const providers = new Set(['aws', 'awscc']);
const ok = (sql: string): void => expect(() => checkStatement(sql, providers), sql).not.toThrow();
const refused = (sql: string): void => expect(() => checkStatement(sql, providers), sql).toThrow();

describe('checkStatement', () => {
  it('lets queries, settings, transactions, cursors, provider DML and temporary objects through', () => {
    for (const sql of [
      'select 1',
      '(select 1) union (select 2)',
      'with x as (select 1) select * from x',
      "select * from aws.ivs.stages where region = 'us-east-1' for update",
      'explain select 1',
      'show search_path',
      "set application_name = 'x'",
      'set time zone utc',
      'reset all',
      'begin',
      'commit',
      'rollback to savepoint a',
      'declare c cursor for select 1',
      'fetch 10 from c',
      'prepare p (int) as select $1',
      'execute p(1)',
      'deallocate p',
      "insert into aws.ivs.stages (name, region) values ('x', 'y')",
      "update awscc.ivs.stages set name = 'x' where data__identifier = 'y'",
      "delete from aws.ivs.stages where data__identifier = 'y'",
      'create temporary table t (a int)',
      'create temp view v as select 1',
      'create index on t (a)',
      'insert into t values (1) on conflict do update set a = 2',
      'drop table t, pg_temp.u',
      'alter table t add column b int',
      'truncate t',
      'select * into temporary t2 from t',
      "select set_config('search_path', 'x', false)",
      "select 'pg_read_file(1)'",
      'show services in aws',
      'describe aws.ivs.stages',
    ]) {
      ok(sql);
    }
  });

  it('refuses DDL beyond temporary objects, server files, large objects, catalogs, DO, the role', () => {
    for (const sql of [
      'create table t (a int)',
      'create schema s',
      'create extension pg_trgm',
      'create or replace function f() returns int as $$ select 1 $$ language sql',
      "do $$ begin perform pg_read_file('x'); end $$",
      "select pg_read_file('/etc/passwd')",
      "select pg_catalog.pg_read_binary_file('x')",
      'select "pg_ls_dir"(\'.\')',
      "select lo_import('/etc/passwd')",
      'select pg_terminate_backend(1)',
      "select query_to_xml('select 1', true, true, '')",
      "select set_config('role', 'postgres', false)",
      "select set_config('standard_conforming_strings', 'off', false)",
      "select set_config('Standard_Conforming_Strings', 'off', true)",
      "select word from ts_stat($$select to_tsvector('simple', pg_read_file('PG_VERSION'))$$)",
      "select ts_rewrite('a & b'::tsquery, 'select t, s from aliases')",
      'select set_config(x, y, false) from t',
      'update pg_catalog.pg_class set relname = relname',
      'update pg_class set relname = relname',
      'delete from postgres.pg_catalog.pg_class',
      'with x as (delete from pg_catalog.pg_authid returning 1) select * from x',
      'select 1 into t',
      'drop schema aws_ivs cascade',
      'drop table aws_ivs.stages',
      'alter system set work_mem = 1',
      'grant all on schema aws_ivs to public',
      'vacuum',
      "load 'x'",
      'set role postgres',
      'set session authorization postgres',
      'set standard_conforming_strings = off',
      "set client_encoding = 'LATIN1'",
      'explain analyze create table t as select 1',
      "prepare p as insert into pg_catalog.pg_class values (1)",
      "prepare transaction 'x'",
      'comment on table t is $$x$$',
    ]) {
      refused(sql);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { checkStatement } from '../../../src/server/policy.js';
import { bareRelations, threePartNames, type ProviderSchemas } from '../../../src/server/two-level-names.js';

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

  it('leaves other schemas, other tables and longer names alone', () => {
    for (const text of ['select * from aws_ivs.channels', 'select * from public.stages', 'select * from a.db.aws_ivs.stages', 'select a.x.aws_ivs.stages.name from x', 'select * from AWS_IVS_other.stages', 'select aws_ivs.channels.name from aws_ivs.channels']) {
      expect(threePartNames(text, schemas)).toBe(text);
    }
  });

  const same = (text: string, want: string): void => {
    const out = threePartNames(text, schemas);
    expect(out, text).toBe(want);
    expect(out.length, text).toBe(text.length);
  };

  it('writes a schema.table.column reference (SQLAlchemy Core) as the exposed table name, in every clause and quoted', () => {
    same(
      `SELECT aws_ivs.stages.name FROM aws_ivs.stages WHERE aws_ivs.stages.region = 'us-west-2'`,
      `SELECT         stages.name FROM aws.ivs.stages WHERE         stages.region = 'us-west-2'`,
    );
    same(`SELECT "aws_ivs"."stages"."name" FROM "aws_ivs"."stages" WHERE "aws_ivs"."stages"."region" = $1`, `SELECT           "stages"."name" FROM "aws".ivs."stages" WHERE           "stages"."region" = $1`);
    same('select aws_ivs . stages . name, aws_ivs.stages.* from aws_ivs.stages', 'select           stages . name,         stages.* from aws.ivs.stages');
    same('select postgres.aws_ivs.stages.name from postgres.aws_ivs.stages', 'select                  stages.name from          aws.ivs.stages');
    same('select aws_ivs\n.stages.name from aws_ivs.stages', 'select        \n stages.name from aws.ivs.stages');
  });

  it('writes a database-qualified name as the provider table: the engine would read its empty catalog table', () => {
    same('select count(*) from postgres.aws_ivs.stages', 'select count(*) from          aws.ivs.stages');
    same('select count(*) from "ccql"."aws_ivs".stages', 'select count(*) from        "aws".ivs.stages');
    same('select * from U&"aws_ivs".stages', 'select * from "aws".ivs  .stages');
    same('select * from U&"aws\\005fivs".stages', 'select * from "aws".ivs      .stages');
    same("select * from U&\"aws!005fivs\" UESCAPE '!'.stages", "select * from \"aws\".ivs                  .stages");
  });

  it("writes psql 15's names of the catalog columns PostgreSQL 17 renamed, only where the catalog is named", () => {
    same('SELECT d.daticulocale as "ICU Locale" FROM pg_catalog.pg_database d', 'SELECT d.datlocale    as "ICU Locale" FROM pg_catalog.pg_database d');
    same('select c.colliculocale, "colliculocale" from pg_catalog.pg_collation c', 'select c.colllocale   , "colllocale"    from pg_catalog.pg_collation c');
    for (const text of ['select daticulocale from my_table', "select 'd.daticulocale' from pg_database"]) expect(threePartNames(text, schemas)).toBe(text);
  });
});

describe('bareRelations', () => {
  const names = (sql: string): string[] => bareRelations(sql).relations.map((r) => r.name);

  it('finds the tables a statement names without a schema, wherever a table stands', () => {
    expect(names('select count(*) from stages where region = $1')).toEqual(['stages']);
    expect(names('select a, b from t1, t2 join t3 on t1.a = t3.a, t4 where x in (select 1 from t5)')).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(names('select 1 from t where exists (select 1 from "Stages")')).toEqual(['t', 'Stages']);
    for (const sql of ['insert into stages (a) values (1)', 'update stages set a = 1', 'delete from stages', 'table stages', 'select * from only stages', 'drop table if exists stages', 'truncate stages', 'lock table stages in access share mode', 'create temp view v as select * from stages', 'create temp table t as select * from stages', 'select * into temp t from stages', 'declare c cursor for select * from stages', 'select * from lateral f(x), stages']) {
      expect(names(sql), sql).toEqual(['stages']);
    }
  });

  it('leaves out qualified names, CTEs, functions, aliases, columns, cursors, catalogs and what CREATE makes', () => {
    for (const sql of [
      'select count(*) from aws.ivs.stages',
      'select stages.name from aws.ivs.stages',
      'with stages as (select 1) select * from stages',
      'with recursive stages(n) as (select 1 union all select n + 1 from stages) select * from stages',
      'select * from generate_series(1, 2) g',
      'select * from (select 1) as stages',
      'select stages, extract(day from d), substring(a from 2), a is distinct from stages from pg_class',
      'fetch 10 from stages',
      'create temp table stages (a int)',
      'insert into pg_temp.t select 1 on conflict (a) do update set a = 1, b = 2',
    ]) {
      expect(names(sql), sql).toEqual([]);
    }
  });

  it('says which statements may change search_path', () => {
    for (const sql of ['set search_path = aws_ivs', 'reset all', 'discard all', 'commit', 'rollback to savepoint a', 'execute p', "select set_config('search_path', 'aws_ivs', false)", 'fetch 1 from c']) {
      expect(bareRelations(sql).mayChangePath, sql).toBe(true);
    }
    expect(bareRelations('select * from stages').mayChangePath).toBe(false);
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
      // a carriage return ends a -- comment for PostgreSQL, as a line feed does
      "select 1 -- a comment\r, pg_read_file('PG_VERSION')",
      "select pg_catalog.pg_read_binary_file('x')",
      'select "pg_ls_dir"(\'.\')',
      "select U&\"pg\\005fls_dir\"('.')",
      "select U&\"pg!005fls!005f!+000064ir\" UESCAPE '!' ('.')",
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

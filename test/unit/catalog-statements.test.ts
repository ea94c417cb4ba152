import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/loader.js';
import { CcqlError } from '../../src/errors.js';
import type { RowsResult } from '../../src/result.js';
import { runCatalogStatement } from '../../src/exec/catalog-statements.js';
import { parseCatalogStatement } from '../../src/sql/catalog-statement.js';

const catalog = new Catalog({ cache: false });

function run(text: string): RowsResult {
  const stmt = parseCatalogStatement(text);
  if (!stmt) throw new Error(`not a catalog statement: ${text}`);
  return runCatalogStatement(stmt, catalog);
}

function objects(r: RowsResult): Array<Record<string, unknown>> {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}

function errorOf(text: string): CcqlError {
  try {
    run(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CcqlError);
    return e as CcqlError;
  }
  throw new Error(`expected an error for: ${text}`);
}

describe('catalog statements', () => {
  it('SHOW PROVIDERS lists aws with its service count', () => {
    const r = run('SHOW PROVIDERS');
    expect(objects(r)).toEqual([{ name: 'aws', version: '1', services: 273, description: expect.any(String) }]);
    expect(r.command).toBe('SELECT 1');
    expect(run("SHOW PROVIDERS LIKE 'x%'").rows).toEqual([]);
  });

  it('SHOW SERVICES lists all 273 services, and LIKE filters them', () => {
    expect(run('SHOW SERVICES IN aws').rows).toHaveLength(273);
    const iv = objects(run("SHOW SERVICES IN aws LIKE '%iv%'"));
    expect(iv.map((s) => s.name)).toEqual(['detective', 'ivs', 'ivschat', 'medialive']);
    expect(iv.find((s) => s.name === 'ivs')).toEqual({ name: 'ivs', id: 'aws.ivs', title: 'IVS', resources: 10 });
  });

  it('SHOW RESOURCES lists a service, EXTENDED adds operations and description', () => {
    const r = objects(run('SHOW RESOURCES IN aws.ivs'));
    expect(r).toHaveLength(10);
    expect(r).toContainEqual({ name: 'stream_keys', id: 'aws.ivs.stream_keys', type: 'AWS::IVS::StreamKey' });
    const ext = objects(run("SHOW EXTENDED RESOURCES IN aws.ivs LIKE 'stages'"));
    expect(ext).toEqual([{ name: 'stages', id: 'aws.ivs.stages', type: 'AWS::IVS::Stage', operations: 'create, read, update, delete, list', description: expect.stringContaining('AWS::IVS::Stage') }]);
  });

  it('SHOW METHODS gives name, required params and verb, with list parents', () => {
    const r = objects(run('SHOW METHODS IN aws.ivs.stream_keys'));
    expect(r).toContainEqual({ method_name: 'list_resources', required_params: 'channel_arn, region', sql_verb: 'SELECT' });
    expect(r).toContainEqual({ method_name: 'update_resource', required_params: 'data__Identifier, data__PatchDocument, region', sql_verb: 'UPDATE' });
    expect(objects(run("SHOW METHODS IN aws.ivs.stages LIKE 'get%'"))).toEqual([{ method_name: 'get_resource', required_params: 'data__Identifier, region', sql_verb: 'SELECT' }]);
  });

  it('DESCRIBE gives columns and types; EXTENDED adds flags and descriptions', () => {
    const r = run('DESCRIBE aws.ivs.stages');
    expect(r.columns.map((c) => c.name)).toEqual(['name', 'type']);
    expect(r.rows).toEqual([
      ['region', 'text'],
      ['data__Identifier', 'text'],
      ['arn', 'text'],
      ['name', 'text'],
      ['auto_participant_recording_configuration', 'jsonb'],
      ['tags', 'jsonb'],
      ['active_session_id', 'text'],
    ]);
    const ext = objects(run('DESCRIBE EXTENDED aws.ivs.stream_keys'));
    expect(ext.find((c) => c.name === 'channel_arn')).toEqual({ name: 'channel_arn', type: 'text', flags: 'required, create-only, needed to list', description: 'Channel ARN for the stream.' });
    expect(ext.find((c) => c.name === 'arn')?.flags).toBe('identifier, read-only');
    const conn = objects(run('DESCRIBE EXTENDED aws.events.connections'));
    expect(conn.find((c) => c.name === 'auth_parameters')?.flags).toBe('holds write-only fields');
  });

  it('marks top-level write-only columns in DESCRIBE EXTENDED', () => {
    // AWS::RDS::DBCluster's MasterUserPassword is a top-level write-only property
    const rows = objects(run('DESCRIBE EXTENDED aws.rds.db_clusters'));
    expect(rows.find((c) => c.name === 'master_user_password')?.flags).toContain('write-only');
  });

  it('SHOW INSERT INTO prints an editable template: required first, read-only excluded, write-only marked', () => {
    const lines = run('SHOW INSERT INTO aws.ivs.stream_keys').rows.map((r) => r[0] as string);
    const text = lines.join('\n');
    expect(text).toContain('INSERT INTO aws.ivs.stream_keys (');
    expect(lines.findIndex((l) => /^\s+ChannelArn,\s+-- required/.test(l))).toBeLessThan(lines.findIndex((l) => /^\s+Tags,\s+-- optional/.test(l)));
    expect(text).not.toMatch(/^\s+Arn\b/m); // read-only
    expect(text).not.toMatch(/^\s+Value\b/m); // read-only
    expect(text).toContain("'{{ channel_arn }}'");
    expect(text).toMatch(/region\s+-- required/);

    const conn = run('SHOW INSERT INTO aws.events.connections').rows.map((r) => r[0] as string).join('\n');
    expect(conn).toMatch(/AuthParameters,\s+-- optional, holds write-only fields: BasicAuthParameters\.Password, ApiKeyAuthParameters\.ApiKeyValue/);
    expect(conn).toContain('"Password": "{{ password }}"');

    const db = run('SHOW INSERT INTO aws.rds.db_clusters').rows.map((r) => r[0] as string).join('\n');
    expect(db).toMatch(/MasterUserPassword,\s+-- optional, write-only: never returned by reads/);
  });

  it('unknown names get an error naming them, with a suggestion, pointing at the name', () => {
    const e = errorOf('DESCRIBE aws.ivs.stage');
    expect(e.code).toBe('unknown_name');
    expect(e.message).toContain("'aws.ivs.stage'");
    expect(e.hint).toBe("did you mean 'aws.ivs.stages'?");
    expect(e.location).toEqual({ line: 1, column: 10 });
    expect(errorOf('SHOW RESOURCES IN aws.ivss').hint).toContain("'aws.ivs'");
    expect(errorOf('SHOW SERVICES IN aws2').hint).toContain("'aws'");
    expect(errorOf('SHOW METHODS IN aws.ivs.stream_key').hint).toContain("'aws.ivs.stream_keys'");
  });
});

import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/loader.js';
import { CcqlError } from '../../../src/errors.js';
import type { RowsResult } from '../../../src/result.js';
import { runCatalogStatement } from '../../../src/exec/catalog-statements.js';
import { parseCatalogStatement } from '../../../src/sql/catalog-statement.js';

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
    expect(objects(r)).toEqual([{ name: 'aws', version: '1', services: 274, description: expect.any(String) }]);
    expect(r.command).toBe('SELECT 1');
    expect(run("SHOW PROVIDERS LIKE 'x%'").rows).toEqual([]);
  });

  it('SHOW SERVICES lists all 274 services (273 of Cloud Control, ivs_realtime of native methods only), and LIKE filters them', () => {
    expect(run('SHOW SERVICES IN aws').rows).toHaveLength(274);
    const iv = objects(run("SHOW SERVICES IN aws LIKE '%iv%'"));
    expect(iv.map((s) => s.name)).toEqual(['detective', 'ivs', 'ivs_realtime', 'ivschat', 'medialive']);
    expect(iv.find((s) => s.name === 'ivs')).toEqual({ name: 'ivs', id: 'aws.ivs', title: 'IVS', resources: 12 });
  });

  it('SHOW RESOURCES lists a service, EXTENDED adds operations and description', () => {
    const r = objects(run('SHOW RESOURCES IN aws.ivs'));
    // 10 Cloud Control types and 2 native tables (channels_native, stream_keys_native)
    expect(r).toHaveLength(12);
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
    expect(conn).toMatch(/AuthParameters,\s+-- optional, one of .*, holds write-only fields: BasicAuthParameters\.Password, ApiKeyAuthParameters\.ApiKeyValue/);
    expect(conn).toContain('"Password": "{{ password }}"');

    const db = run('SHOW INSERT INTO aws.rds.db_clusters').rows.map((r) => r[0] as string).join('\n');
    expect(db).toMatch(/MasterUserPassword,\s+-- optional, write-only: never returned by reads/);
  });

  it('SHOW INSERT INTO quotes reserved names and writes a property named Region by its column name', () => {
    const smb = run('SHOW INSERT INTO aws.datasync.location_smbs').rows.map((r) => r[0] as string);
    expect(smb).toContainEqual(expect.stringMatching(/^ {2}"User", +-- optional$/));
    const sns = run('SHOW INSERT INTO aws.sns.subscriptions').rows.map((r) => r[0] as string);
    expect(sns).toContainEqual(expect.stringMatching(/^ {2}property_region, +-- optional, write-only/));
    expect(sns).toContainEqual("  '{{ property_region }}',");
    expect(sns.filter((l) => /^ {2}region\b/i.test(l))).toEqual([expect.stringMatching(/^ {2}region +-- required$/)]);
    // DESCRIBE says which property the renamed column is
    expect(objects(run('DESCRIBE EXTENDED aws.sns.subscriptions')).find((c) => c.name === 'property_region')?.flags).toBe('write-only, property Region');
  });

  it('SHOW INSERT INTO names every placeholder once, and its comments need no template variable', () => {
    const lines = run('SHOW INSERT INTO aws.sns.subscriptions').rows.map((r) => r[0] as string);
    const names = lines.join('\n').match(/\{\{ [a-z0-9_]+ \}\}/g) ?? [];
    expect(names.length).toBeGreaterThan(10);
    expect(new Set(names).size).toBe(names.length);
    expect(lines.filter((l) => l.startsWith('--')).join('\n')).not.toContain('{{');
    // `{{ x }}}` would end a Handlebars triple-stash: a nested object closes with a space
    const stages = run('SHOW INSERT INTO aws.ivs.stages').rows.map((r) => r[0] as string).join('\n');
    expect(stages).not.toContain('}}}');
    expect(stages).toContain('{"TargetSegmentDurationSeconds": {{ target_segment_duration_seconds }} }');
  });

  it('SHOW INSERT INTO documents allowed values and defaults, and the first of alternative forms', () => {
    const stages = run('SHOW INSERT INTO aws.ivs.stages').rows.map((r) => r[0] as string);
    expect(stages).toContain('--   recording_mode: one of INTERVAL, DISABLED; default DISABLED');
    const queues = run('SHOW INSERT INTO aws.batch.job_queues').rows.map((r) => r[0] as string);
    expect(queues).toContain('-- AWS::Batch::JobQueue accepts alternative forms and this template is the first. Left out, as this form cannot have them: ServiceEnvironmentOrder.');
    expect(queues).toContainEqual(expect.stringMatching(/^ {2}ComputeEnvironmentOrder, +-- required in this form$/));
    expect(queues.join('\n')).not.toMatch(/^ {2}ServiceEnvironmentOrder/m);
    // Two properties that exclude each other inside a value: only the first is given.
    const rule = run('SHOW INSERT INTO aws.rtbfabric.link_routing_rules').rows.map((r) => r[0] as string).join('\n');
    expect(rule).toContain('"HostHeader": "{{ host_header }}"');
    expect(rule).not.toContain('HostHeaderWildcard');
    expect(rule).not.toContain('PathExact');
  });

  it("answers StackQL's REGISTRY and USE: providers are built in, names stay in full", () => {
    expect(objects(run('REGISTRY LIST'))).toEqual([
      { provider: 'aws', version: '1', description: expect.stringContaining('(built into ccql)') },
      { provider: 'awscc', version: '1', description: 'another name for aws, as StackQL calls it' },
    ]);
    expect(run('REGISTRY PULL aws').rows).toEqual([['aws is built into ccql (provider version 1): there is nothing to pull. Its tables are ready: SHOW SERVICES IN aws lists them.']]);
    expect(run('USE aws').rows[0]![0]).toBe('USE aws changes nothing: ccql has no default provider, tables keep their full names (aws.<service>.<resource>, e.g. aws.ivs.stages).');
    const e = errorOf('REGISTRY PULL gogle');
    expect(e.code).toBe('unknown_name');
    expect(e.message).toBe("REGISTRY PULL gogle: ccql has no provider 'gogle'");
    expect(e.hint).toBe("ccql's providers are built in: aws, awscc (SHOW PROVIDERS lists them); REGISTRY PULL adds none");
    expect(e.location).toEqual({ line: 1, column: 15 });
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

/**
 * Plans of statements over native tables, asserted as data (no emulator, no engine, no call):
 * which native method reads each table and with which input, what INSERT/UPDATE/DELETE and EXEC
 * send, what is refused before any call, and that dry runs and EXPLAIN never show a secret.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/loader.js';
import type { NativeInput } from '../../../src/catalog/types.js';
import { CcqlError } from '../../../src/errors.js';
import { columnNames } from '../../../src/plan/columns.js';
import type { ExecPlan } from '../../../src/plan/exec-plan.js';
import { buildInput, requestParams } from '../../../src/plan/native.js';
import { planStatement, type MutationPlan, type QueryPlan, type StatementPlan } from '../../../src/plan/plan.js';
import { dryRunResult, explainDocument, explainResult, plannedCalls } from '../../../src/plan/render.js';
import { statementSecrets } from '../../../src/plan/secrets.js';
import { parseExecStatement } from '../../../src/sql/exec-statement.js';
import type { StatementNode } from '../../../src/sql/ir.js';
import { lowerSql } from '../../../src/sql/lower.js';
import { isExecStatement } from '../../../src/sql/exec-statement.js';
import { loadParser } from '../../../src/sql/parser.js';

const catalog = new Catalog();
const API_KEY = 'k-3f9d2a77c1e0';

beforeAll(async () => {
  await loadParser();
});

function lower(sql: string): StatementNode {
  if (isExecStatement(sql)) return parseExecStatement(sql);
  return lowerSql(sql, (parts) => (parts[0].toLowerCase() === 'aws' ? { columns: columnNames(catalog.resource(...parts)) } : undefined));
}

function plan(sql: string, defaultRegion: string | undefined = 'us-east-1'): StatementPlan {
  return planStatement(lower(sql), { catalog, options: { defaultRegion, regionSource: '--region', statementId: 3, maxCalls: 1_000 } });
}

function query(sql: string): QueryPlan {
  const p = plan(sql);
  if (p.kind !== 'query') throw new Error(`expected a query plan, got ${p.kind}`);
  return p;
}

function mutation(sql: string): MutationPlan {
  const p = plan(sql);
  if (p.kind !== 'mutation') throw new Error(`expected a mutation plan, got ${p.kind}`);
  return p;
}

function execPlan(sql: string): ExecPlan {
  const p = plan(sql);
  if (p.kind !== 'exec') throw new Error(`expected an EXEC plan, got ${p.kind}`);
  return p;
}

function failure(fn: () => unknown): CcqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CcqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('input mapping', () => {
  it('takes each member from its parameter, leaves out what is not given, lists [name], nests members', () => {
    const input: NativeInput = { Name: 'name', Names: ['name'], ComputeCapacity: { DesiredInstances: 'desired' }, Description: 'description' };
    expect(buildInput(input, { name: 'f1', desired: 2, description: null })).toEqual({ Name: 'f1', Names: ['f1'], ComputeCapacity: { DesiredInstances: 2 } });
    expect(buildInput(input, {})).toEqual({});
  });

  it('splits the identifier into the primary identifier columns and refuses a removal', () => {
    const fleets = catalog.resolve('aws.appstream.fleets');
    expect(requestParams(fleets, { region: 'r', identifier: 'f1', patch: [{ op: 'add', path: '/DisplayName', value: 'F' }] })).toEqual({ region: 'r', data__identifier: 'f1', name: 'f1', display_name: 'F' });
    const e = failure(() => requestParams(fleets, { region: 'r', identifier: 'f1', patch: [{ op: 'remove', path: '/DisplayName' }] }));
    expect(e.message).toContain('cannot set display_name to NULL');
  });
});

describe('reading native tables', () => {
  it('lists with the list method, pushing down what its input takes; hydrates only for columns the list lacks', () => {
    const p = query(`SELECT name, arn FROM aws.ivs.channels_native WHERE region = 'us-east-1' AND name = 'ch1'`);
    const f = p.fetches[0]!;
    expect(f.providerMethod?.name).toBe('list_channels');
    expect(f.method).toEqual({ kind: 'list', parents: [{ property: 'name', column: 'name', source: { kind: 'const', values: ['ch1'] } }] });
    expect(f.hydrate).toBe(false);
    expect(plannedCalls(p)).toEqual([{ operation: 'ListChannels', region: 'us-east-1', type: 'AWS::IVS::Channel', parameters: { filterByName: 'ch1', pages: 'all' } }]);
    const whole = query(`SELECT name, playback_url FROM aws.ivs.channels_native WHERE region = 'us-east-1'`).fetches[0]!;
    expect(whole.hydrate).toBe(true);
    expect(whole.hydrateMethod?.name).toBe('get_channel');
  });

  it('reads one resource with the get method when its identifier is pinned', () => {
    const p = query(`SELECT name, state FROM aws.appstream.fleets WHERE region = 'us-east-1' AND name IN ('f1', 'f2')`);
    expect(p.fetches[0]!.providerMethod?.name).toBe('get_fleet');
    expect(plannedCalls(p).map((c) => c.parameters)).toEqual([{ Names: ['f1'] }, { Names: ['f2'] }]);
    const byId = query(`SELECT name FROM aws.appstream.fleets WHERE region = 'us-east-1' AND data__Identifier = 'f3'`);
    expect(plannedCalls(byId)[0]!.parameters).toEqual({ Names: ['f3'] });
  });

  it('pages through every fleet of a region', () => {
    const p = query(`SELECT name, state, enable_default_internet_access FROM aws.appstream.fleets WHERE region = 'us-east-1'`);
    expect(plannedCalls(p)).toEqual([{ operation: 'DescribeFleets', region: 'us-east-1', type: 'AWS::AppStream::Fleet', parameters: { pages: 'all' } }]);
    const text = explainResult({ kind: 'explain', format: 'text', plan: p }, { rateLimit: undefined }).rows.map((r) => r[0]);
    expect(text[0]).toBe('Fetch aws.appstream.fleets (AWS::AppStream::Fleet, through @aws-sdk/client-appstream) by list_fleets');
    expect(text).toContain('  DescribeFleets aws.appstream.fleets: at least 1 (+1 per further page of results)');
  });

  it('names the parameters a list needs, and takes them from WHERE', () => {
    const e = failure(() => query(`SELECT * FROM aws.appstream.sessions WHERE region = 'us-east-1' AND stack_name = 's1'`));
    expect(e.message).toBe("aws.appstream.sessions can only be listed with fleet_name given: add WHERE fleet_name = '…'");
    const p = query(`SELECT user_id FROM aws.appstream.sessions WHERE region = 'us-east-1' AND stack_name = 's1' AND fleet_name = 'f1' AND authentication_type = 'API'`);
    expect(plannedCalls(p)[0]!.parameters).toEqual({ StackName: 's1', FleetName: 'f1', AuthenticationType: 'API', pages: 'all' });
  });

  it('refuses a table with nothing to list it by', () => {
    const e = failure(() => query(`SELECT token FROM aws.ivs_realtime.participant_tokens WHERE region = 'us-east-1'`));
    expect(e.message).toContain('aws.ivs_realtime.participant_tokens cannot be listed');
  });
});

describe('changing native tables', () => {
  it("INSERT is one call of the create method with the columns' values, nested JSON as written", () => {
    const p = mutation(`INSERT INTO aws.ivs_realtime.stages (name, participant_token_configurations, region) SELECT 'stage1', '[{"userId":"alice"}]', 'us-west-2' RETURNING *`);
    expect(p.operation).toBe('CreateStage');
    expect(p.returning?.eventColumns).toEqual([]);
    expect(plannedCalls(p)).toEqual([{ operation: 'CreateStage', region: 'us-west-2', type: 'AWS::IVS::Stage', parameters: { name: 'stage1', participantTokenConfigurations: [{ userId: 'alice' }] } }]);
    const doc = explainDocument(p, { rateLimit: undefined });
    expect(doc.estimates.map((e) => e.operation)).toEqual(['CreateStage', 'GetStage']);
  });

  it('refuses a column the create call does not take, and a missing required one', () => {
    expect(failure(() => mutation(`INSERT INTO aws.ivs_realtime.participant_tokens (user_id, region) VALUES ('alice', 'us-east-1')`)).message).toContain('needs stageArn (stage_arn)');
    const e = failure(() => mutation(`INSERT INTO aws.appstream.fleets (name, instance_type, fleet_errors, region) VALUES ('f', 'stream.standard.small', '[]', 'us-east-1')`));
    expect(e.message).toContain('FleetErrors (fleet_errors) is read-only');
  });

  it('UPDATE sends the SET columns to the update method; a patch document is refused', () => {
    const p = mutation(`UPDATE aws.appstream.fleets SET display_name = 'F', compute_capacity = '{"DesiredInstances": 2}' WHERE name = 'f1' AND region = 'us-east-1'`);
    expect(plannedCalls(p)).toEqual([{ operation: 'UpdateFleet', region: 'us-east-1', type: 'AWS::AppStream::Fleet', parameters: { Name: 'f1', DisplayName: 'F', ComputeCapacity: { DesiredInstances: 2 } } }]);
    const e = failure(() => mutation(`UPDATE aws.appstream.fleets SET data__PatchDocument = '[]' WHERE name = 'f1' AND region = 'us-east-1'`));
    expect(e.message).toContain('aws.appstream.fleets is changed by UpdateFleet, which takes new column values, not a patch document');
    expect(failure(() => mutation(`UPDATE aws.ivs.channels_native SET tags = '{}' WHERE arn = 'a' AND region = 'us-east-1'`)).message).toContain('create-only');
    const sql = `UPDATE aws.ivs.channels_native SET name = NULL WHERE arn = 'a' AND region = 'us-east-1'`;
    const nul = failure(() => mutation(sql));
    expect(nul.message).toBe('aws.ivs.channels_native cannot set name to NULL: UpdateChannel takes new values, not removals');
    expect(nul.location?.offset).toBe(sql.indexOf('name = NULL'));
  });

  it('DELETE by identifier is direct; by another column it reads first', () => {
    expect(plannedCalls(mutation(`DELETE FROM aws.events.connections_native WHERE name = 'c1' AND region = 'us-east-1'`))).toEqual([
      { operation: 'DeleteConnection', region: 'us-east-1', type: 'AWS::Events::Connection', parameters: { Name: 'c1' } },
    ]);
    const calls = plannedCalls(mutation(`DELETE FROM aws.events.connections_native WHERE region = 'us-east-1' AND connection_state = 'DEAUTHORIZED'`));
    expect(calls.map((c) => c.operation)).toEqual(['ListConnections', 'DeleteConnection']);
    expect(calls[0]!.parameters).toEqual({ ConnectionState: 'DEAUTHORIZED', pages: 'all' });
    expect(calls[1]!.parameters).toEqual({ Name: '<name of each matching row>' });
  });
});

describe('secrets', () => {
  const insert = `INSERT INTO aws.events.connections_native (name, authorization_type, auth_parameters, region) VALUES ('c1', 'API_KEY', '{"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "${API_KEY}"}}', 'us-east-1')`;

  it('an API key is sent but neither a dry run nor EXPLAIN shows it', () => {
    const p = mutation(insert);
    expect(p.source.kind === 'direct' && JSON.stringify(p.source.requests)).toContain(API_KEY);
    const dry = JSON.stringify(dryRunResult(p));
    expect(dry).not.toContain(API_KEY);
    expect(dry).toContain('"ApiKeyValue":"********"');
    expect(JSON.stringify(explainDocument(p, { rateLimit: undefined }))).not.toContain(API_KEY);
  });

  it('the statement knows its secrets, EXEC included, to scrub them from every message', () => {
    expect(statementSecrets(lower(insert), catalog)).toEqual([API_KEY]);
    const exec = `EXEC aws.events.connections_native.update_connection @Name = 'c1', @AuthParameters = '{"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "${API_KEY}"}}', @region = 'us-east-1'`;
    expect(statementSecrets(lower(exec), catalog)).toEqual([API_KEY]);
    expect(JSON.stringify(dryRunResult(execPlan(exec)))).not.toContain(API_KEY);
  });
});

describe('EXEC', () => {
  it('resolves each @parameter to a column by any of its names, with its type', () => {
    const p = execPlan(`EXEC aws.appstream.fleets.start_fleet @Name = 'f1', @region = 'us-east-1'`);
    expect(p.name).toBe('aws.appstream.fleets.start_fleet');
    expect(p.params).toEqual({ name: 'f1', region: 'us-east-1' });
    expect(p.showResults).toBe(false);
    expect(plannedCalls(p)).toEqual([{ operation: 'StartFleet', region: 'us-east-1', type: 'AWS::AppStream::Fleet', parameters: { Name: 'f1' } }]);
    const json = execPlan(`EXEC /*+ SHOWRESULTS */ aws.appstream.fleets.update_fleet @@json = '{"Name": "f1", "ComputeCapacity": {"DesiredInstances": 3}, "region": "eu-west-1"}'`);
    expect(json.params).toEqual({ name: 'f1', compute_capacity: { DesiredInstances: 3 }, region: 'eu-west-1' });
    expect(json.showResults).toBe(true);
  });

  it('takes the default region with a notice, and names what is missing or unknown', () => {
    expect(execPlan(`EXEC aws.appstream.fleets.stop_fleet @Name = 'f1'`).notices[0]?.message).toBe('no region given for aws.appstream.fleets.stop_fleet: using us-east-1 (from --region)');
    const missing = failure(() => execPlan(`EXEC aws.appstream.fleets.stop_fleet @region = 'us-east-1'`));
    expect(missing.message).toBe("StopFleet on aws.appstream.fleets needs name: add @name = '…'");
    expect(missing.location?.offset).toBe(5);
    const unknown = failure(() => execPlan(`EXEC aws.appstream.fleets.stop_fleet @Nmae = 'f1'`));
    expect(unknown.message).toBe('aws.appstream.fleets.stop_fleet takes no parameter @Nmae');
    expect(unknown.hint).toBe('did you mean @name? It takes @name, @region');
    expect(unknown.location?.offset).toBe('EXEC aws.appstream.fleets.stop_fleet '.length);
    expect(failure(() => execPlan(`EXEC aws.appstream.fleets.stop_flet @Name = 'f1'`)).hint).toBe('did you mean aws.appstream.fleets.stop_fleet?');
    expect(failure(() => execPlan(`EXEC aws.ivs.stages.get_resource @data__Identifier = 'x'`)).message).toContain('is a Cloud Control method');
    const noRegion = () => planStatement(lower(`EXEC aws.appstream.fleets.start_fleet @Name = 'f1'`), { catalog, options: { defaultRegion: undefined, regionSource: undefined, statementId: 1, maxCalls: 10 } });
    expect(failure(noRegion).message).toContain("needs a region: add @region = '…'");
  });

  it('is explained without a call', () => {
    const p = plan(`EXPLAIN EXEC aws.appstream.fleets.start_fleet @Name = 'f1', @region = 'us-east-1'`);
    if (p.kind !== 'explain') throw new Error('expected EXPLAIN');
    const lines = explainResult(p, { rateLimit: undefined }).rows.map((r) => r[0]);
    expect(lines[0]).toBe('EXEC aws.appstream.fleets.start_fleet: StartFleet (@aws-sdk/client-appstream) in us-east-1, answered when done');
    expect(lines).toContain('  Total: 1');
  });
});

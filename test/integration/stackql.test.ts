/**
 * StackQL users' statements, run unchanged against the emulator through a Session: the awscc
 * provider name, `_list_only` tables, progress-event fields in RETURNING, `Identifier` as the
 * Cloud Control identifier, and StackQL-only names answered with what to use instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRows, records, startHarness, type Harness } from './query-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { region: 'us-east-1', regionSource: '--region' });
});

afterAll(async () => {
  await h.close();
});

const EVENT = 'ErrorCode, EventTime, Identifier, Operation, OperationStatus, RequestToken, ResourceModel, RetryAfter, StatusMessage, TypeName';

describe('awscc is aws', () => {
  it('names the same tables', async () => {
    await h.run(`INSERT INTO aws.ivs.stages (Name, region) VALUES ('same-table', 'us-east-1')`);
    const a = await h.rows(`SELECT name FROM awscc.ivs.stages WHERE region = 'us-east-1' AND name = 'same-table'`);
    expect(a).toEqual([['same-table']]);
    const d = await h.run(`DESCRIBE awscc.ivs.stages`);
    expect(lastRows(d).rows.map((r) => r[0])).toContain('active_session_id');
  });
});

describe('_list_only tables', () => {
  it('list without a GetResource per row, with the columns a list returns', async () => {
    await h.run(`INSERT INTO aws.ivs.stages (Name, region) VALUES ('lo-1', 'us-west-2'), ('lo-2', 'us-west-2')`);
    const o = await h.run(`SELECT * FROM awscc.ivs.stages_list_only WHERE region = 'us-west-2'`);
    expect(lastRows(o).columns.map((c) => c.name)).toEqual(['region', 'data__identifier', 'arn']);
    expect(lastRows(o).rows).toHaveLength(2);
    expect(o.calls).toEqual({ ListResources: 1 });
    const explain = await h.run(`EXPLAIN (FORMAT JSON) SELECT * FROM aws.ivs.stages_list_only WHERE region = 'us-west-2'`);
    const doc = (lastRows(explain).rows[0]![0] as Array<{ estimates: Array<{ operation: string }> }>)[0]!;
    expect(doc.estimates.map((e) => e.operation)).toEqual(['ListResources']);
  });

  it('cannot be changed, and says where to change it', async () => {
    const o = await h.run(`DELETE FROM aws.ivs.stages_list_only WHERE region = 'us-west-2'`);
    expect(o.error?.message).toMatch(/cannot be changed by DELETE: it only lists/);
    expect(o.error?.hint).toBe('DELETE on aws.ivs.stages instead');
  });
});

describe('progress-event fields in RETURNING', () => {
  it('INSERT returns the final event beside the resource columns', async () => {
    const o = await h.run(`INSERT INTO awscc.ivs.stages (Name, region) SELECT 'ev-1', 'us-east-1' RETURNING name, ${EVENT}`);
    const [row] = records(lastRows(o));
    expect(row).toMatchObject({ name: 'ev-1', operation: 'CREATE', operationstatus: 'SUCCESS', typename: 'AWS::IVS::Stage', errorcode: null, statusmessage: null });
    expect(row!.identifier).toMatch(/^arn:aws:ivs:us-east-1:/);
    expect(row!.requesttoken).toMatch(/\S/);
    expect(row!.eventtime).toBeInstanceOf(Date);
    expect(row!.resourcemodel).toMatchObject({ Name: 'ev-1' });
  });

  it('with NOWAIT, returns the accepted request without reading the resource', async () => {
    const o = await h.run(`/*+ NOWAIT */ INSERT INTO awscc.ivs.stages (Name, region) SELECT 'ev-nowait', 'us-east-1' RETURNING RequestToken, OperationStatus`);
    const [row] = records(lastRows(o));
    expect(row!.operationstatus).toMatch(/IN_PROGRESS|SUCCESS/);
    expect(o.calls.GetResource).toBeUndefined();
  });

  it('UPDATE with SET PatchDocument = string(…) and DELETE return their events', async () => {
    const [[id]] = (await h.rows(`SELECT data__Identifier FROM aws.ivs.stages WHERE region = 'us-east-1' AND name = 'ev-1'`)) as [[string]];
    const u = await h.run(
      `UPDATE awscc.ivs.stages SET PatchDocument = string('[{"op": "replace", "path": "/Name", "value": "ev-1b"}]') WHERE region = 'us-east-1' AND Identifier = '${id}' RETURNING name, Operation, OperationStatus`,
    );
    expect(records(lastRows(u))).toEqual([{ name: 'ev-1b', operation: 'UPDATE', operationstatus: 'SUCCESS' }]);
    const d = await h.run(`DELETE FROM awscc.ivs.stages WHERE Identifier = '${id}' AND region = 'us-east-1' RETURNING name, Operation, OperationStatus, Identifier`);
    expect(records(lastRows(d))).toEqual([{ name: 'ev-1b', operation: 'DELETE', operationstatus: 'SUCCESS', identifier: id }]);
  });

  it("a property named like an event field keeps its name; the event's field is event_<name>", async () => {
    const o = await h.run(
      `INSERT INTO aws.billingconductor.pricing_rules (Name, Scope, Type, ModifierPercentage, Service, Operation, region) VALUES ('pr', 'SKU', 'MARKUP', 10, 'AmazonEC2', 'RunInstances', 'us-east-1') RETURNING Operation, event_operation, OperationStatus`,
    );
    expect(records(lastRows(o))).toEqual([{ operation: 'RunInstances', event_operation: 'CREATE', operationstatus: 'SUCCESS' }]);
  });

  it('never returns write-only values in the ResourceModel', async () => {
    const o = await h.run(
      `INSERT INTO aws.events.connections (Name, AuthorizationType, AuthParameters, region) VALUES ('ev-conn', 'API_KEY', '{"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "do-not-show-1"}}', 'us-east-1') RETURNING ResourceModel, StatusMessage`,
    );
    expect(JSON.stringify(lastRows(o).rows)).not.toContain('do-not-show-1');
  });
});

describe('Identifier is the Cloud Control identifier', () => {
  it('on a type with a property called Identifier, WHERE Identifier gets by identifier; INSERT still takes the property', async () => {
    const ins = await h.run(
      `INSERT INTO awscc.cognito.user_pool_resource_servers (UserPoolId, Identifier, Name, region) VALUES ('us-east-1_pool', 'orders-api', 'orders', 'us-east-1') RETURNING Identifier, property_identifier`,
    );
    expect(records(lastRows(ins))).toEqual([{ identifier: 'us-east-1_pool|orders-api', property_identifier: 'orders-api' }]);
    const o = await h.run(`SELECT name, property_identifier FROM awscc.cognito.user_pool_resource_servers WHERE region = 'us-east-1' AND Identifier = 'us-east-1_pool|orders-api'`);
    expect(lastRows(o).rows).toEqual([['orders', 'orders-api']]);
    expect(o.calls).toEqual({ GetResource: 1 });
  });
});

describe('StackQL-only names', () => {
  it.each([
    ['SELECT * FROM awscc.cloud_control.resources', /cloud_control .* is not served/],
    ['SELECT * FROM aws.tagging.resources', /Resource Groups Tagging API\) is not a Cloud Control service/],
    ["SELECT * FROM aws.ec2.vw_instances WHERE region = 'us-east-1'", /ccql has no view aws\.ec2\.vw_instances/],
  ])('%s', async (sql, message) => {
    const o = await h.run(sql);
    expect(o.error?.message).toMatch(message);
    expect(o.error?.hint).toBeTruthy();
    expect(o.total).toBe(0);
  });
});

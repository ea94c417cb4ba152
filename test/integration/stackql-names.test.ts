/**
 * StackQL's table and column names (and ccql's earlier ones) through a Session against the
 * emulator: a statement written with them returns what the canonical spelling returns, pushes
 * the same constraints down, and INSERT takes alias columns.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRows, records, startHarness, type Harness } from './query-harness.js';

let h: Harness;
let restApiId: string;

beforeAll(async () => {
  h = await startHarness({}, { region: 'us-east-1', regionSource: '--region' });
  const api = await h.run(`INSERT INTO aws.apigateway.rest_apis (Name, region) VALUES ('names-api', 'us-east-1') RETURNING rest_api_id`);
  restApiId = String(records(lastRows(api))[0]!.rest_api_id);
});

afterAll(async () => {
  await h.close();
});

describe('column aliases', () => {
  it('INSERT takes an alias column (ccql’s earlier provider_ar_ns) and StackQL’s name alike', async () => {
    const a = await h.run(
      `INSERT INTO awscc.apigateway.authorizers (RestApiId, Name, Type, provider_ar_ns, IdentitySource, region) VALUES ('${restApiId}', 'auth-b', 'COGNITO_USER_POOLS', '["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_b"]', 'method.request.header.Authorization', 'us-east-1') RETURNING provider_ar_ns, provider_arns`,
    );
    const [row] = records(lastRows(a));
    expect(row).toEqual({ provider_ar_ns: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_b'], provider_arns: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_b'] });
    await h.run(
      `INSERT INTO awscc.apigateway.authorizers (RestApiId, Name, Type, provider_arns, IdentitySource, region) VALUES ('${restApiId}', 'auth-a', 'COGNITO_USER_POOLS', '["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a"]', 'method.request.header.Authorization', 'us-east-1')`,
    );
    await h.run(`INSERT INTO awscc.apigateway.authorizers (RestApiId, Name, Type, AuthorizerUri, region) VALUES ('${restApiId}', 'auth-c', 'TOKEN', 'arn:aws:apigateway:us-east-1:lambda:path/fn', 'us-east-1')`);
  });

  it('SELECT with an alias in the list, WHERE and ORDER BY returns the canonical spelling’s rows, under the written name', async () => {
    const where = `rest_api_id = '${restApiId}' AND region = 'us-east-1'`;
    const canonical = await h.run(`SELECT name, provider_arns FROM awscc.apigateway.authorizers WHERE ${where} AND provider_arns IS NOT NULL ORDER BY provider_arns->>0 DESC`);
    const alias = await h.run(`SELECT a.name, a.provider_ar_ns FROM awscc.apigateway.authorizers a WHERE ${where} AND a.provider_ar_ns IS NOT NULL ORDER BY provider_ar_ns->>0 DESC`);
    expect(lastRows(canonical).rows.map((r) => r[0])).toEqual(['auth-b', 'auth-a']);
    expect(lastRows(alias).rows).toEqual(lastRows(canonical).rows);
    expect(lastRows(alias).columns.map((c) => c.name)).toEqual(['name', 'provider_ar_ns']);
    expect(alias.calls).toEqual(canonical.calls);
  });

  it('pushes a constraint on an alias down as on its column (a list parent written in StackQL’s name)', async () => {
    const assistant = randomUUID();
    const [agent1, agent2] = [randomUUID(), randomUUID()];
    lastRows(await h.run(`INSERT INTO awscc.wisdom.ai_agent_versions (AssistantId, a_iagent_id, region) VALUES ('${assistant}', '${agent1}', 'us-east-1') RETURNING a_iagent_id`));
    lastRows(await h.run(`INSERT INTO awscc.wisdom.ai_agent_versions (AssistantId, AIAgentId, region) VALUES ('${assistant}', '${agent2}', 'us-east-1') RETURNING ai_agent_id`));
    const canonical = await h.run(`SELECT ai_agent_id, assistant_id FROM aws.wisdom.ai_agent_versions WHERE assistant_id = '${assistant}' AND ai_agent_id = '${agent1}' AND region = 'us-east-1'`);
    const stackql = await h.run(`SELECT a_iagent_id, assistant_id FROM awscc.wisdom.ai_agent_versions WHERE assistant_id = '${assistant}' AND a_iagent_id = '${agent1}' AND region = 'us-east-1'`);
    expect(lastRows(canonical).rows).toEqual([[agent1, assistant]]);
    expect(lastRows(stackql).rows).toEqual(lastRows(canonical).rows);
    expect(stackql.calls).toEqual(canonical.calls);
    expect(stackql.calls.ListResources).toBe(1);
  });

  it('UPDATE … SET takes an alias column', async () => {
    const [[id]] = (await h.rows(`SELECT data__Identifier FROM awscc.apigateway.authorizers WHERE rest_api_id = '${restApiId}' AND name = 'auth-a' AND region = 'us-east-1'`)) as [[string]];
    const u = await h.run(
      `UPDATE awscc.apigateway.authorizers SET provider_ar_ns = '["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_z"]' WHERE Identifier = '${id}' AND region = 'us-east-1' RETURNING provider_arns`,
    );
    expect(lastRows(u).rows).toEqual([[['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_z']]]);
  });
});

describe('table aliases', () => {
  it('StackQL’s table name and ccql’s earlier one are the canonical table', async () => {
    await h.run(`INSERT INTO aws.appsync.graphql_apis (Name, AuthenticationType, region) VALUES ('names-gql', 'API_KEY', 'us-east-1')`);
    const sql = (table: string) => `SELECT name, graph_ql_url IS NOT NULL AS has_url FROM ${table} WHERE region = 'us-east-1' AND name = 'names-gql'`;
    const canonical = await h.rows(sql('aws.appsync.graphql_apis'));
    expect(canonical).toEqual([['names-gql', true]]);
    expect(await h.rows(sql('awscc.appsync.graph_ql_apis'))).toEqual(canonical);
    expect(await h.rows(`SELECT graph_ql_apis.name FROM awscc.appsync.graph_ql_apis WHERE region = 'us-east-1' AND graph_ql_apis.name = 'names-gql'`)).toEqual([['names-gql']]);

    await h.run(`INSERT INTO awscc.iam.virtualmfa_devices (VirtualMfaDeviceName, Users, region) VALUES ('names-mfa', '["alice"]', 'us-east-1')`);
    const mfa = (table: string) => `SELECT virtual_mfa_device_name, users FROM ${table} WHERE region = 'us-east-1' AND virtual_mfa_device_name = 'names-mfa'`;
    const devices = await h.rows(mfa('aws.iam.virtual_mfa_devices'));
    expect(devices).toEqual([['names-mfa', ['alice']]]);
    expect(await h.rows(mfa('awscc.iam.virtualmfa_devices'))).toEqual(devices);
    const listOnly = await h.run(`SELECT * FROM awscc.iam.virtualmfa_devices_list_only WHERE region = 'us-east-1'`);
    expect(lastRows(listOnly).rows.length).toBeGreaterThan(0);
    expect(listOnly.calls).toEqual({ ListResources: 1 });
  });

  it('an unknown table suggests the canonical name', async () => {
    const o = await h.run(`SELECT * FROM awscc.appsync.graphql_apiz WHERE region = 'us-east-1'`);
    expect(o.error?.hint).toBe("did you mean 'awscc.appsync.graphql_apis'?");
  });
});

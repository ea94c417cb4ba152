/**
 * EventBridge connections through EventBridge's own API, from SQL to the emulator over HTTP with
 * the real SDK client: created with each authorization type, described, listed, changed and
 * deleted, and no secret they carry (API key, password, client secret) in any output of any
 * statement: rows, RETURNING, notices, errors, EXPLAIN, dry runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRows, records, startHarness, type Harness, type Outcome } from './query-harness.js';

const REGION = 'us-east-1';
const API_KEY = 'apikey-7Hq2Lr9Xv4Ws';
const NEW_KEY = 'apikey-new-K8pZ3mQ1';
const PASSWORD = 'pw-Zr5Tn8Bc2Vx';
const CLIENT_SECRET = 'cs-Mf3Jq6Hs9Lp';
const SECRETS = [API_KEY, NEW_KEY, PASSWORD, CLIENT_SECRET];
let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { region: REGION, regionSource: '--region' });
});

afterAll(async () => {
  await h?.close();
});

/** Runs a statement and checks that no secret appears in anything it produced. */
async function run(sql: string): Promise<Outcome> {
  const o = await h.run(sql);
  const shown = JSON.stringify([o.results, o.notices, o.error?.message, o.error?.hint, o.error?.details], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  for (const s of SECRETS) expect(shown, sql).not.toContain(s);
  return o;
}

const apiKeyAuth = (key: string): string => JSON.stringify({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: key }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-tenant', Value: 't1', IsValueSecret: false }] } });

describe('aws.events.connections_native', () => {
  it('creates an API_KEY connection: RETURNING shows it without the key', async () => {
    const o = await run(`INSERT INTO aws.events.connections_native (name, authorization_type, auth_parameters, description, region) VALUES ('c-key', 'API_KEY', '${apiKeyAuth(API_KEY)}', 'by key', '${REGION}') RETURNING *`);
    const [row] = records(lastRows(o));
    expect(row).toMatchObject({ name: 'c-key', authorization_type: 'API_KEY', description: 'by key', connection_state: 'AUTHORIZED', region: REGION });
    expect(row!.connection_arn).toMatch(/^arn:aws:events:us-east-1:\d{12}:connection\/c-key\//);
    expect(row!.auth_parameters).toEqual({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } });
    expect(o.calls).toEqual({ 'events:CreateConnection': 1, 'events:DescribeConnection': 1 });
  });

  it('creates BASIC and OAUTH_CLIENT_CREDENTIALS connections the same way', async () => {
    const basic = JSON.stringify({ BasicAuthParameters: { Username: 'svc', Password: PASSWORD } });
    const oauth = JSON.stringify({
      OAuthParameters: { ClientParameters: { ClientID: 'client-1', ClientSecret: CLIENT_SECRET }, AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST' },
    });
    const o = await run(
      `INSERT INTO aws.events.connections_native (name, authorization_type, auth_parameters, region) VALUES ('c-basic', 'BASIC', '${basic}', '${REGION}'), ('c-oauth', 'OAUTH_CLIENT_CREDENTIALS', '${oauth}', '${REGION}') RETURNING name, auth_parameters`,
    );
    expect(records(lastRows(o))).toEqual([
      { name: 'c-basic', auth_parameters: { BasicAuthParameters: { Username: 'svc' } } },
      { name: 'c-oauth', auth_parameters: { OAuthParameters: { ClientParameters: { ClientID: 'client-1' }, AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST' } } },
    ]);
  });

  it('describes one connection (DescribeConnection) and lists them all (ListConnections, then DescribeConnection for what a list lacks)', async () => {
    const one = await run(`SELECT name, authorization_type, auth_parameters, secret_arn FROM aws.events.connections_native WHERE region = '${REGION}' AND name = 'c-key'`);
    expect(records(lastRows(one))).toEqual([{ name: 'c-key', authorization_type: 'API_KEY', auth_parameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } }, secret_arn: expect.stringContaining('secret:events!connection/c-key/') }]);
    expect(one.calls).toEqual({ 'events:DescribeConnection': 1 });

    const listed = await run(`SELECT name, authorization_type, connection_state FROM aws.events.connections_native WHERE region = '${REGION}' ORDER BY name`);
    expect(lastRows(listed).rows.map((r) => r[0])).toEqual(['c-basic', 'c-key', 'c-oauth']);
    expect(listed.calls).toEqual({ 'events:ListConnections': 1 });

    const all = await run(`SELECT * FROM aws.events.connections_native WHERE region = '${REGION}'`);
    expect(lastRows(all).rows).toHaveLength(3);
    expect(all.calls).toEqual({ 'events:ListConnections': 1, 'events:DescribeConnection': 3 });
  });

  it('sees the connections through Cloud Control too, without their secrets', async () => {
    const rows = await h.rows(`SELECT name, auth_parameters FROM aws.events.connections WHERE region = '${REGION}' ORDER BY name`);
    expect(rows.map((r) => r[0])).toEqual(['c-basic', 'c-key', 'c-oauth']);
    for (const s of SECRETS) expect(JSON.stringify(rows)).not.toContain(s);
  });

  it('EXPLAIN and a dry run of the INSERT show the call with the key masked', async () => {
    const explain = await run(`EXPLAIN (FORMAT JSON) INSERT INTO aws.events.connections_native (name, authorization_type, auth_parameters, region) VALUES ('c-2', 'API_KEY', '${apiKeyAuth(API_KEY)}', '${REGION}')`);
    expect(JSON.stringify(lastRows(explain).rows)).toContain('"ApiKeyValue":"********"');
    expect(explain.total).toBe(0);
    const s = h.newSession({ dryRun: true, region: REGION });
    const o = await h.run(`INSERT INTO aws.events.connections_native (name, authorization_type, auth_parameters, region) VALUES ('c-3', 'API_KEY', '${apiKeyAuth(API_KEY)}', '${REGION}')`, s);
    expect(JSON.stringify(lastRows(o).rows)).not.toContain(API_KEY);
    expect(records(lastRows(o))[0]).toMatchObject({ operation: 'CreateConnection', parameters: { Name: 'c-3', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: '********' } } } });
    expect(o.total).toBe(0);
  });

  it('UPDATE sets a new key, shown nowhere; a second create of a name is the service\'s error', async () => {
    const u = await run(`UPDATE aws.events.connections_native SET auth_parameters = '${apiKeyAuth(NEW_KEY)}', description = 'rotated' WHERE name = 'c-key' AND region = '${REGION}' RETURNING name, description, auth_parameters`);
    expect(records(lastRows(u))).toEqual([{ name: 'c-key', description: 'rotated', auth_parameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } } }]);
    const dup = await run(`INSERT INTO aws.events.connections_native (name, authorization_type, auth_parameters, region) VALUES ('c-key', 'API_KEY', '${apiKeyAuth(API_KEY)}', '${REGION}')`);
    expect(dup.error?.message).toMatch(/^CreateConnection aws\.events\.connections_native in us-east-1 failed: ResourceAlreadyExistsException: /);
    const engine = await run(`UPDATE aws.events.connections_native SET auth_parameters = '${apiKeyAuth(NEW_KEY)}' WHERE name = 'c-key' AND region = '${REGION}' RETURNING auth_parameters::text::int`);
    expect(engine.error?.code).toBe('engine');
  });

  it('DELETE by a condition the engine decides: each matching connection', async () => {
    const d = await run(`DELETE FROM aws.events.connections_native WHERE region = '${REGION}' AND authorization_type <> 'API_KEY' RETURNING name`);
    expect(lastRows(d).rows.map((r) => r[0]).sort()).toEqual(['c-basic', 'c-oauth']);
    expect(d.calls['events:DeleteConnection']).toBe(2);
    expect(await h.rows(`SELECT name FROM aws.events.connections_native WHERE region = '${REGION}'`)).toEqual([['c-key']]);
  });
});

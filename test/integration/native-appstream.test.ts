/**
 * AppStream through its own API, from SQL to the emulator over HTTP with the real SDK client:
 * fleets created, paged through, started and stopped with EXEC, updated within AppStream's own
 * rules (its error code and message when a running fleet's instance type is changed); public
 * images with the seed change log's ImageBuilderSupported; sessions filtered by user and
 * authentication type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureNative, seedAppStreamSessions } from '../../src/emulator/native/index.js';
import { lastRows, records, startHarness, type Harness } from './query-harness.js';

const REGION = 'us-east-1';
let h: Harness;

beforeAll(async () => {
  // Small pages, so that listing every fleet takes several DescribeFleets calls.
  h = await startHarness({ pageSize: 2 }, { region: REGION, regionSource: '--region' });
  configureNative(h.emulator.service, { transitionMs: 30 });
});

afterAll(async () => {
  await h?.close();
});

/** The fleet's state, read until it is `want` (a bounded number of reads, no fixed sleep). */
async function stateBecomes(name: string, want: string): Promise<string> {
  let state = '';
  for (let i = 0; i < 200; i++) {
    const rows = await h.rows(`SELECT state FROM aws.appstream.fleets WHERE region = '${REGION}' AND name = '${name}'`);
    state = String(rows[0]?.[0]);
    if (state === want) return state;
    await new Promise((r) => setTimeout(r, 10));
  }
  return state;
}

describe('aws.appstream.fleets', () => {
  it('INSERT creates a STOPPED fleet, with the fields of the seed change log', async () => {
    const o = await h.run(
      `INSERT INTO aws.appstream.fleets (name, instance_type, image_name, compute_capacity, enable_default_internet_access, region)
       VALUES ('f1', 'stream.standard.medium', 'AppStream-WinServer2019-06-12-2024', '{"DesiredInstances": 1}', true, '${REGION}')
       RETURNING name, state, instance_type, enable_default_internet_access, compute_capacity_status->>'Desired' AS desired`,
    );
    expect(records(lastRows(o))).toEqual([{ name: 'f1', state: 'STOPPED', instance_type: 'stream.standard.medium', enable_default_internet_access: true, desired: '1' }]);
    expect(o.calls['appstream:CreateFleet']).toBe(1);
    expect(o.notices.map((n) => n.message)).toContain(`created aws.appstream.fleets f1 in ${REGION}`);
  });

  it("SELECT pages through every fleet: the done-when's statement", async () => {
    for (const n of ['f2', 'f3', 'f4', 'f5']) {
      await h.rows(`INSERT INTO aws.appstream.fleets (name, instance_type, image_name, compute_capacity, region) VALUES ('${n}', 'stream.standard.small', 'AppStream-WinServer2019-06-12-2024', '{"DesiredInstances": 1}', '${REGION}') RETURNING name`);
    }
    const o = await h.run(`SELECT name, state, enable_default_internet_access FROM aws.appstream.fleets WHERE region = '${REGION}' ORDER BY name`);
    expect(records(lastRows(o))).toEqual([
      { name: 'f1', state: 'STOPPED', enable_default_internet_access: true },
      ...['f2', 'f3', 'f4', 'f5'].map((name) => ({ name, state: 'STOPPED', enable_default_internet_access: false })),
    ]);
    // Five fleets, two a page: three DescribeFleets calls and nothing else.
    expect(o.calls).toEqual({ 'appstream:DescribeFleets': 3 });
  });

  it('EXEC start_fleet starts it; UPDATE of a running fleet is held to AppStream\'s own rule', async () => {
    const started = await h.run(`EXEC aws.appstream.fleets.start_fleet @Name = 'f1', @region = '${REGION}'`);
    expect(started.error).toBeUndefined();
    expect(started.results[0]).toEqual({ kind: 'command', command: 'EXEC' });
    expect(started.notices.map((n) => n.message)).toContain(`aws.appstream.fleets.start_fleet: StartFleet in ${REGION} succeeded`);
    expect(started.calls).toEqual({ 'appstream:StartFleet': 1 });
    expect(await stateBecomes('f1', 'RUNNING')).toBe('RUNNING');

    const refused = await h.run(`UPDATE aws.appstream.fleets SET instance_type = 'stream.standard.large' WHERE name = 'f1' AND region = '${REGION}'`);
    expect(refused.error?.code).toBe('aws');
    // AppStream's error code and message, as the service words them.
    expect(refused.error?.message).toMatch(/^UpdateFleet aws\.appstream\.fleets in us-east-1 failed: InvalidParameterCombinationException: Fleet f1 is RUNNING: only DisplayName, ComputeCapacity.* not InstanceType/);
    expect(refused.error?.details).toContain('nothing was updated');

    const allowed = await h.run(`UPDATE aws.appstream.fleets SET display_name = 'Fleet one', compute_capacity = '{"DesiredInstances": 2}' WHERE name = 'f1' AND region = '${REGION}' RETURNING display_name, state`);
    expect(records(lastRows(allowed))).toEqual([{ display_name: 'Fleet one', state: 'RUNNING' }]);
    expect(allowed.calls['appstream:UpdateFleet']).toBe(1);
  });

  it('DELETE of a fleet that is not stopped comes back as the service says it', async () => {
    const o = await h.run(`DELETE FROM aws.appstream.fleets WHERE name = 'f1' AND region = '${REGION}'`);
    expect(o.error?.code).toBe('aws');
    expect(o.error?.message).toBe('DeleteFleet aws.appstream.fleets in us-east-1 failed: ResourceInUseException: Fleet f1 is RUNNING: stop it before deleting it.');
  });

  it('EXEC /*+ SHOWRESULTS */ shows the answer as rows; stop_fleet stops it and DELETE then works', async () => {
    const shown = await h.run(`EXEC /*+ SHOWRESULTS */ aws.appstream.fleets.get_fleet @Name = 'f1', @region = '${REGION}'`);
    const row = records(lastRows(shown))[0]!;
    expect(row).toMatchObject({ region: REGION, data__identifier: 'f1', name: 'f1', display_name: 'Fleet one', instance_type: 'stream.standard.medium' });
    const stopped = await h.run(`EXEC /*+ SHOWRESULTS */ aws.appstream.fleets.stop_fleet @Name = 'f1', @region = '${REGION}'`);
    expect(lastRows(stopped)).toMatchObject({ columns: [{ name: 'response', type: 'jsonb' }], rows: [[{}]] });
    expect(await stateBecomes('f1', 'STOPPED')).toBe('STOPPED');
    const deleted = await h.run(`DELETE FROM aws.appstream.fleets WHERE name = 'f1' AND region = '${REGION}'`);
    expect(deleted.error).toBeUndefined();
    expect(deleted.results[0]).toEqual({ kind: 'command', command: 'DELETE 1' });
    expect(await h.rows(`SELECT count(*)::int FROM aws.appstream.fleets WHERE region = '${REGION}' AND name = 'f1'`)).toEqual([[0]]);
  });

  it('EXEC of a fleet that does not exist is the service\'s error, with its code', async () => {
    const o = await h.run(`EXEC aws.appstream.fleets.start_fleet @Name = 'nope', @region = '${REGION}'`);
    expect(o.error?.message).toMatch(/^StartFleet aws\.appstream\.fleets\.start_fleet in us-east-1 failed: ResourceNotFoundException: /);
  });

  it("refuses an @region that is no region's name, sending nothing", async () => {
    const o = await h.run(`EXEC aws.appstream.fleets.start_fleet @Name = 'f1', @region = 'US-EAST-1'`);
    expect(o.error?.message).toBe("'US-EAST-1' is not the name of a region");
    expect(o.error?.hint).toContain("'us-east-1'");
    expect(o.total).toBe(0);
  });
});

describe('aws.appstream.images and sessions', () => {
  it('lists public images with ImageBuilderSupported, and reads one by name', async () => {
    const rows = records(lastRows(await h.run(`SELECT name, visibility, image_builder_supported, platform FROM aws.appstream.images WHERE region = '${REGION}' AND visibility = 'PUBLIC'`)));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.visibility === 'PUBLIC' && typeof r.image_builder_supported === 'boolean')).toBe(true);
    const one = await h.run(`SELECT name, image_builder_supported FROM aws.appstream.images WHERE region = '${REGION}' AND name = 'AppStream-WinServer2019-06-12-2024'`);
    expect(records(lastRows(one))).toEqual([{ name: 'AppStream-WinServer2019-06-12-2024', image_builder_supported: true }]);
    expect(one.calls).toEqual({ 'appstream:DescribeImages': 1 });
  });

  it('lists sessions of a stack and fleet, passing UserId and AuthenticationType on to DescribeSessions', async () => {
    seedAppStreamSessions(h.emulator.service, REGION, [
      { StackName: 's1', FleetName: 'f2', UserId: 'alice', AuthenticationType: 'SAML' },
      { StackName: 's1', FleetName: 'f2', UserId: 'bob', AuthenticationType: 'API' },
      { StackName: 's1', FleetName: 'f2', UserId: 'alice', AuthenticationType: 'API' },
    ]);
    // As AppStream does, DescribeSessions without an AuthenticationType lists streaming-URL (API) sessions.
    const api = await h.rows(`SELECT user_id, authentication_type FROM aws.appstream.sessions WHERE region = '${REGION}' AND stack_name = 's1' AND fleet_name = 'f2' ORDER BY 1, 2`);
    expect(api).toEqual([
      ['alice', 'API'],
      ['bob', 'API'],
    ]);
    const both = await h.rows(`SELECT user_id, authentication_type FROM aws.appstream.sessions WHERE region = '${REGION}' AND stack_name = 's1' AND fleet_name = 'f2' AND authentication_type IN ('API', 'SAML') ORDER BY 1, 2`);
    expect(both).toEqual([
      ['alice', 'API'],
      ['alice', 'SAML'],
      ['bob', 'API'],
    ]);
    const o = await h.run(`SELECT user_id, authentication_type, stack_name, fleet_name FROM aws.appstream.sessions WHERE region = '${REGION}' AND stack_name = 's1' AND fleet_name = 'f2' AND user_id = 'alice' AND authentication_type = 'SAML'`);
    expect(records(lastRows(o))).toEqual([{ user_id: 'alice', authentication_type: 'SAML', stack_name: 's1', fleet_name: 'f2' }]);
    expect(o.calls).toEqual({ 'appstream:DescribeSessions': 1 });
    const missing = await h.run(`SELECT * FROM aws.appstream.sessions WHERE region = '${REGION}' AND stack_name = 's1'`);
    expect(missing.error?.message).toBe("aws.appstream.sessions can only be listed with fleet_name given: add WHERE fleet_name = '…'");
    expect(missing.total).toBe(0);
  });
});

/**
 * `ccql deploy` end to end below the command line: stacks prepared from files, run through a
 * Session against the in-process emulator over HTTP (the real SDK), with every event and
 * result checked: the examples' lifecycles, plan diffs, rollback, convergence after a failure
 * or an interrupted build (the same ClientToken sent again), independent resources created
 * concurrently and dependent ones after their parents, a stackql-deploy stack run unchanged,
 * and no secret in any output.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderErrorText } from '../../src/errors.js';
import { runDeploy, type DeployCommand, type DeployEvent, type DeployResult, type OnFailure } from '../../src/deploy/runner.js';
import { prepareStack } from '../../src/deploy/stack.js';
import { planText } from '../../src/deploy/output.js';
import { startHarness, type Harness } from './query-harness.js';

const EXAMPLES = resolve(import.meta.dirname, '../../examples');
const VARS = { AWS_REGION: 'us-east-1' };

function copyStack(name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'ccql-deploy-golden-')), name);
  cpSync(join(EXAMPLES, name), dir, { recursive: true });
  return dir;
}

function writeStack(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccql-deploy-golden-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

interface Run {
  result: DeployResult;
  events: DeployEvent[];
  /** Everything a user would see: events, plan, results, the error. */
  output: string;
}

async function deploy(
  h: Harness,
  command: DeployCommand,
  dir: string,
  opts: { vars?: Record<string, string>; onFailure?: OnFailure; processEnv?: Record<string, string>; journalDir: string; signal?: AbortSignal; showQueries?: boolean; dryRun?: boolean },
): Promise<Run> {
  const stack = prepareStack({ stackDir: dir, env: 'dev', vars: opts.vars ?? VARS, processEnv: opts.processEnv ?? {} });
  const events: DeployEvent[] = [];
  const result = await runDeploy({
    command,
    stack,
    session: h.session,
    onFailure: opts.onFailure ?? 'error',
    report: (e) => events.push(e),
    journalDir: opts.journalDir,
    target: 'golden',
    showQueries: opts.showQueries ?? true,
    ...(opts.dryRun ? { dryRun: true } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const output = [
    JSON.stringify(events),
    JSON.stringify({ plan: result.plan, resources: result.resources, dry: result.dryRun }),
    planText(result.plan, stack.name, 'dev'),
    result.failure ? renderErrorText(result.secrets.scrubError(result.failure)) : '',
  ].join('\n');
  return { result, events, output };
}

const outcomes = (r: Run): Record<string, string> => Object.fromEntries(r.result.resources.map((x) => [x.name, x.outcome]));

async function count(h: Harness, table: string, where = ''): Promise<number> {
  const rows = await h.rows(`SELECT count(*) FROM ${table} WHERE region = 'us-east-1'${where}`);
  return Number(rows[0]![0]);
}

describe('the examples: build, test, plan (no changes), teardown', () => {
  let h: Harness;
  const journalDir = mkdtempSync(join(tmpdir(), 'ccql-deploy-journal-'));
  beforeAll(async () => {
    h = await startHarness({}, { region: 'us-east-1' });
  });
  afterAll(async () => h.close());

  it('IVS: a stage, a channel and its stream key (its parent from the channel export)', async () => {
    const dir = copyStack('ivs-stack');
    const build = await deploy(h, 'build', dir, { journalDir });
    expect(build.result.failure).toBeUndefined();
    expect(outcomes(build)).toEqual({ stage: 'created', channel: 'created', stream_key: 'created' });
    // Every identifier is reported as it is created.
    const created = build.events.filter((e) => e.kind === 'created');
    expect(created.map((e) => (e as { table: string }).table).sort()).toEqual(['aws.ivs.channels', 'aws.ivs.stages', 'aws.ivs.stream_keys']);
    const channelArn = build.result.exports.channel_arn as string;
    expect(channelArn).toMatch(/^arn:aws:ivs:us-east-1:\d+:channel\//);
    const keys = await h.rows(`SELECT channel_arn, value FROM aws.ivs.stream_keys WHERE region = 'us-east-1' AND channel_arn = '${channelArn}'`);
    expect(keys).toHaveLength(1);
    const streamKeyValue = keys[0]![1] as string;
    expect(build.result.exports.stream_key_value).toBe(streamKeyValue);

    const test = await deploy(h, 'test', dir, { journalDir });
    expect(test.result.ok).toBe(true);
    expect(outcomes(test)).toEqual({ stage: 'ok', channel: 'ok', stream_key: 'ok' });

    await fetch(`${h.emulator.url}/_ccql/reset`, { method: 'POST' });
    const plan = await deploy(h, 'plan', dir, { journalDir });
    expect(plan.result.plan.map((p) => [p.name, p.action])).toEqual([
      ['stage', 'no change'],
      ['channel', 'no change'],
      ['stream_key', 'no change'],
    ]);
    const stats = (await (await fetch(`${h.emulator.url}/_ccql/stats`)).json()) as { calls: Record<string, number> };
    expect(Object.keys(stats.calls).filter((op) => /Create|Update|Delete/.test(op))).toEqual([]);

    // The protected export is never shown, wherever the stream key's value travels.
    for (const r of [build, test, plan]) expect(r.output).not.toContain(streamKeyValue);

    const teardown = await deploy(h, 'teardown', dir, { journalDir });
    expect(teardown.result.failure).toBeUndefined();
    expect(outcomes(teardown)).toEqual({ stage: 'deleted', channel: 'deleted', stream_key: 'deleted' });
    expect(teardown.output).not.toContain(streamKeyValue);
    expect(await count(h, 'aws.ivs.stages', " AND name LIKE 'ivs-demo-%'")).toBe(0);
    expect(await count(h, 'aws.ivs.channels', " AND name LIKE 'ivs-demo-%'")).toBe(0);
    // Tearing down what is not there is not an error.
    const again = await deploy(h, 'teardown', dir, { journalDir });
    expect(again.result.ok).toBe(true);
    expect(outcomes(again)).toEqual({ stage: 'not found', channel: 'not found', stream_key: 'not found' });
  });

  it('EventBridge: the API key from the environment never appears in any output', async () => {
    const dir = copyStack('eventbridge-connection');
    const secret = 'pk_live_Sup3r-s3cret-Key';
    const processEnv = { PARTNER_API_KEY: secret };
    const runs: Run[] = [];
    const dry = await deploy(h, 'build', dir, { journalDir, processEnv, dryRun: true });
    runs.push(dry);
    expect(dry.result.dryRun.map((d) => d.step)).toContain('create');
    const build = await deploy(h, 'build', dir, { journalDir, processEnv });
    runs.push(build);
    expect(outcomes(build)).toEqual({ partner_connection: 'created' });
    const test = await deploy(h, 'test', dir, { journalDir, processEnv });
    runs.push(test);
    expect(test.result.ok).toBe(true);
    const plan = await deploy(h, 'plan', dir, { journalDir, processEnv });
    runs.push(plan);
    expect(plan.result.plan.map((p) => p.action)).toEqual(['no change']);
    // A new key is not something plan can see (Cloud Control never returns it): still no change, and still masked.
    const rotated = await deploy(h, 'plan', dir, { journalDir, processEnv: { PARTNER_API_KEY: 'rotated-Key-0987654321' } });
    expect(rotated.output).not.toContain('rotated-Key-0987654321');
    const teardown = await deploy(h, 'teardown', dir, { journalDir, processEnv });
    runs.push(teardown);
    expect(outcomes(teardown)).toEqual({ partner_connection: 'deleted' });
    const plan2 = await deploy(h, 'plan', dir, { journalDir, processEnv });
    runs.push(plan2);
    expect(plan2.result.plan[0]?.statement).toContain('********');
    for (const r of runs) {
      expect(r.output).toContain('partner-events-dev-partner');
      expect(r.output).not.toContain(secret);
    }
    // The key did reach the service (it is write-only: kept, never returned).
    const stored = [...h.emulator.service.store.requests.values()].some((q) => JSON.stringify(q).includes(secret));
    expect(stored).toBe(true);
  });

  it('a missing environment variable stops the build before any change', async () => {
    const dir = copyStack('eventbridge-connection');
    const run = await deploy(h, 'build', dir, { journalDir, processEnv: {} });
    expect(run.result.ok).toBe(false);
    expect(run.result.failure?.message).toContain('PARTNER_API_KEY is not set');
    expect(run.result.created).toEqual([]);
  });
});

describe('plan after a changed prop', () => {
  let h: Harness;
  const journalDir = mkdtempSync(join(tmpdir(), 'ccql-deploy-journal-'));
  beforeAll(async () => {
    h = await startHarness({}, { region: 'us-east-1' });
  });
  afterAll(async () => h.close());

  it('shows exactly that property as the diff, with the rendered UPDATE, and changes nothing', async () => {
    const dir = copyStack('ivs-stack');
    expect((await deploy(h, 'build', dir, { journalDir })).result.ok).toBe(true);
    const manifest = join(dir, 'ccql_manifest.yml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('team: broadcast', 'team: studio'));
    await fetch(`${h.emulator.url}/_ccql/reset`, { method: 'POST' });
    const plan = await deploy(h, 'plan', dir, { journalDir });
    const stats = (await (await fetch(`${h.emulator.url}/_ccql/stats`)).json()) as { calls: Record<string, number> };
    expect(Object.keys(stats.calls).filter((op) => /Create|Update|Delete/.test(op))).toEqual([]);
    expect(plan.result.plan.map((p) => [p.name, p.action])).toEqual([
      ['stage', 'no change'],
      ['channel', 'update'],
      ['stream_key', 'no change'],
    ]);
    const channel = plan.result.plan[1]!;
    expect(channel.changes.map((c) => c.property)).toEqual(['Tags']);
    expect(JSON.stringify(channel.changes[0]!.before)).toContain('"broadcast"');
    expect(JSON.stringify(channel.changes[0]!.after)).toContain('"studio"');
    expect(channel.statement).toMatch(/^UPDATE aws\.ivs\.channels SET Tags = '.*studio/);
    expect(channel.identifier).toBe(plan.result.exports.channel_arn);
    expect(planText(plan.result.plan, 'ivs-demo', 'dev')).toContain('~ channel: update');

    // test sees the drift; build applies it; then there is nothing left to do.
    const test = await deploy(h, 'test', dir, { journalDir });
    expect(test.result.ok).toBe(false);
    expect(outcomes(test)).toEqual({ stage: 'ok', channel: 'drift', stream_key: 'ok' });
    const build = await deploy(h, 'build', dir, { journalDir });
    expect(outcomes(build)).toEqual({ stage: 'unchanged', channel: 'updated', stream_key: 'unchanged' });
    const after = await deploy(h, 'plan', dir, { journalDir });
    expect(after.result.plan.map((p) => p.action)).toEqual(['no change', 'no change', 'no change']);
  });
});

/** Three resources; the third uses both others' exports and fails to create while LATENCY is bad. */
function threeResourceStack(): string {
  const stage = `/*+ exists */
SELECT arn FROM aws.ivs.stages WHERE region = '{{region}}' AND name = '{{stack_name}}-a';
/*+ create */
INSERT INTO aws.ivs.stages (Name, region) SELECT '{{stack_name}}-a', '{{region}}';
/*+ exports */
SELECT arn AS stage_arn FROM aws.ivs.stages WHERE region = '{{region}}' AND name = '{{stack_name}}-a';
/*+ delete */
DELETE FROM aws.ivs.stages WHERE data__Identifier = '{{this.arn}}' AND region = '{{region}}';
`;
  const channel = (name: string, latency: string, tags: string) => `/*+ exists */
SELECT arn FROM aws.ivs.channels WHERE region = '{{region}}' AND name = '{{stack_name}}-${name}';
/*+ create */
INSERT INTO aws.ivs.channels (Name, LatencyMode, Tags, region) SELECT '{{stack_name}}-${name}', '${latency}', '${tags}', '{{region}}';
/*+ exports */
SELECT arn AS ${name}_arn FROM aws.ivs.channels WHERE region = '{{region}}' AND name = '{{stack_name}}-${name}';
/*+ delete */
DELETE FROM aws.ivs.channels WHERE data__Identifier = '{{this.arn}}' AND region = '{{region}}';
`;
  return writeStack({
    'ccql_manifest.yml': `name: three
globals:
  - name: region
    value: "{{AWS_REGION}}"
resources:
  - name: a
    exports: [stage_arn]
  - name: b
    exports: [b_arn]
  - name: c
    exports: [c_arn]
`,
    'resources/a.iql': stage,
    'resources/b.iql': channel('b', 'LOW', '[]'),
    'resources/c.iql': channel('c', '{{LATENCY}}', '{{aws_tags (object stage=stage_arn channel=b_arn)}}'),
  });
}

describe('failures: rollback, and reruns that converge', () => {
  let h: Harness;
  const journalDir = mkdtempSync(join(tmpdir(), 'ccql-deploy-journal-'));
  beforeAll(async () => {
    h = await startHarness({}, { region: 'us-east-1' });
  });
  afterAll(async () => h.close());

  it('--on-failure rollback deletes the two resources this run created when the third fails; a rerun converges', async () => {
    const dir = threeResourceStack();
    const failed = await deploy(h, 'build', dir, { journalDir, onFailure: 'rollback', vars: { ...VARS, LATENCY: 'BOGUS' } });
    expect(failed.result.ok).toBe(false);
    expect(failed.result.failure?.message).toMatch(/^c: /);
    expect(failed.result.failure?.message).toContain('LatencyMode');
    expect(outcomes(failed)).toMatchObject({ a: 'created', b: 'created', c: 'failed' });
    expect(failed.result.created.map((c) => c.resource).sort()).toEqual(['a', 'b']);
    expect(failed.result.rolledBack.map((c) => c.resource).sort()).toEqual(['a', 'b']);
    // Rolled back in reverse order of creation, each said as it happens.
    const rolled = failed.events.filter((e) => e.kind === 'deleted' && e.rollback).map((e) => (e as { identifier: string }).identifier);
    expect(rolled).toEqual([...failed.result.created].reverse().map((c) => c.identifier));
    expect(await count(h, 'aws.ivs.stages', " AND name = 'three-a'")).toBe(0);
    expect(await count(h, 'aws.ivs.channels', " AND name LIKE 'three-%'")).toBe(0);

    // Recreated with the same desired states: the finished requests' tokens are not replayed (that would answer with the deleted resources).
    const fixed = await deploy(h, 'build', dir, { journalDir, onFailure: 'rollback', vars: { ...VARS, LATENCY: 'LOW' } });
    expect(fixed.result.failure).toBeUndefined();
    expect(outcomes(fixed)).toEqual({ a: 'created', b: 'created', c: 'created' });
    const recreated = new Set(fixed.result.created.map((c) => c.identifier));
    for (const c of failed.result.created) expect(recreated.has(c.identifier)).toBe(false);
    const rerun = await deploy(h, 'build', dir, { journalDir, vars: { ...VARS, LATENCY: 'LOW' } });
    expect(outcomes(rerun)).toEqual({ a: 'unchanged', b: 'unchanged', c: 'unchanged' });
    expect(await count(h, 'aws.ivs.stages', " AND name = 'three-a'")).toBe(1);
    expect(await count(h, 'aws.ivs.channels', " AND name LIKE 'three-%'")).toBe(2);
    await deploy(h, 'teardown', dir, { journalDir, vars: { ...VARS, LATENCY: 'LOW' } });
  });

  it('--on-failure error stops and names what exists; a rerun of build converges without duplicates', async () => {
    const dir = threeResourceStack();
    const failed = await deploy(h, 'build', dir, { journalDir, vars: { ...VARS, LATENCY: 'BOGUS' } });
    expect(failed.result.ok).toBe(false);
    expect(failed.result.rolledBack).toEqual([]);
    expect(failed.result.created.map((c) => c.resource).sort()).toEqual(['a', 'b']);
    const rerun = await deploy(h, 'build', dir, { journalDir, vars: { ...VARS, LATENCY: 'LOW' } });
    expect(outcomes(rerun)).toEqual({ a: 'unchanged', b: 'unchanged', c: 'created' });
    expect(await count(h, 'aws.ivs.stages', " AND name = 'three-a'")).toBe(1);
    expect(await count(h, 'aws.ivs.channels', " AND name LIKE 'three-%'")).toBe(2);
    await deploy(h, 'teardown', dir, { journalDir, vars: { ...VARS, LATENCY: 'LOW' } });
  });

  it('an exports query that finds nothing is an error naming the resource, and rollback removes what it made', async () => {
    const dir = threeResourceStack();
    const file = join(dir, 'resources/a.iql');
    writeFileSync(file, readFileSync(file, 'utf8').replace("AS stage_arn FROM aws.ivs.stages WHERE region = '{{region}}' AND name = '{{stack_name}}-a'", "AS stage_arn FROM aws.ivs.stages WHERE region = '{{region}}' AND name = 'no-such-stage'"));
    const run = await deploy(h, 'build', dir, { journalDir, onFailure: 'rollback', vars: { ...VARS, LATENCY: 'LOW' } });
    expect(run.result.ok).toBe(false);
    expect(run.result.failure?.message).toBe('a: the exports query returned 0 rows; it must return exactly one');
    expect(run.result.failure?.location?.file).toContain('a.iql');
    expect(run.result.rolledBack.map((c) => c.resource)).toContain('a');
    expect(await count(h, 'aws.ivs.stages', " AND name = 'three-a'")).toBe(0);
  });

  it('--on-failure ignore goes on with everything that does not depend on the failure', async () => {
    const dir = threeResourceStack();
    const manifest = join(dir, 'ccql_manifest.yml');
    writeFileSync(manifest, `${readFileSync(manifest, 'utf8')}  - name: d\n    file: resources/a.iql\n    props: [{name: stack_name, value: three-d}]\n`);
    const run = await deploy(h, 'build', dir, { journalDir, onFailure: 'ignore', vars: { ...VARS, LATENCY: 'BOGUS' } });
    expect(run.result.ok).toBe(false);
    expect(outcomes(run)).toEqual({ a: 'created', b: 'created', c: 'failed', d: 'created' });
    await deploy(h, 'teardown', dir, { journalDir, vars: { ...VARS, LATENCY: 'LOW' } });
  });
});

describe('concurrency and idempotency', () => {
  let h: Harness;
  const journalDir = mkdtempSync(join(tmpdir(), 'ccql-deploy-journal-'));
  const log: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ requestDelayMs: 400 }, { region: 'us-east-1' });
    const service = h.emulator.service;
    const call = service.call.bind(service);
    service.call = (op, input, region) => {
      const out = call(op, input, region);
      const event = (out as { ProgressEvent?: { TypeName?: string; OperationStatus?: string; Operation?: string } }).ProgressEvent;
      log.push([op, event?.TypeName ?? (input as { TypeName?: string }).TypeName ?? '', event?.Operation ?? '', event?.OperationStatus ?? ''].join(' '));
      return out;
    };
  });
  afterAll(async () => h.close());

  it('creates an independent pair concurrently (overlapping requests) and a dependent one after its parent', async () => {
    log.length = 0;
    const dir = copyStack('ivs-stack');
    const build = await deploy(h, 'build', dir, { journalDir });
    expect(build.result.failure).toBeUndefined();
    const at = (re: RegExp): number => log.findIndex((l) => re.test(l));
    const createStage = at(/^CreateResource AWS::IVS::Stage CREATE IN_PROGRESS/);
    const createChannel = at(/^CreateResource AWS::IVS::Channel CREATE IN_PROGRESS/);
    const stageDone = at(/^GetResourceRequestStatus AWS::IVS::Stage CREATE SUCCESS/);
    const channelDone = at(/^GetResourceRequestStatus AWS::IVS::Channel CREATE SUCCESS/);
    const createKey = at(/^CreateResource AWS::IVS::StreamKey CREATE/);
    expect(Math.min(createStage, createChannel, stageDone, channelDone, createKey)).toBeGreaterThanOrEqual(0);
    // Both creations were in flight at once: each was sent before the other finished.
    expect(createChannel).toBeLessThan(stageDone);
    expect(createStage).toBeLessThan(channelDone);
    // The stream key needs the channel's ARN: created only after the channel exists.
    expect(createKey).toBeGreaterThan(channelDone);
  });
});

describe('an interrupted build', () => {
  let h: Harness;
  const journalDir = mkdtempSync(join(tmpdir(), 'ccql-deploy-journal-'));
  const log: string[] = [];
  beforeAll(async () => {
    // Creations stay IN_PROGRESS long enough for the rerun to find them still running.
    h = await startHarness({ requestDelayMs: 2500 }, { region: 'us-east-1' });
    const service = h.emulator.service;
    const call = service.call.bind(service);
    service.call = (op, input, region) => {
      const out = call(op, input, region);
      log.push(`${op} ${(input as { TypeName?: string }).TypeName ?? ''} ${(input as { ClientToken?: string }).ClientToken ?? ''}`);
      return out;
    };
  });
  afterAll(async () => h.close());

  it('rerun, sends the same ClientToken again: one resource, not two', async () => {
    const dir = threeResourceStack();
    log.length = 0;
    const controller = new AbortController();
    const watcher = setInterval(() => {
      if (log.some((l) => l.startsWith('CreateResource AWS::IVS::Stage'))) controller.abort();
    }, 5);
    const killed = await deploy(h, 'build', dir, { journalDir, vars: { ...VARS, LATENCY: 'LOW' }, signal: controller.signal });
    clearInterval(watcher);
    expect(killed.result.ok).toBe(false);
    // The stage's creation was accepted and is still running: no run has seen it finish.
    const inFlight = [...h.emulator.service.store.requests.values()].filter((r) => r.typeName === 'AWS::IVS::Stage' && r.operation === 'CREATE');
    expect(inFlight).toHaveLength(1);

    const firstToken = log.find((l) => l.startsWith('CreateResource AWS::IVS::Stage'))!.split(' ')[2];
    expect(firstToken).toMatch(/^ccql-/);
    log.length = 0;
    const rerun = await deploy(h, 'build', dir, { journalDir, vars: { ...VARS, LATENCY: 'LOW' } });
    expect(rerun.result.failure).toBeUndefined();
    // The rerun did not find the stage (still being created) and sent its creation again, with the same token.
    expect(log.filter((l) => l.startsWith('CreateResource AWS::IVS::Stage'))).toEqual([`CreateResource AWS::IVS::Stage ${firstToken}`]);
    expect(outcomes(rerun).c).toBe('created');
    const stageCreates = [...h.emulator.service.store.requests.values()].filter((r) => r.typeName === 'AWS::IVS::Stage' && r.operation === 'CREATE');
    expect(stageCreates).toHaveLength(1);
    expect(await count(h, 'aws.ivs.stages', " AND name = 'three-a'")).toBe(1);
    expect(await count(h, 'aws.ivs.channels', " AND name LIKE 'three-%'")).toBe(2);
  });
});

describe('a stack written for stackql-deploy runs unchanged', () => {
  let h: Harness;
  const journalDir = mkdtempSync(join(tmpdir(), 'ccql-deploy-journal-'));
  beforeAll(async () => {
    h = await startHarness({}, { region: 'us-east-1' });
  });
  afterAll(async () => h.close());

  it('stackql_manifest.yml, Jinja `| tojson` and generate_patch_document, COUNT(*) checks, preflight/postdeploy, {column: alias} exports', async () => {
    const dir = copyStack('stackql-deploy-stack');
    const build = await deploy(h, 'build', dir, { journalDir });
    expect(build.result.failure).toBeUndefined();
    expect(outcomes(build)).toEqual({ example_stage: 'created', example_channel: 'created' });
    expect(build.result.exports.example_channel_arn).toMatch(/:channel\//);
    const tags = await h.rows(`SELECT tags FROM awscc.ivs.stages WHERE region = 'us-east-1' AND name = 'stackql-ivs-dev-stage'`);
    expect(tags[0]![0]).toEqual(expect.arrayContaining([{ Key: 'Name', Value: 'stackql-ivs-dev-stage' }, { Key: 'Provisioner', Value: 'stackql' }]));
    expect((await deploy(h, 'test', dir, { journalDir })).result.ok).toBe(true);
    expect((await deploy(h, 'plan', dir, { journalDir })).result.plan.map((p) => p.action)).toEqual(['no change', 'no change']);

    // An update through the Jinja patch document.
    const manifest = join(dir, 'stackql_manifest.yml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('value: LOW', 'value: NORMAL'));
    const plan = await deploy(h, 'plan', dir, { journalDir });
    expect(plan.result.plan[1]).toMatchObject({ action: 'update', changes: [{ property: 'LatencyMode', before: 'LOW', after: 'NORMAL' }] });
    const update = await deploy(h, 'build', dir, { journalDir });
    expect(outcomes(update)).toEqual({ example_stage: 'unchanged', example_channel: 'updated' });
    const mode = await h.rows(`SELECT latency_mode FROM awscc.ivs.channels WHERE region = 'us-east-1' AND name = 'stackql-ivs-dev-channel'`);
    expect(mode).toEqual([['NORMAL']]);

    const teardown = await deploy(h, 'teardown', dir, { journalDir });
    expect(outcomes(teardown)).toEqual({ example_stage: 'deleted', example_channel: 'deleted' });
  });
});

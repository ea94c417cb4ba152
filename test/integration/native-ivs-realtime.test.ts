/**
 * IVS real-time through its own API, from SQL to the emulator over HTTP with the real SDK
 * client: the seed's create-stage with a participant token for a named user, shown by RETURNING
 * and by nothing else (not a notice, a later SELECT, a dry run or an error); participant tokens
 * of their own; stages listed, read, renamed and deleted, and the same stages seen through
 * Cloud Control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRows, records, startHarness, type Harness, type Outcome } from './query-harness.js';

const REGION = 'us-west-2';
let h: Harness;
/** Every token RETURNING showed: none may appear anywhere else. */
const tokens: string[] = [];

beforeAll(async () => {
  h = await startHarness({}, { region: 'us-east-1', regionSource: '--region' });
});

afterAll(async () => {
  await h?.close();
});

/** Everything an outcome shows besides RETURNING's rows: notices and the error. */
function messages(o: Outcome): string {
  return JSON.stringify([o.notices, o.error?.message, o.error?.hint, o.error?.details]);
}

describe('aws.ivs_realtime.stages', () => {
  let arn = '';

  it("runs the seed's example: RETURNING * shows the participant token for alice", async () => {
    const o = await h.run(`INSERT INTO aws.ivs_realtime.stages (name, participant_token_configurations, region) SELECT 'stage1', '[{"userId":"alice"}]', '${REGION}' RETURNING *`);
    const [row] = records(lastRows(o));
    expect(row).toMatchObject({ region: REGION, name: 'stage1', participant_token_configurations: [{ userId: 'alice' }] });
    arn = String(row!.arn);
    expect(arn).toMatch(/^arn:aws:ivs:us-west-2:\d{12}:stage\/[A-Za-z0-9]+$/);
    expect(row!.data__identifier).toBe(arn);
    const issued = row!.participant_tokens as Array<Record<string, unknown>>;
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ userId: 'alice', capabilities: ['PUBLISH', 'SUBSCRIBE'], duration: 720 });
    expect(typeof issued[0]!.participantId).toBe('string');
    const token = String(issued[0]!.token);
    expect(token.length).toBeGreaterThan(20);
    expect(token).not.toBe('********');
    tokens.push(token);
    expect(o.calls).toEqual({ 'ivs-realtime:CreateStage': 1, 'ivs-realtime:GetStage': 1 });
    expect(messages(o)).not.toContain(token);
  });

  it('without RETURNING, a token is shown nowhere', async () => {
    const o = await h.run(`INSERT INTO aws.ivs_realtime.stages (name, participant_token_configurations, region) VALUES ('stage2', '[{"userId": "bob", "capabilities": ["SUBSCRIBE"], "attributes": {"seat": "12"}}]', '${REGION}')`);
    expect(o.error).toBeUndefined();
    expect(o.results).toEqual([{ kind: 'command', command: 'INSERT 0 1' }]);
    expect(o.notices.map((n) => n.message)).toEqual([expect.stringMatching(/^created aws\.ivs_realtime\.stages arn:aws:ivs:us-west-2:\d+:stage\/\w+ in us-west-2$/)]);
    expect(o.calls).toEqual({ 'ivs-realtime:CreateStage': 1 });
  });

  it('an engine error in RETURNING does not quote the token it was given', async () => {
    const o = await h.run(`INSERT INTO aws.ivs_realtime.stages (name, participant_token_configurations, region) VALUES ('stage3', '[{"userId": "carol"}]', '${REGION}') RETURNING (participant_tokens->0->>'token')::int`);
    expect(o.error?.code).toBe('engine');
    expect(o.error?.message).toContain('invalid input syntax for type integer');
    // The token was issued (its stage exists) but the message masks it.
    expect(o.error?.message).toContain('********');
    expect(o.error?.message).not.toMatch(/eyJ|[A-Za-z0-9_-]{40,}/);
  });

  it('SELECT lists and reads stages; participant tokens are not read back', async () => {
    const o = await h.run(`SELECT name, arn, participant_tokens, endpoints->>'whip' AS whip FROM aws.ivs_realtime.stages WHERE region = '${REGION}' ORDER BY name`);
    const rows = records(lastRows(o));
    expect(rows.map((r) => r.name)).toEqual(['stage1', 'stage2', 'stage3']);
    expect(rows.every((r) => r.participant_tokens === null && typeof r.whip === 'string')).toBe(true);
    // The list has no endpoints: one GetStage per stage fills them.
    expect(o.calls).toEqual({ 'ivs-realtime:ListStages': 1, 'ivs-realtime:GetStage': 3 });
    const one = await h.run(`SELECT name FROM aws.ivs_realtime.stages WHERE region = '${REGION}' AND arn = '${arn}'`);
    expect(lastRows(one).rows).toEqual([['stage1']]);
    expect(one.calls).toEqual({ 'ivs-realtime:GetStage': 1 });
    for (const t of tokens) expect(JSON.stringify(rows)).not.toContain(t);
  });

  it('the stages created natively are the Cloud Control table\'s too (one account)', async () => {
    const rows = await h.rows(`SELECT name FROM aws.ivs.stages WHERE region = '${REGION}' ORDER BY name`);
    expect(rows).toEqual([['stage1'], ['stage2'], ['stage3']]);
  });

  it('UPDATE renames a stage; DELETE deletes it, and then finds nothing to delete', async () => {
    const u = await h.run(`UPDATE aws.ivs_realtime.stages SET name = 'stage-one' WHERE arn = '${arn}' AND region = '${REGION}' RETURNING name, arn`);
    expect(records(lastRows(u))).toEqual([{ name: 'stage-one', arn }]);
    expect(u.calls['ivs-realtime:UpdateStage']).toBe(1);
    const d = await h.run(`DELETE FROM aws.ivs_realtime.stages WHERE data__Identifier = '${arn}' AND region = '${REGION}'`);
    expect(d.results).toEqual([{ kind: 'command', command: 'DELETE 1' }]);
    const again = await h.run(`DELETE FROM aws.ivs_realtime.stages WHERE arn = '${arn}' AND region = '${REGION}'`);
    expect(again.results).toEqual([{ kind: 'command', command: 'DELETE 0' }]);
    expect(again.notices.map((n) => n.message)).toContain(`aws.ivs_realtime.stages ${arn} in ${REGION} does not exist; nothing to change`);
  });

  it('an unknown stage is the service\'s error, with its code and message', async () => {
    const o = await h.run(`UPDATE aws.ivs_realtime.stages SET name = 'x' WHERE arn = 'arn:aws:ivs:us-west-2:123456789012:stage/nope' AND region = '${REGION}'`);
    expect(o.results).toEqual([{ kind: 'command', command: 'UPDATE 0' }]);
    const bad = await h.run(`INSERT INTO aws.ivs_realtime.stages (name, region) VALUES ('not a valid name!', '${REGION}')`);
    expect(bad.error?.message).toMatch(/^CreateStage aws\.ivs_realtime\.stages in us-west-2 failed: ValidationException: /);
  });
});

describe('aws.ivs_realtime.participant_tokens', () => {
  it('INSERT … SELECT issues a token per row of another table, shown by RETURNING only', async () => {
    const o = await h.run(
      `INSERT INTO aws.ivs_realtime.participant_tokens (stage_arn, user_id, capabilities, duration, attributes, region)
       SELECT arn, 'dave', '["SUBSCRIBE"]', 60, '{"role": "viewer"}', region FROM aws.ivs_realtime.stages WHERE region = '${REGION}' AND name = 'stage2'
       RETURNING user_id, capabilities, duration, attributes, token, participant_id, expiration_time`,
    );
    const [row] = records(lastRows(o));
    expect(row).toMatchObject({ user_id: 'dave', capabilities: ['SUBSCRIBE'], duration: 60, attributes: { role: 'viewer' } });
    expect(row!.expiration_time).toBeInstanceOf(Date);
    expect(String(row!.token).length).toBeGreaterThan(20);
    expect(messages(o)).not.toContain(String(row!.token));
    expect(o.calls['ivs-realtime:CreateParticipantToken']).toBe(1);
  });

  it('needs the stage; cannot be listed', async () => {
    const missing = await h.run(`INSERT INTO aws.ivs_realtime.participant_tokens (user_id, region) VALUES ('erin', '${REGION}')`);
    expect(missing.error?.message).toBe('aws.ivs_realtime.participant_tokens needs stageArn (stage_arn): missing required property');
    const list = await h.run(`SELECT * FROM aws.ivs_realtime.participant_tokens WHERE region = '${REGION}'`);
    expect(list.error?.message).toContain('cannot be listed');
    expect(list.total).toBe(0);
  });

  it('a dry run shows the call and no token', async () => {
    const s = h.newSession({ dryRun: true, region: REGION });
    const o = await h.run(`INSERT INTO aws.ivs_realtime.participant_tokens (stage_arn, user_id, region) VALUES ('arn:aws:ivs:us-west-2:123456789012:stage/abc', 'frank', '${REGION}')`, s);
    expect(records(lastRows(o))).toEqual([
      { step: 1, operation: 'CreateParticipantToken', region: REGION, type: 'AWS::IVS::ParticipantToken', parameters: { stageArn: 'arn:aws:ivs:us-west-2:123456789012:stage/abc', userId: 'frank' } },
    ]);
    expect(o.total).toBe(0);
  });
});

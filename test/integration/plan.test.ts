/**
 * Plans end to end: EXPLAIN and --dry-run through a Session against the emulator over HTTP
 * (no call made), regions derived from OR-of-AND conditions, keyword-named columns, and what
 * a cancelled INSERT reports about each row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastRows, records, startHarness, type Harness } from './query-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { region: 'us-east-1', regionSource: '--region' });
  h.emulator.seedResources('AWS::IVS::Stage', 'us-east-1', [{ Name: 'east-a' }, { Name: 'east-b' }]);
  h.emulator.seedResources('AWS::IVS::Stage', 'us-west-2', [{ Name: 'west-b' }]);
});

afterAll(async () => {
  await h.close();
});

describe('EXPLAIN', () => {
  it('prints the plan and makes no call', async () => {
    const o = await h.run(`EXPLAIN SELECT name, tags FROM aws.ivs.stages WHERE region IN ('us-east-1', 'us-west-2') AND name <> 'x'`);
    expect(o.total).toBe(0);
    const text = lastRows(o).rows.map((r) => String(r[0]));
    expect(lastRows(o).columns).toEqual([{ name: 'QUERY PLAN', type: 'text' }]);
    expect(text).toContain('Fetch aws.ivs.stages (AWS::IVS::Stage) by list_resources, then get_resource per resource listed');
    expect(text).toContain('  Regions: us-east-1, us-west-2');
    expect(text).toContain('  ListResources aws.ivs.stages: at least 2 (+1 per further page of results)');
    expect(text).toContain('  GetResource aws.ivs.stages: 1 per resource listed');
    expect(text.some((l) => l.startsWith('Engine SQL: SELECT name, tags FROM pg_temp.ccql_'))).toBe(true);
  });

  it('EXPLAIN (FORMAT JSON) lists exactly the calls --dry-run shows, for reads and every kind of change', async () => {
    const dry = h.newSession({ region: 'us-east-1', dryRun: true });
    for (const sql of [
      `SELECT * FROM aws.ivs.stages WHERE region IN ('us-east-1', 'us-west-2')`,
      `INSERT INTO aws.ivs.stages (Name, region) VALUES ('p1', 'us-east-1'), ('p2', 'us-west-2')`,
      `UPDATE aws.ivs.stages SET name = 'n' WHERE region = 'us-east-1' AND data__Identifier = 'arn:x'`,
      `DELETE FROM aws.ivs.stages WHERE region = 'us-west-2' AND name LIKE 'west-%'`,
      `INSERT INTO aws.events.connections (Name, AuthorizationType, AuthParameters, region) VALUES ('c', 'API_KEY', '{"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "hush-hush-123"}}', 'us-east-1')`,
    ]) {
      const explain = await h.run(`EXPLAIN (FORMAT JSON) ${sql}`);
      const dryRun = await h.run(sql, dry);
      expect(explain.total + dryRun.total).toBe(0);
      const doc = (lastRows(explain).rows[0]![0] as Array<{ calls: unknown[] }>)[0]!;
      expect(doc.calls).toEqual(records(lastRows(dryRun)).map(({ operation, region, type, parameters }) => ({ operation, region, type, parameters })));
      expect(JSON.stringify([doc, lastRows(dryRun).rows])).not.toContain('hush-hush');
    }
  });

  it('shows the least time the calls take at the session rate limit', async () => {
    const limited = h.newSession({ region: 'us-east-1', rateLimit: 4 });
    const o = await h.run(`EXPLAIN (FORMAT JSON) SELECT * FROM aws.ivs.stages WHERE region = 'us-east-1' AND data__Identifier IN ('a', 'b', 'c', 'd', 'e', 'f')`, limited);
    const doc = (lastRows(o).rows[0]![0] as Array<Record<string, unknown>>)[0]!;
    expect(doc).toMatchObject({ calls_at_least: 6, calls_exact: true, rate_limit: 4, min_seconds: 1.5 });
  });

  it('gives the engine SQL as it runs, without the blanks left where EXPLAIN was', async () => {
    const o = await h.run(`EXPLAIN (FORMAT JSON) SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1'`);
    const doc = (lastRows(o).rows[0]![0] as Array<Record<string, unknown>>)[0]!;
    expect(doc.engine_sql).toMatch(/^SELECT name FROM pg_temp\.\w+ AS stages WHERE region = 'us-east-1'$/);
  });
});

describe('regions', () => {
  it('queries every region an OR-of-AND names, and only those', async () => {
    const o = await h.run(`SELECT region, name FROM aws.ivs.stages WHERE (region = 'us-east-1' AND name = 'east-a') OR (region = 'us-west-2' AND name = 'west-b') ORDER BY region`);
    expect(lastRows(o).rows).toEqual([
      ['us-east-1', 'east-a'],
      ['us-west-2', 'west-b'],
    ]);
    expect(o.notices.filter((n) => /no region/.test(n.message))).toEqual([]);
    expect(o.calls.ListResources).toBe(2);
  });

  it('refuses a region condition it cannot use, before any call', async () => {
    const o = await h.run(`SELECT name FROM aws.ivs.stages WHERE region LIKE 'us-%'`);
    expect(o.error?.message).toMatch(/cannot tell which regions to call for aws\.ivs\.stages/);
    expect(o.error?.location).toMatchObject({ line: 1, column: 39 });
    expect(o.total).toBe(0);
  });
});

describe('errors keep their place in the script', () => {
  it('catalog statements and SQL alike report the script line, and the offset in the script', async () => {
    const script = `SELECT 1;\n\nDESCRIBE aws.ivs.stagez;`;
    const a = await h.run(script);
    expect(a.error?.location).toMatchObject({ line: 3, column: 10 });
    const sql = `SELECT 1;\n  SELECT nmae FROM aws.ivs.stages WHERE region = 'us-east-1';`;
    const b = await h.run(sql);
    expect(b.error?.location).toEqual({ offset: sql.indexOf('nmae'), line: 2, column: 10 });
  });
});

describe('a column named like an SQL keyword', () => {
  it('reads the column, not the SQL function, and says so', async () => {
    h.emulator.seedResources('AWS::DataSync::LocationFSxWindows', 'us-east-1', [
      { FsxFilesystemArn: 'arn:aws:fsx:us-east-1:111122223333:file-system/fs-1', SecurityGroupArns: ['arn:aws:ec2:us-east-1:111122223333:security-group/sg-1'], User: 'svc-backup', Password: 'pw-123456' },
    ]);
    const o = await h.run(`SELECT user FROM aws.datasync.location_f_sx_windows WHERE region = 'us-east-1'`);
    expect(lastRows(o).rows).toEqual([['svc-backup']]);
    expect(o.notices.some((n) => n.severity === 'WARNING' && /user is read as the column "user"/.test(n.message))).toBe(true);
  });
});

describe('cancelling a multi-row INSERT', () => {
  it('reports each row as it is, not "nothing was created"', async () => {
    const slow = await startHarness({ requestDelayMs: 1_500 });
    try {
      const s = slow.newSession({ concurrency: 2 });
      const controller = new AbortController();
      let accepted = 0;
      const hooks = {
        signal: controller.signal,
        onProgress: (p: { done: number; label: string }) => {
          // Abort once both first CreateResource calls have been answered: those rows are accepted.
          if (p.label.startsWith('CreateResource') && p.done >= 2 && accepted++ === 0) setImmediate(() => controller.abort());
        },
      };
      let error: unknown;
      try {
        await s.runStatement(`INSERT INTO aws.ivs.stages (Name, region) VALUES ('c1', 'us-east-1'), ('c2', 'us-east-1'), ('c3', 'us-east-1'), ('c4', 'us-east-1')`, hooks);
      } catch (e) {
        error = e;
      }
      const err = error as { code: string; message: string; details: string[] };
      expect(err.code).toBe('cancelled');
      const details = err.details.join('\n');
      expect(details).not.toMatch(/nothing was created/);
      expect(details).toMatch(/accepted, still in progress \(may exist\): row 1 \(request token [\w-]+\), row 2 \(request token [\w-]+\)/);
      expect(details).toMatch(/not sent: row 3, row 4|sent, no answer \(may exist\)/);
      // What was reported as accepted does come to exist (the emulator finishes it meanwhile).
      let names: unknown[] = [];
      for (let i = 0; i < 50 && !(names.includes('c1') && names.includes('c2')); i++) {
        await new Promise((r) => setTimeout(r, 100));
        names = (await slow.rows(`SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1'`)).map((r) => r[0]);
      }
      expect(names).toEqual(expect.arrayContaining(['c1', 'c2']));
    } finally {
      await slow.close();
    }
  });
});

describe('statements ccql cannot serve as PostgreSQL would', () => {
  it.each([
    ['COPY t FROM STDIN', /COPY FROM is not supported/, /INSERT/],
    [`COPY (SELECT 1) TO PROGRAM 'cat > /tmp/x'`, /COPY TO is not supported/, /-o csv/],
    [`COPY t FROM PROGRAM 'id'`, /COPY FROM is not supported/, /INSERT/],
  ])('%s is refused', async (sql, message, hint) => {
    const o = await h.run(sql);
    expect(o.error?.message).toMatch(message);
    expect(o.error?.hint).toMatch(hint);
  });

  it('warns that a change inside BEGIN … ROLLBACK is made anyway', async () => {
    const o = await h.run(`BEGIN; INSERT INTO aws.ivs.stages (Name, region) VALUES ('in-tx', 'us-east-1'); ROLLBACK;`);
    expect(o.error).toBeUndefined();
    expect(o.notices.some((n) => n.severity === 'WARNING' && /CreateResource on aws\.ivs\.stages is not part of the transaction: .*ROLLBACK will not undo/.test(n.message))).toBe(true);
    expect(await h.rows(`SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1' AND name = 'in-tx'`)).toEqual([['in-tx']]);
    const after = await h.run(`INSERT INTO aws.ivs.stages (Name, region) VALUES ('after-tx', 'us-east-1')`);
    expect(after.notices.some((n) => /not part of the transaction/.test(n.message))).toBe(false);
  });
});

describe('write-only values never appear in errors', () => {
  it('not in a syntax error near the literal, an engine error, nor a failed request', async () => {
    const secret = 'sup3r-s3cret-key';
    const cases = [
      `INSERT INTO aws.events.connections (Name, AuthorizationType, AuthParameters, region) VALUES ('c1', 'API_KEY', '{"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "${secret}"}}' 'oops', 'us-east-1')`,
      `INSERT INTO aws.events.connections (Name, AuthorizationType, AuthParameters, region) SELECT 'c3', 'API_KEY', ('{"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "${secret}"}}')::int::text::jsonb, 'us-east-1'`,
    ];
    for (const sql of cases) {
      const o = await h.run(sql);
      expect(o.error, sql).toBeDefined();
      expect(JSON.stringify([o.error?.message, o.error?.hint, o.error?.details, o.notices])).not.toContain(secret);
    }
  });
});

describe('the bound on calls the plan cannot count', () => {
  it('stops a hydrating list at --max-calls, with a clear error', async () => {
    const bounded = h.newSession({ region: 'us-east-1', maxCalls: 2 });
    const o = await h.run(`SELECT name, tags FROM aws.ivs.stages WHERE region = 'us-east-1'`, bounded);
    expect(o.error?.message).toBe('aws.ivs.stages needs more than 2 API calls, the most one statement may make');
    expect(o.error?.hint).toMatch(/--max-calls/);
    expect(o.total).toBeLessThanOrEqual(2);
  });
});

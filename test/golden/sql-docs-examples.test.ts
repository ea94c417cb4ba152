/**
 * Runs every ```sql example of docs/sql.md, in order, in one session against an emulator seeded
 * with the demo account (what `--local` starts with). An example whose first line is
 * `-- dry-run` runs in a dry-run session and must make no call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './query-harness.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'sql.md'), 'utf8');
const examples = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 'demo' }, { region: 'us-east-1', regionSource: '--region' });
});

afterAll(async () => {
  await h.close();
});

describe('docs/sql.md examples', () => {
  it('has examples of every statement form', () => {
    const text = examples.join('\n');
    for (const form of ['SELECT', 'INSERT INTO', 'UPDATE', 'DELETE FROM', 'RETURNING', 'NOWAIT', 'data__PatchDocument', 'json_extract', '-- dry-run']) {
      expect(text).toContain(form);
    }
  });

  it.each(examples.map((sql, i) => [i + 1, sql.split('\n').find((l) => !l.startsWith('--') && !l.startsWith('/*')) ?? sql, sql]))(
    'example %i: %s',
    async (_n, _title, sql) => {
      const dry = sql.startsWith('-- dry-run');
      const o = await h.run(sql, dry ? h.newSession({ dryRun: true, region: 'us-east-1' }) : undefined);
      expect(o.error, o.error ? `${o.error.message}\n${o.error.hint ?? ''}` : '').toBeUndefined();
      expect(o.results.length).toBeGreaterThan(0);
      if (dry) expect(o.total).toBe(0);
      const last = o.results[o.results.length - 1]!;
      if (last.kind === 'rows' && /^\s*(SELECT|WITH)/im.test(sql.replace(/^--.*$/gm, ''))) expect(last.rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(o)).not.toMatch(/example-password|demo-api-key-not-a-real-secret|demo-password-not-a-real-secret/);
    },
  );
});

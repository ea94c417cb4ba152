/**
 * Runs every example of docs/sql.md, in order, in one session against an emulator seeded with
 * the demo account (what `--local` starts with): each ```sql block as it is, and each dry-run
 * example (a ```sh block running `ccql exec --dry-run` with the SQL on stdin) in a dry-run
 * session, where it must make no call. No ```sql block may rely on being a dry run: pasted into
 * a shell, it runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './query-harness.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'sql.md'), 'utf8');
const blocks = [...doc.matchAll(/```(sql|sh)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
/** `ccql exec … --dry-run <<'SQL'` … `SQL`: the statement, run as a dry run. */
const DRY_RUN = /^ccql exec (?:[^\n]* )?--dry-run(?: [^\n]*)? <<'SQL'\n([\s\S]*?)\nSQL\n$/;
const examples = blocks.flatMap((b) => {
  if (b.lang === 'sql') return [{ sql: b.text.trim(), dry: false }];
  const m = DRY_RUN.exec(b.text);
  return m ? [{ sql: m[1]!.trim(), dry: true }] : [];
});

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 'demo' }, { region: 'us-east-1', regionSource: '--region' });
});

afterAll(async () => {
  await h.close();
});

describe('docs/sql.md examples', () => {
  it('has examples of every statement form', () => {
    const text = examples.map((e) => e.sql).join('\n');
    for (const form of ['SELECT', 'INSERT INTO', 'UPDATE', 'DELETE FROM', 'RETURNING', 'NOWAIT', 'data__PatchDocument', 'json_extract', 'json_each', 'json_array_length', 'group_concat', 'IFNULL', 'REGISTRY PULL', 'USE']) {
      expect(text).toContain(form);
    }
    expect(examples.filter((e) => e.dry).map((e) => e.sql.split(/\s/)[0])).toEqual(['INSERT', 'SELECT']);
  });

  it('marks no sql block as a dry run: a reader pasting it would run it for real', () => {
    for (const b of blocks.filter((x) => x.lang === 'sql')) expect(b.text).not.toMatch(/^\s*--\s*dry[- ]run/im);
  });

  it.each(examples.map((e, i) => [i + 1, e.dry ? 'dry run' : 'runs', e.sql.split('\n').find((l) => !l.startsWith('--') && !l.startsWith('/*')) ?? e.sql, e]))(
    'example %i (%s): %s',
    async (_n, _how, _title, { sql, dry }) => {
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

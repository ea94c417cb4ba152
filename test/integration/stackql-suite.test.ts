/**
 * StackQL users' statements run unchanged: the fixed suite in test/fixtures/stackql-suite.sql
 * (the forms StackQL's awscc reference pages publish: `_list_only`, list, get by `Identifier`,
 * INSERT … RETURNING the progress-event fields, UPDATE … SET PatchDocument = string('…'),
 * DELETE … RETURNING) over 60 resource types of 59 services, each block run in order through a
 * Session against the emulator over HTTP: create, listed, got, changed, the change seen, deleted,
 * gone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './query-harness.js';
import { parseSuite, runBlock, SUITE_FILE } from '../support/stackql-suite.js';

const blocks = parseSuite(readFileSync(join(import.meta.dirname, '..', 'fixtures', SUITE_FILE), 'utf8'));
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 'none' }, { region: 'us-east-1', regionSource: '--region' });
});

afterAll(async () => {
  await h?.close();
});

it('covers at least 50 resource types across services, in every published form', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(50);
  expect(new Set(blocks.map((b) => b.sqlName.split('.')[1])).size).toBeGreaterThanOrEqual(40);
  for (const b of blocks) {
    expect(b.statements.insert).toMatch(/^INSERT INTO awscc\.\S+ \(/m);
    expect(b.statements.insert).toMatch(/RETURNING ErrorCode, EventTime, Identifier, Operation, OperationStatus, RequestToken, ResourceModel, RetryAfter, StatusMessage, TypeName;$/);
    expect(b.statements.listOnly).toMatch(/FROM awscc\.\S+_list_only\n/);
    expect(b.statements.update).toMatch(/^SET PatchDocument = string\('\[/m);
    expect(b.statements.delete).toMatch(/\nRETURNING /);
  }
});

it('runs every block unchanged against the emulator', { timeout: 300_000 }, async () => {
  const failures: string[] = [];
  // Blocks touch different types, so a few run at once (each block's statements stay in order).
  const queue = [...blocks];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let b = queue.shift(); b; b = queue.shift()) {
        const failure = await runBlock(h, b);
        if (failure) failures.push(`${b.sqlName}: ${failure}`);
      }
    }),
  );
  expect(failures.sort()).toEqual([]);
});

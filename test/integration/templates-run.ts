/**
 * What the templates test files share (templates.test.ts, templates-2.test.ts, templates-3.test.ts):
 * each runs one part of the resource types with its own emulator and Session, so that the parts
 * run in parallel workers instead of one file taking over a minute of CPU on its own.
 *
 * Every INSERT template runs as printed. For each resource type with a create handler, the
 * template `SHOW INSERT INTO` prints is filled in the way it tells users to (its placeholders
 * rendered through `ccql exec --var`'s template engine, each given a value its schema accepts),
 * run through one Session against the emulator over HTTP, and must create the resource. So
 * must the reference page's "Required properties" example (docs/providers/…).
 *
 * A template the emulator rejects for a value (its schema validation of the desired state, not
 * ccql's SQL or column handling) is counted, and then its columns must still be accepted: the
 * required-properties example must create the resource.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTemplate } from '../../src/catalog/examples.js';
import type { ResourceDef } from '../../src/catalog/types.js';
import { renderTemplate } from '../../src/cli/template.js';
import { CcqlError } from '../../src/errors.js';
import type { Notice, StatementResult } from '../../src/result.js';
import { startHarness, type Harness } from './query-harness.js';
import { fill } from '../support/template-values.js';

export const REGION = 'us-east-1';
/** The required-properties examples create in another region: some types are one per account and region. */
const SECOND_REGION = 'us-west-2';
const docsDir = join(import.meta.dirname, '..', '..', 'docs', 'providers');
/** Statements in flight at once: enough to keep the emulator busy, few enough to stay gentle. */
const PARALLEL = 16;

let h: Harness;
let resources: ResourceDef[];

/** Starts the emulator and Session for the calling test file, and stops them after it. */
export function useTemplateHarness(): void {
  beforeAll(async () => {
    h = await startHarness({ seed: 'none' }, { region: REGION, regionSource: '--region' });
    const cat = h.session.catalog;
    resources = cat
      .provider('aws')
      .services.flatMap((s) => cat.service('aws', s.name).resources)
      // Cloud Control types only: a native table (providers/aws/native/) is created through its
      // service's API, tested by test/integration/native-*.test.ts.
      .filter((r) => r.operations.create && !r.methods.some((m) => m.call.api === 'native'));
  });

  afterAll(async () => {
    await h?.close();
  });
}

interface Run {
  results: StatementResult[];
  notices: Notice[];
  error: CcqlError | undefined;
}

/** The harness the test file started. */
export function harness(): Harness {
  return h;
}

export async function run(sql: string): Promise<Run> {
  const results: StatementResult[] = [];
  const notices: Notice[] = [];
  try {
    for await (const r of h.session.run(sql, { onNotice: (n) => notices.push(n) })) results.push(r);
    return { results, notices, error: undefined };
  } catch (e) {
    if (!(e instanceof CcqlError)) throw e;
    return { results, notices, error: e };
  }
}

/** The statement printed by SHOW INSERT INTO, as a user would copy it into a file. */
export async function shownTemplate(r: ResourceDef): Promise<string> {
  const out = await run(`SHOW INSERT INTO ${r.sqlName}`);
  if (out.error) throw out.error;
  const last = out.results[0];
  if (!last || last.kind !== 'rows') throw new Error(`SHOW INSERT INTO ${r.sqlName} gave no rows`);
  return last.rows.map((row) => String(row[0])).join('\n');
}

/** A fenced ```sql block of a reference page, after the heading `### title`. */
function docsExample(r: ResourceDef, title: string): string {
  const [, service, resource] = r.sqlName.split('.');
  const page = readFileSync(join(docsDir, 'aws', service!, `${resource!}.md`), 'utf8');
  const at = page.indexOf(`### ${title}\n`);
  const m = at < 0 ? null : /```sql\n([\s\S]*?)```/.exec(page.slice(at));
  if (!m) throw new Error(`${r.sqlName}: no "${title}" example on its reference page`);
  return m[1]!;
}

type Outcome = { kind: 'created' } | { kind: 'rejected by the emulator'; message: string } | { kind: 'ccql failure'; message: string };

/** Runs a filled template: created, rejected by the emulator's validation of a value, or refused by ccql. */
async function attempt(r: ResourceDef, template: string, vars: Record<string, string>): Promise<Outcome> {
  let sql: string;
  try {
    sql = renderTemplate(template, vars);
  } catch (e) {
    return { kind: 'ccql failure', message: `the template does not render: ${(e as Error).message}\n${template}` };
  }
  const out = await run(sql);
  const e = out.error;
  if (e) {
    // The emulator validates the desired state against the type's schema, as Cloud Control does:
    // that is a value the schema does not accept, past every check of ccql's.
    if (/ failed: ValidationException: Model validation failed/.test(e.message)) {
      return { kind: 'rejected by the emulator', message: e.message };
    }
    return { kind: 'ccql failure', message: `${e.code}: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}\n${sql}` };
  }
  const last = out.results[out.results.length - 1];
  if (last?.kind !== 'command' || last.command !== 'INSERT 0 1') return { kind: 'ccql failure', message: `unexpected result ${JSON.stringify(last)}\n${sql}` };
  if (!out.notices.some((n) => n.message.startsWith(`created ${r.sqlName} `))) return { kind: 'ccql failure', message: `no "created" notice\n${sql}` };
  return { kind: 'created' };
}

async function pool<T>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/**
 * Types whose schema the emulator cannot be satisfied by any value of one property: a keyword
 * written beside a `$ref` contradicts the definition, draft-07 (and CloudFormation) ignore it,
 * ajv applies both. The templates follow the definition, which is what AWS takes.
 */
const EMULATOR_CANNOT_ACCEPT: Record<string, string> = {
  'aws.memorydb.clusters': 'DataTiering: "type": "object" beside a $ref to a string enum',
  'aws.qldb.streams': 'KinesisConfiguration.StreamArn: "type": "object" beside a $ref to a string',
  'aws.imagebuilder.container_recipes': 'InstanceConfiguration: "additionalProperties": false beside its $ref',
};

/**
 * Part `part` of `parts` (1-based) of the types. Each type keeps the seed its place in the whole
 * list gives it, so the values are the same however the list is cut.
 */
export function describeTemplateRuns(part: number, parts: number): void {
  describe(`INSERT templates, part ${part} of ${parts}`, () => {
    it('every type with a create handler has a template that creates it as printed', { timeout: 600_000 }, async () => {
      expect(resources.length).toBeGreaterThanOrEqual(1479);
      // Every parts-th type: neighbours in the catalog are alike in cost, so the parts come out even.
      const places = resources.map((_, i) => i).filter((i) => i % parts === part - 1);
      const mine = places.map((i) => resources[i]!);
      expect(mine.length).toBeGreaterThan(0);
      const failures: string[] = [];
      const rejected: string[] = [];
      let created = 0;
      await pool(mine, PARALLEL, async (r, at) => {
        const i = places[at]!;
        const shown = await shownTemplate(r);
        const full = insertTemplate(r, { mode: 'all', annotate: true });
        // What SHOW prints is the statement the placeholders describe, under a comment header.
        if (!shown.endsWith(`\n${full.sql}`)) failures.push(`${r.sqlName}: SHOW INSERT INTO does not print the template`);
        if (!docsExample(r, 'All properties').startsWith(`/*+ create */\n${full.sql}`)) failures.push(`${r.sqlName}: the reference page's "All properties" example differs from SHOW INSERT INTO`);

        const outcome = await attempt(r, shown, fill(r, full.placeholders, i + 1, REGION));
        if (outcome.kind === 'ccql failure') failures.push(`${r.sqlName} (SHOW INSERT INTO): ${outcome.message}`);
        if (outcome.kind === 'created') created++;
        if (outcome.kind === 'rejected by the emulator') rejected.push(`${r.sqlName} (SHOW INSERT INTO): ${outcome.message.split('\n')[0]}`);

        const required = insertTemplate(r, { mode: 'required', annotate: false, hint: true });
        const docs = docsExample(r, 'Required properties');
        if (docs !== `${required.sql}\n`) failures.push(`${r.sqlName}: the reference page's "Required properties" example is not the current one (npm run generate:docs)`);
        const second = await attempt(r, docs, fill(r, required.placeholders, 100_000 + i, SECOND_REGION));
        if (second.kind === 'ccql failure') failures.push(`${r.sqlName} (Required properties): ${second.message}`);
        if (second.kind === 'rejected by the emulator') rejected.push(`${r.sqlName} (Required properties): ${second.message.split('\n')[0]}`);
      });
      console.log(
        [
          `INSERT templates, part ${part} of ${parts}: ${created} of ${mine.length} types (of ${resources.length}) are created by the template SHOW INSERT INTO prints;`,
          `rejected by the emulator's validation of a value: ${rejected.length}`,
          ...rejected.sort().map((s) => `  ${s}`),
        ].join('\n'),
      );
      expect(failures).toEqual([]);
      const unexpected = rejected.filter((s) => !(s.split(' ')[0]! in EMULATOR_CANNOT_ACCEPT));
      expect(unexpected).toEqual([]);
      // Every type of this part is created, but those the emulator cannot accept (rejected above).
      const cannot = mine.filter((r) => r.sqlName in EMULATOR_CANNOT_ACCEPT).length;
      expect(created).toBeGreaterThanOrEqual(mine.length - cannot);
    });
  });
}

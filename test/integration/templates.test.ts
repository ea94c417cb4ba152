/**
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
import { insertTemplate, type Placeholder } from '../../src/catalog/examples.js';
import type { ResourceDef } from '../../src/catalog/types.js';
import { renderTemplate } from '../../src/cli/template.js';
import { makeRng } from '../../src/emulator/regex.js';
import { mergeBranches, ValueGenerator } from '../../src/emulator/values.js';
import { validatorFor } from '../../src/emulator/validation.js';
import type { JsonObject } from '../../src/schema/pointer.js';
import { CcqlError } from '../../src/errors.js';
import type { Notice, StatementResult } from '../../src/result.js';
import { startHarness, type Harness } from './query-harness.js';

const REGION = 'us-east-1';
/** The required-properties examples create in another region: some types are one per account and region. */
const SECOND_REGION = 'us-west-2';
const docsDir = join(import.meta.dirname, '..', '..', 'docs', 'providers');
/** Statements in flight at once: enough to keep the emulator busy, few enough to stay gentle. */
const PARALLEL = 16;

let h: Harness;
let resources: ResourceDef[];

beforeAll(async () => {
  h = await startHarness({ seed: 'none' }, { region: REGION, regionSource: '--region' });
  const cat = h.session.catalog;
  resources = cat
    .provider('aws')
    .services.flatMap((s) => cat.service('aws', s.name).resources)
    .filter((r) => r.operations.create);
});

afterAll(async () => {
  await h?.close();
});

interface Run {
  results: StatementResult[];
  notices: Notice[];
  error: CcqlError | undefined;
}

async function run(sql: string): Promise<Run> {
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

/**
 * A value for each placeholder that its schema accepts (the emulator's own generator of valid
 * values), written as the placeholder's place needs: JSON text as it is, text escaped for a JSON
 * string when it sits inside one. Template variables are substituted raw, so a text value never
 * carries a `'` (it would end the SQL literal); the generator is asked again when one does.
 */
function fill(r: ResourceDef, placeholders: readonly Placeholder[], seed: number, region: string): Record<string, string> {
  const rng = makeRng(seed);
  const gen = new ValueGenerator(rng, region);
  const vars: Record<string, string> = {};
  for (const p of placeholders) {
    if (p.name === 'region') {
      vars[p.name] = region;
      continue;
    }
    let text = '';
    for (let attempt = 0; attempt < 12; attempt++) {
      const v = valueFor(r, p, gen, rng, attempt);
      text = p.form === 'json' ? JSON.stringify(v) : typeof v === 'string' ? v : JSON.stringify(v);
      if (p.form === 'text' && p.inJson) text = JSON.stringify(text).slice(1, -1);
      if (!text.includes("'") && accepts(r, p, v)) break;
    }
    vars[p.name] = text.replace(/'/g, "''");
  }
  return vars;
}

/**
 * One value for a placeholder. Numbers are drawn from their range rather than always its
 * minimum, so that the items of a `uniqueItems` array differ; each try after the first takes
 * the next branch of a oneOf/anyOf.
 */
function valueFor(r: ResourceDef, p: Placeholder, gen: ValueGenerator, rng: () => number, attempt: number): unknown {
  const schema = mergeBranches(resolved(p.schema, r.schema), r.schema, attempt);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const fractionStep = typeof schema.multipleOf === 'number' && !Number.isInteger(schema.multipleOf);
  // (A fractional multipleOf is left to the generator: 0.07 / 0.01 is not a whole number in floating point.)
  if ((type === 'integer' || type === 'number') && schema.enum === undefined && schema.const === undefined && !fractionStep) {
    const lo = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
    const hi = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : lo + 100;
    const step = typeof schema.multipleOf === 'number' ? schema.multipleOf : 1;
    const steps = Math.max(0, Math.floor((hi - lo) / step));
    const v = lo + Math.floor(rng() * Math.min(steps, 100)) * step;
    return type === 'integer' ? Math.ceil(v) : v;
  }
  return gen.value(r, p.name.replace(/_/g, ''), schema);
}

/** A schema with its `#/definitions/…` references followed (the definition's keywords win, as in draft-07). */
function resolved(schema: Record<string, unknown>, root: Record<string, unknown>): Record<string, unknown> {
  let s = schema;
  for (let i = 0; i < 16 && typeof s.$ref === 'string'; i++) {
    const name = /^#\/definitions\/(.+)$/.exec(s.$ref)?.[1];
    const target = name === undefined ? undefined : ((root.definitions ?? {}) as Record<string, Record<string, unknown>>)[name];
    if (!target) return {};
    const { $ref: _ref, ...rest } = s;
    s = { ...rest, ...target };
  }
  return s;
}

/** Where a placeholder's schema has alternatives (which a generated value can get wrong): whether it accepts `v`. */
function accepts(r: ResourceDef, p: Placeholder, v: unknown): boolean {
  const text = JSON.stringify(p.schema);
  if (!/"(oneOf|anyOf|not)"/.test(text)) return true;
  const wrapper = { type: 'object', properties: { v: p.schema }, required: ['v'], definitions: r.schema.definitions };
  const cached = validators.get(p.schema) ?? validatorFor(wrapper);
  validators.set(p.schema, cached);
  return cached.validate({ v } as JsonObject, () => false).length === 0;
}

const validators = new WeakMap<object, ReturnType<typeof validatorFor>>();

/** The statement printed by SHOW INSERT INTO, as a user would copy it into a file. */
async function shownTemplate(r: ResourceDef): Promise<string> {
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

describe('INSERT templates', () => {
  it('every type with a create handler has a template that creates it as printed', { timeout: 600_000 }, async () => {
    expect(resources.length).toBeGreaterThanOrEqual(1479);
    const failures: string[] = [];
    const rejected: string[] = [];
    let created = 0;
    await pool(resources, PARALLEL, async (r, i) => {
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
        `INSERT templates: ${created} of ${resources.length} types are created by the template SHOW INSERT INTO prints;`,
        `rejected by the emulator's validation of a value: ${rejected.length}`,
        ...rejected.sort().map((s) => `  ${s}`),
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    const unexpected = rejected.filter((s) => !(s.split(' ')[0]! in EMULATOR_CANNOT_ACCEPT));
    expect(unexpected).toEqual([]);
    expect(created).toBeGreaterThanOrEqual(resources.length - Object.keys(EMULATOR_CANNOT_ACCEPT).length);
  });

  it('a property named like the region pseudo-column is written by its column name, and is sent as the property', async () => {
    const shown = await shownTemplate(h.session.catalog.resolve('aws.sns.subscriptions'));
    expect(shown).toMatch(/^ {2}property_region, +-- optional, write-only/m);
    expect(shown).toMatch(/^ {2}region +-- required$/m);
    expect(shown).not.toMatch(/^ {2}Region,/m);
    const r = h.session.catalog.resolve('aws.sns.subscriptions');
    const vars = { ...fill(r, insertTemplate(r, { mode: 'all', annotate: true }).placeholders, 11, REGION), topic_arn: 'arn:aws:sns:us-east-1:123456789012:alerts', property_region: 'us-west-2' };
    const sql = renderTemplate(shown, vars);
    const out = await run(sql);
    expect(out.error?.message).toBeUndefined();
    expect(out.results.at(-1)).toMatchObject({ kind: 'command', command: 'INSERT 0 1' });
    // In the region the region column gave, with the property Region the property_region column gave.
    const stored = h.emulator.service.store.list(REGION, 'AWS::SNS::Subscription').find((x) => x.model.TopicArn === vars.topic_arn);
    expect(stored?.model).toMatchObject({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts', Region: 'us-west-2' });
  });

  it('a property whose name PostgreSQL reserves is quoted', async () => {
    const r = h.session.catalog.resolve('aws.resourcegroups.tag_sync_tasks');
    const shown = await shownTemplate(r);
    expect(shown).toMatch(/^ {2}"Group", +-- required/m);
    const out = await run(renderTemplate(shown, fill(r, insertTemplate(r, { mode: 'all', annotate: true }).placeholders, 7, REGION)));
    expect(out.error?.message).toBeUndefined();
    expect(out.results.at(-1)).toMatchObject({ kind: 'command', command: 'INSERT 0 1' });
  });
});

/**
 * Writes test/fixtures/stackql-suite.sql: a fixed set of statements in the form StackQL's awscc
 * reference pages publish (list via `_list_only`, list, get by `Identifier`, INSERT … SELECT …
 * RETURNING the progress-event fields, UPDATE … SET PatchDocument = string('…'), DELETE …
 * RETURNING), one block per resource type, for 60 types across as many services as it takes.
 *
 * Run once, by hand, when the suite should change: `npx tsx test/support/generate-stackql-suite.ts`.
 * Each block is tried against the emulator before it is written, so the file holds only blocks
 * that ran; the test (test/integration/stackql-suite.test.ts) then runs the file as it is. The
 * values are drawn with fixed seeds: the same catalog gives the same file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { insertTemplate, selectableColumns, sqlIdentifier, updatableColumns } from '../../src/catalog/examples.js';
import type { Column, ResourceDef } from '../../src/catalog/types.js';
import { renderTemplate } from '../../src/cli/template.js';
import { makeRng } from '../../src/emulator/regex.js';
import { ValueGenerator } from '../../src/emulator/values.js';
import { startHarness, type Harness } from '../integration/query-harness.js';
import { fill, resolved } from './template-values.js';
import { parseSuite, runBlock, SUITE_FILE, type SuiteBlock } from './stackql-suite.js';

const TYPES = 60;
const REGION = 'us-east-1';

/** Types a whole block can run on: every handler, listed without a parent, no required secret to resend on update. */
function candidate(r: ResourceDef): boolean {
  const ops = r.operations;
  if (!(ops.create && ops.read && ops.update && ops.delete && ops.list)) return false;
  if (r.listOnly || r.listParents.length > 0) return false;
  if (r.required.some((p) => r.writeOnlyProperties.includes(`/properties/${p}`))) return false;
  return updateColumns(r).length > 0;
}

/** The properties the UPDATE may change, best first: scalars that read back as written, then tags, then the rest. */
function updateColumns(r: ResourceDef): Column[] {
  const cols = updatableColumns(r).filter((c) => !c.writeOnly && c.property !== undefined);
  const rank = (c: Column): number => (c.type !== 'jsonb' ? 0 : c.property === 'Tags' ? 1 : 2);
  return [...cols].sort((a, b) => rank(a) - rank(b));
}

function isEmpty(v: unknown): boolean {
  return v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
}

const EVENT = 'ErrorCode, EventTime, Identifier, Operation, OperationStatus, RequestToken, ResourceModel, RetryAfter, StatusMessage, TypeName';

function block(r: ResourceDef, seed: number): SuiteBlock | undefined {
  const stackql = r.sqlName.replace(/^aws\./, 'awscc.');
  const required = insertTemplate(r, { mode: 'required', annotate: false, hint: true });
  const insert = renderTemplate(required.sql, fill(r, required.placeholders, seed, REGION)).replace(`INSERT INTO ${r.sqlName} (`, `INSERT INTO ${stackql} (`).replace(/\n;$/, `\nRETURNING ${EVENT};`);
  // The first property with a value that shows a change (an empty list would not).
  const gen = new ValueGenerator(makeRng(seed + 7), REGION);
  const choice = updateColumns(r)
    .map((column) => {
      const schema = resolved(((r.schema.properties ?? {}) as Record<string, Record<string, unknown>>)[column.property!] ?? {}, r.schema);
      return { column, value: column.property === 'Tags' ? tagsValue(schema) : gen.value(r, column.property!, schema) };
    })
    .find((c) => !isEmpty(c.value));
  if (!choice) return undefined;
  const { column, value } = choice;
  const patch = JSON.stringify([{ op: 'add', path: `/${column.property!}`, value }]);
  if (patch.includes("'")) return undefined;
  const cols = ['region', ...selectableColumns(r).filter((c) => c.name !== 'region' && c.name !== 'data__Identifier').map((c) => sqlIdentifier(c.name))].join(', ');
  const idCols = ['region', ...r.primaryIdentifier.map((p) => sqlIdentifier(r.columns.find((c) => c.property === p)?.name ?? p))].join(', ');
  const where = `WHERE region = '${REGION}' AND Identifier = '{{ identifier }}'`;
  return {
    sqlName: r.sqlName,
    typeName: r.typeName,
    check: { column: column.name, value },
    statements: {
      insert,
      listOnly: `SELECT ${idCols}\nFROM ${stackql}_list_only\nWHERE region = '${REGION}';`,
      list: `SELECT ${cols}\nFROM ${stackql}\nWHERE region = '${REGION}';`,
      get: `SELECT ${cols}\nFROM ${stackql}\n${where};`,
      update: `/*+ update */\nUPDATE ${stackql}\nSET PatchDocument = string('${patch}')\n${where};`,
      delete: `/*+ delete */\nDELETE FROM ${stackql}\n${where}\nRETURNING ${EVENT};`,
    },
  };
}

/** Tags a user would set (the generator's smallest valid value is an empty list, which shows no change). */
function tagsValue(schema: Record<string, unknown>): unknown {
  if (schema.type === 'array') return [{ Key: 'suite', Value: 'stackql' }];
  return { suite: 'stackql' };
}

/** Services StackQL users reach for first; the rest follow in alphabetical order. */
const FIRST = ['ivs', 's3', 'sqs', 'sns', 'dynamodb', 'logs', 'kms', 'iam', 'ec2', 'ecr', 'ecs', 'events', 'secretsmanager', 'ssm', 'stepfunctions', 'cloudwatch', 'route53', 'cloudfront', 'apigateway', 'cognito', 'kinesis', 'glue', 'athena', 'elasticloadbalancingv2', 'efs', 'eks', 'rds', 'elasticache', 'sagemaker', 'codebuild', 'appsync', 'backup', 'wafv2', 'lambda', 'scheduler', 'pipes', 'opensearchservice', 'msk', 'redshift', 'emr'];

function render(blocks: readonly SuiteBlock[]): string {
  const head = [
    '-- StackQL-style statements over resource types of many services, run unchanged by',
    '-- test/integration/stackql-suite.test.ts (`{{ identifier }}` is the Identifier the INSERT returned).',
    '-- Written by test/support/generate-stackql-suite.ts; edit that, not this file.',
    '',
  ];
  const body = blocks.map((b) =>
    [`-- type: ${b.sqlName} ${b.typeName} check ${b.check.column} = ${JSON.stringify(b.check.value)}`, ...Object.values(b.statements), ''].join('\n\n'),
  );
  return [...head, ...body].join('\n');
}

async function main(): Promise<void> {
  const h: Harness = await startHarness({ seed: 'none' }, { region: REGION, regionSource: '--region' });
  try {
    const cat = h.session.catalog;
    const names = cat.provider('aws').services.map((s) => s.name);
    const ordered = [...FIRST.filter((n) => names.includes(n)), ...names.filter((n) => !FIRST.includes(n))];
    const byService = ordered.map((name) => cat.service('aws', name).resources.filter(candidate));
    // The seed's own type first, then one type per service in turn until there are enough.
    const queue: ResourceDef[] = [cat.resolve('aws.ivs.stages')];
    for (let round = 0; queue.length < TYPES * 3 && round < 4; round++) for (const list of byService) if (list[round] && list[round] !== queue[0]) queue.push(list[round]!);
    const kept: SuiteBlock[] = [];
    for (const [i, r] of queue.entries()) {
      if (kept.length >= TYPES) break;
      const b = block(r, 1_000 + i);
      if (!b) continue;
      // What the file will hold is what is tried: parse the rendered block back.
      const [parsed] = parseSuite(render([b]));
      const failure = await runBlock(h, parsed!);
      if (failure) console.error(`left out ${r.sqlName}: ${failure.split('\n')[0]}`);
      else kept.push(b);
    }
    const file = join(import.meta.dirname, '..', 'fixtures', SUITE_FILE);
    writeFileSync(file, render(kept));
    console.log(`${kept.length} types across ${new Set(kept.map((b) => b.sqlName.split('.')[1])).size} services → ${file}`);
  } finally {
    await h.close();
  }
}

await main();

/**
 * Every INSERT template runs as printed (part 1 of the types: templates-run.ts says how), and
 * two templates whose column names need care.
 */
import { describe, expect, it } from 'vitest';
import { insertTemplate } from '../../src/catalog/examples.js';
import { renderTemplate } from '../../src/cli/template.js';
import { fill } from '../support/template-values.js';
import { describeTemplateRuns, harness, REGION, run, shownTemplate, useTemplateHarness } from './templates-run.js';

useTemplateHarness();
describeTemplateRuns(1, 3);

describe('INSERT templates', () => {
  it('a property named like the region pseudo-column is written by its column name, and is sent as the property', async () => {
    const shown = await shownTemplate(harness().session.catalog.resolve('aws.sns.subscriptions'));
    expect(shown).toMatch(/^ {2}property_region, +-- optional, write-only/m);
    expect(shown).toMatch(/^ {2}region +-- required$/m);
    expect(shown).not.toMatch(/^ {2}Region,/m);
    const r = harness().session.catalog.resolve('aws.sns.subscriptions');
    const vars = { ...fill(r, insertTemplate(r, { mode: 'all', annotate: true }).placeholders, 11, REGION), topic_arn: 'arn:aws:sns:us-east-1:123456789012:alerts', property_region: 'us-west-2' };
    const sql = renderTemplate(shown, vars);
    const out = await run(sql);
    expect(out.error?.message).toBeUndefined();
    expect(out.results.at(-1)).toMatchObject({ kind: 'command', command: 'INSERT 0 1' });
    // In the region the region column gave, with the property Region the property_region column gave.
    const stored = harness().emulator.service.store.list(REGION, 'AWS::SNS::Subscription').find((x) => x.model.TopicArn === vars.topic_arn);
    expect(stored?.model).toMatchObject({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts', Region: 'us-west-2' });
  });

  it('a property whose name PostgreSQL reserves is quoted', async () => {
    const r = harness().session.catalog.resolve('aws.resourcegroups.tag_sync_tasks');
    const shown = await shownTemplate(r);
    expect(shown).toMatch(/^ {2}"Group", +-- required/m);
    const out = await run(renderTemplate(shown, fill(r, insertTemplate(r, { mode: 'all', annotate: true }).placeholders, 7, REGION)));
    expect(out.error?.message).toBeUndefined();
    expect(out.results.at(-1)).toMatchObject({ kind: 'command', command: 'INSERT 0 1' });
  });
});

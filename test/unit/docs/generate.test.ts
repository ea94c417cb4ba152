/**
 * The reference docs: the committed docs/providers/ is exactly what `npm run generate:docs`
 * writes, the pages read like the seed page, and no example carries a value for a write-only
 * property other than a placeholder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const committedDir = join(root, 'docs', 'providers');
let work: string;
let fresh: Map<string, string>;

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const path = join(d.parentPath, d.name);
    out.set(relative(dir, path), readFileSync(path, 'utf8'));
  }
  return out;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ccql-docs-'));
  const out = join(work, 'providers');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'generate-docs.ts'), out], {
    cwd: root,
    env: { ...process.env, CCQL_HOME: join(work, 'home') },
    encoding: 'utf8',
  });
  expect(r.stderr).toContain('wrote 1498 files');
  expect(r.status).toBe(0);
  fresh = readTree(out);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function page(rel: string): string {
  const text = fresh.get(rel);
  if (text === undefined) throw new Error(`no page ${rel}`);
  return text;
}

describe('reference docs', () => {
  it('the committed docs match a fresh generation byte for byte', () => {
    const committed = readTree(committedDir);
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    const differing = [...fresh].filter(([rel, text]) => committed.get(rel) !== text).map(([rel]) => rel);
    expect(differing, 'run `npm run generate:docs` and commit the result').toEqual([]);
  });

  it('has a page per resource and an index linking every one', () => {
    // 1,489 Cloud Control types and 8 native tables (providers/aws/native/)
    const pages = [...fresh.keys()].filter((k) => k !== 'aws/index.md');
    expect(pages).toHaveLength(1497);
    const index = page('aws/index.md');
    expect(index).toContain('274 services, 1497 resources');
    const links = [...index.matchAll(/\]\(([a-z0-9_]+\/[a-z0-9_]+\.md)\)/g)].map((m) => `aws/${m[1]}`);
    expect(new Set(links).size).toBe(1497);
    for (const l of links) expect(fresh.has(l), l).toBe(true);
    expect(index).toContain('| [stages](ivs/stages.md) | `AWS::IVS::Stage` |');
  });

  it('ivs/stages.md has the sections and content of the seed page, in plain Markdown', () => {
    const text = page('aws/ivs/stages.md');
    const headings = [...text.matchAll(/^#{1,3} (.*)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      'stages',
      'Overview',
      'Fields',
      'Methods',
      '`SELECT` examples',
      '`INSERT` examples',
      'Required properties',
      'All properties',
      'Manifest',
      '`UPDATE` examples',
      '`DELETE` example',
      'Permissions',
      'Create',
      'Read',
      'Update',
      'Delete',
      'List',
    ]);
    expect(text).toContain('Creates, updates, deletes or gets a `stage` resource or lists `stages` in a region.');
    expect(text).toContain('| **Id** | `aws.ivs.stages` |');
    expect(text).toContain('| `active_session_id` | `text` | ID of the active session within the stage. _(read-only)_ |');
    expect(text).toContain('| `update_resource` | `UPDATE` | `data__Identifier, data__PatchDocument, region` |');
    expect(text).toContain("FROM aws.ivs.stages\nWHERE region = 'us-east-1' AND data__Identifier = '<Arn>';");
    expect(text).toContain('INSERT INTO aws.ivs.stages (');
    expect(text).toContain('SET data__PatchDocument = \'[\n  {"op": "replace", "path": "/Name", "value": "{{ name }}"}');
    expect(text).toContain("SET\n  name = '{{ name }}',");
    expect(text).toContain("DELETE FROM aws.ivs.stages\nWHERE data__Identifier = '<Arn>'\nAND region = 'us-east-1';");
    expect(text).toContain('  - name: stage\n    props:\n      - name: Name\n        value: "{{ name }}"');
    expect(text).toContain('### Create\n\n```json\n[\n  "ivs:CreateStage",\n  "ivs:GetStage",');
    expect(text).not.toMatch(/<CopyableCode|<Tabs|<TabItem|^import /m);
  });

  it('a native table says what serves it, what each method calls, its secrets and its EXEC methods', () => {
    const stages = page('aws/ivs_realtime/stages.md');
    expect(stages).toContain('| **Served by** | the service\'s own API through `@aws-sdk/client-ivs-realtime`, not Cloud Control |');
    expect(stages).toContain('| `create_stage` | `INSERT` | `region` | `CreateStage` |');
    expect(stages).toContain('_(read-only, secret: shown only by RETURNING)_');
    expect(stages).toContain('**Secret** values (tokens, stream keys, passphrases) come back from the call that makes them');
    // A native update takes column values, never a patch document.
    expect(stages).not.toContain('data__PatchDocument');
    expect(stages).toContain("UPDATE aws.ivs_realtime.stages\nSET\n  name = '{{ name }}',");
    expect(page('aws/ivs/channels_native.md')).toContain('| **Same resources as** | `aws.ivs.channels` (through Cloud Control) |');
    const fleets = page('aws/appstream/fleets.md');
    expect(fleets).toContain('## `EXEC` examples');
    expect(fleets).toContain("EXEC aws.appstream.fleets.start_fleet\n  @name = '{{ name }}',\n  @region = 'us-east-1';");
  });

  it('a type needing a parent to list shows it in the list example', () => {
    expect(page('aws/ivs/stream_keys.md')).toContain("WHERE region = 'us-east-1' AND channel_arn = '<ChannelArn>';");
  });

  it('events/connections.md marks the password and API key fields write-only and shows only placeholders for them', () => {
    const text = page('aws/events/connections.md');
    const row = text.split('\n').find((l) => l.startsWith('| `auth_parameters` |'));
    expect(row).toContain('**Holds write-only fields:**');
    expect(row).toContain('`BasicAuthParameters.Password`');
    expect(row).toContain('`ApiKeyAuthParameters.ApiKeyValue`');
    expect(row).toContain('`OAuthParameters.ClientParameters.ClientSecret`');
    expect(text).toContain('"Password": "{{ password }}"');
    // AuthParameters is one of three forms; the example shows the first and names the others.
    expect(text).toContain('one of BasicAuthParameters | OAuthParameters | ApiKeyAuthParameters (the first shown)');
  });

  it('column names PostgreSQL reserves are quoted in every example', () => {
    const text = page('aws/datasync/location_smbs.md');
    expect(text).toMatch(/^SELECT\n(?:.*,\n)*"user",$/m);
    expect(text).toContain('  "user" = \'{{ user }}\',');
    expect(text).toContain('  "User",');
    expect(text).not.toMatch(/^ {2}User,/m);
  });

  it('a property named like the region pseudo-column is written by its column name', () => {
    const text = page('aws/sns/subscriptions.md');
    expect(text).toContain('  property_region,');
    expect(text).not.toMatch(/^ {2}Region,/m);
    expect(text).toMatch(/^\| `property_region` \| `text` \| .*_\(property Region\)_ \|$/m);
  });

  it('a type with alternative forms shows the first and names what it leaves out', () => {
    const text = page('aws/batch/job_queues.md');
    expect(text).toContain('`AWS::Batch::JobQueue` accepts alternative forms; these examples show the first. Left out, as that form cannot have them: `ServiceEnvironmentOrder`.');
    expect(text).toContain('  ComputeEnvironmentOrder,  -- required in this form');
  });

  it('no page gives a write-only field anything but a placeholder', () => {
    let checked = 0;
    for (const [rel, text] of fresh) {
      if (rel === 'aws/index.md') continue;
      const fields = new Set<string>();
      for (const m of text.matchAll(/\*\*(?:Write-only\.\*\*|Holds write-only fields:\*\* ([^|]*))/g)) {
        for (const f of (m[1] ?? '').matchAll(/`([^`]+)`/g)) fields.add(f[1]!.split('.').pop()!);
      }
      for (const m of text.matchAll(/^\| `([a-z0-9_]+)` \| `[a-z ]+` \| \*\*Write-only\.\*\*/gm)) fields.add(m[1]!);
      for (const f of fields) {
        checked++;
        // JSON ("Password": …), YAML (Password: …) and SQL (password = …) assignments
        const yamlKey = /^[A-Z]/.test(f) ? `|^\\s*${f}: ` : ''; // manifest keys are CloudFormation names
        const assigned = new RegExp(`(?:"${f}": ${yamlKey}|^\\s*${f} = )(.*)$`, 'gm');
        for (const m of text.matchAll(assigned)) {
          expect(m[1], `${rel}: ${f}`).toMatch(/^['"]?(\{\{ [a-z0-9_]+ \}\}|\{|\[)/);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

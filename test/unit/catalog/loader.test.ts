/**
 * The loader's reports on broken provider files: each problem with its file, resource, key and
 * line. Fixtures are written to a temp folder and loaded with the cache off.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/loader.js';
import { CcqlError, renderErrorText } from '../../../src/errors.js';

const INDEX = `name: aws
description: test provider
version: "1"
services:
  - name: ivs
    title: IVS
    file: services/ivs.yaml
    resourceCount: 1
`;

/** A valid one-resource service file; tests replace parts of it. */
const SERVICE = `service: ivs
title: IVS
resources:
  stages:
    typeName: AWS::IVS::Stage
    sqlName: aws.ivs.stages
    description: A stage.
    primaryIdentifier: [Arn]
    readOnlyProperties: [/properties/Arn]
    writeOnlyProperties: []
    operations:
      read:
        permissions: [ivs:GetStage]
      list:
        permissions: [ivs:ListStages]
    columns:
      - name: region
        type: text
        description: AWS region.
      - name: arn
        property: Arn
        type: text
        description: The ARN.
      - name: name
        property: Name
        type: text
        description: The name.
    methods:
      - name: get_resource
        verb: SELECT
        requiredParams: [data__Identifier, region]
        call:
          api: cloudcontrol
          operation: GetResource
      - name: list_resources
        verb: SELECT
        requiredParams: [region]
        call:
          api: cloudcontrol
          operation: ListResources
    schema:
      properties:
        Arn: {type: string}
        Name: {type: string}
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function providerDir(serviceText: string, indexText = INDEX): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccql-loader-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'aws', 'services'), { recursive: true });
  writeFileSync(join(dir, 'aws', 'provider.yaml'), indexText);
  writeFileSync(join(dir, 'aws', 'services', 'ivs.yaml'), serviceText);
  return dir;
}

function loadError(serviceText: string, indexText = INDEX): CcqlError {
  const catalog = new Catalog({ dir: providerDir(serviceText, indexText), cache: false });
  try {
    catalog.resolve('aws.ivs.stages');
  } catch (e) {
    expect(e).toBeInstanceOf(CcqlError);
    return e as CcqlError;
  }
  throw new Error('expected the provider file to be rejected');
}

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l, n) => n >= from && l.includes(needle));
  if (i < 0) throw new Error(`fixture has no line with ${needle}`);
  return i + 1;
}

describe('provider file validation', () => {
  it('loads the valid fixture (so the failures below are about the changes)', () => {
    const catalog = new Catalog({ dir: providerDir(SERVICE), cache: false });
    const r = catalog.resolve('aws.ivs.stages');
    expect(r.columns.map((c) => c.name)).toEqual(['region', 'arn', 'name']);
    expect(r.createOnlyProperties).toEqual([]);
  });

  it('reports YAML syntax errors with file, line and column', () => {
    const broken = SERVICE.replace('    sqlName: aws.ivs.stages', '    sqlName: [aws.ivs.stages');
    const e = loadError(broken);
    expect(e.code).toBe('provider_file');
    expect(e.message).toMatch(/ivs\.yaml is not valid YAML/);
    expect(e.location?.file).toMatch(/aws\/services\/ivs\.yaml$/);
    expect(e.location?.line).toBeGreaterThanOrEqual(lineOf(broken, 'sqlName'));
    expect(e.location?.column).toBeGreaterThan(0);
    expect(renderErrorText(e)).not.toMatch(/\n\s+at .*\.(ts|js):\d+/); // no stack trace
  });

  it('rejects a repeated key', () => {
    const broken = SERVICE.replace('    description: A stage.\n', '    description: A stage.\n    description: Again.\n');
    const e = loadError(broken);
    expect(e.message).toContain('not valid YAML');
    expect(e.details.join('\n')).toMatch(/duplicated mapping key/);
    expect(e.location?.line).toBe(lineOf(broken, 'description: Again.'));
  });

  it('reports shape problems with resource, key path and line', () => {
    const broken = SERVICE.replace('        type: text\n        description: The name.', '        type: varchar\n        description: The name.').replace('    primaryIdentifier: [Arn]\n', '    primaryIdentifier: [Arn]\n    primaryKey: [Arn]\n');
    const e = loadError(broken);
    expect(e.message).toMatch(/ivs\.yaml is not a valid provider service file \(2 problems\)/);
    expect(e.location?.file).toMatch(/ivs\.yaml$/);
    expect(e.details).toContain(`line ${lineOf(broken, 'type: varchar')}: resources.stages.columns[2].type: must be one of "text", "bigint", "double precision", "boolean", "jsonb", "timestamptz"`);
    expect(e.details).toContain(`line ${lineOf(broken, 'typeName:')}: resources.stages: unknown key 'primaryKey'`);
    expect(e.hint).toContain('docs/provider-format.md');
  });

  it('reports contradictions a schema cannot see, every one of them', () => {
    const broken = SERVICE.replace('sqlName: aws.ivs.stages', 'sqlName: aws.ivs.stagez')
      .replace('writeOnlyProperties: []', 'writeOnlyProperties: [/properties/Arn]')
      .replace('        verb: SELECT\n        requiredParams: [data__Identifier, region]', '        verb: INSERT\n        requiredParams: [data__Identifier, regoin]')
      .replace('      list:\n        permissions: [ivs:ListStages]\n', '')
      .replace('    primaryIdentifier: [Arn]', '    primaryIdentifier: [StageArn]');
    const e = loadError(broken);
    expect(e.message).toContain('(6 problems)');
    const methodsLine = lineOf(broken, 'methods:');
    expect(e.details).toEqual([
      `line ${lineOf(broken, 'sqlName:')}: resources.stages.sqlName: is 'aws.ivs.stagez' but the file and key make it 'aws.ivs.stages'`,
      `line ${lineOf(broken, 'primaryIdentifier:')}: resources.stages.primaryIdentifier[0]: property 'StageArn' is not in schema.properties`,
      `line ${lineOf(broken, 'writeOnlyProperties:')}: resources.stages.writeOnlyProperties[0]: '/properties/Arn' cannot be both read-only and write-only`,
      `line ${lineOf(broken, 'verb: INSERT')}: resources.stages.methods[0].verb: GetResource is a SELECT method, not INSERT`,
      `line ${lineOf(broken, 'requiredParams: [data__Identifier, regoin]')}: resources.stages.methods[0].requiredParams[1]: 'regoin' is neither a column nor a property`,
      `line ${lineOf(broken, 'api: cloudcontrol', lineOf(broken, 'name: list_resources', methodsLine))}: resources.stages.methods[1].call: ListResources needs a 'list' entry in operations`,
    ]);
  });

  it('reports a column that names a missing property, and duplicate column names', () => {
    const broken = SERVICE.replace('        property: Name\n', '        property: Title\n').replace('      - name: arn\n', '      - name: REGION\n');
    const e = loadError(broken);
    expect(e.details).toContain(`line ${lineOf(broken, 'name: REGION')}: resources.stages.columns[1].name: 'REGION' repeats columns[0]`);
    expect(e.details).toContain(`line ${lineOf(broken, 'property: Title')}: resources.stages.columns[2].property: property 'Title' is not in schema.properties`);
  });

  it('rejects a service file that declares another service than the index says', () => {
    const other = SERVICE.replace('service: ivs', 'service: ivschat').replace('AWS::IVS::Stage', 'AWS::IVSChat::Stage').replace('aws.ivs.stages', 'aws.ivschat.stages');
    const e = loadError(other);
    expect(e.code).toBe('provider_file');
    expect(e.message).toContain("declares service 'ivschat' but the index lists it as 'ivs'");
    expect(e.location?.path).toBe('service');
  });

  it('validates the index too', () => {
    const e = loadError(SERVICE, INDEX.replace('resourceCount: 1', 'resourceCount: many'));
    expect(e.message).toMatch(/provider\.yaml is not a valid provider index file/);
    expect(e.details).toContain(`line ${lineOf(INDEX, 'resourceCount')}: services[0].resourceCount: must be integer`);
  });

  it('reports a missing service file with its path', () => {
    const dir = providerDir(SERVICE);
    rmSync(join(dir, 'aws', 'services', 'ivs.yaml'));
    const catalog = new Catalog({ dir, cache: false });
    expect(() => catalog.resolve('aws.ivs.stages')).toThrow(/cannot read service file .*ivs\.yaml: ENOENT/);
  });
});

describe('aliases', () => {
  /** The fixture with a second resource, an alias for each table, and one for the name column. */
  const ALIASED = SERVICE.replace('    sqlName: aws.ivs.stages\n', '    sqlName: aws.ivs.stages\n    aliases: [stagez]\n')
    .replace('      - name: name\n        property: Name\n', '      - name: name\n        aliases: [stage_name]\n        property: Name\n')
    .concat(
      SERVICE.slice(SERVICE.indexOf('  stages:\n'))
        .replace('  stages:', '  channels:')
        .replace('AWS::IVS::Stage', 'AWS::IVS::Channel')
        .replace('sqlName: aws.ivs.stages', 'sqlName: aws.ivs.channels\n    aliases: [chans]'),
    );

  it('finds a resource by an alias, its _list_only view too, and suggests the real name', () => {
    const catalog = new Catalog({ dir: providerDir(ALIASED), cache: false });
    expect(catalog.resolve('aws.ivs.stagez').name).toBe('stages');
    expect(catalog.resolve('aws.ivs.CHANS').name).toBe('channels');
    expect(catalog.resolve('aws.ivs.stagez_list_only').name).toBe('stages_list_only');
    expect(catalog.resolve('aws.ivs.stages').columns.find((c) => c.name === 'name')?.aliases).toEqual(['stage_name']);
    expect(() => catalog.resolve('aws.ivs.chanz')).toThrow(CcqlError);
    try {
      catalog.resolve('aws.ivs.chanz');
    } catch (e) {
      expect((e as CcqlError).hint).toBe("did you mean 'aws.ivs.channels'?");
    }
  });

  it('rejects an alias that is a name, another alias or the identifier', () => {
    const broken = ALIASED.replace('aliases: [stagez]', 'aliases: [stagez, channels, stages]')
      .replace('aliases: [chans]', 'aliases: [chans, stagez]')
      .replace('aliases: [stage_name]', 'aliases: [stage_name, arn, identifier]');
    const e = loadError(broken);
    const aliasLine = lineOf(broken, 'aliases: [stagez, channels');
    expect(e.details).toEqual(
      expect.arrayContaining([
        `line ${aliasLine}: resources.stages.aliases[1]: 'channels' is the name of resources.channels`,
        `line ${aliasLine}: resources.stages.aliases[2]: 'stages' is the resource's own name`,
        `line ${lineOf(broken, 'aliases: [chans, stagez]')}: resources.channels.aliases[1]: 'stagez' is already an alias of resources.stages`,
      ]),
    );
    const columnLine = lineOf(broken, 'aliases: [stage_name');
    expect(e.details).toEqual(
      expect.arrayContaining([
        `line ${columnLine}: resources.stages.columns[2].aliases[1]: 'arn' is the name of columns[1]`,
        `line ${columnLine}: resources.stages.columns[2].aliases[2]: 'identifier' is the Cloud Control identifier's alias`,
      ]),
    );
    // Aliases are lower-case: the shape check says so before meaning is checked
    const upper = loadError(ALIASED.replace('aliases: [stage_name]', 'aliases: [ARN]'));
    expect(upper.details.join('\n')).toMatch(/columns\[2\]\.aliases\[0\]: must match pattern/);
  });
});

describe('hostile or damaged input', () => {
  it('refuses a YAML alias bomb with the file and line instead of expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
      .concat(Array.from({ length: 12 }, (_, i) => {
        const p = String.fromCharCode(97 + i);
        const n = String.fromCharCode(98 + i);
        return `${n}: &${n} [${Array(10).fill(`*${p}`).join(',')}]`;
      }))
      .join('\n');
    const text = SERVICE.replace('title: IVS\n', `title: IVS\nx-bomb:\n${bomb.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
    const err = loadError(text);
    expect(err.message).toContain('services/ivs.yaml is not valid YAML');
    expect(err.details?.join('\n')).toMatch(/aliases exceeded maxAliases \(100\)/);
    expect(err.location?.line).toBeGreaterThan(3);
  });

  it('rebuilds a cache entry of the wrong shape from the YAML instead of trusting it', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = providerDir(SERVICE);
    const cacheDir = mkdtempSync(join(tmpdir(), 'ccql-cache-'));
    dirs.push(cacheDir);
    expect(new Catalog({ dir, cacheDir }).resolve('aws.ivs.stages').typeName).toBe('AWS::IVS::Stage');
    const files = readdirSync(cacheDir);
    expect(files.length).toBe(2);
    const damaged = ['{"hash":"x","kind":"service","data":{}}', '[]', '{"truncated":', '"text"', '{"kind":"service","data":{"service":"ivs","resources":{"stages":7}}}'];
    for (const garbage of damaged) {
      for (const f of files) writeFileSync(join(cacheDir, f), garbage);
      const stages = new Catalog({ dir, cacheDir }).resolve('aws.ivs.stages');
      expect(stages.typeName).toBe('AWS::IVS::Stage');
      expect(stages.columns.map((c) => c.name)).toContain('arn');
    }
  });
});

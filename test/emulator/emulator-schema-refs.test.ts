/**
 * A `$ref` that does not resolve in a type's schema is a broken definition, reported with the
 * type and where the `$ref` is: never a silent fall back to (almost) no validation.
 */
import { describe, expect, it } from 'vitest';
import { CreateResourceCommand, ListResourcesCommand } from '@aws-sdk/client-cloudcontrol';
import { danglingRefs, SchemaRefError, validatorFor } from '../../src/emulator/validation.js';
import type { ResourceDef } from '../../src/catalog/types.js';
import type { Catalog } from '../../src/catalog/loader.js';
import { client, failure, start } from './emulator-helpers.js';

const broken = (): Record<string, unknown> => ({
  definitions: { Tag: { type: 'object', properties: { Key: { type: 'string' } } } },
  properties: {
    Name: { type: 'string', maxLength: 5 },
    Arn: { type: 'string' },
    Tags: { type: 'array', items: { $ref: '#/definitions/Tag' } },
    Settings: { $ref: '#/definitions/Setting' },
    Kind: { enum: [{ $ref: 'not a reference: data' }] },
  },
  required: ['Name'],
  additionalProperties: false,
});

function def(schema: Record<string, unknown>): ResourceDef {
  return {
    name: 'things',
    typeName: 'Test::Broken::Thing',
    sqlName: 'test.broken.things',
    description: '',
    primaryIdentifier: ['Arn'],
    additionalIdentifiers: [],
    readOnlyProperties: ['/properties/Arn'],
    createOnlyProperties: [],
    writeOnlyProperties: [],
    required: ['Name'],
    listParents: [],
    operations: { create: { permissions: [] }, read: { permissions: [] }, update: { permissions: [] }, delete: { permissions: [] }, list: { permissions: [] } },
    columns: [],
    methods: [],
    schema,
  };
}

describe('a $ref that does not resolve', () => {
  it('is found with its place in the schema (data values are not references)', () => {
    expect(danglingRefs(broken())).toEqual([{ at: '/properties/Settings', ref: '#/definitions/Setting' }]);
    expect(danglingRefs({ properties: { A: { $ref: '#/definitions/A~1B' } }, definitions: { 'A/B': {} } })).toEqual([]);
    expect(danglingRefs({ properties: { A: { $ref: 'https://example.com/s.json' } } })).toEqual([{ at: '/properties/A', ref: 'https://example.com/s.json' }]);
  });

  it('makes validatorFor throw, naming the type and the pointer, every time', () => {
    const schema = broken();
    for (let i = 0; i < 2; i++) {
      let caught: unknown;
      try {
        validatorFor(schema, 'Test::Broken::Thing');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SchemaRefError);
      expect(caught).toMatchObject({
        code: 'provider_file',
        message: 'the schema of Test::Broken::Thing has a $ref that does not resolve: "#/definitions/Setting" at /properties/Settings',
      });
    }
    // The same schema with the definition present validates in full.
    const fixed = broken();
    (fixed.definitions as Record<string, unknown>).Setting = { type: 'object' };
    expect(validatorFor(fixed).validate({ Name: 'too-long-name' }, () => false)).toEqual(['#/Name: expected maxLength: 5, actual: 13']);
  });

  it('is what a client of the emulator is told, instead of its invalid model being accepted', async () => {
    const d = def(broken());
    const catalog = { resourceByType: (t: string) => (t === d.typeName ? d : undefined) } as unknown as Catalog;
    const emu = await start({ catalog });
    const c = client(emu);
    const refused = await failure(c.send(new CreateResourceCommand({ TypeName: d.typeName, DesiredState: JSON.stringify({ Name: 'far-too-long', Other: 1 }) })));
    expect(refused.name).toBe('ServiceInternalErrorException');
    expect(refused.status).toBe(501);
    expect(refused.message).toContain('the schema of Test::Broken::Thing has a $ref that does not resolve: "#/definitions/Setting" at /properties/Settings');
    const listed = await c.send(new ListResourcesCommand({ TypeName: d.typeName }));
    expect(listed.ResourceDescriptions).toEqual([]);
    c.destroy();
    await emu.stop();
  });
});

/** Write-only values: masked in dry runs, stripped from rows, scrubbed from messages. */
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/loader.js';
import type { ResourceDef } from '../../../src/catalog/types.js';
import { MASK, maskWriteOnly, scrub, stripWriteOnly, writeOnlyValues } from '../../../src/schema/write-only.js';

const connection = new Catalog().resolve('aws.events.connections');

describe('write-only properties', () => {
  const model = {
    Name: 'c',
    AuthParameters: {
      BasicAuthParameters: { Username: 'u', Password: 'pw-1' },
      OAuthParameters: { ClientParameters: { ClientID: 'id', ClientSecret: 'secret-2' }, OAuthHttpParameters: { HeaderParameters: [{ Key: 'k', Value: 'v' }] } },
    },
  };

  it('masks every write-only location and leaves the rest', () => {
    const masked = maskWriteOnly(connection, model) as typeof model & { AuthParameters: { OAuthParameters: { OAuthHttpParameters: { HeaderParameters: unknown } } } };
    expect(masked.AuthParameters.BasicAuthParameters).toEqual({ Username: 'u', Password: MASK });
    expect(masked.AuthParameters.OAuthParameters.ClientParameters).toEqual({ ClientID: 'id', ClientSecret: MASK });
    expect(masked.AuthParameters.OAuthParameters.OAuthHttpParameters.HeaderParameters).toBe(MASK);
    expect(model.AuthParameters.BasicAuthParameters.Password).toBe('pw-1'); // the input is not changed
  });

  it('strips them from rows', () => {
    const stripped = stripWriteOnly(connection, model);
    expect(JSON.stringify(stripped)).not.toMatch(/pw-1|secret-2/);
    expect(JSON.stringify(stripped)).toContain('"Username":"u"');
  });

  it('handles * in pointers (array elements)', () => {
    const fake = { writeOnlyProperties: ['/properties/Items/*/Secret'] } as unknown as ResourceDef;
    expect(maskWriteOnly(fake, { Items: [{ Secret: 'a', Keep: 1 }, { Keep: 2 }] })).toEqual({ Items: [{ Secret: MASK, Keep: 1 }, { Keep: 2 }] });
  });

  it('scrubs the values from text', () => {
    const secrets = writeOnlyValues(connection, model);
    expect(secrets).toEqual(expect.arrayContaining(['pw-1', 'secret-2']));
    expect(scrub('failed: bad password pw-1 for u', secrets)).toBe(`failed: bad password ${MASK} for u`);
  });
});

describe('write-only values whatever their case, and patches that would read them', () => {
  it('masks a mis-cased key as the service would read it', async () => {
    const { Catalog } = await import('../../../src/catalog/loader.js');
    const { maskWriteOnly } = await import('../../../src/schema/write-only.js');
    const connections = new Catalog().resource('aws', 'events', 'connections');
    const masked = maskWriteOnly(connections, { AuthParameters: { basicAuthParameters: { username: 'u', password: 'hunter2-x' } } });
    expect(JSON.stringify(masked)).not.toContain('hunter2-x');
  });

  it('refuses copy, move and test that read a write-only path, before any call', async () => {
    const { Catalog } = await import('../../../src/catalog/loader.js');
    const { checkPatchDocument } = await import('../../../src/plan/dml.js');
    const connections = new Catalog().resource('aws', 'events', 'connections');
    for (const op of [
      { op: 'copy', from: '/AuthParameters/BasicAuthParameters/Password', path: '/Description' },
      { op: 'move', from: '/AuthParameters/BasicAuthParameters', path: '/Description' },
      { op: 'test', path: '/AuthParameters/ApiKeyAuthParameters/ApiKeyValue', value: 'guess' },
    ]) {
      expect(() => checkPatchDocument(connections, 'aws.events.connections', [op])).toThrow(/holds a write-only value/);
    }
    expect(checkPatchDocument(connections, 'aws.events.connections', [{ op: 'replace', path: '/AuthParameters/BasicAuthParameters/Password', value: 'new' }])).toHaveLength(1);
  });
});

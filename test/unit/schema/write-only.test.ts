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

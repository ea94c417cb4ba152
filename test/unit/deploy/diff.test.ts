import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/loader.js';
import { propertyDiff } from '../../../src/deploy/diff.js';

const catalog = new Catalog();

describe('property diff', () => {
  it('reports only the properties the statement sets that differ; tags compare without order', () => {
    const stage = catalog.resource('aws', 'ivs', 'stages');
    const current = { Arn: 'arn:1', Name: 's', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }], ActiveSessionId: 'x' };
    expect(propertyDiff(stage, { Name: 's', Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] }, current)).toEqual([]);
    expect(propertyDiff(stage, { Name: 's', Tags: [{ Key: 'a', Value: '9' }, { Key: 'b', Value: '2' }] }, current)).toEqual([
      { property: 'Tags', before: current.Tags, after: [{ Key: 'a', Value: '9' }, { Key: 'b', Value: '2' }] },
    ]);
  });

  it('leaves write-only properties out (they cannot be read back)', () => {
    const connection = catalog.resource('aws', 'events', 'connections');
    const desired = { Name: 'c', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'secret-value' } } };
    const current = { Name: 'c', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k' } } };
    expect(propertyDiff(connection, desired, current)).toEqual([]);
    const changed = propertyDiff(connection, { ...desired, AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k2', ApiKeyValue: 'secret-value' } } }, current);
    expect(JSON.stringify(changed)).not.toContain('secret-value');
    expect(changed.map((c) => c.property)).toEqual(['AuthParameters']);
  });
});

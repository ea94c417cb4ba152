import { describe, expect, it } from 'vitest';
import { pluralize, snakeCase, splitTypeName } from '../../src/catalog/naming.js';
import { resourceNames } from '../../src/catalog/generate.js';

describe('snakeCase', () => {
  it.each([
    ['ActiveSessionId', 'active_session_id'],
    ['Arn', 'arn'],
    ['AutoParticipantRecordingConfiguration', 'auto_participant_recording_configuration'],
    ['VPCEndpoint', 'vpc_endpoint'],
    ['DBInstanceARN', 'db_instance_arn'],
    ['Ipv6CidrBlock', 'ipv6_cidr_block'],
    ['S3Bucket', 's3_bucket'],
    ['StreamKey', 'stream_key'],
  ])('%s → %s', (input, expected) => {
    expect(snakeCase(input)).toBe(expected);
  });
});

describe('pluralize', () => {
  it.each([
    ['stage', 'stages'],
    ['stream_key', 'stream_keys'],
    ['policy', 'policies'],
    ['address', 'addresses'],
    ['alias', 'aliases'],
    ['index', 'indexes'],
    ['network_insights_analysis', 'network_insights_analyses'],
    ['settings', 'settings'],
    ['schema_version_metadata', 'schema_version_metadata'],
    ['gateway', 'gateways'],
  ])('%s → %s', (input, expected) => {
    expect(pluralize(input)).toBe(expected);
  });
});

describe('type names', () => {
  it('splits provider, service and resource', () => {
    expect(splitTypeName('AWS::IVSChat::Room')).toEqual({ provider: 'aws', serviceTitle: 'IVSChat', service: 'ivschat', last: 'Room' });
  });
  it('rejects malformed type names', () => {
    expect(() => splitTypeName('AWS::IVS')).toThrow(/Provider::Service::Resource/);
  });
  it('keeps resource names unique within a service when plurals clash', () => {
    const names = resourceNames(['AWS::X::Setting', 'AWS::X::Settings', 'AWS::X::Stage']);
    expect(new Set(names.values()).size).toBe(3);
    expect(names.get('AWS::X::Stage')).toBe('stages');
    expect(names.get('AWS::X::Setting')).toBe('settings');
  });
});

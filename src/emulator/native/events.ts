/**
 * Amazon EventBridge connections, awsJson1.1 (`X-Amz-Target: AWSEvents.<Op>`). A connection is an
 * AWS::Events::Connection in the store under its name, credentials included (they are
 * CloudFormation write-only properties, which Cloud Control never returns); its state and times
 * are kept beside it.
 *
 * As in EventBridge, the credentials (a password, an API key's value, an OAuth client secret, and
 * the value of every HTTP parameter marked IsValueSecret) are kept and never returned: responses
 * carry the user name, the key's name, the client ID and the non-secret parameters only.
 *
 * States: a BASIC or API_KEY connection is AUTHORIZED as soon as it is created or updated; an
 * OAUTH_CLIENT_CREDENTIALS one is AUTHORIZING for the transition delay, then AUTHORIZED;
 * DeauthorizeConnection makes it DEAUTHORIZING, then DEAUTHORIZED. Changing a connection while
 * it is between states is a ConcurrentModificationException.
 */
import type { Json, JsonObject } from '../../schema/pointer.js';
import { NativeError } from './errors.js';
import { model } from './models/events.js';
import type { NativeService } from './services.js';
import { currentState, NATIVE, randomLower, randomText, uuid, type NativeContext, type Transition } from './state.js';

const CONNECTION = 'AWS::Events::Connection';

type AuthType = 'BASIC' | 'OAUTH_CLIENT_CREDENTIALS' | 'API_KEY';

const PARAMS_FOR: Record<AuthType, string> = {
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
  API_KEY: 'ApiKeyAuthParameters',
};

interface Status extends Transition {
  /** The ARN the status belongs to (a connection deleted and made again by Cloud Control is new). */
  arn: string;
  created: number;
  modified: number;
  authorized?: number;
  reason?: string;
}

function notFound(name: string): NativeError {
  return new NativeError('ResourceNotFoundException', `Connection '${name}' does not exist.`);
}

function connection(ctx: NativeContext, name: string): JsonObject {
  const m = ctx.get(CONNECTION, name);
  if (!m) throw notFound(name);
  return m;
}

/**
 * The connection's state and times. One Cloud Control created has none yet: it is AUTHORIZED
 * from the moment the native API first sees it, and that moment is kept as its creation time.
 */
function status(ctx: NativeContext, cfn: JsonObject): Status {
  const name = String(cfn.Name);
  const kept = ctx.get(NATIVE.eventsConnection, name) as unknown as Status | undefined;
  if (kept && kept.arn === cfn.Arn) return kept;
  const fresh: Status = { arn: String(cfn.Arn), state: 'AUTHORIZED', created: ctx.now, modified: ctx.now, authorized: ctx.now };
  ctx.put(NATIVE.eventsConnection, name, fresh as unknown as JsonObject);
  return fresh;
}

/** The status once any transition due by now has happened (the time of an authorization included). */
function settled(ctx: NativeContext, s: Status): Status {
  const state = currentState(s, ctx.now);
  if (state === s.state) return s;
  const out: Status = { arn: s.arn, state, created: s.created, modified: s.modified };
  if (state === 'AUTHORIZED') out.authorized = s.at;
  else if (s.authorized !== undefined) out.authorized = s.authorized;
  return out;
}

/** The times a change keeps: created and last authorized as they were, modified now. */
function afterChange(ctx: NativeContext, before: Status): Omit<Status, 'state' | 'next' | 'at'> {
  return { arn: before.arn, created: before.created, modified: ctx.now, ...(before.authorized !== undefined ? { authorized: before.authorized } : {}) };
}

function authorizing(ctx: NativeContext, type: string, base: Omit<Status, 'state' | 'next' | 'at'>): Status {
  if (type === 'OAUTH_CLIENT_CREDENTIALS') return { ...base, state: 'AUTHORIZING', next: 'AUTHORIZED', at: ctx.now + ctx.transitionMs };
  return { ...base, state: 'AUTHORIZED', authorized: ctx.now };
}

const TRANSITIONAL = new Set(['CREATING', 'UPDATING', 'DELETING', 'AUTHORIZING', 'DEAUTHORIZING']);

/** A connection between two states cannot change until it is in the second. */
function checkSettled(name: string, s: Status, what: string): void {
  if (TRANSITIONAL.has(s.state)) throw new NativeError('ConcurrentModificationException', `Connection '${name}' is ${s.state} and cannot be ${what} until that completes.`);
}

/** What CreateConnection, UpdateConnection and the like answer: the ARN, the state, the times. */
function stateReply(cfn: JsonObject, s: Status, state = s.state): Record<string, unknown> {
  return {
    ConnectionArn: cfn.Arn,
    ConnectionState: state,
    CreationTime: s.created,
    LastModifiedTime: s.modified,
    ...(s.authorized !== undefined ? { LastAuthorizedTime: s.authorized } : {}),
  };
}

/** A connection as ListConnections shows it (its status settled). */
function summary(cfn: JsonObject, s: Status): Record<string, unknown> {
  return { ...stateReply(cfn, s), Name: cfn.Name, ...(s.reason ? { StateReason: s.reason } : {}), AuthorizationType: cfn.AuthorizationType };
}

/** HTTP parameters without the values marked secret (CloudFormation's default is secret). */
function publicParams(p: Json | undefined): Json | undefined {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return undefined;
  const out: JsonObject = {};
  for (const list of ['HeaderParameters', 'QueryStringParameters', 'BodyParameters']) {
    const items = p[list];
    if (!Array.isArray(items)) continue;
    out[list] = items.map((item) => {
      const it = (item ?? {}) as JsonObject;
      const secret = it.IsValueSecret !== false;
      return { Key: it.Key ?? '', ...(secret ? {} : { Value: it.Value ?? '' }), IsValueSecret: secret };
    });
  }
  return out;
}

/** AuthParameters as DescribeConnection shows them: every credential left out. */
function publicAuth(auth: Json | undefined): JsonObject {
  const a = (auth && typeof auth === 'object' && !Array.isArray(auth) ? auth : {}) as JsonObject;
  const out: JsonObject = {};
  const basic = a.BasicAuthParameters as JsonObject | undefined;
  if (basic) out.BasicAuthParameters = { Username: basic.Username ?? '' };
  const key = a.ApiKeyAuthParameters as JsonObject | undefined;
  if (key) out.ApiKeyAuthParameters = { ApiKeyName: key.ApiKeyName ?? '' };
  const oauth = a.OAuthParameters as JsonObject | undefined;
  if (oauth) {
    const o: JsonObject = {};
    const client = oauth.ClientParameters as JsonObject | undefined;
    if (client) o.ClientParameters = { ClientID: client.ClientID ?? '' };
    if (oauth.AuthorizationEndpoint !== undefined) o.AuthorizationEndpoint = oauth.AuthorizationEndpoint;
    if (oauth.HttpMethod !== undefined) o.HttpMethod = oauth.HttpMethod;
    const http = publicParams(oauth.OAuthHttpParameters);
    if (http) o.OAuthHttpParameters = http;
    out.OAuthParameters = o;
  }
  const invocation = publicParams(a.InvocationHttpParameters);
  if (invocation) out.InvocationHttpParameters = invocation;
  if (a.ConnectivityParameters) out.ConnectivityParameters = connectivityView(a.ConnectivityParameters);
  return out;
}

function connectivityView(c: Json): Json {
  const rp = ((c as JsonObject).ResourceParameters ?? {}) as JsonObject;
  return { ResourceParameters: { ResourceConfigurationArn: rp.ResourceConfigurationArn ?? '', ResourceAssociationArn: rp.ResourceAssociationArn ?? '' } };
}

/**
 * Private connectivity as the service keeps it: EventBridge associates the resource
 * configuration with its service network, and the association's ARN is read-only.
 */
function withAssociation(ctx: NativeContext, c: Json | undefined): JsonObject | undefined {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return undefined;
  const out = structuredClone(c);
  const rp = (out.ResourceParameters ?? {}) as JsonObject;
  rp.ResourceAssociationArn ??= ctx.arn('vpc-lattice', `servicenetworkresourceassociation/snra-${randomLower(17)}`);
  out.ResourceParameters = rp;
  return out;
}

/** The API's HTTP parameters in CloudFormation's form: IsValueSecret explicit (the API's default is false, CloudFormation's true). */
function paramsToCfn(p: Json | undefined): Json | undefined {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return p;
  const out: JsonObject = {};
  for (const [list, items] of Object.entries(p)) {
    out[list] = Array.isArray(items) ? items.map((i) => ({ ...(i as JsonObject), IsValueSecret: (i as JsonObject).IsValueSecret === true })) : items;
  }
  return out;
}

function authToCfn(ctx: NativeContext, auth: JsonObject): JsonObject {
  const out = structuredClone(auth);
  const connectivity = withAssociation(ctx, out.ConnectivityParameters);
  if (connectivity) out.ConnectivityParameters = connectivity;
  if (out.InvocationHttpParameters) out.InvocationHttpParameters = paramsToCfn(out.InvocationHttpParameters) ?? {};
  const oauth = out.OAuthParameters as JsonObject | undefined;
  if (oauth?.OAuthHttpParameters) oauth.OAuthHttpParameters = paramsToCfn(oauth.OAuthHttpParameters) ?? {};
  return out;
}

/** The authorization parameters fit the type: exactly that type's own, no other type's. */
function checkAuth(type: string, auth: JsonObject): void {
  const own = PARAMS_FOR[type as AuthType];
  const given = Object.values(PARAMS_FOR).filter((k) => auth[k] !== undefined);
  if (own && (given.length !== 1 || given[0] !== own)) {
    throw new NativeError('ValidationException', `An ${type} connection takes ${own} in AuthParameters${given.length > 0 ? `, not ${given.join(' and ')}` : ''}.`);
  }
}

/** A shallow merge one level down: what UpdateConnection's AuthParameters replace of the kept ones. */
function mergeAuth(kept: JsonObject, change: JsonObject): JsonObject {
  const out = structuredClone(kept);
  for (const [k, v] of Object.entries(change)) {
    const before = out[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && before && typeof before === 'object' && !Array.isArray(before)) {
      const merged: JsonObject = { ...before, ...v };
      // OAuth's client parameters are one level deeper still.
      if ((v as JsonObject).ClientParameters && (before as JsonObject).ClientParameters) {
        merged.ClientParameters = { ...((before as JsonObject).ClientParameters as JsonObject), ...((v as JsonObject).ClientParameters as JsonObject) };
      }
      out[k] = merged;
    } else {
      out[k] = v;
    }
  }
  return out;
}

export const events: NativeService = {
  model,
  handlers: {
    CreateConnection(ctx, input) {
      const name = input.Name as string;
      const type = input.AuthorizationType as string;
      const auth = input.AuthParameters as JsonObject;
      checkAuth(type, auth);
      if (ctx.get(CONNECTION, name)) throw new NativeError('ResourceAlreadyExistsException', `Connection ${name} already exists.`);
      const id = uuid();
      const cfn: JsonObject = {
        Name: name,
        Arn: ctx.arn('events', `connection/${name}/${id}`),
        ArnForPolicy: ctx.arn('events', `connection/${name}`),
        SecretArn: ctx.arn('secretsmanager', `secret:events!connection/${name}/${id}-${randomText(6)}`),
        AuthorizationType: type,
        AuthParameters: authToCfn(ctx, auth),
      };
      if (input.Description !== undefined) cfn.Description = input.Description as string;
      if (input.InvocationConnectivityParameters !== undefined) cfn.InvocationConnectivityParameters = withAssociation(ctx, input.InvocationConnectivityParameters as JsonObject) ?? {};
      if (input.KmsKeyIdentifier !== undefined) cfn.KmsKeyIdentifier = input.KmsKeyIdentifier as string;
      const s = authorizing(ctx, type, { arn: String(cfn.Arn), created: ctx.now, modified: ctx.now });
      ctx.put(CONNECTION, name, cfn);
      ctx.put(NATIVE.eventsConnection, name, s as unknown as JsonObject);
      const { LastAuthorizedTime: _, ...reply } = stateReply(cfn, s);
      return reply;
    },

    DescribeConnection(ctx, input) {
      const cfn = connection(ctx, input.Name as string);
      const out: Record<string, unknown> = {
        ...summary(cfn, settled(ctx, status(ctx, cfn))),
        SecretArn: cfn.SecretArn,
        AuthParameters: publicAuth(cfn.AuthParameters),
      };
      if (cfn.Description !== undefined) out.Description = cfn.Description;
      if (cfn.KmsKeyIdentifier !== undefined) out.KmsKeyIdentifier = cfn.KmsKeyIdentifier;
      if (cfn.InvocationConnectivityParameters) out.InvocationConnectivityParameters = connectivityView(cfn.InvocationConnectivityParameters);
      return out;
    },

    ListConnections(ctx, input) {
      const prefix = input.NamePrefix as string | undefined;
      const wanted = input.ConnectionState as string | undefined;
      const rows = ctx
        .list(CONNECTION)
        .filter((c) => prefix === undefined || String(c.model.Name).startsWith(prefix))
        .map((c) => ({ seq: c.seq, row: summary(c.model, settled(ctx, status(ctx, c.model))) }))
        .filter((r) => wanted === undefined || r.row.ConnectionState === wanted);
      const { page, nextToken } = ctx.page(rows, input.NextToken as string | undefined, input.Limit as number | undefined, 'events:connections', () =>
        new NativeError('ValidationException', 'The NextToken is invalid.'),
      );
      return { Connections: page.map((p) => p.row), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    UpdateConnection(ctx, input) {
      const name = input.Name as string;
      const cfn = connection(ctx, name);
      const before = settled(ctx, status(ctx, cfn));
      checkSettled(name, before, 'updated');
      const type = (input.AuthorizationType as string | undefined) ?? String(cfn.AuthorizationType);
      let auth = (cfn.AuthParameters ?? {}) as JsonObject;
      if (input.AuthorizationType !== undefined && input.AuthorizationType !== cfn.AuthorizationType) {
        // A new type needs its own parameters in full; the old type's go.
        const change = (input.AuthParameters ?? {}) as JsonObject;
        auth = { ...structuredClone(auth), ...authToCfn(ctx, change) };
        for (const [t, k] of Object.entries(PARAMS_FOR)) if (t !== type) delete auth[k];
      } else if (input.AuthParameters !== undefined) {
        auth = mergeAuth(auth, authToCfn(ctx, input.AuthParameters as JsonObject));
      }
      checkAuth(type, auth);
      cfn.AuthorizationType = type;
      cfn.AuthParameters = auth;
      if (input.Description !== undefined) cfn.Description = input.Description as string;
      if (input.InvocationConnectivityParameters !== undefined) cfn.InvocationConnectivityParameters = withAssociation(ctx, input.InvocationConnectivityParameters as JsonObject) ?? {};
      if (input.KmsKeyIdentifier !== undefined) cfn.KmsKeyIdentifier = input.KmsKeyIdentifier as string;
      const s = authorizing(ctx, type, afterChange(ctx, before));
      ctx.put(CONNECTION, name, cfn);
      ctx.put(NATIVE.eventsConnection, name, s as unknown as JsonObject);
      return stateReply(cfn, s);
    },

    DeauthorizeConnection(ctx, input) {
      const name = input.Name as string;
      const cfn = connection(ctx, name);
      const before = settled(ctx, status(ctx, cfn));
      checkSettled(name, before, 'deauthorized');
      const s: Status = { ...afterChange(ctx, before), state: 'DEAUTHORIZING', next: 'DEAUTHORIZED', at: ctx.now + ctx.transitionMs };
      ctx.put(NATIVE.eventsConnection, name, s as unknown as JsonObject);
      return stateReply(cfn, s);
    },

    DeleteConnection(ctx, input) {
      const name = input.Name as string;
      const cfn = connection(ctx, name);
      const s = settled(ctx, status(ctx, cfn));
      ctx.delete(NATIVE.eventsConnection, name);
      ctx.delete(CONNECTION, name);
      return stateReply(cfn, s, 'DELETING');
    },
  },
};

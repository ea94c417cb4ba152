/**
 * The native AWS APIs on the emulator's one port, beside Cloud Control: restJson1 for IVS and
 * IVS real-time (`POST /CreateChannel`, `GET /tags/{resourceArn}`), awsJson1.1 for EventBridge
 * (`X-Amz-Target: AWSEvents.<Op>`) and AppStream (`PhotonAdminProxyService.<Op>`).
 *
 * Each call is counted in /_ccql/stats as `<service>:<Operation>` (`ivs:CreateChannel`), meets
 * the same latency, throttling (a bucket per service and region) and fault knobs as Cloud
 * Control, has its input checked against the service model as the service's front end does, and
 * runs inside the same state transaction, so what it changes is saved before it is answered.
 * Errors travel as each protocol carries them: the `x-amzn-ErrorType` header and a JSON body with
 * the message in the member the model names (restJson1), or `__type` in the body (awsJson1.1).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CcqlError } from '../../errors.js';
import { ApiError } from '../api-error.js';
import type { HttpOptions } from '../server.js';
import type { CloudControlService } from '../service.js';
import { TokenBuckets } from '../throttle.js';
import { NativeError, errorStatus, internalErrorCode, messageMember, validationError } from './errors.js';
import { constraintViolations, InputTypeError, shapeOf, shapeOutput, type OperationModel, type ServiceModel } from './model.js';
import { JSON_TARGETS, loadService, REST_SERVICES, REST_SIGNING_NAMES, type NativeService, type NativeServiceName } from './services.js';
import { NativeContext } from './state.js';
import { INVALID_SCOPE, headerValue, readBody, signedRegion } from '../http-request.js';

/** What the HTTP front end hands over: its knobs, its counters and the service whose store is the account. */
export interface NativeEnv {
  requestId: string;
  service: CloudControlService;
  http: Pick<HttpOptions, 'latencyMs' | 'throttleRps' | 'faultRate' | 'quiet' | 'run' | 'random'>;
  stats: { calls: Partial<Record<string, number>>; total: number };
}

export interface NativeOptions {
  /**
   * How long a state that changes by itself lasts (an AppStream fleet STARTING or STOPPING, an
   * OAuth connection AUTHORIZING), in milliseconds. Default: $CCQL_EMULATOR_TRANSITION_MS, else 2000.
   */
  transitionMs?: number;
  /** Clock in epoch milliseconds (tests of state changes may replace it). */
  now?: () => number;
}

const options = new WeakMap<CloudControlService, NativeOptions>();
const buckets = new WeakMap<CloudControlService, TokenBuckets>();

/** Sets the native APIs' options for the emulator whose service this is (`emu.service`). */
export function configureNative(service: CloudControlService, opts: NativeOptions): void {
  if (opts.transitionMs !== undefined && (!Number.isFinite(opts.transitionMs) || opts.transitionMs < 0)) {
    throw new CcqlError('usage', `invalid transition delay ${opts.transitionMs}`, { hint: 'give a number of milliseconds, 0 or more' });
  }
  options.set(service, { ...options.get(service), ...opts });
}

export const DEFAULT_TRANSITION_MS = 2000;

function transitionMs(service: CloudControlService): number {
  const set = options.get(service)?.transitionMs;
  if (set !== undefined) return set;
  const env = Number(process.env.CCQL_EMULATOR_TRANSITION_MS);
  return process.env.CCQL_EMULATOR_TRANSITION_MS !== undefined && Number.isFinite(env) && env >= 0 ? env : DEFAULT_TRANSITION_MS;
}

/** One call's view of the account of `service`'s emulator, in `region`, now. */
export function contextFor(service: CloudControlService, region: string): NativeContext {
  return new NativeContext({
    region,
    now: (options.get(service)?.now ?? Date.now)(),
    store: service.store,
    changed: () => service.noteChanged(),
    transitionMs: transitionMs(service),
    pageSize: service.pageSize,
  });
}

const MAX_BODY_BYTES = 1024 * 1024;
/** The signing name of a SigV4 credential scope (its second-last part). */
const SIGNING_NAME = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([a-z0-9-]+)\/aws4_request/;
const DEFAULT_REGION = 'us-east-1';

interface Route {
  name: NativeServiceName;
  svc: NativeService;
  /** Undefined: the service is known but the operation is not served. */
  operation?: string;
  op?: OperationModel;
  /** Members that travel in the path or the query string. */
  bound: Record<string, unknown>;
  /** What an unserved operation is called in the error. */
  asked: string;
}

/**
 * Serves the request if it is one of the native APIs' (and returns true); returns false without
 * reading anything for the requests Cloud Control serves, or that no service here knows.
 */
export async function serveNative(req: IncomingMessage, res: ServerResponse, env: NativeEnv): Promise<boolean> {
  const route = await routeOf(req);
  if (!route) return false;
  const { model } = route.svc;
  const reply = (e: NativeError): void => sendError(res, env.requestId, model, e);

  // Larger bodies are refused without being read (as Cloud Control's are).
  const declared = Number(req.headers['content-length']);
  const body = Number.isFinite(declared) && declared > MAX_BODY_BYTES ? undefined : await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) {
    tooLarge(req, res, () => reply(new NativeError('RequestEntityTooLargeException', `Request body is larger than ${MAX_BODY_BYTES} bytes`)));
    return true;
  }
  if (!route.operation || !route.op) {
    reply(new NativeError('UnknownOperationException', `${route.asked} is not an operation of ${model.service} this emulator serves`));
    return true;
  }
  const { operation, op } = route;

  const key = `${route.name}:${operation}`;
  env.stats.calls[key] = (env.stats.calls[key] ?? 0) + 1;
  env.stats.total++;

  const region = signedRegion(req, DEFAULT_REGION);
  if (region === undefined) {
    reply(new NativeError('InvalidSignatureException', INVALID_SCOPE));
    return true;
  }
  const input = (await knobs(env, route.name, model, region)) ?? decodeInput(model, op, body, route.bound);
  if (input instanceof NativeError) {
    reply(input);
    return true;
  }

  const handler = route.svc.handlers[operation];
  if (!handler) {
    reply(new NativeError('UnknownOperationException', `${operation} is not an operation of ${model.service} this emulator serves`));
    return true;
  }
  let output: unknown;
  try {
    output = await env.http.run(() => {
      env.service.settle();
      return handler(contextFor(env.service, region), input);
    });
  } catch (e) {
    if (e instanceof NativeError) {
      reply(e);
      return true;
    }
    // The state could not be read or written (the call's change was rolled back), or a failure
    // outside the request: the service's internal error, with the front end's status.
    if (e instanceof ApiError || e instanceof CcqlError) {
      const message = e instanceof CcqlError && e.hint ? `${e.message}; ${e.hint}` : e.message;
      if (!env.http.quiet) process.stderr.write(`ccql emulator: ${key}: ${message}\n`);
      reply(new NativeError(internalErrorCode(model), message, e instanceof ApiError ? e.status : 501));
      return true;
    }
    throw e;
  }
  const status = op.code ?? 200;
  if (!op.output || status === 204) {
    send(res, status, env.requestId, model, undefined);
    return true;
  }
  send(res, status, env.requestId, model, shapeOutput(model, op.output, output));
  return true;
}

/** The latency, throttling and fault knobs, as Cloud Control has them: the error to answer, if any. */
async function knobs(env: NativeEnv, name: NativeServiceName, model: ServiceModel, region: string): Promise<NativeError | undefined> {
  if (env.http.latencyMs > 0) await new Promise((r) => setTimeout(r, env.http.latencyMs));
  if (env.http.throttleRps > 0) {
    let b = buckets.get(env.service);
    if (!b) {
      b = new TokenBuckets(env.http.throttleRps);
      buckets.set(env.service, b);
    }
    if (!b.take(`${name}\n${region}`)) return new NativeError('ThrottlingException', 'Rate exceeded');
  }
  if (env.http.faultRate > 0 && (env.http.random ?? Math.random)() < env.http.faultRate) {
    return new NativeError(internalErrorCode(model), 'The service encountered an internal error (injected fault). Retry the request.');
  }
  return undefined;
}

/** The operation's input, read and checked against the model, or the error the front end answers. */
function decodeInput(model: ServiceModel, op: OperationModel, body: Buffer, bound: Record<string, unknown>): Record<string, unknown> | NativeError {
  try {
    const input = parseInput(model, body, bound);
    const problems = op.input ? constraintViolations(model, op.input, input) : [];
    return problems.length > 0 ? validationError(problems) : input;
  } catch (e) {
    if (e instanceof NativeError) return e;
    if (e instanceof InputTypeError) return new NativeError(model.protocol === 'json' ? 'SerializationException' : 'ValidationException', e.message);
    throw e;
  }
}

// ---- routing --------------------------------------------------------------------------------

async function routeOf(req: IncomingMessage): Promise<Route | undefined> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://emulator');
  } catch {
    return undefined;
  }
  const target = headerValue(req, 'x-amz-target');
  if (req.method === 'POST' && url.pathname === '/' && target !== undefined) {
    const dot = target.indexOf('.');
    const name = dot > 0 ? JSON_TARGETS[target.slice(0, dot)] : undefined;
    if (!name) return undefined;
    const svc = await loadService(name);
    const operation = target.slice(dot + 1);
    const op = svc.model.operations[operation];
    return op ? { name, svc, operation, op, bound: {}, asked: target } : { name, svc, bound: {}, asked: target };
  }
  if (url.pathname === '/' && req.method === 'POST') return undefined;

  const matches: Route[] = [];
  for (const name of REST_SERVICES) {
    const svc = await loadService(name);
    for (const [operation, op] of Object.entries(svc.model.operations)) {
      if (op.method !== req.method) continue;
      const labels = matchUri(op.uri, url.pathname);
      if (!labels) continue;
      matches.push({ name, svc, operation, op, bound: { ...labels, ...queryMembers(svc.model, op, url.searchParams) }, asked: operation });
    }
  }
  if (matches.length > 1) {
    // Tagging is the same path in IVS and IVS real-time: the resource's ARN tells whose it is.
    const arn = String(matches[0]!.bound.resourceArn ?? '');
    const preferred = /:stage\//.test(arn) ? 'ivs-realtime' : 'ivs';
    return matches.find((m) => m.name === preferred) ?? matches[0];
  }
  if (matches[0]) return matches[0];
  // Signed for a restJson1 service here but no operation at this path.
  const signing = SIGNING_NAME.exec(headerValue(req, 'authorization') ?? '')?.[1];
  if (signing && REST_SIGNING_NAMES.has(signing)) {
    const svc = await loadService('ivs');
    return { name: 'ivs', svc, bound: {}, asked: `${req.method} ${url.pathname}` };
  }
  return undefined;
}

/** The labels of a path that matches a URI template such as `/tags/{resourceArn}`. */
function matchUri(template: string, path: string): Record<string, string> | undefined {
  const [tpath] = template.split('?');
  const t = (tpath ?? '').split('/');
  const p = path.split('/');
  const out: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i]!;
    const label = /^\{(\w+)(\+?)\}$/.exec(seg);
    if (label) {
      const rest = label[2] === '+' ? p.slice(i).join('/') : p[i];
      if (rest === undefined || rest === '') return undefined;
      try {
        out[label[1]!] = decodeURIComponent(rest);
      } catch {
        return undefined;
      }
      if (label[2] === '+') return out;
    } else if (seg !== p[i]) {
      return undefined;
    }
  }
  return t.length === p.length ? out : undefined;
}

function queryMembers(model: ServiceModel, op: OperationModel, params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!op.input) return out;
  for (const [name, ref] of Object.entries(shapeOf(model, op.input).members ?? {})) {
    if (ref.location !== 'querystring') continue;
    const key = ref.locationName ?? name;
    const values = params.getAll(key);
    if (values.length === 0) continue;
    const shape = shapeOf(model, ref.shape);
    if (shape.type === 'list') out[name] = values;
    else if (shape.type === 'integer' || shape.type === 'long') out[name] = Number(values[0]);
    else if (shape.type === 'boolean') out[name] = values[0] === 'true';
    else out[name] = values[0];
  }
  return out;
}

function parseInput(model: ServiceModel, body: Buffer, bound: Record<string, unknown>): Record<string, unknown> {
  let parsed: unknown = {};
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new NativeError(model.protocol === 'json' ? 'SerializationException' : 'ValidationException', 'The request body is not valid JSON');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new NativeError(model.protocol === 'json' ? 'SerializationException' : 'ValidationException', 'The request body must be a JSON object');
  }
  return { ...(parsed as Record<string, unknown>), ...bound };
}

// ---- the wire -------------------------------------------------------------------------------

function contentType(model: ServiceModel): string {
  return model.protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json';
}

function send(res: ServerResponse, status: number, requestId: string, model: ServiceModel, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': contentType(model) } : {}),
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, requestId: string, model: ServiceModel, e: NativeError): void {
  const body: Record<string, string> = {};
  if (model.protocol === 'json') body.__type = e.code;
  body[messageMember(model, e.code)] = e.message;
  send(res, errorStatus(model, e), requestId, model, body, { 'x-amzn-ErrorType': e.code });
}

function tooLarge(req: IncomingMessage, res: ServerResponse, reply: () => void): void {
  res.setHeader('Connection', 'close');
  reply();
  res.on('finish', () => req.socket.destroy());
}



/**
 * Helpers for the native-API tests: an emulator with short state transitions, the real SDK
 * clients pointed at it, raw HTTP calls in each protocol (to see bodies and headers as sent), a
 * check of a raw body against the service model, and a bounded poll.
 */
import { AppStreamClient } from '@aws-sdk/client-appstream';
import { CloudControlClient, GetResourceRequestStatusCommand, type ProgressEvent } from '@aws-sdk/client-cloudcontrol';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IvsClient } from '@aws-sdk/client-ivs';
import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';
import { constraintViolations, type ServiceModel } from '../../src/emulator/native/model.js';
import { configureNative, type NativeOptions } from '../../src/emulator/native/router.js';
import { start } from './emulator-helpers.js';

export async function startNative(opts: EmulatorOptions = {}, native: NativeOptions = { transitionMs: 50 }): Promise<RunningEmulator> {
  const emu = await start(opts);
  configureNative(emu.service, native);
  return emu;
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test' };

export function clients(emu: RunningEmulator, region = 'us-east-1') {
  const cfg = { endpoint: emu.url, region, credentials, maxAttempts: 1 };
  return {
    ivs: new IvsClient(cfg),
    realtime: new IVSRealTimeClient(cfg),
    events: new EventBridgeClient(cfg),
    appstream: new AppStreamClient(cfg),
    cc: new CloudControlClient(cfg),
  };
}

export interface Failure {
  name: string;
  /** What the SDK makes the message: IVS carries its text in `exceptionMessage` instead. */
  message: string;
  exceptionMessage?: string;
  status: number | undefined;
}

export async function failure(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; exceptionMessage?: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, exceptionMessage: err.exceptionMessage, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** The Authorization header a SigV4 client sends, enough for the emulator to read the region. */
function auth(region: string, service: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

async function reply(res: Response): Promise<RawReply> {
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON: the test looks at `text`
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A restJson1 call (IVS, IVS real-time). */
export async function rest(emu: RunningEmulator, method: string, path: string, body?: unknown, region = 'us-east-1'): Promise<RawReply> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: auth(region, 'ivs') },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return reply(res);
}

/** An awsJson1.1 call (`AWSEvents.CreateConnection`, `PhotonAdminProxyService.DescribeFleets`). */
export async function json11(emu: RunningEmulator, target: string, body: unknown = {}, region = 'us-east-1'): Promise<RawReply> {
  const service = target.startsWith('AWSEvents.') ? 'events' : 'appstream';
  const res = await fetch(`${emu.url}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target, Authorization: auth(region, service) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return reply(res);
}

/**
 * The constraint violations of a raw response body against the operation's output shape (none:
 * it has the API's shape). An empty string outside an enum is what IVS answers for a setting
 * left unset (a channel's `preset` is ""), so it is not counted.
 */
export function outputProblems(model: ServiceModel, operation: string, body: unknown): string[] {
  const output = model.operations[operation]?.output;
  if (!output) throw new Error(`${operation} has no output in the model`);
  return constraintViolations(model, output, body).filter((p) => !/^Value '' at .* enum value set/.test(p));
}

/** Polls `fn` until `done` holds (at most `tries` times, `everyMs` apart); returns the last value. */
export async function pollUntil<T>(fn: () => Promise<T>, done: (v: T) => boolean, tries = 200, everyMs = 10): Promise<T> {
  let v = await fn();
  for (let i = 0; i < tries && !done(v); i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    v = await fn();
  }
  return v;
}

/** Waits for a Cloud Control request to finish; returns its last progress event. */
export async function ccDone(cc: CloudControlClient, event: ProgressEvent | undefined): Promise<ProgressEvent> {
  const token = event?.RequestToken;
  if (!token) throw new Error('no request token');
  const last = await pollUntil(
    async () => (await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }))).ProgressEvent,
    (e) => e?.OperationStatus !== 'IN_PROGRESS' && e?.OperationStatus !== 'PENDING',
  );
  if (!last) throw new Error('no progress event');
  return last;
}

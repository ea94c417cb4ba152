import { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { Catalog } from '../../src/catalog/loader.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

/** One catalog for every emulator of a test file (loading is the slow part). */
export const catalog = new Catalog();

export async function start(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, seed: 'none', quiet: true, catalog, ...opts });
}

export function client(emu: RunningEmulator, region = 'us-east-1', maxAttempts = 1): CloudControlClient {
  return new CloudControlClient({
    endpoint: emu.url,
    region,
    maxAttempts,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test' },
  });
}

/** The error an SDK call rejects with (its name, message and HTTP status). */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

/** A raw awsJson1.0 call, for inputs the SDK would refuse to send. */
export async function raw(
  emu: RunningEmulator,
  target: string | undefined,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${emu.url}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      ...(target ? { 'X-Amz-Target': target } : {}),
      ...headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

/**
 * A call waiting for its turn under the rate limit gives it up when its statement is
 * cancelled: through the real SDK client over HTTP to the emulator, the limiter on a fake
 * clock that never moves, so a call that waited for its turn would never end.
 */
import { CloudControlClient, GetResourceCommand } from '@aws-sdk/client-cloudcontrol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, rateLimited } from '../../src/aws/client-config.js';
import { RegionRate } from '../../src/aws/rate.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { FakeClock } from '../unit/aws/sim.js';
import { CREDENTIALS } from './query-harness.js';

let emu: RunningEmulator;
let arn: string;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'none', quiet: true });
  arn = emu.seedResources('AWS::IVS::Stage', 'us-east-1', [{ Name: 'waiting' }])[0]!.identifier;
});
afterAll(async () => emu?.stop());

const calls = (): number => emu.stats().calls.GetResource ?? 0;

describe('the rate limit and cancel', () => {
  it('ends a call that waits for its turn as soon as it is cancelled, sending nothing', async () => {
    const client = new CloudControlClient(clientConfig({ endpointUrl: emu.url }, 'us-east-1', async () => CREDENTIALS));
    // 1 call a second and a burst of 1: the first call takes the only token, the second waits.
    rateLimited(client.middlewareStack, new RegionRate(1, new FakeClock()));
    const get = (signal?: AbortSignal) => client.send(new GetResourceCommand({ TypeName: 'AWS::IVS::Stage', Identifier: arn }), { abortSignal: signal });
    const before = calls();
    await get();
    const controller = new AbortController();
    const waiting = get(controller.signal).then(
      () => 'answered',
      (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
    );
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await waiting).toBe('cancelled: statement cancelled');
    expect(calls()).toBe(before + 1);
    client.destroy();
  });
});

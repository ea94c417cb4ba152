/**
 * State: persisted to a data file written atomically, served again after a restart (also after
 * a kill at a random moment), the demo seed created on first use only, bad files refused, and a
 * change that cannot be written (full disk, read-only directory) an error, never a success.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudControlClient,
  CreateResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourcesCommand,
  DeleteResourceCommand,
} from '@aws-sdk/client-cloudcontrol';
import { failStateWritesForTests } from '../../src/emulator/persistence.js';
import { client, failure, start } from './emulator-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ccql-emulator-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('emulator state', () => {
  it('serves the same resources and requests after a restart', async () => {
    const dataFile = join(dir, 'restart', 'state.json');
    const first = await start({ dataFile });
    const c1 = client(first);
    const out = await c1.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"kept","RetentionInDays":7}' }));
    const token = out.ProgressEvent!.RequestToken!;
    c1.destroy();
    await first.stop();
    expect(JSON.parse(readFileSync(dataFile, 'utf8'))).toMatchObject({ format: 'ccql-emulator', version: 1 });

    const second = await start({ dataFile });
    const c2 = client(second);
    const got = await c2.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: 'kept' }));
    expect(JSON.parse(got.ResourceDescription!.Properties!)).toMatchObject({ LogGroupName: 'kept', RetentionInDays: 7 });
    const status = await c2.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
    expect(status.ProgressEvent?.OperationStatus).toBe('SUCCESS');
    c2.destroy();
    await second.stop();
  });

  it('seeds the demo account on first use only, with secrets stored but never shown', async () => {
    const dataFile = join(dir, 'demo', 'state.json');
    const first = await start({ dataFile, seed: 'demo' });
    for (const region of ['us-east-1', 'us-west-2']) {
      const c = client(first, region);
      const stages = await c.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' }));
      expect(stages.ResourceDescriptions!.length).toBeGreaterThanOrEqual(2);
      const channels = await c.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Channel' }));
      const channelArn = channels.ResourceDescriptions![0]!.Identifier!;
      const keys = await c.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::StreamKey', ResourceModel: JSON.stringify({ ChannelArn: channelArn }) }));
      expect(keys.ResourceDescriptions!.length).toBe(1);
      const conns = await c.send(new ListResourcesCommand({ TypeName: 'AWS::Events::Connection' }));
      expect(conns.ResourceDescriptions!.length).toBe(2);
      for (const d of conns.ResourceDescriptions!) {
        const props = (await c.send(new GetResourceCommand({ TypeName: 'AWS::Events::Connection', Identifier: d.Identifier! }))).ResourceDescription!.Properties!;
        expect(props).not.toMatch(/not-a-real-secret/);
        expect(props).toMatch(/"AuthParameters"/);
      }
      c.destroy();
    }
    const c = client(first);
    const one = (await c.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' }))).ResourceDescriptions![0]!.Identifier!;
    await c.send(new DeleteResourceCommand({ TypeName: 'AWS::IVS::Stage', Identifier: one }));
    const before = (await c.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' }))).ResourceDescriptions!.length;
    c.destroy();
    await first.stop();

    const second = await start({ dataFile, seed: 'demo' });
    const c2 = client(second);
    const afterRestart = (await c2.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' }))).ResourceDescriptions!;
    expect(afterRestart.length).toBe(before);
    expect(afterRestart.map((d) => d.Identifier)).not.toContain(one);
    c2.destroy();
    await second.stop();
  });

  it('refuses a data file it did not write, leaving it untouched', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"half": ');
    await expect(start({ dataFile: bad })).rejects.toMatchObject({ code: 'invalid_input', message: `emulator data file ${bad} is not valid JSON` });
    writeFileSync(bad, '{"resources": []}');
    await expect(start({ dataFile: bad })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(readFileSync(bad, 'utf8')).toBe('{"resources": []}');
  });

  it('never leaves a corrupt file when killed mid-write', async () => {
    const dataFile = join(dir, 'killed', 'state.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--port', '0', '--data', dataFile], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`emulator exited: ${err}`)));
    });
    const fake = { url, port: 0 } as Parameters<typeof client>[0];
    const c = client(fake);
    // Keep writing until the kill; some calls fail once the process is gone.
    let created = 0;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; ; i++) {
        try {
          await c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: `g-${w}-${i}` }) }));
          created++;
        } catch {
          return;
        }
      }
    });
    while (created < 40) await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await Promise.all(writers);
    c.destroy();

    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as { resources: unknown[] };
    expect(saved.resources.length).toBeGreaterThanOrEqual(40);
    const restarted = await start({ dataFile });
    const rc = client(restarted);
    const listed = await rc.send(new ListResourcesCommand({ TypeName: 'AWS::Logs::LogGroup', MaxResults: 100 }));
    expect(listed.ResourceDescriptions!.length).toBeGreaterThanOrEqual(Math.min(25, saved.resources.length));
    rc.destroy();
    await restarted.stop();
    // A temporary file the killed writer left behind is cleaned up at the next start.
    expect(readdirSync(join(dir, 'killed')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(dataFile)).toBe(true);
  });
});

const names = async (c: CloudControlClient): Promise<string[]> =>
  ((await c.send(new ListResourcesCommand({ TypeName: 'AWS::Logs::LogGroup', MaxResults: 100 }))).ResourceDescriptions ?? []).map((d) => d.Identifier!).sort();

describe('a change that cannot be written', () => {
  afterEach(() => failStateWritesForTests(undefined));

  it('is refused with a 5xx the SDK does not retry, rolled back, and not there after a restart', async () => {
    const dataFile = join(dir, 'enospc', 'state.json');
    const emu = await start({ dataFile });
    // The SDK's default retries: a persistence failure must not be retried into a slow hang.
    const c = client(emu, 'us-east-1', 3);
    await c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"kept"}' }));
    const before = readFileSync(dataFile, 'utf8');

    failStateWritesForTests('ENOSPC');
    emu.resetStats();
    const created = await failure(c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"lost"}' })));
    expect(created.name).toBe('ServiceInternalErrorException');
    expect(created.status).toBe(507);
    expect(created.message).toBe(
      `the change was not saved, so it was not made: cannot write emulator data file ${dataFile}: ENOSPC (no space left on device); free some space on the disk holding ${join(dir, 'enospc')}, then retry`,
    );
    expect(emu.stats().calls.CreateResource).toBe(1);
    const deleted = await failure(c.send(new DeleteResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: 'kept' })));
    expect(deleted).toMatchObject({ name: 'ServiceInternalErrorException', status: 507 });
    // Reads still work, and show the state as it is on disk.
    expect(await names(c)).toEqual(['kept']);
    expect(readFileSync(dataFile, 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'enospc')).sort()).toEqual(['state.json']);

    // Once the disk has room again, the same request succeeds.
    failStateWritesForTests(undefined);
    await c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"later"}' }));
    c.destroy();
    await emu.stop();
    const again = await start({ dataFile });
    const c2 = client(again);
    expect(await names(c2)).toEqual(['kept', 'later']);
    c2.destroy();
    await again.stop();
  });

  it('keeps a request completing on its timer in progress until its completion is written', async () => {
    const dataFile = join(dir, 'timer', 'state.json');
    const emu = await start({ dataFile, requestDelayMs: 30 });
    const c = client(emu);
    const token = (await c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"slow"}' }))).ProgressEvent!.RequestToken!;
    failStateWritesForTests('EROFS');
    // Until the completion can be written, no call answers with it.
    let refused: { name: string; status: number | undefined; message: string } | undefined;
    for (let i = 0; i < 500 && !refused; i++) {
      try {
        const status = await c.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
        expect(status.ProgressEvent?.OperationStatus).toBe('IN_PROGRESS');
        await new Promise((r) => setTimeout(r, 10));
      } catch (e) {
        const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
        refused = { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
      }
    }
    expect(refused).toMatchObject({ name: 'ServiceInternalErrorException', status: 507 });
    expect(refused!.message).toContain('EROFS (read-only file system)');
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).requests[0].status).toBe('IN_PROGRESS');

    failStateWritesForTests(undefined);
    const done = await c.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
    expect(done.ProgressEvent?.OperationStatus).toBe('SUCCESS');
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).requests[0].status).toBe('SUCCESS');
    c.destroy();
    await emu.stop();
  });

  it('fails the start, rather than serving a state it cannot keep', async () => {
    const dataFile = join(dir, 'nostart', 'state.json');
    failStateWritesForTests('ENOSPC');
    await expect(start({ dataFile, seed: 'demo' })).rejects.toMatchObject({
      code: 'internal',
      message: `cannot write emulator data file ${dataFile}: ENOSPC (no space left on device)`,
    });
    expect(existsSync(dataFile)).toBe(false);
  });

  it('in a read-only directory: reads are served, changes refused', async (ctx) => {
    if (process.getuid?.() === 0) {
      console.warn('skipping the read-only directory variant: running as root, where chmod does not stop writes (the injected failures above cover it)');
      ctx.skip();
    }
    const sub = join(dir, 'readonly');
    mkdirSync(sub);
    const dataFile = join(sub, 'state.json');
    const first = await start({ dataFile });
    const c1 = client(first);
    await c1.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"kept"}' }));
    c1.destroy();
    await first.stop();
    chmodSync(sub, 0o500);
    try {
      const emu = await start({ dataFile });
      const c = client(emu);
      expect(await names(c)).toEqual(['kept']);
      const refused = await failure(c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"lost"}' })));
      expect(refused).toMatchObject({ name: 'ServiceInternalErrorException', status: 507 });
      expect(refused.message).toContain('EACCES (permission denied)');
      expect(await names(c)).toEqual(['kept']);
      c.destroy();
      await emu.stop();
    } finally {
      chmodSync(sub, 0o700);
    }
    expect(statSync(dataFile).mode & 0o777).toBe(0o600);
  });
});

/**
 * Several emulators on one data file (what several `ccql … --local` runs, or several
 * `ccql emulator --data FILE`, are): every change is made under the file's lock against what the
 * file holds, so none is lost and none undoes another's. A lock left by a dead process is broken;
 * one held by a live process is waited for, then reported with its pid and file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudControlClient, CreateResourceCommand, DeleteResourceCommand, ListResourcesCommand } from '@aws-sdk/client-cloudcontrol';
import { client, failure, start } from './emulator-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ccql-emulator-concurrency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const root = join(import.meta.dirname, '..', '..');

async function listAll(c: CloudControlClient): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await c.send(new ListResourcesCommand({ TypeName: 'AWS::Logs::LogGroup', MaxResults: 100, NextToken: token }));
    out.push(...(page.ResourceDescriptions ?? []).map((d) => d.Identifier!));
    token = page.NextToken;
  } while (token);
  return out.sort();
}

const create = (c: CloudControlClient, name: string): Promise<unknown> =>
  c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }) }));

/** `ccql emulator --data FILE` in a child process; resolves with its URL once it listens. */
function spawnEmulator(dataFile: string): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--port', '0', '--data', dataFile], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve({ url: m[1]!, child, stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited (${code}): ${err}`)));
  });
}

function stopChild(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  child.kill('SIGTERM');
  return exited;
}

describe('several emulators on one data file', () => {
  it('two `ccql emulator --data FILE` processes lose nothing of each other', async () => {
    const dataFile = join(dir, 'two-processes.json');
    const a = await spawnEmulator(dataFile);
    const b = await spawnEmulator(dataFile);
    const ca = client({ url: a.url, port: 0 } as Parameters<typeof client>[0]);
    const cb = client({ url: b.url, port: 0 } as Parameters<typeof client>[0]);
    const expected: string[] = [];
    const writers = [ca, cb].flatMap((c, w) =>
      Array.from({ length: 3 }, async (_, lane) => {
        for (let i = 0; i < 7; i++) {
          const name = `p${w}-l${lane}-${i}`;
          expected.push(name);
          await create(c, name);
        }
      }),
    );
    await Promise.all(writers);
    // Each process serves what the other created, and the file holds all of it.
    expect(await listAll(ca)).toEqual(expected.sort());
    expect(await listAll(cb)).toEqual(expected.sort());
    // A delete through one is not undone by a create through the other.
    await cb.send(new DeleteResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: 'p0-l0-0' }));
    await create(ca, 'after-delete');
    const after = await listAll(ca);
    expect(after).not.toContain('p0-l0-0');
    expect(after).toContain('after-delete');
    ca.destroy();
    cb.destroy();
    expect(await stopChild(a.child)).toBe(0);
    expect(await stopChild(b.child)).toBe(0);
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as { resources: Array<{ identifier: string }> };
    expect(saved.resources.map((r) => r.identifier).sort()).toEqual(after);
    expect(a.stderr()).not.toMatch(/\n\s+at /);
    expect(b.stderr()).not.toMatch(/\n\s+at /);
    expect(existsSync(`${dataFile}.lock`)).toBe(false);
  });

  it('in one process too: each emulator sees and keeps the other’s changes', async () => {
    const dataFile = join(dir, 'in-process.json');
    const a = await start({ dataFile });
    const b = await start({ dataFile });
    const ca = client(a);
    const cb = client(b);
    await Promise.all(Array.from({ length: 10 }, (_, i) => create(i % 2 ? ca : cb, `g-${i}`)));
    await cb.send(new DeleteResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: 'g-3' }));
    a.seedResources('AWS::Logs::LogGroup', 'us-east-1', [{ LogGroupName: 'seeded' }]);
    const want = [...Array.from({ length: 10 }, (_, i) => `g-${i}`).filter((n) => n !== 'g-3'), 'seeded'].sort();
    expect(await listAll(ca)).toEqual(want);
    expect(await listAll(cb)).toEqual(want);
    ca.destroy();
    cb.destroy();
    await a.stop();
    await b.stop();
    const again = await start({ dataFile });
    const c = client(again);
    expect(await listAll(c)).toEqual(want);
    c.destroy();
    await again.stop();
  });

  it('breaks a lock left by a process that is gone', async () => {
    const dataFile = join(dir, 'stale.json');
    const gone = spawnSync(process.execPath, ['-e', '']);
    writeFileSync(`${dataFile}.lock`, `${JSON.stringify({ pid: gone.pid, host: hostname(), nonce: 'deadbeef' })}\n`);
    // What a process killed while taking or breaking a lock leaves beside it.
    writeFileSync(`${dataFile}.lock.${gone.pid}.deadbeef`, '');
    writeFileSync(`${dataFile}.lock.${gone.pid}.0123ab.stale`, '');
    const emu = await start({ dataFile, lockTimeoutMs: 60_000 });
    const c = client(emu);
    await create(c, 'after-stale');
    expect(await listAll(c)).toEqual(['after-stale']);
    expect(existsSync(`${dataFile}.lock`)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('stale.json'))).toEqual(['stale.json']);
    c.destroy();
    await emu.stop();
  });

  it('waits for a live holder, then says which process holds which file', async () => {
    const dataFile = join(dir, 'held.json');
    const emu = await start({ dataFile, lockTimeoutMs: 200 });
    const c = client(emu);
    await create(c, 'before');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${dataFile}.lock`, `${JSON.stringify({ pid: holder.pid, host: hostname(), nonce: 'cafe' })}\n`);
      const refused = await failure(create(c, 'while-held'));
      expect(refused).toMatchObject({ name: 'ServiceInternalErrorException', status: 507 });
      expect(refused.message).toBe(
        `emulator data file ${dataFile} is locked by process ${holder.pid} (lock file ${dataFile}.lock); gave up after 200 ms; ` +
          `another ccql using the same state holds it; if process ${holder.pid} is not ccql (or is hung), stop it or delete ${dataFile}.lock`,
      );
      await expect(start({ dataFile, lockTimeoutMs: 200 })).rejects.toMatchObject({
        code: 'internal',
        message: expect.stringContaining(`emulator data file ${dataFile} is locked by process ${holder.pid}`),
      });
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((r) => holder.once('exit', r));
    // Its holder gone, the lock is stale: the next call breaks it.
    await create(c, 'after');
    expect(await listAll(c)).toEqual(['after', 'before']);
    c.destroy();
    await emu.stop();
  });
});

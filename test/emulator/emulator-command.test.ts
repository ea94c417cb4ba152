/** `ccql emulator` as a command: flags, a served demo account, a clean stop on SIGTERM. */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListResourcesCommand } from '@aws-sdk/client-cloudcontrol';
import { client } from './emulator-helpers.js';

const root = join(import.meta.dirname, '..', '..');
const ccql = ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'emulator'];

describe('ccql emulator', () => {
  it('refuses bad flags with a usage error (exit 2)', () => {
    const r = spawnSync(process.execPath, [...ccql, '--fault-rate', '3'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error: invalid value '3' for --fault-rate");
    expect(r.stderr).toContain('hint: give a number from 0 to 1');
    const seed = spawnSync(process.execPath, [...ccql, '--seed', 'lots'], { cwd: root, encoding: 'utf8' });
    expect(seed.status).toBe(2);
    expect(seed.stderr).toContain("invalid value 'lots' for --seed");
  });

  it('serves a demo account and writes its state when stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccql-emulator-cmd-'));
    const dataFile = join(dir, 'state.json');
    const child = spawn(process.execPath, [...ccql, '--port', '0', '--seed', 'demo', '--data', dataFile, '--page-size', '2'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`emulator exited: ${stderr}`)));
    });
    const c = client({ url, port: 0 } as Parameters<typeof client>[0], 'us-west-2');
    const page = await c.send(new ListResourcesCommand({ TypeName: 'AWS::IVS::Stage' }));
    expect(page.ResourceDescriptions).toHaveLength(2);
    expect(page.NextToken).toBeTruthy();
    c.destroy();
    const exit = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toContain('ccql emulator stopped');
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as { resources: Array<{ region: string }> };
    expect(saved.resources.filter((r) => r.region === 'us-west-2').length).toBeGreaterThan(5);
    rmSync(dir, { recursive: true, force: true });
  });
});

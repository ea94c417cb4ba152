/**
 * The native APIs through a second, independent client: the AWS CLI (Debian's v2 at
 * /usr/bin/aws in CI, else an `aws` on PATH), with --endpoint-url at the emulator's one port.
 * Skipped with a printed reason where no AWS CLI is installed, except under CI=true, where its
 * absence is a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { startNative } from './native-helpers.js';
import { awsCliHome, type AwsCliHome } from '../support/aws-cli.js';

function clis(): string[] {
  const found = existsSync('/usr/bin/aws') ? ['/usr/bin/aws'] : [];
  try {
    for (const p of execFileSync('sh', ['-c', 'command -v -a aws || which -a aws'], { encoding: 'utf8' }).split('\n')) {
      if (p.trim() && !found.includes(p.trim()) && existsSync(p.trim())) found.push(p.trim());
    }
  } catch {
    // none on PATH
  }
  return found;
}

const ALL = clis();
const AWS = ALL[0];

/** The first CLI that knows the command (Debian's v2 predates IVS real-time, for one), or undefined. */
function cliWith(service: string, operation: string): string | undefined {
  return ALL.find((cli) => {
    try {
      execFileSync(cli, [service, operation, '--generate-cli-skeleton'], { stdio: 'ignore', timeout: 30_000, env: { ...process.env, AWS_PAGER: '' } });
      return true;
    } catch {
      return false;
    }
  });
}

const inCi = process.env.CI === 'true';

if (!AWS && !inCi) console.warn('skipping the native AWS CLI tests: no aws command found (apt-get install awscli)');

describe.runIf(!AWS && inCi)('AWS CLI availability', () => {
  it('has the AWS CLI installed in CI', () => {
    expect.fail('no aws command found; CI must install Debian\'s awscli package (see .ci/run)');
  });
});

describe.runIf(AWS !== undefined)('native APIs with the AWS CLI', () => {
  let emu: RunningEmulator;
  let cli: AwsCliHome;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emu = await startNative();
    cli = awsCliHome('ccql-native-awscli-');
    env = cli.env;
  });
  afterAll(async () => {
    await emu.stop();
    cli.remove();
  });

  function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return awsWith(AWS!, ...args);
  }

  function awsWith(cli: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(cli, ['--endpoint-url', emu.url, '--output', 'json', ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  async function ok(...args: string[]): Promise<Record<string, unknown>> {
    return okWith(AWS!, ...args);
  }

  async function okWith(cli: string, ...args: string[]): Promise<Record<string, unknown>> {
    const r = await awsWith(cli, ...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  it('aws ivs create-channel, get-channel and list-channels', async () => {
    const created = await ok('ivs', 'create-channel', '--name', 'from-cli', '--latency-mode', 'NORMAL', '--tags', 'team=video');
    const channel = created.channel as Record<string, unknown>;
    expect(channel).toMatchObject({ name: 'from-cli', latencyMode: 'NORMAL', tags: { team: 'video' } });
    expect((created.streamKey as Record<string, unknown>).channelArn).toBe(channel.arn);
    const got = await ok('ivs', 'get-channel', '--arn', String(channel.arn));
    expect((got.channel as Record<string, unknown>).name).toBe('from-cli');
    const listed = await ok('ivs', 'list-channels', '--filter-by-name', 'from-cli');
    expect((listed.channels as Array<Record<string, unknown>>).map((c) => c.arn)).toEqual([channel.arn]);
    const missing = await aws('ivs', 'get-channel', '--arn', 'arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');
  });

  it("aws ivs-realtime create-stage: the seed's example", async (t) => {
    const cli = cliWith('ivs-realtime', 'create-stage');
    if (!cli) {
      console.warn(`skipping aws ivs-realtime: none of ${ALL.join(', ')} knows the command (it predates IVS real-time)`);
      t.skip();
      return;
    }
    const out = await okWith(cli, 'ivs-realtime', 'create-stage', '--name', 'stage1', '--participant-token-configurations', 'userId=alice');
    expect((out.stage as Record<string, unknown>).name).toBe('stage1');
    const tokens = out.participantTokens as Array<Record<string, unknown>>;
    expect(tokens.map((t) => t.userId)).toEqual(['alice']);
    expect(String(tokens[0]!.token).split('.')).toHaveLength(3);
  });

  it('aws events create-connection and describe-connection: the key appears in no output', async () => {
    const secret = 'cli-api-key-do-not-show';
    const created = await aws(
      'events',
      'create-connection',
      '--name',
      'cli-conn',
      '--authorization-type',
      'API_KEY',
      '--auth-parameters',
      JSON.stringify({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: secret } }),
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ ConnectionState: 'AUTHORIZED' });
    const described = await aws('events', 'describe-connection', '--name', 'cli-conn');
    const listed = await aws('events', 'list-connections');
    expect(JSON.parse(described.stdout)).toMatchObject({ Name: 'cli-conn', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } } });
    for (const r of [created, described, listed]) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('aws appstream create-fleet and describe-fleets', async () => {
    await ok(
      'appstream',
      'create-fleet',
      '--name',
      'cli-fleet',
      '--image-name',
      'AppStream-WinServer2019-06-12-2024',
      '--instance-type',
      'stream.standard.medium',
      '--compute-capacity',
      'DesiredInstances=1',
      '--enable-default-internet-access',
    );
    const out = await ok('appstream', 'describe-fleets', '--names', 'cli-fleet');
    expect((out.Fleets as Array<Record<string, unknown>>)[0]).toMatchObject({ Name: 'cli-fleet', State: 'STOPPED', EnableDefaultInternetAccess: true });
    const images = await ok('appstream', 'describe-images', '--names', 'AppStream-WinServer2019-06-12-2024');
    expect((images.Images as Array<Record<string, unknown>>)[0]).toMatchObject({ ImageBuilderSupported: true });
  });
});

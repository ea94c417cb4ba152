/**
 * The same lifecycle through a second, independent client: the AWS CLI v2 from Debian's
 * `awscli` package (/usr/bin/aws; the `aws` first on PATH may be a v1). Skipped with a printed
 * reason where it is not installed, except under CI=true, where its absence is a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { start } from './emulator-helpers.js';
import { awsCliHome, type AwsCliHome } from '../support/aws-cli.js';

const AWS = '/usr/bin/aws';
const haveCli = existsSync(AWS);
const inCi = process.env.CI === 'true';

if (!haveCli && !inCi) console.warn(`skipping the AWS CLI tests: ${AWS} not found (apt-get install awscli)`);

describe.runIf(!haveCli && inCi)('AWS CLI availability', () => {
  it('has the AWS CLI v2 installed in CI', () => {
    expect.fail(`${AWS} not found; CI must install Debian's awscli package (see .ci/run)`);
  });
});

describe.runIf(haveCli)('emulator with the AWS CLI v2', () => {
  let emu: RunningEmulator;
  let cli: AwsCliHome;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emu = await start();
    cli = awsCliHome('ccql-awscli-');
    env = cli.env;
  });
  afterAll(async () => {
    await emu.stop();
    cli.remove();
  });

  function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(AWS, ['--endpoint-url', emu.url, '--output', 'json', 'cloudcontrol', ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  async function ok(...args: string[]): Promise<Record<string, unknown>> {
    const r = await aws(...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  type Event = { RequestToken: string; OperationStatus: string; Identifier?: string; ErrorCode?: string };

  it('creates, gets, lists, updates and deletes a resource', async () => {
    const created = (await ok('create-resource', '--type-name', 'AWS::IVS::Stage', '--desired-state', '{"Name":"from-cli"}')).ProgressEvent as Event;
    expect(created.OperationStatus).toBe('IN_PROGRESS');
    const waited = await aws('wait', 'resource-request-success', '--request-token', created.RequestToken);
    expect(waited.code).toBe(0);
    const status = (await ok('get-resource-request-status', '--request-token', created.RequestToken)).ProgressEvent as Event;
    expect(status.OperationStatus).toBe('SUCCESS');
    const id = status.Identifier!;
    expect(id).toMatch(/^arn:aws:ivs:us-east-1:123456789012:stage\//);

    const got = (await ok('get-resource', '--type-name', 'AWS::IVS::Stage', '--identifier', id)).ResourceDescription as { Properties: string };
    expect(JSON.parse(got.Properties)).toMatchObject({ Name: 'from-cli', Arn: id });

    const listed = (await ok('list-resources', '--type-name', 'AWS::IVS::Stage')).ResourceDescriptions as Array<{ Identifier: string }>;
    expect(listed.map((d) => d.Identifier)).toContain(id);

    const updated = (await ok('update-resource', '--type-name', 'AWS::IVS::Stage', '--identifier', id, '--patch-document', '[{"op":"replace","path":"/Name","value":"renamed"}]'))
      .ProgressEvent as Event;
    expect((await ok('get-resource-request-status', '--request-token', updated.RequestToken)).ProgressEvent).toMatchObject({ OperationStatus: 'SUCCESS' });
    const after = (await ok('get-resource', '--type-name', 'AWS::IVS::Stage', '--identifier', id)).ResourceDescription as { Properties: string };
    expect(JSON.parse(after.Properties).Name).toBe('renamed');

    const deleted = (await ok('delete-resource', '--type-name', 'AWS::IVS::Stage', '--identifier', id)).ProgressEvent as Event;
    expect((await ok('get-resource-request-status', '--request-token', deleted.RequestToken)).ProgressEvent).toMatchObject({ OperationStatus: 'SUCCESS' });

    const missing = await aws('get-resource', '--type-name', 'AWS::IVS::Stage', '--identifier', id);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain(`An error occurred (ResourceNotFoundException) when calling the GetResource operation: Resource of type 'AWS::IVS::Stage' with identifier '${id}' was not found.`);
  });

  it('pages list-resources automatically and reads the region from the signature', async () => {
    emu.seedResources('AWS::IVS::Stage', 'ap-south-1', Array.from({ length: 30 }, (_, i) => ({ Name: `cli-${i}` })));
    const all = await aws('list-resources', '--type-name', 'AWS::IVS::Stage', '--region', 'ap-south-1');
    expect(all.code).toBe(0);
    // 30 resources, pages of 25: the CLI followed the NextToken.
    expect((JSON.parse(all.stdout) as { ResourceDescriptions: unknown[] }).ResourceDescriptions).toHaveLength(30);
    const other = JSON.parse((await aws('list-resources', '--type-name', 'AWS::IVS::Stage', '--region', 'ap-south-2')).stdout) as { ResourceDescriptions: unknown[] };
    expect(other.ResourceDescriptions).toHaveLength(0);
  });

  it('shows validation errors the way AWS does', async () => {
    const bad = await aws('create-resource', '--type-name', 'AWS::Logs::LogStream', '--desired-state', '{"LogStreamName":"x"}');
    expect(bad.code).toBe(254);
    expect(bad.stderr).toContain('An error occurred (ValidationException) when calling the CreateResource operation: Model validation failed (#: required key [LogGroupName] not found)');
  });
});

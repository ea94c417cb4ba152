import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CcqlError } from '../../../src/errors.js';
import { connect, resolveRegion } from '../../../src/cli/connection.js';

const dir = mkdtempSync(join(tmpdir(), 'ccql-conn-'));
const configFile = join(dir, 'config');
const credentialsFile = join(dir, 'credentials');
writeFileSync(configFile, '[default]\nregion = eu-west-1\n\n[profile dev]\nregion = ap-south-1\n\n[profile both]\nregion = eu-north-1\n');
writeFileSync(credentialsFile, '[both]\naws_access_key_id = x\naws_secret_access_key = y\nregion = ca-central-1\n');
const files = { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile };
const noFiles = { AWS_CONFIG_FILE: join(dir, 'missing'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'missing2') };

async function rejection(p: Promise<unknown>): Promise<CcqlError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CcqlError) return e;
    throw e;
  }
  throw new Error('expected a CcqlError');
}

describe('region resolution', () => {
  it('prefers --region, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile', async () => {
    const env = { ...files, AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-east-2' };
    expect(await resolveRegion('sa-east-1', env)).toEqual({ region: 'sa-east-1', source: '--region' });
    expect(await resolveRegion(undefined, env)).toEqual({ region: 'us-west-2', source: 'AWS_REGION' });
    expect(await resolveRegion(undefined, { ...env, AWS_REGION: '' })).toEqual({ region: 'us-east-2', source: 'AWS_DEFAULT_REGION' });
    expect(await resolveRegion(undefined, files)).toEqual({ region: 'eu-west-1', source: `profile default in ${configFile}` });
  });

  it('reads the profile named by AWS_PROFILE, the credentials file first as the SDK does', async () => {
    expect(await resolveRegion(undefined, { ...files, AWS_PROFILE: 'dev' })).toEqual({ region: 'ap-south-1', source: `profile dev in ${configFile}` });
    expect(await resolveRegion(undefined, { ...files, AWS_PROFILE: 'both' })).toEqual({
      region: 'ca-central-1',
      source: `profile both in ${credentialsFile}`,
    });
  });

  it('has no region when nothing names one', async () => {
    expect(await resolveRegion(undefined, noFiles)).toEqual({ region: undefined, source: undefined });
    expect(await resolveRegion(undefined, { ...files, AWS_PROFILE: 'nosuch' })).toEqual({ region: undefined, source: undefined });
  });

  it('refuses something that is not a region name', async () => {
    const e = await rejection(resolveRegion(undefined, { AWS_REGION: 'us east 1' }));
    expect(e.code).toBe('usage');
    expect(e.message).toContain('AWS_REGION');
  });
});

describe('connection flags', () => {
  it('--local with --endpoint-url is a usage error (exit 2)', async () => {
    const e = await rejection(connect({ local: true, endpointUrl: 'http://127.0.0.1:1' }, noFiles));
    expect(e.code).toBe('usage');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('--local and --endpoint-url cannot be used together');
  });

  it('takes the endpoint from --endpoint-url or CCQL_ENDPOINT_URL, the flag first', async () => {
    const fromEnv = await connect({}, { ...noFiles, CCQL_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    // No region given: the profile's is looked for when a statement first needs one (there is none).
    expect(fromEnv.options).toEqual({ endpointUrl: 'http://127.0.0.1:4566', resolveRegion: expect.any(Function) });
    expect(await fromEnv.options.resolveRegion!()).toEqual({ region: undefined, source: undefined });
    expect(fromEnv.target).toBe('http://127.0.0.1:4566');
    const fromFlag = await connect({ endpointUrl: 'http://localhost:9', region: 'us-east-1' }, { ...noFiles, CCQL_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    expect(fromFlag.options).toEqual({ endpointUrl: 'http://localhost:9', region: 'us-east-1', regionSource: '--region' });
  });

  it("reads the profile's region when a statement first needs a default region, not before", async () => {
    const { Session } = await import('../../../src/exec/session.js');
    const c = await connect({ endpointUrl: 'http://127.0.0.1:9' }, { ...files, AWS_PROFILE: 'dev' });
    let reads = 0;
    const resolve = c.options.resolveRegion!;
    const session = new Session({ ...c.options, resolveRegion: () => (reads++, resolve()) });
    await session.runStatement('SHOW SERVICES IN aws LIKE \'ivs\'');
    expect(reads).toBe(0);
    const plan = await session.planOf('SELECT name FROM aws.ivs.stages');
    expect(reads).toBe(1);
    expect(plan.kind === 'query' && plan.fetches[0]!.region).toEqual({ kind: 'const', values: ['ap-south-1'], origin: 'default' });
    expect(session.options.regionSource).toBe(`profile dev in ${configFile}`);
    await session.planOf('SELECT arn FROM aws.ivs.stages');
    expect(reads).toBe(1);
    await session.close();
  });

  it('uses real AWS when no endpoint is given', async () => {
    const c = await connect({}, { ...noFiles, AWS_REGION: 'eu-west-3' });
    expect(c.options).toEqual({ region: 'eu-west-3', regionSource: 'AWS_REGION' });
    expect(c.target).toBe('AWS');
    await c.close();
  });

  it('refuses an endpoint that is not an http(s) URL, naming where it came from', async () => {
    const e = await rejection(connect({}, { ...noFiles, CCQL_ENDPOINT_URL: 'localhost:4566' }));
    expect(e.code).toBe('usage');
    expect(e.message).toContain('CCQL_ENDPOINT_URL');
    const f = await rejection(connect({ endpointUrl: 'ftp://x' }, noFiles));
    expect(f.message).toContain('--endpoint-url');
  });
});

describe('exec flags to session options', () => {
  it('passes --dry-run, --strict and --concurrency on with the connection', async () => {
    const { sessionOptions } = await import('../../../src/cli/commands/exec.js');
    const connection = { endpointUrl: 'http://127.0.0.1:4566', region: 'us-east-1', regionSource: '--region' };
    expect(sessionOptions(connection, { output: 'table', dryRun: true, strict: true, concurrency: 4 })).toEqual({ ...connection, dryRun: true, strict: true, concurrency: 4 });
    expect(sessionOptions(connection, { output: 'table', maxCalls: 50, timeout: 5 })).toEqual({ ...connection, maxCalls: 50, timeout: 5 });
    expect(sessionOptions(connection, { output: 'table' })).toEqual(connection);
  });
});

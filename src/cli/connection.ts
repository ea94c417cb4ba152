/**
 * Where SQL over Cloud Control goes: real AWS (the SDK's default credential chain, region from
 * --region or the SDK's own resolution), another endpoint (--endpoint-url / CCQL_ENDPOINT_URL,
 * e.g. `ccql emulator`), or --local: the emulator started inside this process, its state kept in
 * $CCQL_HOME/local so that what a user creates is still there the next time. Several processes
 * may use --local at once: each call takes the state file's lock, re-reads what the others wrote
 * and writes its change before it is answered (src/emulator/persistence.ts), and a change that
 * cannot be written fails the statement instead of being reported as done.
 */
import { regionNameProblem } from '../catalog/naming.js';
import { CcqlError } from '../errors.js';
import type { SessionOptions } from '../exec/session.js';
import { regionFromProfile } from '../aws/region.js';

export interface ConnectionFlags {
  local?: boolean;
  endpointUrl?: string;
  region?: string;
}

export interface Connection {
  /** What to give `new Session(…)`: endpointUrl, region, regionSource (and credentials for --local). */
  options: Pick<SessionOptions, 'endpointUrl' | 'region' | 'regionSource' | 'resolveRegion' | 'credentials'>;
  /** For messages: "AWS", "http://127.0.0.1:4566", "the local emulator (state in …)". */
  target: string;
  /** Stops the in-process emulator, if any (its state is saved). Safe to call twice. */
  close(): Promise<void>;
}

export interface ResolvedRegion {
  region: string | undefined;
  /** "--region", "AWS_REGION", "AWS_DEFAULT_REGION", "profile dev in ~/.aws/config"… */
  source: string | undefined;
}

type Env = Record<string, string | undefined>;

/** What --local signs its requests with. */
const LOCAL_CREDENTIALS = { accessKeyId: 'ccql-local', secretAccessKey: 'ccql-local' } as const;

/** The region assumed with --local when nothing else names one: the demo data lives there. */
export const LOCAL_DEFAULT_REGION = 'us-east-1';

/** Usage errors in the flags themselves, found before anything is read or started. */
export function checkConnectionFlags(flags: ConnectionFlags): void {
  if (flags.local && flags.endpointUrl !== undefined) {
    throw new CcqlError('usage', '--local and --endpoint-url cannot be used together', {
      hint: '--local starts its own emulator; to use one already running, give only --endpoint-url',
    });
  }
  if (flags.endpointUrl !== undefined) checkEndpointUrl(flags.endpointUrl, '--endpoint-url');
  if (flags.region !== undefined) checkRegion(flags.region, '--region');
}

/** Checks the flags and resolves them into session options; starts the emulator for --local. */
export async function connect(flags: ConnectionFlags, env: Env = process.env): Promise<Connection> {
  checkConnectionFlags(flags);
  const endpointFromEnv = nonEmpty(env.CCQL_ENDPOINT_URL);

  // --region and the environment are known now; the profile's region is read when a statement
  // first needs a default region (SHOW and DESCRIBE never do), since reading the shared files
  // loads part of the AWS SDK.
  const given = givenRegion(flags.region, env);
  const fromProfile = async (): Promise<ResolvedRegion> => (await profileRegion(env)) ?? (flags.local ? { region: LOCAL_DEFAULT_REGION, source: '--local default' } : { region: undefined, source: undefined });
  const region: Pick<SessionOptions, 'region' | 'regionSource' | 'resolveRegion'> = given ? { region: given.region, regionSource: given.source } : { resolveRegion: fromProfile };
  // The environment's endpoint is for the non-local case; --local is an explicit choice.
  if (flags.local) return startLocal(region);

  const endpointUrl = flags.endpointUrl ?? endpointFromEnv;
  if (endpointUrl !== undefined && flags.endpointUrl === undefined) checkEndpointUrl(endpointUrl, 'CCQL_ENDPOINT_URL');
  const options: Connection['options'] = { ...region };
  if (endpointUrl !== undefined) options.endpointUrl = endpointUrl;
  return { options, target: endpointUrl ?? 'AWS', close: async () => {} };
}

/**
 * The region the way the AWS SDK finds it, plus AWS_DEFAULT_REGION (which the AWS CLI reads and
 * users of it have set): --region, AWS_REGION, AWS_DEFAULT_REGION, then `region` of the profile
 * (AWS_PROFILE or "default") in ~/.aws/credentials and ~/.aws/config (AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE). The SDK's last resort, asking EC2 instance metadata, is left
 * out: off EC2 it costs a second of timeouts on every run.
 */
export async function resolveRegion(flag: string | undefined, env: Env = process.env): Promise<ResolvedRegion> {
  return givenRegion(flag, env) ?? (await profileRegion(env)) ?? { region: undefined, source: undefined };
}

/** --region, AWS_REGION or AWS_DEFAULT_REGION. */
function givenRegion(flag: string | undefined, env: Env): { region: string; source: string } | undefined {
  if (flag !== undefined) return { region: flag, source: '--region' };
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) {
      checkRegion(value, name);
      return { region: value, source: name };
    }
  }
  return undefined;
}

async function profileRegion(env: Env): Promise<{ region: string; source: string } | undefined> {
  const fromProfile = await regionFromProfile(env);
  if (fromProfile) checkRegion(fromProfile.region, fromProfile.source);
  return fromProfile;
}

async function startLocal(region: Pick<SessionOptions, 'region' | 'regionSource' | 'resolveRegion'>): Promise<Connection> {
  const { startEmulator, localDataFile } = await import('../emulator/index.js');
  // $CCQL_HOME/local/…: the emulator seeds the demo account only when this file does not exist yet.
  const dataFile = localDataFile();
  let emulator;
  try {
    emulator = await startEmulator({ port: 0, dataFile, seed: 'demo', quiet: true });
  } catch (e) {
    const reason = e instanceof CcqlError ? e.message : e instanceof Error ? e.message : String(e);
    // A damaged state file is the user's to move away; a full disk, a read-only $CCQL_HOME or a
    // lock held by a hung process has its own remedy, which the emulator's error names.
    const moveAway = `its state is kept in ${dataFile}; move that file away to start again from the demo data`;
    const hint = e instanceof CcqlError && e.code !== 'invalid_input' && e.hint ? e.hint : moveAway;
    throw new CcqlError('internal', `cannot start the local emulator: ${reason}`, { cause: e, hint });
  }
  let stopped = false;
  return {
    // The SDK signs every request, so it needs credentials even for the emulator, which does not
    // check them. Static ones keep the user's own setup (or its absence, or an expired SSO
    // session) out of a run that never talks to AWS, and skip the default chain's slow probes.
    options: { endpointUrl: emulator.url, ...region, credentials: LOCAL_CREDENTIALS },
    target: `the local emulator (state in ${dataFile})`,
    close: async () => {
      if (stopped) return;
      stopped = true;
      await emulator.stop();
    },
  };
}

function checkRegion(region: string, source: string): void {
  const problem = regionNameProblem(region);
  if (problem) throw new CcqlError('usage', `${source}: ${problem.message}`, { hint: problem.hint });
}

function checkEndpointUrl(url: string, source: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new CcqlError('usage', `${source}: '${url}' is not an http(s) URL`, { hint: 'for example --endpoint-url http://127.0.0.1:4566 (a running `ccql emulator`)' });
  }
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s.trim() !== '' ? s.trim() : undefined;
}

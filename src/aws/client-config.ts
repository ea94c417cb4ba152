/**
 * What every AWS SDK client of ccql shares, Cloud Control's and the native services' alike: the
 * endpoint, one credential chain, the retry strategy, the request handler's timeouts and sockets,
 * and the per-region rate limit inside the retry loop. A native client pointed at `--local` or
 * `--endpoint-url` so goes to the same place, signed the same way, as the Cloud Control client.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
// Types only: the SDK's middleware signatures (installed with the SDK clients).
import type { FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext, MetadataBearer, MiddlewareStack } from '@smithy/types';
import { regionNameProblem } from '../catalog/naming.js';
import { CcqlError } from '../errors.js';
import { DEFAULT_CONCURRENCY } from './limits.js';
import { RegionRate, isThrottle } from './rate.js';

export interface ClientOptions {
  endpointUrl?: string;
  /** Most calls in flight at once in each region (default 16). */
  concurrency?: number;
  /** Most calls per second per region; default: adaptive (see rate.ts). */
  rateLimit?: number;
  /** Attempts per call, first one included (default 10). */
  maxAttempts?: number;
  /** Longest wait for one answer before the attempt fails and is retried (default 30 s). */
  requestTimeoutMs?: number;
  /** Credentials instead of the SDK's default chain (tests, embedding). */
  credentials?: Credentials;
}

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const DEFAULT_MAX_ATTEMPTS = 10;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The configuration an SDK v3 client of any service is constructed with, for one region. */
export function clientConfig(options: ClientOptions, region: string, credentials: () => Promise<Credentials>): Record<string, unknown> {
  // Every call of every client goes through here: a region of another form is never sent.
  const problem = regionNameProblem(region);
  if (problem) throw new CcqlError('invalid_input', problem.message, { hint: problem.hint });
  // The SDK warns on stderr that its releases from 2027 need Node 22; ccql pins its SDK version.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sockets = Math.max(50, options.concurrency ?? DEFAULT_CONCURRENCY);
  return {
    region,
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    credentials: options.credentials ?? credentials,
    // The SDK's standard retry (retry quota, error classification, Retry-After), with a shorter,
    // capped backoff: the rate limiter keeps calls under the service's limit, so long
    // exponential sleeps would only leave a slow tail behind a fan-out.
    retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, backoff),
    requestHandler: {
      connectionTimeout: 10_000,
      // An endpoint that accepts and never answers must not hold a call for minutes: the
      // attempt fails (TimeoutError, which the retry strategy retries) instead of only warning.
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: sockets },
      httpsAgent: { keepAlive: true, maxSockets: sockets },
    },
  };
}

/** Inside the retry loop (before signing), so that each attempt is rate limited and each throttle seen. */
export function rateLimited(stack: MiddlewareStack<object, MetadataBearer>, rate: RegionRate): void {
  stack.addRelativeTo(
    (next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext) => async (args: FinalizeHandlerArguments<object>) => {
      // A call cancelled while it waits for its turn gives its turn up at once (the SDK hands
      // the call's abortSignal to middleware in its context for this).
      const signal = context.__smithy_context?.abortSignal;
      await rate.take(signal instanceof AbortSignal ? signal : undefined);
      try {
        const out = await next(args);
        rate.success();
        return out;
      } catch (e) {
        if (isThrottle(e)) rate.throttled();
        throw e;
      }
    },
    { name: 'ccqlRegionRate', relation: 'before', toMiddleware: 'httpSigningMiddleware' },
  );
}

/** Full jitter: a random delay up to 200 ms × 2^(attempt-1), at most 3 s. */
function backoff(attempt: number): number {
  return Math.floor(Math.random() * Math.min(3_000, 200 * 2 ** Math.max(0, attempt - 1)));
}

/**
 * The SDK's default chain (env, SSO, profiles, IMDS…). A local emulator accepts any credentials,
 * so for a loopback endpoint a machine without any still works.
 */
export function credentialChain(endpointUrl: string | undefined): () => Promise<Credentials> {
  const chain = defaultProvider();
  const loopback = endpointUrl !== undefined && isLoopback(endpointUrl);
  return async () => {
    try {
      return await chain();
    } catch (e) {
      if (loopback) return { accessKeyId: 'ccql-local', secretAccessKey: 'ccql-local' };
      throw new CcqlError('aws', `no AWS credentials found: ${e instanceof Error ? e.message : String(e)}`, {
        hint: 'configure credentials (aws configure, AWS_PROFILE, AWS_ACCESS_KEY_ID…), or try ccql with --local',
        cause: e,
      });
    }
  };
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

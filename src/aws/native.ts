/**
 * Native AWS API calls: any operation of any service's AWS SDK v3 client, named by its package
 * and operation (a provider method's NativeCall), with no code per service. A client package is
 * imported the first time a statement calls it, and each client is made once per region with the
 * configuration every ccql client shares (client-config.ts: endpoint, credentials, retries, rate
 * limit), so `--local` and `--endpoint-url` reach native calls as they reach Cloud Control.
 */
import { CcqlError } from '../errors.js';
import { clientConfig, credentialChain, rateLimited, type ClientOptions, type Credentials } from './client-config.js';
import { AwsCallError, toAwsCallError } from './errors.js';
import { DEFAULT_CONCURRENCY, Semaphore } from './limits.js';
import { RegionRate } from './rate.js';
import type { CallContext } from './resource-api.js';

export interface NativeRequest {
  /** npm package of the client, e.g. `@aws-sdk/client-appstream`. */
  client: string;
  /** e.g. `DescribeFleets` (its command is `DescribeFleetsCommand`). */
  operation: string;
  region: string;
  input: Readonly<Record<string, unknown>>;
  /** What messages name the call by: the table, e.g. `aws.appstream.fleets`. */
  label: string;
  /** Error codes that mean "does not exist": the call then answers undefined. */
  notFound?: readonly string[] | undefined;
}

/** An operation's output, without the SDK's `$metadata`. */
export type NativeOutput = Record<string, unknown>;

type Command = new (input: object) => object;
type SdkClient = {
  send(command: object, options?: { abortSignal?: AbortSignal | undefined }): Promise<Record<string, unknown>>;
  destroy(): void;
  middlewareStack: Parameters<typeof rateLimited>[0];
};
type ClientClass = new (config: Record<string, unknown>) => SdkClient;
type SdkModule = Record<string, unknown>;

export class NativeApi {
  private readonly modules = new Map<string, Promise<SdkModule>>();
  private readonly clients = new Map<string, SdkClient>();
  private readonly rates = new Map<string, RegionRate>();
  /** Calls in flight, bounded per service and region: each is a service with limits of its own. */
  private readonly inFlight = new Map<string, Semaphore>();
  private credentials: (() => Promise<Credentials>) | undefined;

  constructor(private readonly options: ClientOptions = {}) {}

  /** One call. Undefined when the service answers with one of `request.notFound`. */
  async send(request: NativeRequest, ctx: CallContext): Promise<NativeOutput | undefined> {
    const { client, command } = await this.prepare(request);
    ctx.onStart?.();
    try {
      const out = await this.slots(request).run(() => client.send(new command(request.input), { abortSignal: ctx.signal }), ctx.signal);
      const { $metadata: _metadata, ...rest } = out;
      return rest;
    } catch (e) {
      if (ctx.signal?.aborted) throw new CcqlError('cancelled', 'statement cancelled', { cause: e });
      const err = toAwsCallError(withServiceMessage(e), request.operation, request.label, request.region);
      if (err instanceof AwsCallError && request.notFound?.includes(err.awsCode)) return undefined;
      throw err;
    } finally {
      ctx.onCall?.();
    }
  }

  /**
   * Every page of a paginated operation: the output token of each page goes into the input of the
   * next, until a page has none (or repeats the last). A not-found answer ends with no page.
   */
  async *pages(request: NativeRequest, pagination: { inputToken: string; outputToken: string } | undefined, ctx: CallContext): AsyncGenerator<NativeOutput> {
    let input = request.input;
    for (;;) {
      const out = await this.send({ ...request, input }, ctx);
      if (out === undefined) return;
      yield out;
      if (!pagination) return;
      const next = out[pagination.outputToken];
      if (typeof next !== 'string' || next === '' || next === input[pagination.inputToken]) return;
      input = { ...input, [pagination.inputToken]: next };
    }
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }

  private async prepare(request: NativeRequest): Promise<{ client: SdkClient; command: Command }> {
    const mod = await this.module(request.client);
    const command = mod[`${request.operation}Command`];
    if (typeof command !== 'function') {
      throw new CcqlError('provider_file', `${request.client} has no command ${request.operation}Command (called by ${request.label})`, {
        hint: 'the provider file names an operation this version of the SDK client does not have',
      });
    }
    return { client: this.client(request.client, mod, request.region), command: command as Command };
  }

  private module(client: string): Promise<SdkModule> {
    let mod = this.modules.get(client);
    if (!mod) {
      mod = import(client).then(
        (m: unknown) => m as SdkModule,
        (e: unknown) => {
          this.modules.delete(client);
          throw new CcqlError('provider_file', `the AWS SDK client ${client} cannot be loaded: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, {
            hint: `install it (npm install ${client})`,
            cause: e,
          });
        },
      );
      this.modules.set(client, mod);
    }
    return mod;
  }

  private client(pkg: string, mod: SdkModule, region: string): SdkClient {
    const key = `${pkg}\u0000${region}`;
    let c = this.clients.get(key);
    if (c) return c;
    const Client = clientClass(pkg, mod);
    c = new Client(clientConfig(this.options, region, (this.credentials ??= credentialChain(this.options.endpointUrl))));
    const rate = new RegionRate(this.options.rateLimit);
    this.rates.set(key, rate);
    rateLimited(c.middlewareStack, rate);
    this.clients.set(key, c);
    return c;
  }

  private slots(request: NativeRequest): Semaphore {
    const key = `${request.client}\u0000${request.region}`;
    let s = this.inFlight.get(key);
    if (!s) {
      s = new Semaphore(Math.max(1, this.options.concurrency ?? DEFAULT_CONCURRENCY));
      this.inFlight.set(key, s);
    }
    return s;
  }
}

/** The package's client class: its one export named `…Client` (IvsClient, AppStreamClient…). */
function clientClass(pkg: string, mod: SdkModule): ClientClass {
  const names = Object.keys(mod).filter((k) => /^[A-Z][A-Za-z0-9]*Client$/.test(k) && typeof mod[k] === 'function');
  if (names.length !== 1) {
    throw new CcqlError('provider_file', `${pkg} does not look like an AWS SDK v3 client package (${names.length === 0 ? 'no' : 'more than one'} …Client export)`);
  }
  return mod[names[0]!] as ClientClass;
}

/**
 * The service's own words for an error. Some models name the message member otherwise (IVS's
 * `exceptionMessage`), and the SDK then says only "UnknownError": the member is the message.
 */
function withServiceMessage(e: unknown): unknown {
  if (typeof e !== 'object' || e === null) return e;
  const err = e as { message?: unknown; exceptionMessage?: unknown; Message?: unknown };
  const better = [err.exceptionMessage, err.Message].find((m): m is string => typeof m === 'string' && m !== '');
  if (better && (typeof err.message !== 'string' || err.message === '' || err.message === 'UnknownError')) err.message = better;
  return e;
}

/**
 * The only door to AWS: Cloud Control calls through the AWS SDK, one client per region, with
 * the SDK's default credential chain, its retry strategy (backoff with jitter on throttling and
 * 5xx, more attempts than its default), a bound on calls in flight, a per-region rate limit
 * and the statement's AbortSignal on every call.
 */
import {
  CancelResourceRequestCommand,
  CloudControlClient,
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  UpdateResourceCommand,
  paginateListResources,
  type ListResourcesInput,
} from '@aws-sdk/client-cloudcontrol';
import { CcqlError } from '../errors.js';
import { clientConfig, credentialChain, rateLimited, type ClientOptions, type Credentials } from './client-config.js';
import { AwsCallError, toAwsCallError } from './errors.js';
import { DEFAULT_CONCURRENCY, Semaphore, sleep } from './limits.js';
import { RegionRate } from './rate.js';
import { isFinalStatus, type CallContext, type RequestEvent, type Resource, type ResourceApi } from './resource-api.js';
import { parseJsonExact, stringifyJson } from '../schema/json.js';

export { DEFAULT_CONCURRENCY } from './limits.js';
export { AwsCallError } from './errors.js';

type ProgressEvent = RequestEvent;

/** The options of every SDK client (client-config.ts): endpoint, credentials, retries, limits. */
export type CloudControlOptions = ClientOptions;

export class CloudControl implements ResourceApi {
  private readonly clients = new Map<string, CloudControlClient>();
  private readonly rates = new Map<string, RegionRate>();
  /** Calls in flight, bounded per region: regions are independent services with limits of their own. */
  private readonly inFlight = new Map<string, Semaphore>();
  /** One credential chain for every region's client, so it resolves (and refreshes) once. */
  private credentials: (() => Promise<Credentials>) | undefined;

  constructor(private readonly options: CloudControlOptions = {}) {}

  /** Every page of ListResources; `model` carries list parents (e.g. `{ChannelArn: …}`). */
  async *list(typeName: string, region: string, model: Record<string, unknown> | undefined, ctx: CallContext): AsyncGenerator<Resource[]> {
    const input: ListResourcesInput = { TypeName: typeName, ...(model ? { ResourceModel: JSON.stringify(model) } : {}) };
    const pages = paginateListResources({ client: this.client(region), stopOnSameToken: true }, input, { abortSignal: ctx.signal });
    for (;;) {
      const page = await this.call('ListResources', typeName, region, ctx, () => pages.next());
      if (page.done) return;
      yield (page.value.ResourceDescriptions ?? []).map((d) => ({
        identifier: d.Identifier ?? '',
        properties: parseProperties(d.Properties),
      }));
      // Stop here on the last page rather than asking the paginator, which would cost a slot and a token.
      const next = page.value.NextToken;
      if (!next || next === input.NextToken) return;
      input.NextToken = next;
    }
  }

  /** One resource, or undefined when it does not exist. */
  async get(typeName: string, region: string, identifier: string, ctx: CallContext): Promise<Resource | undefined> {
    try {
      const out = await this.call('GetResource', typeName, region, ctx, () =>
        this.client(region).send(new GetResourceCommand({ TypeName: typeName, Identifier: identifier }), { abortSignal: ctx.signal }),
      );
      return { identifier: out.ResourceDescription?.Identifier ?? identifier, properties: parseProperties(out.ResourceDescription?.Properties) };
    } catch (e) {
      if (e instanceof AwsCallError && e.awsCode === 'ResourceNotFoundException') return undefined;
      throw e;
    }
  }

  async create(typeName: string, region: string, desiredState: Readonly<Record<string, unknown>>, clientToken: string, ctx: CallContext): Promise<ProgressEvent> {
    const out = await this.call('CreateResource', typeName, region, ctx, () =>
      this.client(region).send(
        new CreateResourceCommand({ TypeName: typeName, DesiredState: stringifyJson(desiredState), ClientToken: clientToken }),
        { abortSignal: ctx.signal },
      ),
    );
    return out.ProgressEvent ?? {};
  }

  async update(typeName: string, region: string, identifier: string, patch: readonly unknown[], clientToken: string, ctx: CallContext): Promise<ProgressEvent> {
    const out = await this.call('UpdateResource', typeName, region, ctx, () =>
      this.client(region).send(
        new UpdateResourceCommand({ TypeName: typeName, Identifier: identifier, PatchDocument: stringifyJson(patch), ClientToken: clientToken }),
        { abortSignal: ctx.signal },
      ),
    );
    return out.ProgressEvent ?? {};
  }

  async delete(typeName: string, region: string, identifier: string, clientToken: string, ctx: CallContext): Promise<ProgressEvent> {
    const out = await this.call('DeleteResource', typeName, region, ctx, () =>
      this.client(region).send(new DeleteResourceCommand({ TypeName: typeName, Identifier: identifier, ClientToken: clientToken }), {
        abortSignal: ctx.signal,
      }),
    );
    return out.ProgressEvent ?? {};
  }

  /**
   * Polls GetResourceRequestStatus until the request is SUCCESS or FAILED (or CANCEL_COMPLETE),
   * sleeping until the service's RetryAfter when it gives one, else with a growing interval.
   */
  async wait(event: ProgressEvent, region: string, ctx: CallContext): Promise<ProgressEvent> {
    let current = event;
    // Many requests finish within a second: look soon, then back off (100 ms, 200 ms … 5 s).
    let interval = 100;
    while (!isFinalStatus(current.OperationStatus)) {
      const token = current.RequestToken;
      if (!token) throw new CcqlError('aws', `Cloud Control returned no request token for ${current.TypeName ?? 'the request'}`);
      const retryAfter = current.RetryAfter instanceof Date ? current.RetryAfter.getTime() - Date.now() : undefined;
      await sleep(retryAfter !== undefined && retryAfter > 0 ? Math.min(retryAfter, 30_000) : interval, ctx.signal);
      interval = Math.min(interval * 2, 5_000);
      const out = await this.call('GetResourceRequestStatus', current.TypeName ?? '', region, ctx, () =>
        this.client(region).send(new GetResourceRequestStatusCommand({ RequestToken: token }), { abortSignal: ctx.signal }),
      );
      current = out.ProgressEvent ?? { ...current, OperationStatus: 'FAILED', StatusMessage: 'empty status response' };
    }
    return current;
  }

  async status(requestToken: string, region: string, ctx: CallContext): Promise<ProgressEvent> {
    const out = await this.call('GetResourceRequestStatus', '', region, ctx, () =>
      this.client(region).send(new GetResourceRequestStatusCommand({ RequestToken: requestToken }), { abortSignal: ctx.signal }),
    );
    return out.ProgressEvent ?? {};
  }

  async cancel(requestToken: string, region: string, ctx: CallContext): Promise<ProgressEvent> {
    const out = await this.call('CancelResourceRequest', '', region, ctx, () =>
      this.client(region).send(new CancelResourceRequestCommand({ RequestToken: requestToken }), { abortSignal: ctx.signal }),
    );
    return out.ProgressEvent ?? {};
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }

  private async call<T>(operation: string, typeName: string, region: string, ctx: CallContext, fn: () => Promise<T>): Promise<T> {
    ctx.onStart?.();
    try {
      return await this.slots(region).run(fn, ctx.signal);
    } catch (e) {
      if (ctx.signal?.aborted) throw new CcqlError('cancelled', 'statement cancelled', { cause: e });
      throw toAwsCallError(e, operation, typeName, region);
    } finally {
      ctx.onCall?.();
    }
  }

  private slots(region: string): Semaphore {
    let s = this.inFlight.get(region);
    if (!s) {
      s = new Semaphore(Math.max(1, this.options.concurrency ?? DEFAULT_CONCURRENCY));
      this.inFlight.set(region, s);
    }
    return s;
  }

  /** The current per-region limits (requests per second), for diagnostics and benchmarks. */
  rateLimits(): Record<string, number | undefined> {
    return Object.fromEntries([...this.rates].map(([region, r]) => [region, r.limit]));
  }

  private client(region: string): CloudControlClient {
    let c = this.clients.get(region);
    if (c) return c;
    c = new CloudControlClient(clientConfig(this.options, region, (this.credentials ??= credentialChain(this.options.endpointUrl))));
    const rate = new RegionRate(this.options.rateLimit);
    this.rates.set(region, rate);
    rateLimited(c.middlewareStack, rate);
    this.clients.set(region, c);
    return c;
  }
}

function parseProperties(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = parseJsonExact(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    throw new CcqlError('aws', 'Cloud Control returned resource properties that are not JSON');
  }
}

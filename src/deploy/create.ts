/**
 * Runs a resource's create statement so that a rerun after any failure converges without
 * duplicates. The statement's plan (session.planOf, no call made) gives the desired state of
 * each resource it creates; each CreateResource is then sent with a ClientToken from the journal
 * (the same token as a killed run's request for the same desired state), and waited for.
 * Statements whose desired states only the engine can compute from provider tables (an INSERT …
 * SELECT … FROM aws.…) run through the session as written.
 *
 * Every identifier is reported the moment its resource exists, so a kill right after leaves the
 * user knowing what is there.
 */
import { AwsCallError } from '../aws/errors.js';
import type { ResourceApi } from '../aws/resource-api.js';
import { CcqlError, toCcqlError } from '../errors.js';
import type { Session } from '../exec/session.js';
import type { MutationPlan, MutationRequest } from '../plan/plan.js';
import { requestsFromRows } from '../plan/mutation.js';
import type { Notice, RunHooks } from '../result.js';
import { fingerprintOf, type Journal } from './journal.js';
import type { Secrets } from './secrets.js';

export interface CreatedResource {
  /** The manifest resource that created it. */
  resource: string;
  /** The table as the statement names it (aws.ivs.stages). */
  table: string;
  typeName: string;
  region: string;
  identifier: string;
}

export interface CreateContext {
  session: Session;
  api: () => Promise<ResourceApi>;
  journal: Journal;
  secrets: Secrets;
  signal: AbortSignal | undefined;
  onNotice: (n: Notice) => void;
  /** Called as each resource is created. */
  onCreated: (c: CreatedResource) => void;
}

/** The requests a create statement makes, when its plan alone (or a constant SELECT) decides them. */
export async function plannedRequests(session: Session, plan: MutationPlan, hooks: RunHooks): Promise<readonly MutationRequest[] | undefined> {
  if (plan.verb !== 'insert') return undefined;
  if (plan.source.kind === 'direct') return plan.source.requests;
  if (plan.source.fetches.length > 0) return undefined;
  // INSERT … SELECT of constants and expressions: the engine evaluates the SELECT (no API call).
  const result = await session.runStatement(plan.source.sql.text, hooks);
  if (result.kind !== 'rows') return undefined;
  return requestsFromRows(plan, result.rows, await session.defaultRegion());
}

export async function runCreate(resource: string, sql: string, plan: MutationPlan, ctx: CreateContext): Promise<CreatedResource[]> {
  const hooks: RunHooks = { onNotice: ctx.onNotice, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const requests = plan.returning || plan.nowait ? undefined : await plannedRequests(ctx.session, plan, hooks);
  if (!requests) return viaSession(resource, sql, ctx);
  for (const r of requests) if (r.desiredState) ctx.secrets.addWriteOnly(plan.resource, r.desiredState);
  const api = await ctx.api();
  const out: CreatedResource[] = [];
  for (const [i, r] of requests.entries()) {
    out.push(await createOne(resource, i, plan, r, api, ctx));
  }
  return out;
}

async function createOne(resource: string, index: number, plan: MutationPlan, r: MutationRequest, api: ResourceApi, ctx: CreateContext): Promise<CreatedResource> {
  const typeName = plan.resource.typeName;
  const key = `${resource}#${index}`;
  const state = r.desiredState ?? {};
  const call = { signal: ctx.signal };
  for (let attempt = 0; ; attempt++) {
    const { token } = ctx.journal.tokenFor(key, fingerprintOf(typeName, r.region, state));
    let final;
    try {
      const accepted = await api.create(typeName, r.region, state, token, call);
      final = await api.wait(accepted, r.region, call);
    } catch (e) {
      const err = toCcqlError(e);
      // A cancelled or unanswered request keeps its token: a rerun sends it again.
      if (err.code === 'cancelled') throw err;
      if (/ClientTokenConflict/.test(err.message) && attempt === 0) {
        ctx.journal.done(key);
        continue;
      }
      if (e instanceof AwsCallError && e.httpStatus !== undefined && e.httpStatus >= 400 && e.httpStatus < 500) ctx.journal.done(key);
      const message = e instanceof AwsCallError ? err.message : `CreateResource ${plan.target.name} in ${r.region} failed: ${err.message}`;
      throw ctx.secrets.scrubError(new CcqlError(err.code, message, err.hint ? { hint: err.hint } : {}));
    }
    ctx.journal.done(key);
    if (final.OperationStatus === 'SUCCESS' && final.Identifier) {
      const created = { resource, table: plan.target.name, typeName, region: r.region, identifier: final.Identifier };
      ctx.onCreated(created);
      return created;
    }
    const message = `${final.ErrorCode ?? final.OperationStatus ?? 'FAILED'}: ${final.StatusMessage ?? 'no status message'}`;
    throw ctx.secrets.scrubError(
      new CcqlError('request_failed', `CreateResource ${plan.target.name} in ${r.region} failed: ${message}`, {
        ...(final.RequestToken ? { details: [`request token: ${final.RequestToken}`] } : {}),
        ...(final.ErrorCode === 'AlreadyExists' ? { hint: 'a resource with this identifier exists already: its exists query should find it' } : {}),
      }),
    );
  }
}

/** The statement as written, through the session; the creations it reports are recorded. */
async function viaSession(resource: string, sql: string, ctx: CreateContext): Promise<CreatedResource[]> {
  const out: CreatedResource[] = [];
  const onNotice = (n: Notice): void => {
    const m = /^created (\S+) (.+) in (\S+)$/.exec(n.message);
    if (m && m[2] !== '(no identifier reported)') {
      const created = { resource, table: m[1]!, typeName: '', region: m[3]!, identifier: m[2]! };
      out.push(created);
      ctx.onCreated(created);
    } else ctx.onNotice(n);
  };
  for await (const _ of ctx.session.run(sql, { onNotice, ...(ctx.signal ? { signal: ctx.signal } : {}) })) {
    // results are not needed: `this` is read after the creation
  }
  return out;
}


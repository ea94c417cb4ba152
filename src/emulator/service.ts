/**
 * The Cloud Control operations, in process and independent of HTTP: server.ts decodes a request
 * and calls `call(operation, input, region)`; tests and benchmarks may call the service directly.
 *
 * Mutations are asynchronous as in the real service: they are validated when submitted (bad
 * input is a synchronous error), answer an IN_PROGRESS ProgressEvent, and take effect when they
 * complete, `requestDelayMs` later. Completion is applied lazily (before every call) and by a
 * timer, so a zero delay completes before the submitting call even returns.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog/loader.js';
import type { ResourceDef } from '../catalog/types.js';
import { ApiError, alreadyExistsMessage, notFoundMessage } from './api-error.js';
import { parsePatch, PatchError, type PatchOperation } from '../schema/json-patch.js';
import { checkMembers } from './members.js';
import { applyServicePatch, PatchApplicationError } from './patch.js';
import { renderTemplate, templateReferences } from './formats.js';
import {
  canonicalJson,
  deepEqual,
  deleteAt,
  forEachSlot,
  isObject,
  parsePointer,
  pathsOverlap,
  toPointer,
  valuesAt,
  type Json,
  type JsonObject,
} from '../schema/pointer.js';
import { makeRng } from './regex.js';
import { ResourceStore, type OperationName, type OperationStatus, type RequestRecord, type StoreSnapshot, type StoredResource } from './store.js';
import { typeModel, type TypeModel } from './type-model.js';
import { ACCOUNT_ID, isValid, subschemaAt, ValueGenerator } from './values.js';

export const OPERATIONS = [
  'CreateResource',
  'GetResource',
  'UpdateResource',
  'DeleteResource',
  'ListResources',
  'GetResourceRequestStatus',
  'ListResourceRequests',
  'CancelResourceRequest',
] as const;
export type OperationNameApi = (typeof OPERATIONS)[number];

export interface ServiceOptions {
  catalog: Catalog;
  /** ListResources page size (default 25). */
  pageSize?: number;
  /** How long a mutation stays IN_PROGRESS, in milliseconds (default 0). */
  requestDelayMs?: number;
  /** Called after state changed (so the owner can persist it). */
  onChange?: () => void;
  /** Clock, in epoch milliseconds (tests of timing may replace it). */
  now?: () => number;
}

/** A resource created by `seed()`: its identifier and the model as GetResource shows it. */
export interface SeededResource {
  identifier: string;
  properties: JsonObject;
}

type Input = Record<string, unknown>;

/** Finished requests remembered for GetResourceRequestStatus/ListResourceRequests. */
const REQUEST_HISTORY = 10_000;

export class CloudControlService {
  readonly store = new ResourceStore();
  readonly pageSize: number;
  requestDelayMs: number;
  private readonly catalog: Catalog;
  private readonly onChange: (() => void) | undefined;
  private readonly now: () => number;
  private readonly rng = makeRng(randomBytes(4).readUInt32LE(0));
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  /** `region\ntypeName\nidentifier` → token of the request in flight on that resource. */
  private readonly inFlight = new Map<string, string>();

  constructor(opts: ServiceOptions) {
    this.catalog = opts.catalog;
    this.pageSize = opts.pageSize ?? 25;
    this.requestDelayMs = opts.requestDelayMs ?? 0;
    this.onChange = opts.onChange;
    this.now = opts.now ?? Date.now;
  }

  /** Runs one operation; throws ApiError for anything the real service answers with an error. */
  call(operation: OperationNameApi, input: Input, region: string): JsonObject {
    this.settle();
    // The front end checks every member against the service model first, reporting all at once.
    checkMembers(operation, input);
    switch (operation) {
      case 'CreateResource':
        return this.createResource(input, region);
      case 'GetResource':
        return this.getResource(input, region);
      case 'UpdateResource':
        return this.updateResource(input, region);
      case 'DeleteResource':
        return this.deleteResource(input, region);
      case 'ListResources':
        return this.listResources(input, region);
      case 'GetResourceRequestStatus':
        return this.getResourceRequestStatus(input, region);
      case 'ListResourceRequests':
        return this.listResourceRequests(input, region);
      case 'CancelResourceRequest':
        return this.cancelResourceRequest(input, region);
    }
  }

  // ---- operations ---------------------------------------------------------------------------

  private createResource(input: Input, region: string): JsonObject {
    const typeName = str(input, 'TypeName');
    const desiredText = str(input, 'DesiredState');
    const clientToken = str(input, 'ClientToken');
    const type = this.type(typeName!, 'create', 'CREATE');
    const fingerprint = canonicalJson({ op: 'CREATE', typeName, desired: desiredText });
    const replay = this.replay(region, clientToken, fingerprint);
    if (replay) return { ProgressEvent: replay };

    const desired = parseModel(desiredText!, 'DesiredState');
    // The service validates what the caller sent; values it computes are its own business.
    const problems = [...readOnlyGiven(type, desired), ...type.validate(desired)];
    if (problems.length > 0) throw modelValidation(problems);
    const { model, identifierGenerated, generated } = this.completeModel(type, structuredClone(desired), region);
    const identifier = type.identifierOf(model) ?? this.alnum(16);
    this.checkNotInFlight(region, typeName!, identifier);

    const record = this.submit({ region, typeName: typeName!, operation: 'CREATE', identifier, clientToken, fingerprint, pendingModel: model });
    if (generated.length > 0) record.pendingGenerated = generated;
    if (identifierGenerated) record.identifierHidden = true;
    const event = progressEvent(record);
    this.completeIfDue(record);
    return { ProgressEvent: event };
  }

  private getResource(input: Input, region: string): JsonObject {
    const typeName = str(input, 'TypeName');
    const identifier = str(input, 'Identifier');
    const type = this.type(typeName!, 'read', 'READ');
    const found = this.find(type, region, identifier!);
    if (!found) throw new ApiError('ResourceNotFoundException', notFoundMessage(typeName!, identifier!));
    return {
      TypeName: typeName!,
      ResourceDescription: { Identifier: found.identifier, Properties: JSON.stringify(type.visible(found.model)) },
    };
  }

  private updateResource(input: Input, region: string): JsonObject {
    const typeName = str(input, 'TypeName');
    const identifier = str(input, 'Identifier');
    const patchText = str(input, 'PatchDocument');
    const clientToken = str(input, 'ClientToken');
    const type = this.type(typeName!, 'update', 'UPDATE');
    const fingerprint = canonicalJson({ op: 'UPDATE', typeName, identifier, patch: patchText });
    const replay = this.replay(region, clientToken, fingerprint);
    if (replay) return { ProgressEvent: replay };

    const found = this.find(type, region, identifier!);
    if (!found) throw new ApiError('ResourceNotFoundException', notFoundMessage(typeName!, identifier!));
    // The service applies the patch to what the read handler returns, which holds no write-only
    // value: a patch can neither read one back (copy, move, test) nor replace one as if present.
    const before = type.readModel(found.model);
    let ops: PatchOperation[];
    let patched: Json;
    try {
      ops = parsePatch(patchText!);
      patched = applyServicePatch(before, ops);
    } catch (e) {
      if (e instanceof PatchError) throw new ApiError('ValidationException', `Invalid patch update: ${e.message}`);
      if (e instanceof PatchApplicationError) throw new ApiError('ValidationException', e.message);
      throw e;
    }
    if (!isObject(patched)) throw modelValidation([`#: expected type: JSONObject, found: ${Array.isArray(patched) ? 'JSONArray' : 'Scalar'}`]);
    checkImmutable(type, ops, before, patched);
    // A generated property the patch sets becomes the caller's own.
    const opPaths = ops.flatMap((o) => [parsePointer(o.path), ...(o.op === 'move' && o.from !== undefined ? [parsePointer(o.from)] : [])]);
    const generated = (found.generated ?? []).filter((g) => !opPaths.some((p) => pathsOverlap(p, [g])));
    // Validated as the service validates it: the read model as patched. A required property the
    // read model can never hold (write-only itself) is not demanded; one whose every part is
    // write-only is absent from the read model and must come in the patch (Lambda's Code).
    const invalid = type.validate(callerPart(type, patched, generated)).filter((m) => !requiredWriteOnly(type, m));
    if (invalid.length > 0) throw modelValidation(invalid);
    // What the handler keeps: stored write-only values the patch did not touch.
    const model = withStoredWriteOnly(type, patched, found.model, opPaths);
    this.checkNotInFlight(region, typeName!, found.identifier);

    const record = this.submit({ region, typeName: typeName!, operation: 'UPDATE', identifier: found.identifier, clientToken, fingerprint, pendingModel: model });
    if (generated.length > 0) record.pendingGenerated = generated;
    const event = progressEvent(record);
    this.completeIfDue(record);
    return { ProgressEvent: event };
  }

  private deleteResource(input: Input, region: string): JsonObject {
    const typeName = str(input, 'TypeName');
    const identifier = str(input, 'Identifier');
    const clientToken = str(input, 'ClientToken');
    const type = this.type(typeName!, 'delete', 'DELETE');
    const fingerprint = canonicalJson({ op: 'DELETE', typeName, identifier });
    const replay = this.replay(region, clientToken, fingerprint);
    if (replay) return { ProgressEvent: replay };
    // A delete of a missing resource is accepted and then fails with NotFound, as AWS does.
    const found = this.find(type, region, identifier!);
    const id = found?.identifier ?? identifier!;
    this.checkNotInFlight(region, typeName!, id);
    const record = this.submit({ region, typeName: typeName!, operation: 'DELETE', identifier: id, clientToken, fingerprint });
    const event = progressEvent(record);
    this.completeIfDue(record);
    return { ProgressEvent: event };
  }

  private listResources(input: Input, region: string): JsonObject {
    const typeName = str(input, 'TypeName');
    const nextToken = str(input, 'NextToken');
    const maxResults = (input.MaxResults ?? undefined) as number | undefined;
    const modelText = str(input, 'ResourceModel');
    const type = this.type(typeName!, 'list', 'LIST');
    const filter: JsonObject = modelText === undefined ? {} : parseModel(modelText, 'ResourceModel');
    const parents = type.def.listParents;
    const missing = parents.filter((p) => filter[p] === undefined || filter[p] === null || filter[p] === '');
    if (missing.length > 0) {
      throw new ApiError(
        'InvalidRequestException',
        `Missing Or Invalid ResourceModel property in ${typeName} list handler request input. Required property:  [${missing.join(', ')}]`,
      );
    }
    const cursor = nextToken === undefined ? { after: 0 } : decodeListToken(nextToken, typeName!, region);
    const limit = Math.min(maxResults ?? this.pageSize, this.pageSize);
    const all = this.store.list(region, typeName!).filter((r) => r.seq > cursor.after && parents.every((p) => deepEqual(r.model[p], filter[p])));
    const page = all.slice(0, limit);
    const out: JsonObject = {
      TypeName: typeName!,
      ResourceDescriptions: page.map((r) => ({ Identifier: r.identifier, Properties: JSON.stringify(type.listProperties(r.model)) })),
    };
    if (all.length > limit) out.NextToken = encodeListToken(page[page.length - 1]!.seq, typeName!, region);
    return out;
  }

  private getResourceRequestStatus(input: Input, region: string): JsonObject {
    const token = str(input, 'RequestToken');
    const record = this.request(token!, region);
    return { ProgressEvent: progressEvent(record) };
  }

  private listResourceRequests(input: Input, region: string): JsonObject {
    const maxResults = (input.MaxResults ?? undefined) as number | undefined;
    const nextToken = str(input, 'NextToken');
    const filter = (input.ResourceRequestStatusFilter ?? undefined) as Record<string, unknown> | undefined;
    // Members were checked (members.ts): the filter's lists hold only known values.
    const operations = (filter?.Operations ?? undefined) as string[] | undefined;
    const statuses = (filter?.OperationStatuses ?? undefined) as string[] | undefined;
    // Newest first, as the service lists them.
    const matching = [...this.store.requests.values()]
      .filter((r) => r.region === region)
      .filter((r) => !operations || operations.length === 0 || operations.includes(r.operation))
      .filter((r) => !statuses || statuses.length === 0 || statuses.includes(r.status))
      .reverse();
    let start = 0;
    if (nextToken !== undefined) {
      const after = decodeRequestsToken(nextToken);
      const i = matching.findIndex((r) => r.token === after);
      if (i < 0) throw new ApiError('ValidationException', 'The NextToken provided is invalid or expired.');
      start = i + 1;
    }
    const limit = maxResults ?? 20;
    const page = matching.slice(start, start + limit);
    const out: JsonObject = { ResourceRequestStatusSummaries: page.map(progressEvent) };
    // Standard base64: the model's NextToken pattern for this operation has no `_`.
    if (start + limit < matching.length) out.NextToken = Buffer.from(`r:${page[page.length - 1]!.token}`).toString('base64');
    return out;
  }

  private cancelResourceRequest(input: Input, region: string): JsonObject {
    const token = str(input, 'RequestToken');
    const record = this.request(token!, region);
    if (record.status !== 'IN_PROGRESS' && record.status !== 'PENDING') {
      throw new ApiError('ConcurrentModificationException', `Request with token ${token} is in status ${record.status} and can no longer be canceled.`);
    }
    this.setStatus(record, 'CANCEL_IN_PROGRESS');
    const event = progressEvent(record);
    // Nothing was applied yet (effects happen at completion), so the cancellation completes at once.
    this.setStatus(record, 'CANCEL_COMPLETE');
    delete record.pendingModel;
    delete record.pendingGenerated;
    this.releaseInFlight(record);
    this.changed();
    return { ProgressEvent: event };
  }

  // ---- in-process API for tests and benchmarks ----------------------------------------------

  /**
   * Creates resources directly, without requests or HTTP: read-only properties are generated and
   * every model is validated as CreateResource would. For tests and benchmarks that need many
   * resources quickly.
   */
  seed(typeName: string, region: string, models: readonly JsonObject[]): SeededResource[] {
    const type = this.type(typeName, 'create', 'CREATE');
    const out: SeededResource[] = [];
    for (const desired of models) {
      const problems = [...readOnlyGiven(type, desired), ...type.validate(desired)];
      if (problems.length > 0) throw modelValidation(problems);
      const { model, generated } = this.completeModel(type, structuredClone(desired), region);
      const identifier = type.identifierOf(model) ?? this.alnum(16);
      if (this.store.get(region, typeName, identifier)) throw new ApiError('AlreadyExistsException', alreadyExistsMessage(typeName, identifier));
      this.store.put(region, typeName, identifier, model, generated);
      out.push({ identifier, properties: type.visible(model) });
    }
    this.changed();
    return out;
  }

  /** Replaces the state with a saved one; requests that were in flight resume (and may be due). */
  restore(snapshot: StoreSnapshot): void {
    this.store.restore(snapshot);
    this.inFlight.clear();
    for (const r of this.store.requests.values()) {
      if (r.status === 'IN_PROGRESS' && r.identifier !== undefined) this.inFlight.set(this.flightKey(r.region, r.typeName, r.identifier), r.token);
    }
    this.settle();
  }

  /** Completes every request that is due (or all in-flight requests when `all`). */
  settle(all = false): void {
    const now = this.now();
    let changed = false;
    for (const token of this.inFlight.values()) {
      const r = this.store.requests.get(token);
      if (r && r.status === 'IN_PROGRESS' && (all || r.dueAt <= now)) {
        this.complete(r);
        changed = true;
      }
    }
    if (changed) this.changed();
    this.scheduleTimer();
  }

  /** For code beside the service that changes its store (the native APIs): the state must be saved. */
  noteChanged(): void {
    this.changed();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
  }

  // ---- requests -----------------------------------------------------------------------------

  private submit(r: {
    region: string;
    typeName: string;
    operation: OperationName;
    identifier: string;
    clientToken: string | undefined;
    fingerprint: string;
    pendingModel?: JsonObject;
  }): RequestRecord {
    const now = this.now();
    const record: RequestRecord = {
      token: randomUUID(),
      region: r.region,
      typeName: r.typeName,
      operation: r.operation,
      status: 'IN_PROGRESS',
      identifier: r.identifier,
      eventTime: now,
      dueAt: now + this.requestDelayMs,
      fingerprint: r.fingerprint,
    };
    if (r.clientToken !== undefined) record.clientToken = r.clientToken;
    if (r.pendingModel) record.pendingModel = r.pendingModel;
    this.store.addRequest(record);
    this.store.pruneRequests(REQUEST_HISTORY);
    this.inFlight.set(this.flightKey(r.region, r.typeName, r.identifier), record.token);
    return record;
  }

  private completeIfDue(record: RequestRecord): void {
    if (record.dueAt <= this.now()) this.complete(record);
    this.changed();
    this.scheduleTimer();
  }

  private complete(r: RequestRecord): void {
    this.releaseInFlight(r);
    const id = r.identifier!;
    const type = typeModel(this.catalog.resourceByType(r.typeName)!);
    const existing = this.store.get(r.region, r.typeName, id);
    switch (r.operation) {
      case 'CREATE':
        if (existing) {
          this.fail(r, 'AlreadyExists', alreadyExistsMessage(r.typeName, id));
          return;
        }
        this.store.put(r.region, r.typeName, id, r.pendingModel!, r.pendingGenerated);
        r.resourceModel = JSON.stringify(type.visible(r.pendingModel!));
        break;
      case 'UPDATE': {
        if (!existing) {
          this.fail(r, 'NotFound', notFoundMessage(r.typeName, id));
          return;
        }
        const newId = type.identifierOf(r.pendingModel!) ?? id;
        this.store.put(r.region, r.typeName, newId, r.pendingModel!, r.pendingGenerated, id);
        r.identifier = newId;
        r.resourceModel = JSON.stringify(type.visible(r.pendingModel!));
        break;
      }
      case 'DELETE':
        if (!existing) {
          this.fail(r, 'NotFound', notFoundMessage(r.typeName, id));
          return;
        }
        this.store.delete(r.region, r.typeName, id);
        break;
    }
    delete r.pendingModel;
    delete r.pendingGenerated;
    delete r.identifierHidden;
    this.setStatus(r, 'SUCCESS');
  }

  private fail(r: RequestRecord, errorCode: string, message: string): void {
    delete r.pendingModel;
    delete r.pendingGenerated;
    delete r.identifierHidden;
    r.errorCode = errorCode;
    r.statusMessage = message;
    this.setStatus(r, 'FAILED');
  }

  private setStatus(r: RequestRecord, status: OperationStatus): void {
    r.status = status;
    r.eventTime = this.now();
  }

  private releaseInFlight(r: RequestRecord): void {
    const key = this.flightKey(r.region, r.typeName, r.identifier ?? '');
    if (this.inFlight.get(key) === r.token) this.inFlight.delete(key);
  }

  private checkNotInFlight(region: string, typeName: string, identifier: string): void {
    const token = this.inFlight.get(this.flightKey(region, typeName, identifier));
    if (token !== undefined) {
      throw new ApiError(
        'ConcurrentOperationException',
        `Another resource operation (request token ${token}) is currently being performed on the resource of type '${typeName}' with identifier '${identifier}'.`,
      );
    }
  }

  private request(token: string, region: string): RequestRecord {
    const r = this.store.requests.get(token);
    if (!r || r.region !== region) throw new ApiError('RequestTokenNotFoundException', `Request with token ${token} was not found`);
    return r;
  }

  /** The earlier request's current event for a retried ClientToken, or a conflict error. */
  private replay(region: string, clientToken: string | undefined, fingerprint: string): JsonObject | undefined {
    if (clientToken === undefined) return undefined;
    const token = this.store.clientTokens.get(`${region}\n${clientToken}`);
    if (token === undefined) return undefined;
    const r = this.store.requests.get(token);
    if (!r) return undefined;
    if (r.fingerprint !== fingerprint) {
      throw new ApiError('ClientTokenConflictException', `The specified client token (${clientToken}) has already been used in another resource request.`);
    }
    return progressEvent(r);
  }

  private scheduleTimer(): void {
    let due = Infinity;
    for (const token of this.inFlight.values()) {
      const r = this.store.requests.get(token);
      if (r && r.status === 'IN_PROGRESS') due = Math.min(due, r.dueAt);
    }
    if (due === Infinity || due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.settle();
    }, Math.max(0, due - this.now()));
    this.timer.unref();
  }

  private changed(): void {
    this.onChange?.();
  }

  // ---- types, identifiers, models -----------------------------------------------------------

  private type(typeName: string, handler: 'create' | 'read' | 'update' | 'delete' | 'list', action: string): TypeModel {
    let def: ResourceDef | undefined;
    try {
      def = this.catalog.resourceByType(typeName);
    } catch {
      def = undefined;
    }
    if (!def) throw new ApiError('TypeNotFoundException', `The type '${typeName}' cannot be found.`);
    if (!def.operations[handler]) throw new ApiError('UnsupportedActionException', `Resource type ${typeName} does not support ${action} action`);
    return typeModel(def);
  }

  /** A stored resource by primary identifier, its JSON form, or an additional identifier. */
  private find(type: TypeModel, region: string, identifier: string): StoredResource | undefined {
    const direct = this.store.get(region, type.typeName, identifier) ?? this.store.get(region, type.typeName, type.normalizeIdentifier(identifier));
    if (direct) return direct;
    const candidates = (type.identifiersFromJson(identifier) ?? [identifier]).map((c) => type.normalizeIdentifier(c));
    for (const c of candidates) {
      const hit = this.store.get(region, type.typeName, c);
      if (hit) return hit;
    }
    if (type.def.additionalIdentifiers.length === 0) return undefined;
    return this.store.find(region, type.typeName, (r) => type.alternateIdentifiers(r.model).some((a) => candidates.includes(a)));
  }

  /**
   * The desired state plus what the service makes: generated read-only values (in the type's own
   * formats where formats.ts has them: ARNs, ids, URLs), any primary identifier left out (or
   * derived from the property AWS takes it from), identifiers lower-cased where AWS does, schema
   * defaults for what was left out, and values that equal each other where the schema says so.
   */
  private completeModel(type: TypeModel, desired: JsonObject, region: string): { model: JsonObject; identifierGenerated: boolean; generated: string[] } {
    const gen = new ValueGenerator(this.rng, region);
    const model = desired;
    const def = type.def;
    const fmt = type.format;
    const isReadOnlyTop = (p: string): boolean => type.readOnly.some((r) => r.length === 1 && r[0] === p);
    // Identifiers first: when a name is the identifier, AWS builds the ARN from it.
    let identifierGenerated = def.primaryIdentifier.every(isReadOnlyTop);
    const generated: string[] = [];
    for (const [p, from] of Object.entries(fmt?.derived ?? {})) {
      const key = parsePointer(p)[0]!;
      const [v] = valuesAt(model, parsePointer(from));
      if (model[key] === undefined && typeof v === 'string') model[key] = v;
    }
    for (const key of type.lowercase) {
      const v = model[key];
      if (typeof v === 'string') model[key] = v.toLowerCase();
    }
    for (const p of def.primaryIdentifier) {
      // A required one is the caller's to give (validation says so); an optional one AWS names.
      if (model[p] === undefined && !def.required.includes(p) && !isReadOnlyTop(p)) {
        let v = gen.value(def, p, subschemaAt(def.schema, [p]) ?? { type: 'string' });
        if (typeof v === 'string' && type.lowercase.has(p)) v = v.toLowerCase();
        model[p] = v;
        identifierGenerated = true;
        generated.push(p);
      }
    }
    // Properties a format template names that the caller left out (an SQS queue's QueueName).
    for (const template of Object.values(fmt?.values ?? {})) {
      for (const ref of templateReferences(template)) {
        const path = parsePointer(ref);
        const key = path[0]!;
        if (path.length !== 1 || model[key] !== undefined || isReadOnlyTop(key) || type.isWriteOnlyPath(path)) continue;
        const schema = subschemaAt(def.schema, path);
        if (!schema) continue;
        const v = gen.value(def, key, schema);
        if (typeof v !== 'string') continue;
        model[key] = v;
        generated.push(key);
      }
    }
    const only = def.primaryIdentifier.length === 1 ? def.primaryIdentifier[0]! : undefined;
    const name = only !== undefined && !isReadOnlyTop(only) ? model[only] : undefined;
    if (typeof name === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(name)) gen.nameHint = name;
    const readOnlyValues = (): void => {
      const byDepth = [...type.readOnly].sort((a, b) => a.length - b.length);
      for (const path of byDepth) {
        if (path.length === 1) {
          const schema = subschemaAt(def.schema, path) ?? {};
          model[path[0]!] = gen.value(def, path[0]!, schema);
        } else {
          forEachSlot(model, path, (container, key) => {
            container[key] = gen.value(def, key, subschemaAt(def.schema, path) ?? {});
          });
        }
      }
      this.applyFormats(type, model, gen, region);
    };
    readOnlyValues();
    // A generated identifier that collides with an existing resource is drawn again.
    for (let i = 0; i < 5 && identifierGenerated; i++) {
      const id = type.identifierOf(model);
      if (id === undefined || !this.store.get(region, type.typeName, id)) break;
      for (const p of def.primaryIdentifier) {
        if (generated.includes(p) && !isReadOnlyTop(p)) model[p] = gen.value(def, p, subschemaAt(def.schema, [p]) ?? { type: 'string' });
      }
      readOnlyValues();
    }
    this.applyDefaults(type, model, generated);
    return { model, identifierGenerated, generated };
  }

  /**
   * Read-only values in the type's formats (formats.ts), in the order their templates need one
   * another; a rendered value the property's own schema would refuse is left as generated.
   * Then ports from the engine, and values that equal another property.
   */
  private applyFormats(type: TypeModel, model: JsonObject, gen: ValueGenerator, region: string): void {
    const def = type.def;
    const fmt = type.format;
    const pending = Object.entries(fmt?.values ?? {}).filter(([p]) => {
      const path = parsePointer(p);
      return type.readOnly.some((r) => r.length === path.length && r.every((s, i) => s === path[i]));
    });
    const ctx = { region, account: ACCOUNT_ID, model, generate: (kind: string) => gen.part(kind) };
    // Templates that read another templated value wait for it: a few passes settle any order.
    const waiting = new Set(pending.map(([p]) => p));
    for (let pass = 0; pass < 4 && waiting.size > 0; pass++) {
      for (const [pointer, template] of pending) {
        if (!waiting.has(pointer)) continue;
        if (templateReferences(template).some((r) => waiting.has(r) && r !== pointer)) continue;
        waiting.delete(pointer);
        const path = parsePointer(pointer);
        const schema = subschemaAt(def.schema, path) ?? {};
        // Values the template reads that the emulator made up may be drawn again until the
        // result fits the property's schema (a sampled id can take a pattern's other branch).
        const redrawable = templateReferences(template)
          .map(parsePointer)
          .filter((r) => r.length === 1 && type.readOnly.some((ro) => ro.length === 1 && ro[0] === r[0]) && !Object.hasOwn(fmt?.values ?? {}, toPointer(r)));
        let value = renderTemplate(template, ctx);
        for (let tries = 0; tries < 5 && value !== undefined && !isValid(schema, value) && redrawable.length > 0; tries++) {
          for (const r of redrawable) model[r[0]!] = gen.value(def, r[0]!, subschemaAt(def.schema, r) ?? {});
          value = renderTemplate(template, ctx);
        }
        if (value === undefined || !isValid(schema, value)) continue;
        const chosen = value;
        forEachSlot(model, path, (container, key) => {
          container[key] = chosen;
        });
      }
    }
    for (const path of type.readOnly) {
      if (path[path.length - 1] !== 'Port') continue;
      const port = portFor(model);
      if (port === undefined) continue;
      const schema = subschemaAt(def.schema, path) ?? {};
      const value = schema.type === 'string' ? String(port) : port;
      if (isValid(schema, value)) forEachSlot(model, path, (container, key) => (container[key] = value));
    }
    for (const [pointer, sourcePointer] of Object.entries(fmt?.equals ?? {})) {
      const [v] = valuesAt(model, parsePointer(sourcePointer));
      if (v !== undefined) forEachSlot(model, parsePointer(pointer), (container, key) => (container[key] = structuredClone(v)));
    }
  }

  /**
   * Schema defaults for top-level properties the caller left out, as read handlers return them;
   * kept only if the model still validates with them (a few registry defaults contradict their
   * own schema).
   */
  private applyDefaults(type: TypeModel, model: JsonObject, generated: string[]): void {
    const def = type.def;
    const props = (def.schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    const added: string[] = [];
    for (const key of Object.keys(props)) {
      if (model[key] !== undefined || type.readOnly.some((r) => r[0] === key) || type.isWriteOnlyPath([key])) continue;
      const schema = subschemaAt(def.schema, [key]);
      if (!schema || schema.default === undefined || !isValid(schema, schema.default)) continue;
      model[key] = structuredClone(schema.default as Json);
      added.push(key);
    }
    if (added.length === 0) return;
    if (type.validate(callerPart(type, model, generated)).length > 0) for (const key of added) delete model[key];
  }

  /** In-flight requests are per resource: for a global type, one key over every region. */
  private flightKey(region: string, typeName: string, identifier: string): string {
    return inFlightKey(this.store.scopeOf(region, typeName), typeName, identifier);
  }

  private alnum(n: number): string {
    return new ValueGenerator(this.rng, '').alnum(n);
  }
}

// ---- helpers ----------------------------------------------------------------------------------

function inFlightKey(region: string, typeName: string, identifier: string): string {
  return `${region}\n${typeName}\n${identifier}`;
}

function progressEvent(r: RequestRecord): JsonObject {
  const e: JsonObject = {
    TypeName: r.typeName,
    RequestToken: r.token,
    Operation: r.operation,
    OperationStatus: r.status,
    EventTime: r.eventTime / 1000,
  };
  if (r.identifier !== undefined && !r.identifierHidden) e.Identifier = r.identifier;
  if (r.resourceModel !== undefined) e.ResourceModel = r.resourceModel;
  if (r.statusMessage !== undefined) e.StatusMessage = r.statusMessage;
  if (r.errorCode !== undefined) e.ErrorCode = r.errorCode;
  return e;
}

/** A stored model without what the emulator made up: the part a caller answers for. */
function callerPart(type: TypeModel, model: JsonObject, generated: readonly string[]): JsonObject {
  const copy = structuredClone(model);
  for (const path of type.readOnly) deleteAt(copy, path);
  for (const g of generated) delete copy[g];
  return copy;
}

/**
 * A `required key [X] not found` for a property that is itself write-only: the read model never
 * holds one, and the handler keeps the stored value, so an update need not repeat it.
 */
function requiredWriteOnly(type: TypeModel, message: string): boolean {
  const m = /^#(\S*): required key \[(.+)\] not found$/.exec(message);
  if (!m) return false;
  const at = (m[1] ?? '').split('/').filter((s) => s !== '');
  return type.isWriteOnlyPath([...at, m[2]!]);
}

/** The patched model with each stored write-only value the patch did not touch put back. */
function withStoredWriteOnly(type: TypeModel, patched: JsonObject, stored: JsonObject, opPaths: readonly string[][]): JsonObject {
  if (type.writeOnly.length === 0) return patched;
  const out = structuredClone(patched);
  for (const w of type.writeOnly) {
    if (opPaths.some((p) => pathsOverlap(p, w))) continue;
    restoreAt(out, stored, w);
  }
  return out;
}

function restoreAt(target: Json, source: Json, path: readonly string[]): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (head === '*') {
    if (Array.isArray(target) && Array.isArray(source) && target.length === source.length) target.forEach((t, i) => restoreAt(t, source[i]!, rest));
    return;
  }
  if (!isObject(target) || !isObject(source) || !Object.hasOwn(source, head)) return;
  if (rest.length === 0) {
    target[head] = structuredClone(source[head]!);
    return;
  }
  // A container the read model dropped because it held only write-only values comes back.
  if (target[head] === undefined && isObject(source[head])) target[head] = {};
  restoreAt(target[head]!, source[head]!, rest);
}

/** The port a database engine listens on by default (the engine's own documentation). */
function portFor(model: JsonObject): number | undefined {
  if (typeof model.Port === 'number') return model.Port;
  if (typeof model.Port === 'string' && /^\d+$/.test(model.Port)) return Number(model.Port);
  const engine = typeof model.Engine === 'string' ? model.Engine.toLowerCase() : undefined;
  if (engine === undefined) return undefined;
  if (engine.includes('postgres')) return 5432;
  if (engine.includes('mysql') || engine.includes('mariadb')) return 3306;
  if (engine.startsWith('oracle')) return 1521;
  if (engine.startsWith('sqlserver')) return 1433;
  if (engine.startsWith('db2')) return 50000;
  if (engine.includes('redis') || engine.includes('valkey')) return 6379;
  if (engine.includes('memcached')) return 11211;
  if (engine.includes('docdb') || engine.includes('mongo')) return 27017;
  if (engine.includes('neptune')) return 8182;
  return undefined;
}

function modelValidation(problems: string[]): ApiError {
  return new ApiError('ValidationException', `Model validation failed (${problems.join('\n')})`);
}

/** Read-only properties present in a desired state: the service rejects them. */
function readOnlyGiven(type: TypeModel, desired: JsonObject): string[] {
  const out: string[] = [];
  for (const path of type.readOnly) {
    if (valuesAt(desired, path).length === 0) continue;
    const parent = path.slice(0, -1).map((s) => (s === '*' ? '0' : s));
    out.push(`#${toPointer(parent)}: extraneous key [${path[path.length - 1]}] is not permitted`);
  }
  return out;
}

/**
 * Rejects a patch that changes a create-only or read-only property (an operation whose path
 * reaches one, and after which its value differs), in the service's wording.
 */
function checkImmutable(type: TypeModel, ops: PatchOperation[], before: JsonObject, after: JsonObject): void {
  const opPaths = ops.flatMap((o) => [parsePointer(o.path), ...(o.op === 'move' && o.from !== undefined ? [parsePointer(o.from)] : [])]);
  const offending = (paths: string[][]): string[] =>
    paths
      .filter((p) => opPaths.some((o) => pathsOverlap(o, p)) && !deepEqual(valuesAt(before, p), valuesAt(after, p)))
      .map((p) => `/properties${toPointer(p)}`);
  const createOnly = offending(type.createOnly);
  if (createOnly.length > 0) throw new ApiError('NotUpdatableException', `Invalid patch update: createOnlyProperties [${createOnly.join(', ')}] cannot be updated`);
  const readOnly = offending(type.readOnly);
  if (readOnly.length > 0) throw new ApiError('NotUpdatableException', `Invalid patch update: readOnlyProperties [${readOnly.join(', ')}] cannot be updated`);
}

function parseModel(text: string, member: string): JsonObject {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    // The parser's message quotes the input, which may hold secrets: say where, not what.
    throw new ApiError('ValidationException', `${member} is not valid JSON`);
  }
  if (!isObject(v as Json)) throw modelValidation([`#: expected type: JSONObject, found: ${Array.isArray(v) ? 'JSONArray' : v === null ? 'Null' : typeof v}`]);
  return v as JsonObject;
}

/** A string member, already checked by checkMembers (members.ts). */
function str(input: Input, name: string): string | undefined {
  const v = input[name];
  return typeof v === 'string' ? v : undefined;
}

/** NextTokens are opaque to clients; bound to the type and region they were issued for. */
function encodeListToken(after: number, typeName: string, region: string): string {
  return Buffer.from(JSON.stringify({ a: after, t: typeName, r: region })).toString('base64url');
}

function decodeListToken(token: string, typeName: string, region: string): { after: number } {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown; t?: unknown; r?: unknown };
    if (typeof v.a === 'number' && v.t === typeName && v.r === region) return { after: v.a };
  } catch {
    // fall through to the error
  }
  throw new ApiError('InvalidRequestException', 'The NextToken provided is invalid or expired.');
}

function decodeRequestsToken(token: string): string {
  const s = Buffer.from(token, 'base64').toString('utf8');
  if (!s.startsWith('r:')) throw new ApiError('ValidationException', 'The NextToken provided is invalid or expired.');
  return s.slice(2);
}

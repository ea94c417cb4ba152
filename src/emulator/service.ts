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
import { ApiError, alreadyExistsMessage, memberValidationError, notFoundMessage } from './api-error.js';
import { applyPatch, parsePatch, PatchError, type PatchOperation } from '../schema/json-patch.js';
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
import { subschemaAt, ValueGenerator } from './values.js';

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

const TYPE_NAME_PATTERN = /^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$/;
const TOKEN_PATTERN = /^[-A-Za-z0-9+/=]+$/;
const MAX_DOCUMENT = 65536;
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
    const typeName = str(input, 'TypeName', { required: true, max: 196 });
    const desiredText = str(input, 'DesiredState', { required: true, max: MAX_DOCUMENT, sensitive: true });
    const clientToken = this.clientToken(input);
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
    const typeName = str(input, 'TypeName', { required: true, max: 196 });
    const identifier = str(input, 'Identifier', { required: true, max: 1024 });
    str(input, 'TypeVersionId', { max: 1024 });
    str(input, 'RoleArn', { max: 2048 });
    const type = this.type(typeName!, 'read', 'READ');
    const found = this.find(type, region, identifier!);
    if (!found) throw new ApiError('ResourceNotFoundException', notFoundMessage(typeName!, identifier!));
    return {
      TypeName: typeName!,
      ResourceDescription: { Identifier: found.identifier, Properties: JSON.stringify(type.visible(found.model)) },
    };
  }

  private updateResource(input: Input, region: string): JsonObject {
    const typeName = str(input, 'TypeName', { required: true, max: 196 });
    const identifier = str(input, 'Identifier', { required: true, max: 1024 });
    const patchText = str(input, 'PatchDocument', { required: true, max: MAX_DOCUMENT, sensitive: true });
    const clientToken = this.clientToken(input);
    const type = this.type(typeName!, 'update', 'UPDATE');
    const fingerprint = canonicalJson({ op: 'UPDATE', typeName, identifier, patch: patchText });
    const replay = this.replay(region, clientToken, fingerprint);
    if (replay) return { ProgressEvent: replay };

    const found = this.find(type, region, identifier!);
    if (!found) throw new ApiError('ResourceNotFoundException', notFoundMessage(typeName!, identifier!));
    let ops: PatchOperation[];
    let patched: Json;
    try {
      ops = parsePatch(patchText!);
      patched = applyPatch(found.model, ops);
    } catch (e) {
      if (e instanceof PatchError) throw new ApiError('ValidationException', `Invalid patch update: ${e.message}`);
      throw e;
    }
    if (!isObject(patched)) throw modelValidation([`#: expected type: JSONObject, found: ${Array.isArray(patched) ? 'JSONArray' : 'Scalar'}`]);
    const model = patched;
    checkImmutable(type, ops, found.model, model);
    // A generated property the patch sets becomes the caller's own.
    const opPaths = ops.map((o) => parsePointer(o.path));
    const generated = (found.generated ?? []).filter((g) => !opPaths.some((p) => pathsOverlap(p, [g])));
    const invalid = type.validate(callerPart(type, model, generated));
    if (invalid.length > 0) throw modelValidation(invalid);
    this.checkNotInFlight(region, typeName!, found.identifier);

    const record = this.submit({ region, typeName: typeName!, operation: 'UPDATE', identifier: found.identifier, clientToken, fingerprint, pendingModel: model });
    if (generated.length > 0) record.pendingGenerated = generated;
    const event = progressEvent(record);
    this.completeIfDue(record);
    return { ProgressEvent: event };
  }

  private deleteResource(input: Input, region: string): JsonObject {
    const typeName = str(input, 'TypeName', { required: true, max: 196 });
    const identifier = str(input, 'Identifier', { required: true, max: 1024 });
    const clientToken = this.clientToken(input);
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
    const typeName = str(input, 'TypeName', { required: true, max: 196 });
    const nextToken = str(input, 'NextToken', { max: 2048 });
    const maxResults = int(input, 'MaxResults', 1, 100);
    const modelText = str(input, 'ResourceModel', { max: MAX_DOCUMENT, sensitive: true });
    str(input, 'TypeVersionId', { max: 1024 });
    str(input, 'RoleArn', { max: 2048 });
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
    const token = str(input, 'RequestToken', { required: true, max: 128, pattern: TOKEN_PATTERN });
    const record = this.request(token!, region);
    return { ProgressEvent: progressEvent(record) };
  }

  private listResourceRequests(input: Input, region: string): JsonObject {
    const maxResults = int(input, 'MaxResults', 1, 100);
    const nextToken = str(input, 'NextToken', { max: 2048 });
    const filter = input.ResourceRequestStatusFilter;
    let operations: string[] | undefined;
    let statuses: string[] | undefined;
    if (filter !== undefined && filter !== null) {
      if (!isObject(filter as Json)) throw serialization('ResourceRequestStatusFilter must be an object');
      const f = filter as Record<string, unknown>;
      operations = enumList(f.Operations, 'resourceRequestStatusFilter.operations', ['CREATE', 'DELETE', 'UPDATE']);
      statuses = enumList(f.OperationStatuses, 'resourceRequestStatusFilter.operationStatuses', [
        'PENDING',
        'IN_PROGRESS',
        'SUCCESS',
        'FAILED',
        'CANCEL_IN_PROGRESS',
        'CANCEL_COMPLETE',
      ]);
    }
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
    if (start + limit < matching.length) out.NextToken = Buffer.from(`r:${page[page.length - 1]!.token}`).toString('base64url');
    return out;
  }

  private cancelResourceRequest(input: Input, region: string): JsonObject {
    const token = str(input, 'RequestToken', { required: true, max: 128, pattern: TOKEN_PATTERN });
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
      if (r.status === 'IN_PROGRESS' && r.identifier !== undefined) this.inFlight.set(inFlightKey(r.region, r.typeName, r.identifier), r.token);
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
    this.inFlight.set(inFlightKey(r.region, r.typeName, r.identifier), record.token);
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
    const key = inFlightKey(r.region, r.typeName, r.identifier ?? '');
    if (this.inFlight.get(key) === r.token) this.inFlight.delete(key);
  }

  private checkNotInFlight(region: string, typeName: string, identifier: string): void {
    const token = this.inFlight.get(inFlightKey(region, typeName, identifier));
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

  private clientToken(input: Input): string | undefined {
    return str(input, 'ClientToken', { max: 128, pattern: TOKEN_PATTERN });
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
    if (!TYPE_NAME_PATTERN.test(typeName)) {
      throw memberValidationError([
        `Value '${typeName}' at 'typeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}`,
      ]);
    }
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
    const direct = this.store.get(region, type.typeName, identifier);
    if (direct) return direct;
    const candidates = type.identifiersFromJson(identifier) ?? [identifier];
    for (const c of candidates) {
      const hit = this.store.get(region, type.typeName, c);
      if (hit) return hit;
    }
    if (type.def.additionalIdentifiers.length === 0) return undefined;
    return this.store.find(region, type.typeName, (r) => type.alternateIdentifiers(r.model).some((a) => candidates.includes(a)));
  }

  /** The desired state plus generated read-only values and any primary identifier left out. */
  private completeModel(type: TypeModel, desired: JsonObject, region: string): { model: JsonObject; identifierGenerated: boolean; generated: string[] } {
    const gen = new ValueGenerator(this.rng, region);
    const model = desired;
    const def = type.def;
    const isReadOnlyTop = (p: string): boolean => type.readOnly.some((r) => r.length === 1 && r[0] === p);
    // Identifiers first: when a name is the identifier, AWS builds the ARN from it.
    let identifierGenerated = def.primaryIdentifier.every(isReadOnlyTop);
    const generated: string[] = [];
    for (const p of def.primaryIdentifier) {
      // A required one is the caller's to give (validation says so); an optional one AWS names.
      if (model[p] === undefined && !def.required.includes(p) && !isReadOnlyTop(p)) {
        model[p] = gen.value(def, p, subschemaAt(def.schema, [p]) ?? { type: 'string' });
        identifierGenerated = true;
        generated.push(p);
      }
    }
    const only = def.primaryIdentifier.length === 1 ? def.primaryIdentifier[0]! : undefined;
    const name = only !== undefined && !isReadOnlyTop(only) ? model[only] : undefined;
    if (typeof name === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(name)) gen.nameHint = name;
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
    // A generated identifier that collides with an existing resource is drawn again.
    for (let i = 0; i < 5 && identifierGenerated; i++) {
      const id = type.identifierOf(model);
      if (id === undefined || !this.store.get(region, type.typeName, id)) break;
      for (const p of def.primaryIdentifier) {
        if (isReadOnlyTop(p) || generated.includes(p)) {
          model[p] = gen.value(def, p, subschemaAt(def.schema, [p]) ?? { type: 'string' });
        }
      }
    }
    return { model, identifierGenerated, generated };
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

function modelValidation(problems: string[]): ApiError {
  return new ApiError('ValidationException', `Model validation failed (${problems.join('\n')})`);
}

function serialization(message: string): ApiError {
  return new ApiError('SerializationException', message);
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

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** A string member, checked against the service model's constraints. */
function str(
  input: Input,
  name: string,
  c: { required?: boolean; max: number; pattern?: RegExp; sensitive?: boolean },
): string | undefined {
  const v = input[name];
  const at = lowerFirst(name);
  if (v === undefined || v === null) {
    if (c.required) throw memberValidationError([`Value null at '${at}' failed to satisfy constraint: Member must not be null`]);
    return undefined;
  }
  if (typeof v !== 'string') throw serialization(`Member '${name}' must be a string`);
  const shown = c.sensitive ? '' : ` '${v.length > 256 ? `${v.slice(0, 256)}…` : v}'`;
  if (v.length < 1) throw memberValidationError([`Value${shown} at '${at}' failed to satisfy constraint: Member must have length greater than or equal to 1`]);
  if (v.length > c.max) throw memberValidationError([`Value${shown} at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${c.max}`]);
  if (c.pattern && !c.pattern.test(v)) {
    throw memberValidationError([`Value${shown} at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${c.pattern.source.slice(1, -1)}`]);
  }
  return v;
}

function int(input: Input, name: string, min: number, max: number): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw serialization(`Member '${name}' must be an integer`);
  const at = lowerFirst(name);
  if (v < min) throw memberValidationError([`Value '${v}' at '${at}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`]);
  if (v > max) throw memberValidationError([`Value '${v}' at '${at}' failed to satisfy constraint: Member must have value less than or equal to ${max}`]);
  return v;
}

function enumList(v: unknown, at: string, allowed: string[]): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw serialization(`Member '${at}' must be a list of strings`);
  const bad = v.find((x) => !allowed.includes(x as string));
  if (bad !== undefined) {
    throw memberValidationError([`Value '[${v.join(', ')}]' at '${at}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${allowed.join(', ')}]]`]);
  }
  return v as string[];
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
  const s = Buffer.from(token, 'base64url').toString('utf8');
  if (!s.startsWith('r:')) throw new ApiError('ValidationException', 'The NextToken provided is invalid or expired.');
  return s.slice(2);
}

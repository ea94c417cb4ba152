/**
 * The generated round trip: for a resource type, build a minimal valid desired state from its
 * schema, then create, read, list, update and delete one resource through the service's own
 * operations (in process, no HTTP), checking each answer. Used by the round-trip test over all
 * 1,489 types, which records how many pass and why the others do not.
 */
import type { ResourceDef } from '../catalog/types.js';
import { ApiError } from './api-error.js';
import { isObject, deepEqual, toPointer, valuesAt, type Json, type JsonObject } from '../schema/pointer.js';
import { compileRegExp, makeRng } from './regex.js';
import { templatePattern } from './formats.js';
import type { CloudControlService, OperationNameApi } from './service.js';
import { typeModel } from './type-model.js';
import { deref } from '../schema/refs.js';
import { ACCOUNT_ID, mergeBranches, ValueGenerator } from './values.js';

export type RoundTripOutcome = 'pass' | 'fail' | 'not-applicable';

export interface RoundTripResult {
  typeName: string;
  outcome: RoundTripOutcome;
  /** Steps carried out, e.g. ['create', 'read', 'list', 'update', 'delete']. */
  steps: string[];
  /** Steps the type's handlers or schema do not allow, with why. */
  skipped: string[];
  /** For a failure (or a type that cannot take part): the step and the reason. */
  reason?: string;
  /** A short class for grouping reasons in the report. */
  reasonClass?: string;
  /** Validation reductions for this type's schema (patterns JS cannot express, …). */
  validationNotes: string[];
  /** Generated read-only values that their own schema would reject (a fidelity gap, not a failure). */
  generatedValueProblems: string[];
  /** Where the recorded format the generated identifier was checked against comes from (formats.ts). */
  identifierFormat?: 'iam-data' | 'override' | 'schema';
}

const REGION = 'us-east-1';

class StepFailure extends Error {
  constructor(
    readonly reasonClass: string,
    message: string,
  ) {
    super(message);
  }
}

export function roundTrip(service: CloudControlService, def: ResourceDef, seed = 1): RoundTripResult {
  const type = typeModel(def);
  const result: RoundTripResult = {
    typeName: def.typeName,
    outcome: 'pass',
    steps: [],
    skipped: [],
    validationNotes: type.validator.notes,
    generatedValueProblems: [],
  };
  if (!def.operations.create) {
    return { ...result, outcome: 'not-applicable', reason: 'the type has no create handler', reasonClass: 'no create handler' };
  }
  const call = (op: OperationNameApi, input: JsonObject): JsonObject => service.call(op, input, REGION);
  const gen = new ValueGenerator(makeRng(seed), REGION);
  try {
    const desired = createWithRepair(call, def, gen);
    result.steps.push('create');
    const identifier = desired.identifier;
    const format = checkIdentifierFormat(def, identifier);
    if (format) result.identifierFormat = format;
    const stored = service.store.get(REGION, def.typeName, identifier);
    if (stored) result.generatedValueProblems = type.validate(stored.model).filter((m) => type.readOnly.some((p) => m.includes(`#/${p[0]}`) || m.includes(`[${p[0]}]`)));

    if (def.operations.read) {
      const got = call('GetResource', { TypeName: def.typeName, Identifier: identifier });
      const props = JSON.parse(String((got.ResourceDescription as JsonObject).Properties)) as JsonObject;
      for (const [k, v] of Object.entries(type.visible(desired.model))) {
        if (!deepEqual(props[k], v)) throw new StepFailure('read mismatch', `read: property ${k} differs from what was created`);
      }
      result.steps.push('read');
    } else result.skipped.push('read (no read handler)');

    if (def.operations.list) {
      const parents: JsonObject = {};
      // From what was sent as well as what is shown: a list parent may be write-only.
      for (const p of def.listParents) {
        const v = desired.model[p] ?? desired.desired[p];
        if (v !== undefined) parents[p] = v;
      }
      const found = listContains(call, def, parents, identifier);
      if (!found) throw new StepFailure('list', 'list: the created resource is not listed');
      result.steps.push('list');
    } else result.skipped.push('list (no list handler)');

    if (def.operations.update) {
      const updated = updateSomething(call, def, identifier, desired.model, desired.desired, gen);
      if (updated) result.steps.push('update');
      else result.skipped.push('update (no property the schema lets an update change)');
    } else result.skipped.push('update (no update handler)');

    if (def.operations.delete) {
      const del = call('DeleteResource', { TypeName: def.typeName, Identifier: identifier });
      expectSuccess(call, del, 'delete');
      try {
        call('GetResource', { TypeName: def.typeName, Identifier: identifier });
        if (def.operations.read) throw new StepFailure('delete', 'delete: the resource can still be read');
      } catch (e) {
        if (!(e instanceof ApiError) || e.type !== 'ResourceNotFoundException') {
          if (e instanceof StepFailure || !(e instanceof ApiError) || e.type !== 'UnsupportedActionException') throw e;
        }
      }
      result.steps.push('delete');
    } else result.skipped.push('delete (no delete handler)');
  } catch (e) {
    if (e instanceof StepFailure) return { ...result, outcome: 'fail', reason: e.message, reasonClass: e.reasonClass };
    if (e instanceof ApiError) return { ...result, outcome: 'fail', reason: `${e.type}: ${e.message}`, reasonClass: e.type };
    return { ...result, outcome: 'fail', reason: `emulator error: ${(e as Error).stack ?? String(e)}`, reasonClass: 'emulator error' };
  }
  return result;
}

type Call = (op: OperationNameApi, input: JsonObject) => JsonObject;

/**
 * The identifier the service generated, checked against the format recorded for the type
 * (data/arn-formats.json): a template from AWS's ARN formats or the override table, or the
 * schema's pattern. Returns where the format came from; a mismatch fails the step.
 */
function checkIdentifierFormat(def: ResourceDef, identifier: string): RoundTripResult['identifierFormat'] {
  const type = typeModel(def);
  const fmt = type.format?.identifier;
  if (!fmt) return undefined;
  const index = type.primaryPaths.findIndex((p) => toPointer(p) === fmt.pointer);
  const parts = identifier.split('|');
  const value = parts.length === type.primaryPaths.length && index >= 0 ? parts[index]! : identifier;
  const re = fmt.from === 'schema' ? compileRegExp(fmt.format)?.re : templatePattern(fmt.format, REGION, ACCOUNT_ID);
  if (re && !re.test(value)) throw new StepFailure('identifier format', `create: identifier ${value} does not match the recorded format ${fmt.format} (${fmt.from})`);
  return fmt.from;
}

function expectSuccess(call: Call, submitted: JsonObject, step: string): JsonObject {
  const token = String((submitted.ProgressEvent as JsonObject).RequestToken);
  const status = call('GetResourceRequestStatus', { RequestToken: token }).ProgressEvent as JsonObject;
  if (status.OperationStatus !== 'SUCCESS') {
    throw new StepFailure(`${step} ${String(status.ErrorCode ?? status.OperationStatus)}`, `${step}: request ended ${String(status.OperationStatus)}: ${String(status.StatusMessage ?? '')}`);
  }
  return status;
}

/**
 * Creates a resource from the minimal desired state; when the service rejects it, uses the
 * validation messages to add missing keys or drop extraneous ones, a few times.
 */
function createWithRepair(call: Call, def: ResourceDef, gen: ValueGenerator): { identifier: string; model: JsonObject; desired: JsonObject } {
  const type = typeModel(def);
  const readOnlyTop = new Set(type.readOnly.filter((p) => p.length === 1).map((p) => p[0]!));
  const branches = Math.max(1, ...['oneOf', 'anyOf'].map((k) => (Array.isArray(def.schema[k]) ? (def.schema[k] as unknown[]).length : 0)));
  let lastError = '';
  // Each branch of a top-level oneOf/anyOf in turn; within one, repairs guided by the messages.
  for (let branch = 0; branch < branches; branch++) {
    let desired = minimalDesiredState(def, gen, readOnlyTop, branch);
    for (let attempt = 0; attempt < 6; attempt++) {
      try {
        const out = call('CreateResource', { TypeName: def.typeName, DesiredState: JSON.stringify(desired) });
        const status = expectSuccess(call, out, 'create');
        const identifier = String(status.Identifier);
        const model = JSON.parse(String(status.ResourceModel)) as JsonObject;
        return { identifier, model, desired };
      } catch (e) {
        if (!(e instanceof ApiError) || e.type !== 'ValidationException' || !e.message.startsWith('Model validation failed')) throw e;
        lastError = e.message;
        const repaired = repair(def, desired, e.message, gen);
        if (!repaired) break;
        desired = repaired;
      }
    }
  }
  throw new StepFailure('desired state not generated', `create: no valid desired state could be generated from the schema (${lastError.split('\n')[0]})`);
}

/**
 * Required properties (not read-only), with one branch of a top-level oneOf/anyOf, and the
 * list-parent properties (without them the resource could not be listed).
 */
export function minimalDesiredState(def: ResourceDef, gen: ValueGenerator, readOnlyTop: ReadonlySet<string>, branch = 0): JsonObject {
  const root = mergeBranches(def.schema, def.schema, branch);
  const desired = gen.object(def, root, 0, readOnlyTop);
  const props = (root.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const p of def.listParents) {
    if (desired[p] === undefined && !readOnlyTop.has(p) && props[p]) desired[p] = gen.value(def, p, props[p]!, 1);
  }
  return desired;
}

/** Applies what a "Model validation failed" message says is wrong; undefined when nothing applies. */
function repair(def: ResourceDef, desired: JsonObject, message: string, gen: ValueGenerator): JsonObject | undefined {
  const next = structuredClone(desired);
  let changed = false;
  for (const line of message.replace(/^Model validation failed \(/, '').replace(/\)$/, '').split('\n')) {
    const m = /^#(\S*): (?:required key \[(.+)\] not found|extraneous key \[(.+)\] is not permitted)/.exec(line);
    if (!m) continue;
    const path = (m[1] ?? '').split('/').filter((s) => s !== '');
    const container = walk(next, path);
    if (!isObject(container)) continue;
    if (m[2] !== undefined && container[m[2]] === undefined) {
      const schema = schemaOfContainer(def, path);
      const ps = schema ? propertyOf(def, schema, m[2]) : undefined;
      container[m[2]] = gen.value(def, m[2], ps ?? { type: 'string' }, path.length + 1);
      changed = true;
    } else if (m[3] !== undefined && container[m[3]] !== undefined) {
      delete container[m[3]];
      changed = true;
    }
  }
  return changed ? next : undefined;
}

function walk(root: Json, path: string[]): Json | undefined {
  let cur: Json | undefined = root;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

function schemaOfContainer(def: ResourceDef, path: string[]): Record<string, unknown> | undefined {
  let s: Record<string, unknown> | undefined = mergeBranches(def.schema, def.schema);
  for (const seg of path) {
    if (!s) return undefined;
    s = mergeBranches(deref(s, def.schema), def.schema);
    if (/^\d+$/.test(seg)) s = isObject(s.items as Json) ? (s.items as Record<string, unknown>) : undefined;
    else s = propertyOf(def, s, seg);
  }
  return s ? mergeBranches(deref(s, def.schema), def.schema) : undefined;
}

function propertyOf(def: ResourceDef, s: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const merged = mergeBranches(deref(s, def.schema), def.schema);
  const props = merged.properties as Record<string, Record<string, unknown>> | undefined;
  return props?.[name];
}

function listContains(call: Call, def: ResourceDef, parents: JsonObject, identifier: string): boolean {
  let token: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const input: JsonObject = { TypeName: def.typeName };
    if (Object.keys(parents).length > 0) input.ResourceModel = JSON.stringify(parents);
    if (token) input.NextToken = token;
    const out = call('ListResources', input);
    const items = out.ResourceDescriptions as JsonObject[];
    if (items.some((d) => d.Identifier === identifier)) return true;
    token = out.NextToken as string | undefined;
    if (!token) return false;
  }
  return false;
}

/**
 * Changes one property an update may change (not read-only, create-only, write-only or part of
 * an identifier), and checks GetResource shows the change. False when the schema offers none.
 */
function updateSomething(call: Call, def: ResourceDef, identifier: string, model: JsonObject, desired: JsonObject, gen: ValueGenerator): boolean {
  const type = typeModel(def);
  const fixed = new Set([
    ...[...type.readOnly, ...type.createOnly, ...type.writeOnly].map((p) => p[0]!),
    ...def.primaryIdentifier,
    ...def.additionalIdentifiers.flat(),
    ...def.listParents,
  ]);
  const root = mergeBranches(def.schema, def.schema);
  const props = (root.properties ?? {}) as Record<string, Record<string, unknown>>;
  const candidates = Object.keys(props).filter((k) => !fixed.has(k));
  // Simple values first: they are the likeliest to be valid on their own.
  const rank = (k: string): number => {
    const s = mergeBranches(deref(props[k]!, def.schema), def.schema);
    if (s.enum || s.type === 'boolean' || s.type === 'integer' || s.type === 'number') return 0;
    if (s.type === 'string') return 1;
    return 2;
  };
  candidates.sort((a, b) => rank(a) - rank(b));
  let lastError: ApiError | undefined;
  for (const key of candidates.slice(0, 12)) {
    const schema = mergeBranches(deref(props[key]!, def.schema), def.schema);
    const value = alternative(def, key, schema, model[key], gen);
    if (value === undefined) continue;
    const op = model[key] === undefined ? 'add' : 'replace';
    const change = { op, path: `/${key}`, value };
    const send = (ops: JsonObject[]): void => {
      const out = call('UpdateResource', { TypeName: def.typeName, Identifier: identifier, PatchDocument: JSON.stringify(ops) });
      expectSuccess(call, out, 'update');
    };
    try {
      try {
        send([change]);
      } catch (e) {
        // The service validates the read model, which lacks write-only values: a client sends
        // again the ones the schema requires, as `add` (what the AWS Terraform provider does).
        if (!(e instanceof ApiError) || !e.message.startsWith('Model validation failed')) throw e;
        const again = writeOnlyOps(def, model, desired);
        if (again.length === 0) throw e;
        send([...again, change]);
      }
    } catch (e) {
      if (e instanceof ApiError && (e.type === 'ValidationException' || e.type === 'NotUpdatableException')) {
        lastError = e;
        continue;
      }
      throw e;
    }
    if (def.operations.read) {
      const got = call('GetResource', { TypeName: def.typeName, Identifier: identifier });
      const props2 = JSON.parse(String((got.ResourceDescription as JsonObject).Properties)) as JsonObject;
      if (!deepEqual(props2[key], value)) throw new StepFailure('update not applied', `update: ${key} was not changed`);
    }
    return true;
  }
  if (lastError && candidates.length > 0) throw new StepFailure(`update ${lastError.type}`, `update: every candidate patch was rejected (${lastError.message.split('\n')[0]})`);
  return false;
}

/** `add` operations putting the desired state's write-only values back (parents first where the read model has none). */
function writeOnlyOps(def: ResourceDef, readModel: JsonObject, desired: JsonObject): JsonObject[] {
  const type = typeModel(def);
  const have: JsonObject = structuredClone(type.readModel(readModel));
  const ops: JsonObject[] = [];
  for (const w of type.writeOnly) {
    if (w.includes('*') || type.createOnly.some((c) => c.length <= w.length && c.every((s, i) => s === w[i]))) continue;
    const [v] = valuesAt(desired, w);
    if (v === undefined) continue;
    let cur: Json = have;
    for (let i = 0; i < w.length; i++) {
      const seg = w[i]!;
      if (!isObject(cur)) break;
      if (i === w.length - 1) {
        cur[seg] = structuredClone(v);
        ops.push({ op: 'add', path: toPointer(w), value: structuredClone(v) });
      } else {
        if (cur[seg] === undefined) {
          cur[seg] = {};
          ops.push({ op: 'add', path: toPointer(w.slice(0, i + 1)), value: {} });
        }
        cur = cur[seg]!;
      }
    }
  }
  return ops;
}

function alternative(def: ResourceDef, key: string, schema: Record<string, unknown>, current: Json | undefined, gen: ValueGenerator): Json | undefined {
  if (Array.isArray(schema.enum)) return (schema.enum as Json[]).find((v) => !deepEqual(v, current));
  if (schema.type === 'boolean') return current === true ? false : true;
  for (let i = 0; i < 4; i++) {
    const v = gen.value(def, key, schema, 1);
    if (!deepEqual(v, current)) return v;
  }
  return undefined;
}

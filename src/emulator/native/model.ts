/**
 * The facts the native services are served from: each service's operations, HTTP bindings,
 * shapes with their constraints and the errors each operation declares (extracted from the
 * service definitions the AWS SDKs are generated from, see models/extract.ts), and the two
 * generic walks over them: checking an input as the service's front end does (its "n validation
 * errors detected" wording), and shaping an output to exactly the members the API declares, with
 * timestamps in the protocol's format.
 */
import { isObject, type Json, type JsonObject } from '../../schema/pointer.js';

export type Protocol = 'rest-json' | 'json';

export interface MemberRef {
  shape: string;
  /** Where a rest-json member travels when not in the body. */
  location?: 'header' | 'uri' | 'querystring' | 'headers' | 'statusCode';
  locationName?: string;
  idempotencyToken?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'double' | 'float';
  required?: string[];
  members?: Record<string, MemberRef>;
  member?: string;
  key?: string;
  value?: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  timestampFormat?: string;
  exception?: boolean;
  fault?: boolean;
  /** An error's HTTP status, where the model declares one. */
  status?: number;
}

export interface OperationModel {
  method: string;
  uri: string;
  code?: number;
  input?: string;
  output?: string;
  errors: string[];
}

export interface ServiceModel {
  service: string;
  protocol: Protocol;
  signingName: string;
  targetPrefix?: string;
  apiVersion: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export function shapeOf(model: ServiceModel, name: string): Shape {
  const s = model.shapes[name];
  if (!s) throw new Error(`${model.service}: no shape ${name} in the model`);
  return s;
}

// ---- input checking -------------------------------------------------------------------------

/** A value of the wrong JSON type: the front end cannot even read the request. */
export class InputTypeError extends Error {}

/**
 * The constraint violations of `value` against shape `shapeName`, in the wording of the AWS
 * front end ("Value 'x' at 'name' failed to satisfy constraint: Member must …"). Member paths
 * start lower-case, list items read `list.1.member`. Sensitive values are never quoted. Throws
 * InputTypeError for a value of the wrong type.
 */
export function constraintViolations(model: ServiceModel, shapeName: string, value: unknown): string[] {
  const problems: string[] = [];
  walk(model, shapeOf(model, shapeName), value, '', problems, false);
  return problems;
}

function memberPath(parent: string, name: string): string {
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return parent === '' ? lower : `${parent}.${lower}`;
}

function shown(value: unknown, sensitive: boolean): string {
  if (sensitive) return '';
  if (typeof value === 'string') return ` '${value.length > 256 ? `${value.slice(0, 256)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return ` '${value}'`;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return ` '[${value.join(', ')}]'`;
  return '';
}

function violation(problems: string[], value: unknown, at: string, sensitive: boolean, constraint: string): void {
  problems.push(`Value${shown(value, sensitive)} at '${at}' failed to satisfy constraint: ${constraint}`);
}

function walk(model: ServiceModel, shape: Shape, value: unknown, at: string, problems: string[], sensitiveParent: boolean): void {
  const sensitive = sensitiveParent || shape.sensitive === true;
  const where = at === '' ? 'the request' : `'${at}'`;
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) throw new InputTypeError(`Expected an object at ${where}`);
      const obj = value as Record<string, unknown>;
      for (const req of shape.required ?? []) {
        const ref = shape.members?.[req];
        // Labels and headers are checked by the router where they travel.
        if (ref?.location && ref.location !== 'querystring') continue;
        if (obj[req] === undefined || obj[req] === null) problems.push(`Value null at '${memberPath(at, req)}' failed to satisfy constraint: Member must not be null`);
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = obj[name];
        if (v === undefined || v === null) continue;
        walk(model, shapeOf(model, ref.shape), v, memberPath(at, name), problems, sensitive);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) throw new InputTypeError(`Expected a list at ${where}`);
      const item = shapeOf(model, shape.member!);
      // A list of secrets is not quoted either.
      lengthChecks(problems, value, value.length, at, sensitive || item.sensitive === true, shape);
      value.forEach((v, i) => {
        if (v === null || v === undefined) return;
        walk(model, item, v, `${at}.${i + 1}.member`, problems, sensitive);
      });
      return;
    }
    case 'map': {
      if (!isObject(value)) throw new InputTypeError(`Expected a map at ${where}`);
      const entries = Object.entries(value as Record<string, unknown>);
      const keyShape = shapeOf(model, shape.key!);
      const valueShape = shapeOf(model, shape.value!);
      lengthChecks(problems, value, entries.length, at, sensitive || valueShape.sensitive === true, shape);
      for (const [k, v] of entries) {
        const keyProblems: string[] = [];
        walk(model, keyShape, k, at, keyProblems, sensitive);
        for (const p of keyProblems) problems.push(p.replace(': Member must', ': Map keys must satisfy constraint: [Member must').replace(/$/, ']'));
        if (v === null || v === undefined) continue;
        const valueProblems: string[] = [];
        walk(model, valueShape, v, at, valueProblems, sensitive);
        for (const p of valueProblems) problems.push(p.replace(': Member must', ': Map value must satisfy constraint: [Member must').replace(/$/, ']'));
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') throw new InputTypeError(`Expected a string at ${where}`);
      lengthChecks(problems, value, [...value].length, at, sensitive, shape);
      if (shape.enum && !shape.enum.includes(value)) violation(problems, value, at, sensitive, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.pattern !== undefined) {
        const re = compiledPattern(shape.pattern);
        if (re && !re.test(value)) violation(problems, value, at, sensitive, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new InputTypeError(`Expected an integer at ${where}`);
      if (shape.min !== undefined && value < shape.min) violation(problems, value, at, sensitive, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) violation(problems, value, at, sensitive, `Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'double':
    case 'float':
      if (typeof value !== 'number') throw new InputTypeError(`Expected a number at ${where}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw new InputTypeError(`Expected a boolean at ${where}`);
      return;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') throw new InputTypeError(`Expected a timestamp at ${where}`);
      return;
    case 'blob':
      if (typeof value !== 'string') throw new InputTypeError(`Expected base64 text at ${where}`);
      return;
  }
}

function lengthChecks(problems: string[], value: unknown, length: number, at: string, sensitive: boolean, shape: Shape): void {
  if (shape.min !== undefined && length < shape.min) violation(problems, value, at, sensitive, `Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) violation(problems, value, at, sensitive, `Member must have length less than or equal to ${shape.max}`);
}

const patterns = new Map<string, RegExp | null>();

/**
 * A model pattern as a whole-value match (the service front ends match the full value). The
 * patterns are written for Java; most read the same in JavaScript with the `u` flag, a few only
 * without it, and one that reads in neither is not checked rather than wrongly refused.
 */
function compiledPattern(pattern: string): RegExp | null {
  let re = patterns.get(pattern);
  if (re !== undefined) return re;
  re = null;
  for (const flags of ['u', '']) {
    try {
      re = new RegExp(`^(?:${pattern})$`, flags);
      break;
    } catch {
      // try the next reading
    }
  }
  patterns.set(pattern, re);
  return re;
}

// ---- output shaping -------------------------------------------------------------------------

/**
 * `value` cut to shape `shapeName`: only the members the API declares, none that are null or
 * undefined, timestamps (Date, epoch milliseconds or ISO text) in the protocol's wire format —
 * epoch seconds in JSON bodies, ISO 8601 where the model says so.
 */
export function shapeOutput(model: ServiceModel, shapeName: string, value: unknown): Json {
  return shapeValue(model, shapeOf(model, shapeName), value) ?? {};
}

function shapeValue(model: ServiceModel, shape: Shape, value: unknown): Json | undefined {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) return undefined;
      const obj = value as Record<string, unknown>;
      const out: JsonObject = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location && ref.location !== 'querystring') continue;
        const v = shapeValue(model, shapeOf(model, ref.shape), obj[name]);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return undefined;
      const item = shapeOf(model, shape.member!);
      return value.map((v) => shapeValue(model, item, v)).filter((v): v is Json => v !== undefined);
    }
    case 'map': {
      if (!isObject(value)) return undefined;
      const valueShape = shapeOf(model, shape.value!);
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const s = shapeValue(model, valueShape, v);
        if (s !== undefined) out[k] = s;
      }
      return out;
    }
    case 'timestamp': {
      const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
      if (!Number.isFinite(ms)) return undefined;
      if (shape.timestampFormat === 'iso8601') return new Date(ms).toISOString();
      // JSON bodies carry epoch seconds unless the model says otherwise (awsJson and restJson alike).
      return ms / 1000;
    }
    default:
      return value as Json;
  }
}

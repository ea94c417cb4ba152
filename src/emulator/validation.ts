/**
 * Validates models against a type's registry schema with ajv, compiled lazily once per schema and
 * shared by every emulator in the process. Messages follow the wording the real service passes
 * through from its Java validator (`#: required key [X] not found`,
 * `#/Name: expected maxLength: 128, actual: 300`).
 *
 * Some registry schemas are not valid for JS: a Java-only regular expression is translated where
 * possible (regex.ts) and otherwise ignored, and a schema ajv still cannot compile falls back to
 * checking required and unknown top-level keys only. Either way the reduction is reported in
 * `notes`, never silent.
 *
 * A `$ref` that does not resolve inside the schema is not such a reduction: it is a broken
 * definition (the type's properties would go unchecked), so `validatorFor` throws a
 * SchemaRefError naming the type, where the `$ref` is and what it points to.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject } from 'ajv';
import { compileRegExp } from './regex.js';
import { CcqlError } from '../errors.js';
import { isObject, parsePointer, toPointer, type Json } from '../schema/pointer.js';

const require = createRequire(import.meta.url);

export interface SchemaValidator {
  /** Problems in the model, in the service's wording (empty when valid). */
  validate(model: Json, redact: (instancePath: string) => boolean): string[];
  /** Why validation of this type is weaker than the schema says (empty when it is not). */
  notes: string[];
}

type ValidateFn = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let ajv: AjvClass | undefined;
/** Patterns ajv met while compiling the current schema that no JS RegExp could express. */
let droppedPatterns: string[] = [];
const validators = new WeakMap<object, SchemaValidator>();

function getAjv(): AjvClass {
  if (ajv) return ajv;
  const { Ajv } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  const regExp = (pattern: string): { test: (s: string) => boolean; toString: () => string } => {
    const compiled = compileRegExp(pattern);
    if (compiled) return compiled.re;
    droppedPatterns.push(pattern);
    return { test: () => true, toString: () => `ignored:${pattern}` };
  };
  regExp.code = 'ccqlRegExp';
  // allErrors: the service lists every problem, not the first one only.
  // verbose: the messages quote the offending value (e.data), as the service's do.
  // optimize: false: ajv's pass over the generated code (dropping unused names and constant
  // branches) took half of each compile, about 10 of 19 CPU-s for the 1,489 registry schemas,
  // and a validator compiled without it checks exactly the same.
  ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false, code: { regExp, optimize: false } });
  addFormats(ajv);
  return ajv;
}

/** A schema whose `$ref` points at nothing in it. */
export class SchemaRefError extends CcqlError {
  constructor(
    readonly typeName: string | undefined,
    /** JSON pointer (in the schema) of the node holding the `$ref`. */
    readonly at: string,
    readonly ref: string,
    readonly others: number,
  ) {
    const more = others > 0 ? ` (and ${others} more)` : '';
    super('provider_file', `the schema of ${typeName ?? 'a resource type'} has a $ref that does not resolve: "${ref}" at ${at === '' ? '/' : at}${more}`, {
      hint: 'the provider definition is damaged: regenerate it (npm run generate:providers) or fix the definitions it refers to',
      location: { path: at === '' ? '/' : at },
    });
  }

  /** The same error naming the type (when the caller knows it and this does not). */
  forType(typeName: string | undefined): SchemaRefError {
    return this.typeName !== undefined || typeName === undefined ? this : new SchemaRefError(typeName, this.at, this.ref, this.others);
  }
}

/**
 * The validator of a registry schema (cached per schema object). Throws SchemaRefError when a
 * `$ref` in it does not resolve, every time it is asked: validation is never silently off.
 */
export function validatorFor(schema: Record<string, unknown>, typeName?: string): SchemaValidator {
  const hit = validators.get(schema);
  if (hit) return hit;
  const dangling = danglingRefs(schema);
  if (dangling.length > 0) {
    const first = dangling[0]!;
    throw new SchemaRefError(typeName ?? (typeof schema.typeName === 'string' ? schema.typeName : undefined), first.at, first.ref, dangling.length - 1);
  }
  const v = compile(schema);
  validators.set(schema, v);
  return v;
}

/** Keywords whose values are data, not schemas: a `$ref` key inside them is not a reference. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'example']);

/** Every `$ref` that does not point at a node of the schema itself, with where it is. */
export function danglingRefs(root: Record<string, unknown>): Array<{ at: string; ref: string }> {
  const out: Array<{ at: string; ref: string }> = [];
  const walk = (node: unknown, path: string[]): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, String(i)]));
      return;
    }
    if (!isObject(node as Json)) return;
    const obj = node as Record<string, unknown>;
    if (typeof obj.$ref === 'string' && !resolves(root, obj.$ref)) out.push({ at: toPointer(path), ref: obj.$ref });
    for (const [key, value] of Object.entries(obj)) {
      if (key === '$ref' || DATA_KEYWORDS.has(key)) continue;
      walk(value, [...path, key]);
    }
  };
  walk(root, []);
  return out;
}

function resolves(root: Record<string, unknown>, ref: string): boolean {
  if (!ref.startsWith('#')) return false; // registry schemas refer only within themselves
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return false;
  }
  if (pointer !== '' && !pointer.startsWith('/')) return false;
  let target: unknown = root;
  for (const seg of pointer === '' ? [] : parsePointer(pointer)) {
    if (Array.isArray(target)) target = /^\d+$/.test(seg) ? target[Number(seg)] : undefined;
    else target = isObject(target as Json) ? (target as Record<string, unknown>)[seg] : undefined;
    if (target === undefined) return false;
  }
  return true;
}

function compile(schema: Record<string, unknown>): SchemaValidator {
  droppedPatterns = [];
  let fn: ValidateFn;
  try {
    fn = getAjv().compile(schema) as ValidateFn;
  } catch (e) {
    return reducedValidator(schema, `schema not compilable by ajv (${(e as Error).message.split('\n')[0]}): only required and unknown top-level keys are checked`);
  }
  const notes = [...new Set(droppedPatterns)].map((p) => `pattern ${JSON.stringify(p)} is not a valid JS regular expression and is not checked`);
  return {
    notes,
    validate(model, redact) {
      if (fn(model)) return [];
      return formatErrors(fn.errors ?? [], redact);
    },
  };
}

function reducedValidator(schema: Record<string, unknown>, note: string): SchemaValidator {
  const props = isObject(schema.properties as Json) ? Object.keys(schema.properties as object) : [];
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const closed = schema.additionalProperties === false;
  return {
    notes: [note],
    validate(model) {
      if (!isObject(model)) return ['#: expected type: JSONObject, found: ' + jsonType(model)];
      const out = required.filter((k) => !(k in model)).map((k) => `#: required key [${k}] not found`);
      if (closed) for (const k of Object.keys(model)) if (!props.includes(k)) out.push(`#: extraneous key [${k}] is not permitted`);
      return out;
    },
  };
}

function jsonType(v: unknown): string {
  if (v === null) return 'Null';
  if (Array.isArray(v)) return 'JSONArray';
  if (typeof v === 'object') return 'JSONObject';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'BigDecimal';
  if (typeof v === 'boolean') return 'Boolean';
  return 'String';
}

const TYPE_NAMES: Record<string, string> = {
  string: 'String',
  integer: 'Integer',
  number: 'Number',
  boolean: 'Boolean',
  object: 'JSONObject',
  array: 'JSONArray',
  null: 'Null',
};

function formatErrors(errors: ErrorObject[], redact: (instancePath: string) => boolean): string[] {
  // A failed oneOf/anyOf also reports every branch's own errors; the service reports the combinator.
  const combinatorPaths = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.schemaPath);
  const relevant = errors.filter((e) => {
    if (e.keyword === 'if') return false;
    return !combinatorPaths.some((p) => e.schemaPath !== p && e.schemaPath.startsWith(`${p}/`));
  });
  const out: string[] = [];
  for (const e of relevant) {
    const msg = formatError(e, redact(e.instancePath));
    if (!out.includes(msg)) out.push(msg);
  }
  return out;
}

function formatError(e: ErrorObject, hidden: boolean): string {
  const at = `#${e.instancePath}`;
  const p = e.params as Record<string, unknown>;
  const shown = (v: unknown): string => (hidden ? '****' : typeof v === 'string' ? v : JSON.stringify(v));
  switch (e.keyword) {
    case 'required':
      return `${at}: required key [${String(p.missingProperty)}] not found`;
    case 'additionalProperties':
      return `${at}: extraneous key [${String(p.additionalProperty)}] is not permitted`;
    case 'type':
      return `${at}: expected type: ${String(p.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ')}, found: ${jsonType(e.data)}`;
    case 'pattern':
      return `${at}: string [${shown(e.data)}] does not match pattern ${String(p.pattern)}`;
    case 'maxLength':
      return `${at}: expected maxLength: ${String(p.limit)}, actual: ${typeof e.data === 'string' ? e.data.length : '?'}`;
    case 'minLength':
      return `${at}: expected minLength: ${String(p.limit)}, actual: ${typeof e.data === 'string' ? e.data.length : '?'}`;
    case 'enum':
      return `${at}: ${shown(e.data)} is not a valid enum value`;
    case 'const':
      return `${at}: ${shown(e.data)} is not a valid enum value`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${at}: ${shown(e.data)} is not greater or equal to ${String(p.limit)}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `${at}: ${shown(e.data)} is not less or equal to ${String(p.limit)}`;
    case 'maxItems':
      return `${at}: expected maximum item count: ${String(p.limit)}, found: ${Array.isArray(e.data) ? e.data.length : '?'}`;
    case 'minItems':
      return `${at}: expected minimum item count: ${String(p.limit)}, found: ${Array.isArray(e.data) ? e.data.length : '?'}`;
    case 'maxProperties':
    case 'minProperties':
      return `${at}: ${e.message ?? 'has the wrong number of properties'}`;
    case 'uniqueItems':
      return `${at}: array items are not unique`;
    case 'oneOf': {
      const passing = p.passingSchemas;
      return Array.isArray(passing) ? `${at}: #: ${passing.length} subschemas matched instead of one` : `${at}: #: 0 subschemas matched instead of one`;
    }
    case 'anyOf':
      return `${at}: #: no subschema matched out of the total ${Array.isArray(e.schema) ? e.schema.length : '?'} subschemas`;
    case 'not':
      return `${at}: subject must not be valid against schema`;
    case 'format':
      return `${at}: [${shown(e.data)}] is not a valid ${String(p.format)}`;
    case 'dependencies':
    case 'dependentRequired':
      return `${at}: property [${String(p.property)}] is required by [${String(p.missingProperty)}]`;
    default:
      return `${at}: ${e.message ?? 'is invalid'}`;
  }
}

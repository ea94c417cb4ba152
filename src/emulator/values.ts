/**
 * Values made up from a schema: the read-only properties a real handler would compute (ARNs in
 * the type's own format, ids, timestamps), identifiers the caller left out, and minimal valid
 * desired states (for the round-trip test and the demo seed).
 */
import type { ResourceDef } from '../catalog/types.js';
import { isObject, type Json, type JsonObject } from '../schema/pointer.js';
import { deref } from '../schema/refs.js';
import { compileRegExp, samplePattern, type Rng } from './regex.js';

export const ACCOUNT_ID = '123456789012';

type Schema = Record<string, unknown>;


/** The schema of the property a model path names (`['Tags', '*', 'Key']`), or undefined. */
export function subschemaAt(root: Schema, path: readonly string[]): Schema | undefined {
  let s: Schema | undefined = root;
  for (const seg of path) {
    if (!s) return undefined;
    s = deref(s, root);
    if (seg === '*' || /^\d+$/.test(seg)) {
      const items: unknown = s.items;
      if (isObject(items as Json)) {
        s = items as Schema;
        continue;
      }
      if (seg === '*' && isObject(s.additionalProperties as Json)) {
        s = s.additionalProperties as Schema;
        continue;
      }
    }
    s = propertySchema(s, root, seg);
  }
  return s ? deref(s, root) : undefined;
}

function propertySchema(s: Schema, root: Schema, name: string): Schema | undefined {
  const props = s.properties as Record<string, Schema> | undefined;
  if (props && isObject(props[name] as Json)) return props[name];
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const branches = s[key];
    if (!Array.isArray(branches)) continue;
    for (const b of branches) {
      if (!isObject(b as Json)) continue;
      const found = propertySchema(deref(b as Schema, root), root, name);
      if (found) return found;
    }
  }
  const pp = s.patternProperties;
  if (isObject(pp as Json)) {
    const first = Object.values(pp as Record<string, Schema>)[0];
    if (first) return first;
  }
  return undefined;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

function firstType(s: Schema): string | undefined {
  const t = s.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t) && typeof t[0] === 'string') return t[0];
  if (s.properties || s.additionalProperties !== undefined || s.patternProperties) return 'object';
  if (s.items) return 'array';
  if (typeof s.pattern === 'string' || typeof s.minLength === 'number' || typeof s.format === 'string') return 'string';
  if (typeof s.minimum === 'number' || typeof s.maximum === 'number') return 'number';
  return undefined;
}

export class ValueGenerator {
  /** The resource's name, when it has one: AWS puts it in ARNs (`…:connection/NAME/uuid`). */
  nameHint: string | undefined;

  constructor(
    readonly rng: Rng,
    readonly region: string,
  ) {}

  hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.rng() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  alnum(n: number, chars = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += chars[Math.floor(this.rng() * chars.length)];
    return s;
  }

  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-8${this.hex(3)}-${this.hex(12)}`;
  }

  /** A generated part of a format template (formats.ts): `uuid`, `hex:17`, `ALNUM:13`, `name`, … */
  part(kind: string): string {
    const [name, count] = kind.split(':');
    const n = Number(count ?? 12);
    switch (name) {
      case 'uuid':
        return this.uuid();
      case 'hex':
        return this.hex(n);
      case 'ALNUM':
        return this.alnum(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
      case 'Alnum':
        return this.alnum(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
      case 'digits':
        return this.alnum(n, '0123456789');
      case 'name':
        return this.nameHint ?? `ccql-${this.alnum(8)}`;
      default:
        return this.alnum(n);
    }
  }

  /** A value for property `name` of `def` that its schema accepts, chosen to look like AWS's. */
  value(def: ResourceDef, name: string, schema: Schema, depth = 0): Json {
    const root = def.schema;
    const s = mergeBranches(deref(schema, root), root);
    if (Array.isArray(s.enum) && s.enum.length > 0) return (settledEnumValue(name, s.enum) ?? s.enum[0]) as Json;
    if (s.const !== undefined) return s.const as Json;
    if (s.default !== undefined && depth > 0 && isValid(s, s.default)) return s.default as Json;
    switch (firstType(s)) {
      case 'string':
        return this.string(def, name, s);
      case 'integer':
      case 'number':
        return this.number(s, firstType(s) === 'integer');
      case 'boolean':
        return false;
      case 'array': {
        const n = typeof s.minItems === 'number' ? s.minItems : 0;
        const items = isObject(s.items as Json) ? (s.items as Schema) : {};
        const out: Json[] = [];
        for (let i = 0; i < n; i++) {
          let v = this.value(def, singular(name), items, depth + 1);
          // uniqueItems: draw again while the value repeats an earlier one.
          for (let tries = 0; tries < 8 && s.uniqueItems === true && out.some((o) => JSON.stringify(o) === JSON.stringify(v)); tries++) {
            v = this.value(def, `${singular(name)}${i}`, items, depth + 1);
            // Objects made only of fixed values differ once they carry an optional property more.
            if (isObject(v) && tries > 0) {
              const itemSchema = mergeBranches(deref(items, def.schema), def.schema);
              const optional = Object.entries((itemSchema.properties ?? {}) as Record<string, Schema>).filter(([k]) => !(k in (v as JsonObject)));
              const pickOne = optional[(tries - 1) % Math.max(1, optional.length)];
              if (pickOne) v[pickOne[0]] = this.value(def, pickOne[0], pickOne[1], depth + 2);
            }
          }
          out.push(v);
        }
        return out;
      }
      case 'object':
        return this.object(def, s, depth);
      default:
        return this.string(def, name, s);
    }
  }

  /** An object holding the schema's required properties (and what its first oneOf branch needs). */
  object(def: ResourceDef, s: Schema, depth: number, skip: ReadonlySet<string> = new Set()): JsonObject {
    const root = def.schema;
    const out: JsonObject = {};
    if (depth > 12) return out;
    const required = new Set<string>(Array.isArray(s.required) ? (s.required as string[]) : []);
    for (const key of required) {
      if (skip.has(key)) continue;
      const ps = propertySchema(s, root, key) ?? {};
      out[key] = this.value(def, key, ps, depth + 1);
    }
    const minProps = typeof s.minProperties === 'number' ? s.minProperties : 0;
    if (Object.keys(out).length < minProps) {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const [k, ps] of Object.entries(props)) {
        if (Object.keys(out).length >= minProps) break;
        if (!(k in out) && !skip.has(k)) out[k] = this.value(def, k, ps, depth + 1);
      }
      if (Object.keys(out).length < minProps && isObject(s.patternProperties as Json)) {
        const [pattern, ps] = Object.entries(s.patternProperties as Record<string, Schema>)[0] ?? [];
        const key = pattern !== undefined ? samplePattern(pattern, { rng: this.rng, prefer: ['key1'] }) : undefined;
        if (key && ps) out[key] = this.value(def, key, ps, depth + 1);
      }
      if (Object.keys(out).length < minProps && s.additionalProperties !== false) {
        const ap = isObject(s.additionalProperties as Json) ? (s.additionalProperties as Schema) : { type: 'string' };
        out.key1 = this.value(def, 'key1', ap, depth + 1);
      }
    }
    return out;
  }

  number(s: Schema, integer: boolean): number {
    let lo = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 0.5) : 1;
    const hi = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - (integer ? 1 : 0.5) : Infinity;
    if (lo > hi) lo = hi;
    let v = integer ? Math.ceil(lo) : lo;
    const step = typeof s.multipleOf === 'number' ? s.multipleOf : 0;
    if (step > 0) v = Math.ceil(v / step) * step;
    return v;
  }

  string(def: ResourceDef, name: string, s: Schema): string {
    const min = typeof s.minLength === 'number' ? s.minLength : 0;
    const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
    const pattern = typeof s.pattern === 'string' ? s.pattern : undefined;
    const prefer = this.preferredStrings(def, name, s, pattern);
    if (pattern) {
      let v = samplePattern(pattern, { minLength: min, maxLength: max, rng: this.rng, prefer });
      // An id whose pattern also takes the resource's ARN (`^(arn:…:file-system/fs-…|fs-…)$`) is
      // made as the id: the type's ARN, built on it (`…:file-system/${/FileSystemId}`), then has
      // its format, instead of an ARN inside an ARN.
      for (let tries = 0; v?.startsWith('arn:') && /id$/i.test(name) && tries < 8; tries++) {
        const again = samplePattern(pattern, { minLength: min, maxLength: max, rng: this.rng, prefer });
        if (again !== undefined && !again.startsWith('arn:')) v = again;
      }
      if (v !== undefined) return v.startsWith('arn:') ? this.tidyArn(v, pattern, min, max) : v;
    }
    for (const p of prefer) if (p.length >= min && p.length <= max) return p;
    const n = Math.max(min, Math.min(12, max));
    return this.alnum(n);
  }

  private preferredStrings(def: ResourceDef, name: string, s: Schema, pattern: string | undefined): string[] {
    const format = typeof s.format === 'string' ? s.format : undefined;
    const id = this.hex(12);
    switch (format) {
      case 'date-time':
        return [new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')];
      case 'date':
        return [new Date().toISOString().slice(0, 10)];
      case 'uri':
      case 'url':
        return [`https://example.com/${id}`];
      case 'email':
        return [`user-${id}@example.com`];
      case 'ipv4':
        return ['10.0.0.1'];
      case 'ipv6':
        return ['fd00::1'];
      case 'uuid':
        return [`${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-8${this.hex(3)}-${this.hex(12)}`];
      default:
        break;
    }
    const lower = name.toLowerCase();
    const out: string[] = [];
    // A resource just created has settled: `available` where the service says so, else ACTIVE.
    if (/(status|state)$/.test(lower)) out.push(SETTLED_LOWER_CASE_SERVICES.has(serviceOf(def)) ? 'available' : 'ACTIVE');
    if (/rolearn$/.test(lower)) out.push(`arn:aws:iam::${ACCOUNT_ID}:role/ccql-${this.alnum(8)}`);
    if (/arn$/.test(lower) || (pattern !== undefined && /^\^?\(?arn/.test(pattern))) out.push(...this.arnCandidates(def, pattern));
    if (/port$/.test(lower)) out.push('443');
    if (/address$/.test(lower)) out.push(`${id}.${serviceOf(def)}.${this.region}.amazonaws.com`, '10.0.0.1');
    if (/(time|date|timestamp)$/.test(lower) || /(createdat|updatedat)$/.test(lower)) {
      const iso = new Date().toISOString();
      out.push(iso, iso.replace(/\.\d{3}Z$/, 'Z'), String(Math.floor(Date.now() / 1000)));
    }
    if (/(url|uri|endpoint)$/.test(lower)) out.push(`https://${id}.${serviceOf(def)}.${this.region}.amazonaws.com`);
    if (/(domainname|hostname|dnsname)$/.test(lower)) out.push(`${id}.${serviceOf(def)}.${this.region}.amazonaws.com`);
    if (/cidr/.test(lower)) out.push('10.0.0.0/16');
    if (/(^|[^a-z])(id|ids)$/.test(lower) || lower.endsWith('id')) out.push(`${kebab(def.typeName.split('::')[2] ?? 'r').split('-')[0]!.slice(0, 4)}-${this.hex(12)}`, this.alnum(12));
    if (/name$/.test(lower)) out.push(`ccql-${this.alnum(8)}`, `ccql${this.alnum(8)}`);
    if (/(region)$/.test(lower)) out.push(this.region);
    // The caller's account, except where the account is what is being made (an Organizations
    // account's AccountId is its identifier: each one new).
    if (/account(id)?$/.test(lower) && !def.primaryIdentifier.includes(name)) out.push(ACCOUNT_ID);
    out.push(this.alnum(12), `ccql-${this.alnum(8)}`);
    return out;
  }

  /**
   * A sampled ARN with its partition, region and account put back to ordinary values wherever the
   * pattern allows (a random sample reads `arn:aws-x:svc:q1:0:…`).
   */
  private tidyArn(arn: string, pattern: string, min: number, max: number): string {
    const re = compileRegExp(pattern)?.re;
    if (!re) return arn;
    const parts = arn.split(':');
    for (const [i, v] of [
      [1, 'aws'],
      [3, this.region],
      [4, ACCOUNT_ID],
    ] as const) {
      if (parts.length <= i) break;
      const tryParts = [...parts];
      tryParts[i] = v;
      const s = tryParts.join(':');
      if (re.test(s) && s.length >= min && s.length <= max) parts[i] = v;
    }
    return parts.join(':');
  }

  /** ARNs in the shapes AWS uses, with the service and resource words the schema's pattern names. */
  arnCandidates(def: ResourceDef, pattern: string | undefined): string[] {
    const [, service = 'x', resource = 'x'] = def.typeName.split('::');
    const services: string[] = [];
    const resources: string[] = [];
    if (pattern) {
      const plain = pattern.replace(/\\([-:/_.])/g, '$1');
      const svc = /arn:[^:]*:([a-z][a-z0-9-]*):/.exec(plain);
      if (svc?.[1]) services.push(svc[1]);
      for (const m of plain.matchAll(/:([a-z][a-zA-Z0-9-]*)[/:]/g)) if (m[1] && m[1] !== svc?.[1] && m[1] !== 'aws') resources.push(m[1]);
    }
    services.push(service.toLowerCase());
    resources.push(kebab(resource), resource.toLowerCase(), resource.charAt(0).toLowerCase() + resource.slice(1));
    // Where the name is the identifier, AWS puts it in the ARN; otherwise a generated id.
    const id = this.nameHint ?? this.alnum(12);
    const uuid = this.uuid();
    const out: string[] = [];
    for (const svc of services) {
      if (GLOBAL_ARN_SERVICES.has(svc)) {
        out.push(svc === 's3' ? `arn:aws:s3:::${id}` : `arn:aws:${svc}::${ACCOUNT_ID}:${resources[0] ?? 'x'}/${id}`);
      }
    }
    for (const svc of new Set(services)) {
      for (const res of new Set(resources)) {
        out.push(`arn:aws:${svc}:${this.region}:${ACCOUNT_ID}:${res}/${id}`);
        out.push(`arn:aws:${svc}:${this.region}:${ACCOUNT_ID}:${res}:${id}`);
        out.push(`arn:aws:${svc}:${this.region}:${ACCOUNT_ID}:${res}/${uuid}`);
        out.push(`arn:aws:${svc}:${this.region}:${ACCOUNT_ID}:${res}/${id}/${uuid}`);
        out.push(`arn:aws:${svc}:${this.region}:${ACCOUNT_ID}:${res}:${id}:1`);
        out.push(`arn:aws:${svc}::${ACCOUNT_ID}:${res}/${id}`);
      }
      out.push(`arn:aws:${svc}:${this.region}:${ACCOUNT_ID}:${id}`);
      out.push(`arn:aws:${svc}:::${id}`);
    }
    if (pattern && !compileRegExp(pattern)) return out.slice(0, 1);
    return out;
  }
}

/** Services whose resources report their settled state as lower-case `available` (RDS, EC2, …). */
const SETTLED_LOWER_CASE_SERVICES = new Set(['rds', 'neptune', 'docdb', 'elasticache', 'redshift', 'memorydb', 'ec2', 'dax', 'opensearchservice', 'elasticsearch']);

/** States a resource is in once its creation has finished, in the spellings enums use. */
const SETTLED = ['AVAILABLE', 'ACTIVE', 'READY', 'ENABLED', 'RUNNING', 'CREATE_COMPLETE', 'DEPLOYED', 'ISSUED', 'IN_SERVICE', 'INSERVICE', 'HEALTHY', 'SUCCEEDED', 'COMPLETED', 'ONLINE', 'IDLE', 'OK'];

/** For a status or state property, the enum's value meaning "settled", when it has one. */
function settledEnumValue(name: string, values: unknown[]): unknown {
  if (!/(status|state)$/i.test(name)) return undefined;
  for (const want of SETTLED) {
    const hit = values.find((v) => typeof v === 'string' && v.toUpperCase() === want);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Services whose ARNs carry no region (`arn:aws:iam::123456789012:role/x`, `arn:aws:s3:::bucket`). */
const GLOBAL_ARN_SERVICES = new Set(['iam', 's3', 'cloudfront', 'route53', 'organizations', 'globalaccelerator', 'shield']);

function serviceOf(def: ResourceDef): string {
  return (def.typeName.split('::')[1] ?? 'x').toLowerCase();
}

function singular(name: string): string {
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

/**
 * allOf merged in, and one oneOf/anyOf branch (`branch`, default the first) merged in: its
 * `required` added, its property constraints combined with the base ones. A chosen oneOf branch
 * that requires nothing gets its first property required, so that the value matches that branch
 * rather than every branch at once.
 */
export function mergeBranches(s: Schema, root: Schema, branch = 0): Schema {
  let out: Schema = s;
  const mergeIn = (b: unknown, exclusive: boolean): void => {
    if (!isObject(b as Json)) return;
    const bs = mergeBranches(deref(b as Schema, root), root);
    const branchRequired = (bs.required as string[] | undefined) ?? [];
    const branchProps = (bs.properties as Record<string, Schema> | undefined) ?? {};
    if (exclusive && branchRequired.length === 0 && Object.keys(branchProps).length > 0) branchRequired.push(Object.keys(branchProps)[0]!);
    const required = [...new Set([...((out.required as string[]) ?? []), ...branchRequired])];
    const properties: Record<string, Schema> = { ...((out.properties as Record<string, Schema>) ?? {}) };
    for (const [k, ps] of Object.entries(branchProps)) {
      const base = properties[k];
      if (!base) properties[k] = ps;
      else {
        const a = deref(base, root);
        const c = deref(ps, root);
        const req = [...new Set([...((a.required as string[]) ?? []), ...((c.required as string[]) ?? [])])];
        properties[k] = { ...a, ...c, ...(req.length > 0 ? { required: req } : {}), ...(a.type !== undefined && c.type === undefined ? { type: a.type } : {}) };
        if (a.properties && c.properties) (properties[k] as Schema).properties = { ...(a.properties as object), ...(c.properties as object) };
      }
    }
    out = { ...bs, ...out, required, properties };
    if (out.type === undefined && bs.type !== undefined) out.type = bs.type;
  };
  if (Array.isArray(s.allOf)) {
    out = { ...s, allOf: undefined };
    for (const b of s.allOf) mergeIn(b, false);
  }
  for (const key of ['oneOf', 'anyOf']) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      out = { ...out, [key]: undefined };
      mergeIn(branches[Math.min(branch, branches.length - 1)], key === 'oneOf');
    }
  }
  if (Object.keys(out.properties as object ?? {}).length === 0 && !s.properties) delete out.properties;
  if (Array.isArray(out.required) && out.required.length === 0 && !s.required) delete out.required;
  return out;
}

/** Whether a scalar satisfies a (dereferenced) schema's own enum, bounds, length and pattern. */
export function isValid(s: Schema, v: unknown): boolean {
  const t = firstType(s);
  if (t === 'string' && typeof v !== 'string') return false;
  if ((t === 'integer' || t === 'number') && typeof v !== 'number') return false;
  if (t === 'integer' && !Number.isInteger(v)) return false;
  if (t === 'boolean' && typeof v !== 'boolean') return false;
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && v < s.minimum) return false;
    if (typeof s.maximum === 'number' && v > s.maximum) return false;
    if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) return false;
    if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) return false;
  }
  if (typeof v === 'string') {
    if (Array.isArray(s.enum) && !s.enum.includes(v)) return false;
    if (typeof s.maxLength === 'number' && v.length > s.maxLength) return false;
    if (typeof s.minLength === 'number' && v.length < s.minLength) return false;
    if (typeof s.pattern === 'string') {
      const re = compileRegExp(s.pattern);
      if (re && !re.re.test(v)) return false;
    }
  }
  return true;
}

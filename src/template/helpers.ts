/**
 * Helpers for SQL templates: what stacks need to build statements from manifest values.
 *
 *   '{{json tags}}'                 JSON text (a string in `{{…}}` is escaped for its literal)
 *   {{sql_string name}}             a whole SQL string literal: 'O''Brien' (refused inside quotes)
 *   '{{sql_escape x}}'              the same as '{{x}}' (an alias kept for stackql-deploy stacks)
 *   {{sql_list ids}}                ('a','b') for IN lists (refused inside quotes)
 *   '{{json (merge a b)}}'          lists joined without duplicates (tags by Key, later wins), objects merged
 *   '{{base64 text}}'               base64 of the UTF-8 text
 *   '{{uuid}}'                      a random UUID
 *   '{{patch_document (object Tags=tags)}}'  a Cloud Control JSON Patch: one `add` per key
 *   '{{aws_tags (object team="a")}}'         [{"Key":"team","Value":"a"}]
 *   (object K=v …), (array a b …), from_json, merge_lists, merge_objects, eq, ne, not, and, or,
 *   lower, upper
 *
 * Each takes plain values (the options object Handlebars appends is dropped) and throws
 * CcqlError('template') on a wrong argument.
 */
import { randomUUID } from 'node:crypto';
import { CcqlError } from '../errors.js';
import { SqlSafe, sqlEscape, templateText, type Helper } from './index.js';

type HelperOptions = { hash?: Record<string, unknown>; name?: string; loc?: { start: { line: number; column: number } } };

/** The arguments a helper was given, without Handlebars' trailing options object. */
function split(args: unknown[]): { values: unknown[]; options: HelperOptions } {
  const options = (args[args.length - 1] ?? {}) as HelperOptions;
  return { values: args.slice(0, -1), options };
}

function helperError(name: string, message: string, hint?: string): CcqlError {
  return new CcqlError('template', `${name}: ${message}`, hint ? { hint } : {});
}

function arity(name: string, values: unknown[], n: number, usage: string): void {
  if (values.length !== n) throw helperError(name, `takes ${n} argument${n === 1 ? '' : 's'}, got ${values.length}`, `write ${usage}`);
}

/** A JSON string given where a list or object is expected is parsed (stackql-deploy's habit). */
function structured(v: unknown): unknown {
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('[') || t.startsWith('{')) {
      try {
        return JSON.parse(t) as unknown;
      } catch {
        return v;
      }
    }
  }
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof SqlSafe);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

const isTag = (x: unknown): x is { Key: unknown } => isRecord(x) && 'Key' in x;

/** Lists: joined without duplicates; `[{Key, Value}]` tag lists by Key, the later value winning. Objects: merged, later keys winning. */
export function mergeValues(name: string, a: unknown, b: unknown): unknown {
  const x = structured(a);
  const y = structured(b);
  if (Array.isArray(x) && Array.isArray(y)) {
    if ([...x, ...y].every(isTag)) {
      const byKey = new Map<string, unknown>();
      for (const t of [...x, ...y] as Array<{ Key: unknown }>) byKey.set(String(t.Key), t);
      return [...byKey.values()];
    }
    const seen = new Set<string>();
    return [...x, ...y].filter((v) => {
      const k = canonical(v);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  if (isRecord(x) && isRecord(y)) return { ...x, ...y };
  if (x === undefined || x === null) return y;
  if (y === undefined || y === null) return x;
  throw helperError(name, `cannot merge ${kind(x)} with ${kind(y)}`, 'merge two lists or two objects');
}

function kind(v: unknown): string {
  return Array.isArray(v) ? 'a list' : isRecord(v) ? 'an object' : v === null ? 'null' : `a ${typeof v}`;
}

/** `{team: "a"}` → `[{Key: "team", Value: "a"}]`; a list of tags is returned as it is. */
export function awsTags(v: unknown): unknown {
  const x = structured(v);
  if (Array.isArray(x)) return x;
  if (!isRecord(x)) throw helperError('aws_tags', `expects an object of tag names and values, got ${kind(x)}`, "give a map, e.g. value: {team: events}");
  return Object.entries(x).map(([Key, Value]) => ({ Key, Value: templateText(Value) }));
}

/** Cloud Control's JSON Patch for setting each key of `v`: `[{op: "add", path: "/Key", value}]`. */
export function patchDocument(v: unknown): Array<{ op: 'add'; path: string; value: unknown }> {
  const x = structured(v);
  if (!isRecord(x)) throw helperError('patch_document', `expects an object of properties, got ${kind(x)}`, 'write {{patch_document (object Tags=tags Name=name)}}');
  return Object.entries(x).map(([key, value]) => ({ op: 'add', path: `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value: structured(value) }));
}

export const SQL_HELPERS: Readonly<Record<string, Helper>> = {
  json: (...args) => {
    const { values } = split(args);
    arity('json', values, 1, '{{json value}}');
    return JSON.stringify(values[0] instanceof SqlSafe ? values[0].sql : (values[0] ?? null));
  },
  sql_string: (...args) => {
    const { values } = split(args);
    arity('sql_string', values, 1, '{{sql_string value}}');
    const text = templateText(values[0]);
    return new SqlSafe(`'${sqlEscape(text)}'`, { kind: 'literal', text });
  },
  sql_escape: (...args) => {
    const { values } = split(args);
    arity('sql_escape', values, 1, "'{{sql_escape value}}'");
    // In SQL it is placed as a plain value is, so it is escaped for its own literal (E'…' too).
    const text = templateText(values[0]);
    return new SqlSafe(sqlEscape(text), { kind: 'value', text });
  },
  sql_list: (...args) => {
    const { values } = split(args);
    arity('sql_list', values, 1, '{{sql_list values}}');
    const x = structured(values[0]);
    const items = (Array.isArray(x) ? x : [x]).map(templateText);
    return new SqlSafe(items.length === 0 ? '(NULL)' : `(${items.map((v) => `'${sqlEscape(v)}'`).join(',')})`, { kind: 'list', items });
  },
  merge: (...args) => {
    const { values } = split(args);
    if (values.length < 2) throw helperError('merge', `takes two or more arguments, got ${values.length}`, 'write {{json (merge tags global_tags)}}');
    return values.slice(1).reduce((acc, v) => mergeValues('merge', acc, v), values[0]);
  },
  merge_lists: (...args) => {
    const { values } = split(args);
    arity('merge_lists', values, 2, '{{json (merge_lists a b)}}');
    const [a, b] = values.map(structured);
    if (!Array.isArray(a) || !Array.isArray(b)) throw helperError('merge_lists', `expects two lists, got ${kind(a)} and ${kind(b)}`);
    return mergeValues('merge_lists', a, b);
  },
  merge_objects: (...args) => {
    const { values } = split(args);
    arity('merge_objects', values, 2, '{{json (merge_objects a b)}}');
    const [a, b] = values.map(structured);
    if (!isRecord(a) || !isRecord(b)) throw helperError('merge_objects', `expects two objects, got ${kind(a)} and ${kind(b)}`);
    return { ...a, ...b };
  },
  base64: (...args) => {
    const { values } = split(args);
    arity('base64', values, 1, "'{{base64 value}}'");
    return Buffer.from(templateText(values[0]), 'utf8').toString('base64');
  },
  uuid: (...args) => {
    const { values } = split(args);
    arity('uuid', values, 0, "'{{uuid}}'");
    return randomUUID();
  },
  patch_document: (...args) => {
    const { values } = split(args);
    arity('patch_document', values, 1, "'{{patch_document (object Tags=tags)}}'");
    return JSON.stringify(patchDocument(values[0]));
  },
  aws_tags: (...args) => {
    const { values } = split(args);
    arity('aws_tags', values, 1, "'{{aws_tags tags}}'");
    return awsTags(values[0]);
  },
  from_json: (...args) => {
    const { values } = split(args);
    arity('from_json', values, 1, '{{json (from_json text)}}');
    const v = values[0];
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch (e) {
      throw helperError('from_json', `the value is not JSON (${(e as Error).message})`);
    }
  },
  object: (...args) => {
    const { values, options } = split(args);
    if (values.length > 0) throw helperError('object', 'takes only KEY=value pairs', 'write (object Name=name Tags=tags)');
    return { ...(options.hash ?? {}) };
  },
  array: (...args) => split(args).values,
  eq: (...args) => {
    const { values } = split(args);
    arity('eq', values, 2, '{{#if (eq a b)}}');
    return canonical(values[0]) === canonical(values[1]);
  },
  ne: (...args) => {
    const { values } = split(args);
    arity('ne', values, 2, '{{#if (ne a b)}}');
    return canonical(values[0]) !== canonical(values[1]);
  },
  not: (...args) => {
    const { values } = split(args);
    arity('not', values, 1, '{{#if (not a)}}');
    return !values[0];
  },
  and: (...args) => split(args).values.every(Boolean),
  or: (...args) => split(args).values.some(Boolean),
  lower: (...args) => {
    const { values } = split(args);
    arity('lower', values, 1, '{{lower value}}');
    return templateText(values[0]).toLowerCase();
  },
  upper: (...args) => {
    const { values } = split(args);
    arity('upper', values, 1, '{{upper value}}');
    return templateText(values[0]).toUpperCase();
  },
};

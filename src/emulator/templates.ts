/**
 * Format templates (data/arn-formats.json) filled in: `${Partition}`, `${Region}`, `${Account}`,
 * `${/Path}` (a value of the model) and `${gen:KIND}` (a generated part: `uuid`, `hex:N`,
 * `alnum:N`, `ALNUM:N`, `Alnum:N`, `digits:N`, `name`). Kept apart from the data so that the
 * generator that writes the data can use it.
 */
import { parsePointer, type Json, type JsonObject } from '../schema/pointer.js';

export const PARTITION = 'aws';

export interface TemplateContext {
  region: string;
  account: string;
  model: JsonObject;
  /** A generated part (`uuid`, `hex:17`, …). */
  generate: (kind: string) => string;
}

const VARIABLE = /\$\{([^}]+)\}/g;

/** The template filled in, or undefined when a `${/Path}` it needs has no scalar value. */
export function renderTemplate(template: string, ctx: TemplateContext): string | undefined {
  let missing = false;
  const out = template.replace(VARIABLE, (_whole, v: string) => {
    if (v === 'Partition') return PARTITION;
    if (v === 'Region') return ctx.region;
    if (v === 'Account') return ctx.account;
    if (v.startsWith('gen:')) return ctx.generate(v.slice(4));
    if (v.startsWith('/')) {
      const value = valueAtPointer(ctx.model, v);
      if (typeof value === 'string' || typeof value === 'number') return String(value);
    }
    missing = true;
    return '';
  });
  return missing ? undefined : out;
}

/** Model pointers a template reads (`${/QueueName}` → `/QueueName`). */
export function templateReferences(template: string): string[] {
  return [...template.matchAll(VARIABLE)].map((m) => m[1]!).filter((v) => v.startsWith('/'));
}

/**
 * A regular expression a value rendered from `template` matches, for tests and checks: fixed
 * text literally, generated parts by their alphabet and length, model values as any run of
 * characters.
 */
export function templatePattern(template: string, region: string, account: string): RegExp {
  let re = '';
  let last = 0;
  for (const m of template.matchAll(VARIABLE)) {
    re += escape(template.slice(last, m.index));
    last = m.index + m[0].length;
    const v = m[1]!;
    if (v === 'Partition') re += PARTITION;
    else if (v === 'Region') re += escape(region);
    else if (v === 'Account') re += account;
    else if (v.startsWith('gen:')) re += generatedPattern(v.slice(4));
    else re += '.+';
  }
  re += escape(template.slice(last));
  return new RegExp(`^${re}$`);
}

function generatedPattern(kind: string): string {
  const [name, n] = kind.split(':');
  switch (name) {
    case 'uuid':
      return '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
    case 'hex':
      return `[0-9a-f]{${n}}`;
    case 'alnum':
      return `[a-z0-9]{${n}}`;
    case 'ALNUM':
      return `[A-Z0-9]{${n}}`;
    case 'Alnum':
      return `[A-Za-z0-9]{${n}}`;
    case 'digits':
      return `[0-9]{${n}}`;
    default:
      return '.+';
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function valueAtPointer(model: JsonObject, pointer: string): Json | undefined {
  let cur: Json | undefined = model;
  for (const seg of parsePointer(pointer)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

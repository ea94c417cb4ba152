/**
 * Values for the placeholders of ccql's templates (SHOW INSERT INTO, the reference pages) that
 * each placeholder's schema accepts, drawn by the emulator's own generator of valid values: what
 * a user would type, so that tests can run the templates as printed.
 */
import type { Placeholder } from '../../src/catalog/examples.js';
import type { ResourceDef } from '../../src/catalog/types.js';
import { makeRng } from '../../src/emulator/regex.js';
import { mergeBranches, ValueGenerator } from '../../src/emulator/values.js';
import { validatorFor } from '../../src/emulator/validation.js';
import type { JsonObject } from '../../src/schema/pointer.js';

/**
 * A value for each placeholder that its schema accepts (the emulator's own generator of valid
 * values), written as the placeholder's place needs: JSON text as it is, text escaped for a JSON
 * string when it sits inside one. Template variables are substituted raw, so a text value never
 * carries a `'` (it would end the SQL literal); the generator is asked again when one does.
 */
export function fill(r: ResourceDef, placeholders: readonly Placeholder[], seed: number, region: string): Record<string, string> {
  const rng = makeRng(seed);
  const gen = new ValueGenerator(rng, region);
  const vars: Record<string, string> = {};
  for (const p of placeholders) {
    if (p.name === 'region') {
      vars[p.name] = region;
      continue;
    }
    let text = '';
    for (let attempt = 0; attempt < 12; attempt++) {
      const v = valueFor(r, p, gen, rng, attempt);
      text = p.form === 'json' ? JSON.stringify(v) : typeof v === 'string' ? v : JSON.stringify(v);
      if (p.form === 'text' && p.inJson) text = JSON.stringify(text).slice(1, -1);
      if (!text.includes("'") && accepts(r, p, v)) break;
    }
    vars[p.name] = text.replace(/'/g, "''");
  }
  return vars;
}

/**
 * One value for a placeholder. Numbers are drawn from their range rather than always its
 * minimum, so that the items of a `uniqueItems` array differ; each try after the first takes
 * the next branch of a oneOf/anyOf.
 */
export function valueFor(r: ResourceDef, p: Placeholder, gen: ValueGenerator, rng: () => number, attempt: number): unknown {
  const schema = mergeBranches(resolved(p.schema, r.schema), r.schema, attempt);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const fractionStep = typeof schema.multipleOf === 'number' && !Number.isInteger(schema.multipleOf);
  // (A fractional multipleOf is left to the generator: 0.07 / 0.01 is not a whole number in floating point.)
  if ((type === 'integer' || type === 'number') && schema.enum === undefined && schema.const === undefined && !fractionStep) {
    const lo = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
    const hi = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : lo + 100;
    const step = typeof schema.multipleOf === 'number' ? schema.multipleOf : 1;
    const steps = Math.max(0, Math.floor((hi - lo) / step));
    const v = lo + Math.floor(rng() * Math.min(steps, 100)) * step;
    return type === 'integer' ? Math.ceil(v) : v;
  }
  return gen.value(r, p.name.replace(/_/g, ''), schema);
}

/** A schema with its `#/definitions/…` references followed (the definition's keywords win, as in draft-07). */
export function resolved(schema: Record<string, unknown>, root: Record<string, unknown>): Record<string, unknown> {
  let s = schema;
  for (let i = 0; i < 16 && typeof s.$ref === 'string'; i++) {
    const name = /^#\/definitions\/(.+)$/.exec(s.$ref)?.[1];
    const target = name === undefined ? undefined : ((root.definitions ?? {}) as Record<string, Record<string, unknown>>)[name];
    if (!target) return {};
    const { $ref: _ref, ...rest } = s;
    s = { ...rest, ...target };
  }
  return s;
}

/** Where a placeholder's schema has alternatives (which a generated value can get wrong): whether it accepts `v`. */
function accepts(r: ResourceDef, p: Placeholder, v: unknown): boolean {
  const text = JSON.stringify(p.schema);
  if (!/"(oneOf|anyOf|not)"/.test(text)) return true;
  const wrapper = { type: 'object', properties: { v: p.schema }, required: ['v'], definitions: r.schema.definitions };
  const cached = validators.get(p.schema) ?? validatorFor(wrapper);
  validators.set(p.schema, cached);
  return cached.validate({ v } as JsonObject, () => false).length === 0;
}

const validators = new WeakMap<object, ReturnType<typeof validatorFor>>();

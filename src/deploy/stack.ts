/**
 * A stack ready to run: the manifest, each resource's file split into anchors, every template
 * translated from Jinja where needed and compiled, every variable a template reads resolved to
 * where it comes from (a -e variable, a global, a prop, another resource's export, a built-in),
 * and the dependency graph those exports make. All of it is checked before anything runs, so a
 * typo, an unknown anchor or a cycle never stops a build half way.
 *
 * Template contexts, lowest precedence first: built-ins (stack_name, stack_env, and `vars`, the
 * -e variables as one object, as in `{{vars.AWS_REGION}}`), -e variables,
 * globals (in order, each seeing the ones before), exports of the resources this one depends on,
 * its own exports (once its exports query ran), its props, and resource_name, idempotency_token
 * and `this` (the row its exists query or its creation returned).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CcqlError, suggest, type ErrorLocation } from '../errors.js';
import { compileTemplate, type CompiledTemplate, type Helper } from '../template/index.js';
import { mergeValues, SQL_HELPERS } from '../template/helpers.js';
import { translateJinja } from './jinja.js';
import { exportNames, loadManifest, pathText, resourceType, type ExportName, type Manifest, type ResourceSpec, type ResourceType } from './manifest.js';
import { parseResourceFile, type Anchor, type AnchorName } from './resource-file.js';

/** The root name `{{this.x}}` is read from. */
export const THIS = 'ccql_this';
export const BUILTINS = ['stack_name', 'stack_env', 'resource_name', 'idempotency_token', THIS] as const;

export interface PreparedTemplate {
  compiled: CompiledTemplate;
  /** For messages: "resources/stage.iql:12", "ccql_manifest.yml (resources[0].props[1].value)". */
  where: string;
  anchor?: Anchor;
}

/** A manifest value whose strings are templates. */
export type PreparedValue =
  | { kind: 'template'; template: PreparedTemplate; single: boolean }
  | { kind: 'list'; items: PreparedValue[] }
  | { kind: 'object'; entries: Array<[string, PreparedValue]> }
  | { kind: 'literal'; value: unknown };

export interface PreparedProp {
  name: string;
  value: PreparedValue | undefined;
  merge: string[];
  path: Array<string | number>;
}

export interface StackResource {
  name: string;
  index: number;
  type: ResourceType;
  spec: ResourceSpec;
  /** The resource file, as shown in messages. */
  file: string | undefined;
  anchors: Map<AnchorName, PreparedTemplate>;
  /** Inline `sql` (query and command resources). */
  sql: PreparedTemplate | undefined;
  /** The shell command of a script resource. */
  run: PreparedTemplate | undefined;
  condition: PreparedTemplate | undefined;
  props: PreparedProp[];
  exports: ExportName[];
  protected: ReadonlySet<string>;
  /** Names of the resources whose exports this one reads. */
  dependsOn: Set<string>;
}

export interface Stack {
  manifest: Manifest;
  name: string;
  env: string;
  resources: StackResource[];
  byName: Map<string, StackResource>;
  /** Globals in order. */
  globals: Array<{ name: string; value: PreparedValue; path: Array<string | number> }>;
  vars: Readonly<Record<string, string>>;
  /** Which resource exports each name. */
  exporters: Map<string, StackResource[]>;
  helpers: Readonly<Record<string, Helper>>;
}

export interface PrepareOptions {
  stackDir: string;
  env: string;
  vars: Readonly<Record<string, string>>;
  /** Where `{{env "NAME"}}` reads (the process environment). */
  processEnv: Readonly<Record<string, string | undefined>>;
}

/** Reads, compiles and checks the whole stack; throws the first problem as a CcqlError. */
export function prepareStack(options: PrepareOptions): Stack {
  const manifest = loadManifest(options.stackDir);
  const doc = manifest.doc;
  const helpers: Record<string, Helper> = { ...SQL_HELPERS, env: envHelper(options.processEnv) };
  const compileOpts = { helpers, thisName: THIS };

  const manifestTemplate = (text: string, path: Array<string | number>, escape: 'sql' | 'none'): PreparedTemplate => {
    const pos = manifest.position(path);
    const where = `${manifest.file}${pos ? `:${pos.line}` : ''} (${pathText(path)})`;
    const location = { file: manifest.file, path: pathText(path), ...(pos ? { line: pos.line } : {}) };
    const translated = translateJinja(text, location);
    return { compiled: compileTemplate(translated, { ...compileOpts, escape, file: manifest.file, path: pathText(path), ...(pos ? { line: pos.line } : {}) }), where };
  };
  const prepareValue = (v: unknown, path: Array<string | number>): PreparedValue => {
    if (typeof v === 'string') {
      if (!v.includes('{{') && !v.includes('{%') && !v.includes('{#')) return { kind: 'literal', value: v };
      const template = manifestTemplate(v, path, 'none');
      return { kind: 'template', template, single: template.compiled.single };
    }
    if (Array.isArray(v)) return { kind: 'list', items: v.map((x, i) => prepareValue(x, [...path, i])) };
    if (v !== null && typeof v === 'object') return { kind: 'object', entries: Object.entries(v).map(([k, x]) => [k, prepareValue(x, [...path, k])]) };
    return { kind: 'literal', value: v };
  };

  const globals = (doc.globals ?? []).map((g, i) => ({ name: g.name, value: prepareValue(g.value, ['globals', i, 'value']), path: ['globals', i] as Array<string | number> }));

  const resources: StackResource[] = doc.resources.map((spec, index) => {
    const type = resourceType(spec);
    const at = (...rest: Array<string | number>): Array<string | number> => ['resources', index, ...rest];
    const anchors = new Map<AnchorName, PreparedTemplate>();
    let file: string | undefined;
    if (spec.sql === undefined && type !== 'script') {
      const rel = spec.file ?? join('resources', `${spec.name}.iql`);
      const abs = join(manifest.dir, rel);
      file = relative(process.cwd(), abs) || abs;
      const parsed = parseResourceFile(readFileSync(abs, 'utf8'), file);
      for (const [name, anchor] of parsed.anchors) {
        const translated = translateJinja(anchor.text, { file, line: anchor.line });
        anchors.set(name, { compiled: compileTemplate(translated, { ...compileOpts, escape: 'sql', file, line: anchor.line }), where: `${file}:${anchor.anchorLine} (/*+ ${name} */)`, anchor });
      }
      checkAnchors(spec, type, anchors, file);
    }
    const props: PreparedProp[] = (spec.props ?? []).map((p, j) => {
      let raw: unknown;
      let path = at('props', j, 'value');
      let present = true;
      if (p.values !== undefined) {
        const chosen = p.values[options.env];
        path = at('props', j, 'values', options.env, 'value');
        if (chosen === undefined) present = p.value !== undefined;
        raw = chosen?.value ?? p.value;
        if (chosen === undefined && p.value !== undefined) path = at('props', j, 'value');
      } else raw = p.value;
      if (!present) {
        const envs = Object.keys(p.values ?? {});
        const pos = manifest.position(at('props', j, 'values'));
        throw new CcqlError('manifest', `the prop '${p.name}' of ${spec.name} has no value for the environment '${options.env}'`, {
          location: { file: manifest.file, path: pathText(at('props', j, 'values')), ...(pos ? { line: pos.line, column: pos.column } : {}) },
          hint: `values are given for: ${envs.join(', ')}; add ${options.env}: {value: …}, or a value: for every other environment`,
        });
      }
      return { name: p.name, value: prepareValue(raw, path), merge: p.merge ?? [], path: at('props', j) };
    });
    const sql = spec.sql !== undefined ? manifestTemplate(spec.sql, at('sql'), 'sql') : undefined;
    const run = spec.run !== undefined ? manifestTemplate(spec.run, at('run'), 'none') : undefined;
    const condition = spec.if !== undefined ? manifestTemplate(spec.if, at('if'), 'sql') : undefined;
    return {
      name: spec.name,
      index,
      type,
      spec,
      file,
      anchors,
      sql,
      run,
      condition,
      props,
      exports: exportNames(spec),
      protected: new Set(spec.protected ?? []),
      dependsOn: new Set<string>(),
    };
  });

  const exporters = new Map<string, StackResource[]>();
  for (const r of resources) for (const e of r.exports) exporters.set(e.alias, [...(exporters.get(e.alias) ?? []), r]);
  const stack: Stack = {
    manifest,
    name: doc.name,
    env: options.env,
    resources,
    byName: new Map(resources.map((r) => [r.name, r])),
    globals,
    vars: options.vars,
    exporters,
    helpers,
  };
  resolveReferences(stack);
  checkCycles(stack);
  return stack;
}

function checkAnchors(spec: ResourceSpec, type: ResourceType, anchors: Map<AnchorName, PreparedTemplate>, file: string): void {
  const has = (a: AnchorName): boolean => anchors.has(a);
  const problem = (message: string, hint: string): CcqlError => new CcqlError('manifest', `${spec.name}: ${message}`, { location: { file }, hint });
  if (type === 'resource' || type === 'multi') {
    if (!has('create') && !has('createorupdate')) throw problem('the resource file has no /*+ create */ (or /*+ createorupdate */) anchor', 'add the INSERT that creates it under /*+ create */');
    if (!has('createorupdate') && !has('exists') && !has('statecheck') && !has('exports')) {
      throw problem('the resource file has no /*+ exists */ anchor (nor statecheck or exports to tell whether it exists)', 'add a SELECT under /*+ exists */ that finds the resource');
    }
    if (has('command')) throw problem('/*+ command */ is for command resources', 'give the resource type: command, or rename the anchor');
  } else if (type === 'query') {
    if (!has('exports')) throw problem('a query resource needs an /*+ exports */ anchor (or inline sql)', 'write the SELECT under /*+ exports */');
  } else if (type === 'command') {
    if (!has('command')) throw problem('a command resource needs a /*+ command */ anchor (or inline sql)', 'write the statement under /*+ command */');
  }
}

/** Every template of a resource, with what it is (for references). */
function templatesOf(r: StackResource): PreparedTemplate[] {
  const out: PreparedTemplate[] = [...r.anchors.values()];
  if (r.sql) out.push(r.sql);
  if (r.run) out.push(r.run);
  if (r.condition) out.push(r.condition);
  const walk = (v: PreparedValue | undefined): void => {
    if (!v) return;
    if (v.kind === 'template') out.push(v.template);
    else if (v.kind === 'list') v.items.forEach(walk);
    else if (v.kind === 'object') v.entries.forEach(([, x]) => walk(x));
  };
  for (const p of r.props) walk(p.value);
  return out;
}

function valueTemplates(v: PreparedValue): PreparedTemplate[] {
  if (v.kind === 'template') return [v.template];
  if (v.kind === 'list') return v.items.flatMap(valueTemplates);
  if (v.kind === 'object') return v.entries.flatMap(([, x]) => valueTemplates(x));
  return [];
}

/**
 * Resolves every name each template reads: unknown names are errors now (naming the variable,
 * the resource and the file), names another resource exports make a dependency on it.
 */
function resolveReferences(stack: Stack): void {
  const globalsSoFar = new Set<string>();
  const base = new Set<string>([...BUILTINS.filter((b) => b === 'stack_name' || b === 'stack_env'), 'vars', ...Object.keys(stack.vars)]);
  for (const g of stack.globals) {
    for (const t of valueTemplates(g.value)) {
      for (const ref of t.compiled.references()) {
        if (base.has(ref.name) || globalsSoFar.has(ref.name)) continue;
        throw undefinedVariable(stack, ref.name, t, ref, `${pathText(g.path)}`, globalsSoFar.size > 0 || base.size > 0 ? [...base, ...globalsSoFar] : []);
      }
    }
    globalsSoFar.add(g.name);
  }
  for (const r of stack.resources) {
    const own = new Set<string>([...r.props.map((p) => p.name), ...r.exports.map((e) => e.alias), ...BUILTINS, ...globalsSoFar, ...base]);
    for (const p of r.props) {
      for (const m of p.merge) {
        const producer = producerOf(stack, r, m);
        if (producer) r.dependsOn.add(producer.name);
        else if (!own.has(m)) {
          const pos = stack.manifest.position([...p.path, 'merge']);
          throw new CcqlError('manifest', `${r.name}: the prop '${p.name}' merges '${m}', which is not defined`, {
            location: { file: stack.manifest.file, path: pathText([...p.path, 'merge']), ...(pos ? { line: pos.line, column: pos.column } : {}) },
            hint: 'merge names globals, props of the resource, or exports of other resources',
          });
        }
      }
    }
    for (const t of templatesOf(r)) {
      for (const ref of t.compiled.references()) {
        if (r.props.some((p) => p.name === ref.name) || r.exports.some((e) => e.alias === ref.name)) continue;
        const producer = producerOf(stack, r, ref.name);
        if (producer) {
          r.dependsOn.add(producer.name);
          continue;
        }
        if (own.has(ref.name)) continue;
        throw undefinedVariable(stack, ref.name, t, ref, r.name, [...own].filter((n) => n !== THIS));
      }
    }
  }
}

/** The resource whose export `name` a template of `r` reads: the nearest one before `r`, else the first after. */
function producerOf(stack: Stack, r: StackResource, name: string): StackResource | undefined {
  const list = (stack.exporters.get(name) ?? []).filter((p) => p !== r);
  if (list.length === 0) return undefined;
  const before = list.filter((p) => p.index < r.index);
  return before.length > 0 ? before[before.length - 1] : list[0];
}

function undefinedVariable(stack: Stack, name: string, t: PreparedTemplate, ref: { line: number; column: number }, owner: string, known: string[]): CcqlError {
  const loc = t.compiled.options;
  const location: ErrorLocation = {};
  if (loc.file) location.file = loc.file;
  location.line = ref.line + (loc.line ?? 1) - 1;
  location.column = ref.column;
  if (loc.path) location.path = loc.path;
  if (name === THIS) {
    return new CcqlError('template', `${owner}: {{this.…}} is used outside a resource's anchors`, { location, hint: '{{this.column}} is the row of the resource\'s exists query or creation' });
  }
  const near = suggest(name, known);
  return new CcqlError('template', `template variable '${name}' is not defined (in ${owner}, ${t.where})`, {
    location,
    hint: `${near ? `did you mean '${near}'? ` : ''}define it with -e ${name}=VALUE, as a global, as a prop of the resource, or export it from another resource`,
  });
}

function checkCycles(stack: Stack): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const pathStack: string[] = [];
  const visit = (r: StackResource): void => {
    if (state.get(r.name) === 'done') return;
    if (state.get(r.name) === 'visiting') {
      const cycle = [...pathStack.slice(pathStack.indexOf(r.name)), r.name];
      throw new CcqlError('manifest', `the resources' exports form a cycle: ${cycle.join(' → ')}`, {
        location: { file: stack.manifest.file },
        hint: 'each resource may use exports only of resources that do not use its own; move the shared value into a global or a prop',
      });
    }
    state.set(r.name, 'visiting');
    pathStack.push(r.name);
    for (const d of r.dependsOn) visit(stack.byName.get(d)!);
    pathStack.pop();
    state.set(r.name, 'done');
  };
  for (const r of stack.resources) visit(r);
}

/** Every resource `r` depends on, directly or not. */
export function dependencyClosure(stack: Stack, r: StackResource): StackResource[] {
  const out = new Set<StackResource>();
  const add = (x: StackResource): void => {
    for (const d of x.dependsOn) {
      const dep = stack.byName.get(d)!;
      if (!out.has(dep)) {
        out.add(dep);
        add(dep);
      }
    }
  };
  add(r);
  return [...out].sort((a, b) => a.index - b.index);
}

/** Stable per stack, environment and resource: a UUID-shaped hash. */
export function idempotencyToken(stack: Pick<Stack, 'name' | 'env'>, resource: string): string {
  const h = createHash('sha256').update(`${stack.name}\u0000${stack.env}\u0000${resource}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function envHelper(env: Readonly<Record<string, string | undefined>>): Helper {
  return (...args: unknown[]) => {
    const values = args.slice(0, -1);
    if (values.length !== 1 || typeof values[0] !== 'string') {
      throw new CcqlError('template', 'env: takes the name of an environment variable', { hint: 'write {{env "NAME"}}' });
    }
    const v = env[values[0]];
    if (v === undefined) throw new CcqlError('template', `the environment variable ${values[0]} is not set`, { hint: `export ${values[0]}=… before running ccql deploy` });
    return v;
  };
}

/** Evaluates a prepared manifest value: strings rendered (a lone `{{x}}` keeps x's own value: a list stays a list). */
export function evaluateValue(v: PreparedValue, context: Readonly<Record<string, unknown>>): unknown {
  switch (v.kind) {
    case 'literal':
      return v.value;
    case 'list':
      return v.items.map((x) => evaluateValue(x, context));
    case 'object':
      return Object.fromEntries(v.entries.map(([k, x]) => [k, evaluateValue(x, context)]));
    case 'template':
      return v.single ? v.template.compiled.value(context) : v.template.compiled.render(context);
  }
}

/** Globals, in order, each rendered with the built-ins, the -e variables and the globals before it. */
export function evaluateGlobals(stack: Stack): Record<string, unknown> {
  const ctx: Record<string, unknown> = { vars: { ...stack.vars }, ...stack.vars, stack_name: stack.name, stack_env: stack.env };
  const out: Record<string, unknown> = {};
  for (const g of stack.globals) {
    const value = evaluateValue(g.value, ctx);
    ctx[g.name] = value;
    out[g.name] = value;
  }
  return out;
}

/** The props of `r` in the given context (each seeing the ones before it), with `merge` applied. */
export function evaluateProps(stack: Stack, r: StackResource, context: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const ctx: Record<string, unknown> = { ...context };
  const out: Record<string, unknown> = {};
  for (const p of r.props) {
    let value = p.value ? evaluateValue(p.value, ctx) : undefined;
    for (const m of p.merge) {
      if (!(m in ctx)) {
        throw new CcqlError('manifest', `${r.name}: the prop '${p.name}' merges '${m}', which has no value yet`, { location: { file: stack.manifest.file, path: pathText(p.path) } });
      }
      try {
        value = mergeValues('merge', value, ctx[m]);
      } catch (e) {
        const err = e as CcqlError;
        throw new CcqlError('manifest', `${r.name}: the prop '${p.name}' cannot merge '${m}': ${err.message.replace(/^merge: /, '')}`, { location: { file: stack.manifest.file, path: pathText(p.path) }, ...(err.hint ? { hint: err.hint } : {}) });
      }
    }
    ctx[p.name] = value;
    out[p.name] = value;
  }
  return out;
}

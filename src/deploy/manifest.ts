/**
 * The stack manifest: `ccql_manifest.yml` in the stack directory (or `stackql_manifest.yml`, so
 * that stackql-deploy stacks run as they are). Parsed with positions, validated against the
 * JSON Schema beside this file (manifest.schema.json, the published form), then checked for what a
 * schema cannot say (unique names, files that exist, anchors a resource type needs). Every problem
 * is reported at once, each with its path and line, before anything runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { CcqlError, suggest } from '../errors.js';
import schema from './manifest.schema.json' with { type: 'json' };

const require = createRequire(import.meta.url);

export const MANIFEST_FILES = ['ccql_manifest.yml', 'ccql_manifest.yaml', 'stackql_manifest.yml', 'stackql_manifest.yaml'] as const;

export type ResourceType = 'resource' | 'query' | 'command' | 'script' | 'multi';

export interface PropSpec {
  name: string;
  value?: unknown;
  values?: Record<string, { value: unknown }>;
  merge?: string[];
  description?: string;
}

/** `name`, or `{column: alias}`. */
export type ExportSpec = string | Record<string, string>;

export interface ResourceSpec {
  name: string;
  type?: ResourceType;
  description?: string;
  file?: string;
  sql?: string;
  run?: string;
  props?: PropSpec[];
  exports?: ExportSpec[];
  protected?: string[];
  if?: string;
  skip_validation?: boolean;
  auth?: Record<string, unknown>;
}

export interface ManifestDoc {
  version?: number;
  name: string;
  description?: string;
  providers?: string[];
  globals?: Array<{ name: string; value: unknown; description?: string }>;
  resources: ResourceSpec[];
  exports?: string[];
}

export interface Manifest {
  doc: ManifestDoc;
  /** The manifest's path. */
  file: string;
  /** The stack directory (absolute). */
  dir: string;
  /** `{line, column}` of a path in the manifest ("resources.1.props.0.value"), if known. */
  position(path: ReadonlyArray<string | number>): { line: number; column: number } | undefined;
}

/** One exported name: the exports query's column and the name it is exported as. */
export interface ExportName {
  column: string;
  alias: string;
}

export function exportNames(r: ResourceSpec): ExportName[] {
  return (r.exports ?? []).flatMap((e) => (typeof e === 'string' ? [{ column: e, alias: e }] : Object.entries(e).map(([column, alias]) => ({ column, alias }))));
}

export function resourceType(r: ResourceSpec): ResourceType {
  return r.type ?? 'resource';
}

/** Finds and reads the manifest of `stackDir`; throws CcqlError('manifest') listing every problem. */
export function loadManifest(stackDir: string): Manifest {
  const dir = resolve(stackDir);
  if (!existsSync(dir)) {
    throw new CcqlError('usage', `the stack directory ${stackDir} does not exist`, { hint: 'ccql deploy init NAME creates a starter stack' });
  }
  const name = MANIFEST_FILES.find((f) => existsSync(join(dir, f)));
  if (!name) {
    throw new CcqlError('manifest', `no manifest in ${stackDir}`, { hint: `write ${MANIFEST_FILES[0]} there (ccql deploy init NAME creates a starter stack); stackql_manifest.yml is read too` });
  }
  const file = join(dir, name);
  const text = readFileSync(file, 'utf8');
  return parseManifest(text, file, dir);
}

/** Parses and validates manifest text (`file` for messages, `dir` for resource files). */
export function parseManifest(text: string, file: string, dir: string): Manifest {
  const shown = relative(process.cwd(), file) || file;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = lines.linePos(first.pos[0]);
    throw new CcqlError('manifest', `${shown} is not valid YAML: ${first.message.split('\n')[0]}`, {
      location: { file: shown, line: pos.line, column: pos.col },
      details: doc.errors.slice(1).map((e) => {
        const p = lines.linePos(e.pos[0]);
        return `${shown}:${p.line}:${p.col}: ${e.message.split('\n')[0]}`;
      }),
    });
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const position = (path: ReadonlyArray<string | number>): { line: number; column: number } | undefined => positionOf(doc, lines, path);
  const problems: Problem[] = [];

  for (const e of validate(value)) problems.push(e);
  if (problems.length === 0) problems.push(...semanticProblems(value as ManifestDoc, dir));

  if (problems.length > 0) {
    const located = problems.map((p) => ({ ...p, pos: position(p.path) }));
    const render = (p: (typeof located)[number]): string => `${shown}${p.pos ? `:${p.pos.line}:${p.pos.column}` : ''}: ${pathText(p.path) || '(top level)'}: ${p.message}`;
    const first = located[0]!;
    return fail(
      new CcqlError('manifest', located.length === 1 ? `${shown}: ${pathText(first.path) || '(top level)'}: ${first.message}` : `${shown} has ${located.length} problems`, {
        location: { file: shown, ...(first.pos ? { line: first.pos.line, column: first.pos.column } : {}), path: pathText(first.path) },
        details: located.length === 1 ? [] : located.map(render),
        ...(first.hint ? { hint: first.hint } : { hint: 'the manifest format: docs/deploy.md, and its JSON Schema src/deploy/manifest.schema.json' }),
      }),
    );
  }
  return { doc: value as ManifestDoc, file: shown, dir, position };
}

function fail(e: CcqlError): never {
  throw e;
}

interface Problem {
  path: Array<string | number>;
  message: string;
  hint?: string;
}

/** `resources[1].props[0].value` */
export function pathText(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

type ValidateFn = ((v: unknown) => boolean) & { errors?: Array<{ instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }> | null };
let compiled: ValidateFn | undefined;

function validate(value: unknown): Problem[] {
  if (compiled === undefined) {
    const { Ajv } = require('ajv') as typeof import('ajv');
    compiled = new Ajv({ allErrors: true, strict: false }).compile(schema) as unknown as ValidateFn;
  }
  if (compiled(value)) return [];
  const errors = compiled.errors ?? [];
  // oneOf/anyOf report each branch's failure; keep the clearest one per place.
  const byPath = new Map<string, Problem[]>();
  for (const e of errors) {
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    let problem: Problem;
    switch (e.keyword) {
      case 'additionalProperties': {
        const extra = String(e.params.additionalProperty);
        const allowed = allowedKeys(path);
        const near = suggest(extra, allowed);
        problem = { path: [...path, extra], message: `unknown key '${extra}'`, hint: near ? `did you mean '${near}'?` : `allowed here: ${allowed.join(', ')}` };
        break;
      }
      case 'required':
        problem = { path, message: `'${String(e.params.missingProperty)}' is required` };
        break;
      case 'enum':
        problem = { path, message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
        break;
      case 'pattern':
        problem = { path, message: path.length === 3 && path[0] === 'resources' && path[2] === 'name' ? 'must be a name of letters, digits, _ and - (not starting with a digit or -)' : 'must be a name of letters, digits and _ (not starting with a digit)' };
        break;
      case 'oneOf':
        if (path.length >= 3 && path[path.length - 2] === 'props') problem = { path, message: "a prop needs either 'value' or 'values' (one value per environment), not both" };
        else if (path.includes('exports')) problem = { path, message: 'an export is a name, or {column: alias}' };
        else problem = { path, message: e.message ?? 'is not valid' };
        break;
      default:
        problem = { path, message: e.message ?? 'is not valid' };
    }
    const key = pathText(problem.path);
    const list = byPath.get(key) ?? [];
    if (!list.some((p) => p.message === problem.message)) list.push(problem);
    byPath.set(key, list);
  }
  const out: Problem[] = [];
  for (const list of byPath.values()) {
    // A oneOf summary says it all; drop the branch errors at the same place.
    const summary = list.find((p) => SUMMARY.test(p.message));
    out.push(...(summary ? [summary] : list));
  }
  // …and the branch errors below it (exports[0].x: must be string).
  const summaries = out.filter((p) => SUMMARY.test(p.message));
  const below = (p: Problem, q: Problem): boolean => p.path.length > q.path.length && q.path.every((s, i) => p.path[i] === s);
  return out.filter((p) => !summaries.some((q) => below(p, q)));
}

const SUMMARY = /needs either|an export is/;

function allowedKeys(path: ReadonlyArray<string | number>): string[] {
  const s = schema as unknown as { properties: Record<string, unknown>; definitions: { resource: { properties: Record<string, unknown> } } };
  if (path.length === 0) return Object.keys(s.properties);
  if (path[0] === 'resources' && path.length === 2) return Object.keys(s.definitions.resource.properties);
  if (path[0] === 'resources' && path[2] === 'props') return ['name', 'value', 'values', 'merge', 'description'];
  if (path[0] === 'globals') return ['name', 'value', 'description'];
  return [];
}

const ANCHOR_FILE_TYPES: ReadonlySet<string> = new Set(['resource', 'multi', 'query', 'command']);

function semanticProblems(doc: ManifestDoc, dir: string): Problem[] {
  const problems: Problem[] = [];
  const seenGlobals = new Map<string, number>();
  (doc.globals ?? []).forEach((g, i) => {
    if (seenGlobals.has(g.name)) problems.push({ path: ['globals', i, 'name'], message: `the global '${g.name}' is defined twice (also globals[${seenGlobals.get(g.name)}])` });
    seenGlobals.set(g.name, i);
  });
  const seen = new Map<string, number>();
  const exporters = new Map<string, string>();
  doc.resources.forEach((r, i) => {
    const at = (...rest: Array<string | number>): Array<string | number> => ['resources', i, ...rest];
    if (seen.has(r.name)) problems.push({ path: at('name'), message: `the resource name '${r.name}' is used twice (also resources[${seen.get(r.name)}])` });
    seen.set(r.name, i);
    const type = resourceType(r);
    if (r.run !== undefined && type !== 'script') problems.push({ path: at('run'), message: `'run' is for script resources, and this one is a ${type}`, hint: 'add type: script, or remove run' });
    if (type === 'script' && r.run === undefined) problems.push({ path: at(), message: "a script resource needs 'run' (the shell command)" });
    if (r.sql !== undefined && type !== 'query' && type !== 'command') problems.push({ path: at('sql'), message: `inline 'sql' is for query and command resources, and this one is a ${type}`, hint: 'put the SQL in the resource file under its anchors' });
    if (r.sql !== undefined && r.file !== undefined) problems.push({ path: at('file'), message: "give either 'file' or inline 'sql', not both" });
    if (ANCHOR_FILE_TYPES.has(type) && r.sql === undefined) {
      const file = r.file ?? join('resources', `${r.name}.iql`);
      if (!existsSync(join(dir, file))) {
        problems.push({
          path: r.file !== undefined ? at('file') : at('name'),
          message: `the resource file ${file} does not exist`,
          hint: r.file !== undefined ? 'paths are relative to the stack directory' : `write ${file}, or name another with file:`,
        });
      }
    }
    const propNames = new Map<string, number>();
    (r.props ?? []).forEach((p, j) => {
      if (propNames.has(p.name)) problems.push({ path: at('props', j, 'name'), message: `the prop '${p.name}' is defined twice` });
      propNames.set(p.name, j);
    });
    exportNames(r).forEach((e, j) => {
      const other = exporters.get(e.alias);
      if (other === r.name) problems.push({ path: at('exports', j), message: `'${e.alias}' is exported twice` });
      exporters.set(e.alias, r.name);
    });
    (r.protected ?? []).forEach((p, j) => {
      const names = [...exportNames(r).map((e) => e.alias), ...(r.props ?? []).map((x) => x.name)];
      if (!names.includes(p)) problems.push({ path: at('protected', j), message: `'${p}' is neither an export nor a prop of ${r.name}`, hint: names.length > 0 ? `exports and props: ${names.join(', ')}` : 'list it under exports first' });
    });
  });
  (doc.exports ?? []).forEach((name, i) => {
    if (!exporters.has(name) && !seenGlobals.has(name)) {
      const near = suggest(name, exporters.keys());
      problems.push({ path: ['exports', i], message: `no resource exports '${name}'`, hint: near ? `did you mean '${near}'?` : 'stack exports name exports of resources (or globals)' });
    }
  });
  return problems;
}

function positionOf(doc: Document, lines: LineCounter, path: ReadonlyArray<string | number>): { line: number; column: number } | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number, number, number] } | null)?.range?.[0];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) break;
      offset = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      offset = (item as { range?: [number, number, number] }).range?.[0] ?? offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  const p = lines.linePos(offset);
  return { line: p.line, column: p.col };
}

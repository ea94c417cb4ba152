/**
 * Small readers for libpg-query's JSON parse tree, where every node is wrapped as
 * `{ NodeType: { …fields } }` and fields equal to their default (0, false, '') are left out.
 */

import type { Literal } from './ir.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{ SelectStmt: {…} }` → ['SelectStmt', {…}]; anything else → undefined. */
export function unwrap(node: unknown): [string, Obj] | undefined {
  if (!isObj(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  const body = node[k];
  if (!/^[A-Z]/.test(k) || !isObj(body)) return undefined;
  return [k, body];
}

/**
 * A field typed as one node type (SelectStmt.larg, InsertStmt.relation…) holds the body
 * directly; a field typed as any node holds it wrapped. This reads both.
 */
export function body(node: unknown, type: string): Obj | undefined {
  return as(node, type) ?? (isObj(node) && unwrap(node) === undefined ? node : undefined);
}

/** The body of `node` when it is of node type `type`. */
export function as(node: unknown, type: string): Obj | undefined {
  const u = unwrap(node);
  return u && u[0] === type ? u[1] : undefined;
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** The names of a ColumnRef (`s.name` → ['s', 'name']; `*` parts become '*'). */
export function columnRefNames(colref: Obj): string[] {
  return list(colref.fields).map((f) => {
    if (as(f, 'A_Star')) return '*';
    return str(as(f, 'String')?.sval) ?? '?';
  });
}

/** The operator name of an A_Expr (`=`, `<>`, `->>`…). */
export function operatorName(expr: Obj): string | undefined {
  const names = list(expr.name);
  const last = names[names.length - 1];
  return str(as(last, 'String')?.sval);
}

/** A constant (possibly cast, e.g. `'[…]'::jsonb`, or negated), or undefined for anything else. */
export function literal(node: unknown): { literal: Literal; cast?: string } | undefined {
  const cast = as(node, 'TypeCast');
  if (cast) {
    const inner = literal(cast.arg);
    // `'5.7'::int::text` is not the constant '5.7': only one cast is read here, the engine does the rest.
    if (!inner || inner.cast !== undefined) return undefined;
    const typeNames = list(as(cast.typeName, 'TypeName')?.names ?? (cast.typeName as Obj | undefined)?.names)
      .map((n) => str(as(n, 'String')?.sval))
      .filter((n): n is string => n !== undefined && n !== 'pg_catalog');
    return { literal: inner.literal, cast: typeNames.join('.') };
  }
  const c = as(node, 'A_Const');
  if (c) {
    if (c.isnull === true) return { literal: { kind: 'null' } };
    if (isObj(c.sval)) return { literal: { kind: 'string', value: str(c.sval.sval) ?? '' } };
    if (isObj(c.ival)) return { literal: { kind: 'number', value: String(num(c.ival.ival) ?? 0) } };
    if (isObj(c.fval)) return { literal: { kind: 'number', value: str(c.fval.fval) ?? '0' } };
    if (isObj(c.boolval)) return { literal: { kind: 'boolean', value: c.boolval.boolval === true } };
    if (isObj(c.bsval)) return undefined;
    return undefined;
  }
  // StackQL writes `string('…')` around values; it changes nothing.
  const fn = as(node, 'FuncCall');
  if (fn) {
    const name = list(fn.funcname).map((n) => str(as(n, 'String')?.sval)?.toLowerCase());
    const args = list(fn.args);
    if (name.length === 1 && name[0] === 'string' && args.length === 1) {
      const inner = literal(args[0]);
      if (inner && inner.literal.kind !== 'null') return { literal: inner.literal.kind === 'string' ? inner.literal : { kind: 'string', value: String(literalText(inner.literal)) } };
    }
    return undefined;
  }
  // `-1.5` arrives as a unary minus applied to 1.5
  const e = as(node, 'A_Expr');
  if (e && e.kind === 'AEXPR_OP' && operatorName(e) === '-' && e.lexpr === undefined) {
    const inner = literal(e.rexpr);
    if (inner && inner.literal.kind === 'number' && !inner.cast) {
      const v = inner.literal.value;
      return { literal: { kind: 'number', value: v.startsWith('-') ? v.slice(1) : `-${v}` } };
    }
  }
  return undefined;
}

/** A literal as the text a pushed-down parameter takes (`region = 'us-east-1'` → 'us-east-1'). */
export function literalText(l: Literal): string | undefined {
  switch (l.kind) {
    case 'string':
    case 'number':
      return l.value;
    case 'boolean':
      return String(l.value);
    case 'null':
      return undefined;
  }
}

/** Top-level AND conjuncts of a boolean expression. */
export function conjuncts(expr: unknown): unknown[] {
  if (expr === undefined) return [];
  const b = as(expr, 'BoolExpr');
  if (b && b.boolop === 'AND_EXPR') return list(b.args).flatMap((a) => conjuncts(a));
  return [expr];
}

/** How many nodes anywhere in the tree under `node` (itself included) `matches`. */
export function countNodes(node: unknown, matches: (n: Obj) => boolean): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + countNodes(x, matches), 0);
  if (!isObj(node)) return 0;
  let n = matches(node) ? 1 : 0;
  for (const v of Object.values(node)) n += countNodes(v, matches);
  return n;
}

/**
 * Reads a parsed statement into the small, read-only picture the planner needs: every provider
 * table reference (`aws.ivs.stages s`) with its position in the text, the columns the statement
 * uses from it, and the WHERE/ON conjuncts that constrain it to constants (`region = 'x'`,
 * `region IN (…)`) or to another reference's column (`k.channel_arn = c.arn`).
 *
 * Column attribution follows Postgres' scoping (innermost FROM first, aliases hide table names)
 * but errs towards attributing too much: an extra column only costs a GetResource, a missing one
 * would return NULLs.
 */
import { PROGRESS_EVENT_FIELDS, progressEventColumns } from '../catalog/naming.js';
import { at, CcqlError, suggest } from '../errors.js';
import { parseArrayLiteral } from '../pg-array.js';
import { as, body, columnRefNames, conjuncts, countNodes, isObj, list, literal, literalText, operatorName, str, unwrap, type Obj } from './ast.js';
import type { Constraint, Replacement } from './ir.js';
import type { ParsedStatement, Token } from './parser.js';
import { quoteIdent } from './quote.js';

/**
 * What the analyzer needs to know about a provider table: its columns, lower-cased, and the
 * other names statements may write for them (alias → column, as StackQL or an earlier ccql
 * spelled them). The engine table has only the columns: an alias is rewritten to its column.
 */
export interface TableShape {
  columns: readonly string[];
  aliases?: ReadonlyMap<string, string>;
}

/** The shape of a provider table, or undefined when the name is not a provider's (e.g. `db.schema.table`). */
export type ResolveTable = (parts: [string, string, string]) => TableShape | undefined;

type Conjunct = Constraint;

/** SQL's keyword functions that a bare column name can collide with (`user` is CURRENT_USER). */
const KEYWORD_FUNCTIONS: Record<string, string> = {
  SVFOP_USER: 'user',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
};

export interface TableRef {
  id: number;
  /** As written (case kept for quoted names). */
  parts: [string, string, string];
  /** `provider.service.resource`, lower-case. */
  name: string;
  alias: string | undefined;
  /** How columns are qualified in the statement: the alias, else the table name. */
  exposedName: string;
  /** String offsets of the dotted name in the statement text. */
  start: number;
  end: number;
  /** `target` for the table an INSERT/UPDATE/DELETE changes. */
  role: 'read' | 'target';
  /** Columns the statement uses from this reference (lower-case). */
  columns: Set<string>;
  /** `*`, `s.*` or a whole-row reference: every column is needed. */
  allColumns: boolean;
  /** Constraints usable to decide the API calls. */
  conjuncts: Conjunct[];
  /** Where region is constrained in a form no region list follows from. */
  opaqueRegionAt: number | undefined;
  /** Read inside a subquery or CTE that does not only pass its rows on (see TableRefNode.sealed). */
  sealed?: boolean;
  /** For the target: what its RETURNING clause uses. */
  returning?: { columns: Set<string>; allColumns: boolean };
}

export interface Analysis {
  refs: TableRef[];
  target: TableRef | undefined;
  /**
   * For UPDATE/DELETE: every WHERE conjunct is a constant constraint on the target
   * (`column = 'v'`, `column IN (…)`), so no predicate is left for the engine.
   */
  targetWhereIsConstraintsOnly: boolean;
  /**
   * Keyword functions read as the column of the same name (`user` → `"user"`), and column
   * aliases written as their columns (`provider_ar_ns` → `provider_arns`).
   */
  rewrites: Replacement[];
  warnings: string[];
}

/** A provider table's column, as a name in some scope stands for it. */
interface ColumnOf {
  ref: TableRef;
  column: string;
}

interface FromItem {
  exposedName: string | undefined;
  ref: TableRef | undefined;
  /**
   * For a subquery or CTE that only passes a provider table's rows on (`SELECT * FROM
   * aws.ivs.stages`, no grouping, limit or window): its output columns that are that table's
   * columns, so that `WHERE s.region = 'x'` outside constrains the table inside.
   */
  passes?: ReadonlyMap<string, ColumnOf>;
}

interface Scope {
  parent: Scope | undefined;
  items: FromItem[];
  /**
   * The columns a JOIN … USING (or a NATURAL JOIN) merged, by name: a bare `region` there is
   * the column of every table joined on it, which all hold the same value (or none).
   */
  merged?: Map<string, TableRef[]>;
}

export function analyze(parsed: ParsedStatement, resolve: ResolveTable): Analysis {
  return new Analyzer(parsed, resolve).run();
}

class Analyzer {
  private readonly refs: TableRef[] = [];
  private readonly shapes = new Map<number, TableShape>();
  private target: TableRef | undefined;
  private readonly unresolved: Array<{ name: string; offset: number }> = [];
  private readonly outputNames = new Set<string>();
  private sawOtherItems = false;
  private whereIsConstraintsOnly = false;
  private readonly rewrites: Replacement[] = [];
  private readonly warnings: string[] = [];
  /** The CTEs that pass a provider table's rows on, by name (see FromItem.passes). */
  private readonly ctePasses = new Map<string, ReadonlyMap<string, ColumnOf>>();

  constructor(
    private readonly parsed: ParsedStatement,
    private readonly resolve: ResolveTable,
  ) {}

  run(): Analysis {
    const { kind, stmt } = this.parsed;
    const body = stmt[kind] as Obj;
    const top: Scope = { parent: undefined, items: [] };
    switch (kind) {
      case 'SelectStmt':
        this.select(body, top);
        break;
      case 'InsertStmt':
        this.insert(body, top);
        break;
      case 'UpdateStmt':
        this.updateOrDelete(body, top, 'fromClause');
        break;
      case 'DeleteStmt':
        this.updateOrDelete(body, top, 'usingClause');
        break;
      default: {
        const before = this.refs.length;
        this.generic(body, top);
        const kept = keptQuery(kind, body);
        const first = this.refs[before];
        if (kept && first) throw this.error(new CcqlError('not_supported', kept.message, { sqlstate: '0A000', hint: kept.hint }), first.start);
      }
    }
    this.checkUnresolved();
    return { refs: this.refs, target: this.target, targetWhereIsConstraintsOnly: this.whereIsConstraintsOnly, rewrites: this.rewrites, warnings: this.warnings };
  }

  // ---- statements ------------------------------------------------------------------------

  private select(s: Obj, parent: Scope): void {
    this.withClause(s.withClause, parent);
    if (s.op !== undefined && s.op !== 'SETOP_NONE') {
      this.select(body(s.larg, 'SelectStmt') ?? {}, parent);
      this.select(body(s.rarg, 'SelectStmt') ?? {}, parent);
      this.expr(s.sortClause, parent);
      this.expr(s.limitCount, parent);
      this.expr(s.limitOffset, parent);
      return;
    }
    if (s.valuesLists !== undefined) {
      this.expr(s.valuesLists, parent);
      return;
    }
    const scope: Scope = { parent, items: [] };
    const quals: Array<{ expr: unknown; allowed: Set<TableRef> }> = [];
    for (const item of list(s.fromClause)) this.fromItem(item, scope, quals);
    const outputs = new Set<string>();
    for (const t of list(s.targetList)) {
      const rt = as(t, 'ResTarget');
      if (!rt) continue;
      const name = str(rt.name);
      if (name) this.outputNames.add(name.toLowerCase());
      if (name) outputs.add(name.toLowerCase());
      const colref = as(rt.val, 'ColumnRef');
      if (colref && columnRefNames(colref).join('.') === '*') {
        for (const item of scope.items) if (item.ref) item.ref.allColumns = true;
        continue;
      }
      if (colref && !name) outputs.add(columnRefNames(colref).pop()!.toLowerCase());
      this.outputItem(rt, scope);
    }
    for (const key of ['whereClause', 'groupClause', 'havingClause', 'windowClause', 'distinctClause', 'limitCount', 'limitOffset', 'lockingClause']) {
      this.expr(s[key], scope);
    }
    // `ORDER BY x` names the output column x first (`SELECT name AS provider_ar_ns … ORDER BY
    // provider_ar_ns`): that x is not a column alias to rewrite.
    for (const item of list(s.sortClause)) {
      const key = as(item, 'SortBy')?.node;
      const bare = as(key, 'ColumnRef');
      const names = bare ? columnRefNames(bare) : [];
      if (names.length === 1 && outputs.has(names[0]!.toLowerCase())) this.withoutRewrites(() => this.expr(item, scope));
      else this.expr(item, scope);
    }
    for (const q of quals) this.expr(q.expr, scope);
    const all = new Set(scope.items.flatMap((i) => (i.ref ? [i.ref] : passedRefs(i.passes))));
    this.pushdown(s.whereClause, scope, all);
    for (const q of quals) this.pushdown(q.expr, scope, q.allowed);
  }

  private insert(s: Obj, top: Scope): void {
    this.withClause(s.withClause, top);
    const target = this.targetRef(s.relation);
    const cols = list(s.cols).map((c) => as(c, 'ResTarget')).filter((c): c is Obj => c !== undefined);
    if (target) {
      for (const c of cols) {
        const name = str(c.name);
        if (name) target.columns.add(this.canonical(target, name.toLowerCase()));
      }
    }
    const sel = as(s.selectStmt, 'SelectStmt');
    if (sel) this.select(sel, top);
    if (s.onConflictClause !== undefined && target) {
      throw this.error(new CcqlError('not_supported', `ON CONFLICT is not supported for ${target.name}`), target.start);
    }
    const scope: Scope = { parent: top, items: target ? [{ exposedName: target.exposedName, ref: target }] : [] };
    this.returning(s.returningClause, scope);
  }

  private updateOrDelete(s: Obj, top: Scope, extraFrom: 'fromClause' | 'usingClause'): void {
    this.withClause(s.withClause, top);
    const target = this.targetRef(s.relation);
    const scope: Scope = { parent: top, items: target ? [{ exposedName: target.exposedName, ref: target }] : [] };
    const quals: Array<{ expr: unknown; allowed: Set<TableRef> }> = [];
    for (const item of list(s[extraFrom])) this.fromItem(item, scope, quals);
    for (const t of list(s.targetList)) {
      const rt = as(t, 'ResTarget');
      if (!rt) continue;
      this.expr(rt.val, scope);
    }
    this.expr(s.whereClause, scope);
    for (const q of quals) this.expr(q.expr, scope);
    const all = new Set(scope.items.flatMap((i) => (i.ref ? [i.ref] : [])));
    this.pushdown(s.whereClause, scope, all);
    for (const q of quals) this.pushdown(q.expr, scope, q.allowed);
    this.whereIsConstraintsOnly =
      target !== undefined &&
      list(s[extraFrom]).length === 0 &&
      conjuncts(s.whereClause).every((c) => {
        const found = this.constraint(c, scope);
        return found.length === 1 && found[0]!.ref === target && 'values' in found[0]!.conjunct;
      });
    this.returning(s.returningClause, scope);
  }

  private returning(clause: unknown, scope: Scope): void {
    const exprs = isObj(clause) ? list(clause.exprs) : list(clause);
    const target = this.target;
    // What RETURNING itself uses, apart from the rest of the statement (the planner reads a
    // resource back only for the columns RETURNING names).
    const before = target ? { columns: target.columns, all: target.allColumns } : undefined;
    if (target) {
      target.columns = new Set();
      target.allColumns = false;
    }
    for (const t of exprs) {
      const rt = as(t, 'ResTarget');
      if (!rt) continue;
      const colref = as(rt.val, 'ColumnRef');
      if (colref && columnRefNames(colref).join('.') === '*') {
        for (const item of scope.items) if (item.ref) item.ref.allColumns = true;
        continue;
      }
      this.outputItem(rt, scope);
    }
    if (target && before) {
      target.returning = { columns: target.columns, allColumns: target.allColumns };
      target.columns = new Set([...before.columns, ...target.columns]);
      target.allColumns ||= before.all;
    }
  }

  private withClause(w: unknown, parent: Scope): void {
    const wc = as(w, 'WithClause') ?? (isObj(w) ? w : undefined);
    for (const cte of list(wc?.ctes)) {
      const c = as(cte, 'CommonTableExpr');
      if (!c) continue;
      const q = unwrap(c.ctequery);
      if (!q) continue;
      if (q[0] !== 'SelectStmt') {
        this.changedInWith(q[1]);
        this.generic(q[1], parent, q[0]);
        continue;
      }
      const before = this.refs.length;
      this.select(q[1], parent);
      const passes = this.passesOn(q[1], before);
      const name = str(c.ctename)?.toLowerCase();
      // Read once only: two readers (`FROM s a JOIN s b`) share the one fetch, so a condition
      // that one of them puts on it would wrongly hold for the other too.
      if (name && passes && rangeVarCount(this.parsed.stmt, name) === 1) this.ctePasses.set(name, passes);
      else this.seal(before);
    }
  }

  /** The provider table a RangeVar of catalog `catalog` names, if any; an unknown service or resource is an error at `offset`. */
  private resolveAt(catalog: string, rv: Obj, offset: number): TableShape | undefined {
    try {
      return this.resolve([catalog, str(rv.schemaname) ?? '', str(rv.relname) ?? '']);
    } catch (e) {
      if (e instanceof CcqlError) throw this.error(e, offset);
      throw e;
    }
  }

  /** An INSERT, UPDATE, DELETE or MERGE inside WITH may not change a provider table: refused where it names one. */
  private changedInWith(stmt: Obj): void {
    const rel = isObj(stmt.relation) ? stmt.relation : undefined;
    const catalog = rel ? str(rel.catalogname) : undefined;
    if (!rel || !catalog) return;
    const offset = this.parsed.offsets.char(typeof rel.location === 'number' ? rel.location : 0);
    if (!this.resolveAt(catalog, rel, offset)) return;
    throw this.error(
      new CcqlError('not_supported', 'a provider table cannot be changed inside WITH (a data-modifying CTE)', {
        sqlstate: '0A000',
        hint: 'run the INSERT, UPDATE or DELETE as a statement of its own: its RETURNING clause gives the rows it changed',
      }),
      offset,
    );
  }

  /** Any other statement (EXPLAIN, CREATE TABLE AS, …): queries inside are analysed as queries. */
  private generic(node: unknown, scope: Scope, kind?: string): void {
    if (Array.isArray(node)) {
      for (const n of node) this.generic(n, scope);
      return;
    }
    if (!isObj(node)) return;
    const u = unwrap(node);
    if (u) {
      const [type, body] = u;
      if (type === 'SelectStmt') return this.select(body, scope);
      if (type === 'RangeVar') {
        const catalog = str(body.catalogname);
        if (catalog) {
          const offset = this.parsed.offsets.char(typeof body.location === 'number' ? body.location : 0);
          if (this.resolveAt(catalog, body, offset)) {
            throw this.error(
              new CcqlError('not_supported', `provider tables can be used in SELECT, INSERT, UPDATE and DELETE only${kind ? ` (not in ${kind})` : ''}`),
              offset,
            );
          }
        }
        return;
      }
      return this.generic(body, scope, type);
    }
    for (const v of Object.values(node)) this.generic(v, scope, kind);
  }

  // ---- FROM --------------------------------------------------------------------------------

  /** Adds a FROM item to `scope`; returns the provider references inside it. */
  private fromItem(node: unknown, scope: Scope, quals: Array<{ expr: unknown; allowed: Set<TableRef> }>): TableRef[] {
    const u = unwrap(node);
    if (!u) return [];
    const [type, body] = u;
    switch (type) {
      case 'RangeVar': {
        const ref = str(body.catalogname) ? this.providerRef(body, 'read') : undefined;
        if (ref) {
          scope.items.push({ exposedName: ref.exposedName, ref });
          return [ref];
        }
        this.sawOtherItems = true;
        const relname = str(body.relname)?.toLowerCase();
        const passes = str(body.schemaname) === undefined && relname !== undefined ? this.ctePasses.get(relname) : undefined;
        scope.items.push({ exposedName: aliasName(body.alias) ?? relname, ref: undefined, ...(passes ? { passes } : {}) });
        return passedRefs(passes);
      }
      case 'JoinExpr': {
        const left = this.fromItem(body.larg, scope, quals);
        const right = this.fromItem(body.rarg, scope, quals);
        const jt = str(body.jointype) ?? 'JOIN_INNER';
        const allowed = new Set<TableRef>(jt === 'JOIN_INNER' ? [...left, ...right] : jt === 'JOIN_LEFT' ? right : jt === 'JOIN_RIGHT' ? left : []);
        if (body.quals !== undefined) quals.push({ expr: body.quals, allowed });
        // JOIN … USING (col) reads col from both sides
        const using = list(body.usingClause).flatMap((c) => str(as(c, 'String')?.sval)?.toLowerCase() ?? []);
        for (const name of using) for (const r of [...left, ...right]) if (this.hasColumn(r, name)) r.columns.add(this.canonical(r, name));
        if (body.isNatural === true) {
          for (const r of [...left, ...right]) r.allColumns = true;
          using.push(...this.commonColumns(left, right));
        }
        for (const name of using) {
          const joined = [...left, ...right].filter((r) => this.hasColumn(r, name));
          if (joined.length > 1) (scope.merged ??= new Map()).set(name, joined);
        }
        return [...left, ...right];
      }
      case 'RangeSubselect': {
        this.sawOtherItems = true;
        const sub = as(body.subquery, 'SelectStmt');
        const before = this.refs.length;
        if (sub) this.select(sub, body.lateral === true ? scope : (scope.parent ?? scope));
        const passes = sub ? this.passesOn(sub, before) : undefined;
        if (!passes) this.seal(before);
        scope.items.push({ exposedName: aliasName(body.alias), ref: undefined, ...(passes ? { passes } : {}) });
        return passedRefs(passes);
      }
      default: {
        // table functions, ROWS FROM, XMLTABLE…: their arguments may use columns of items to the left
        this.sawOtherItems = true;
        this.expr(body, scope);
        scope.items.push({ exposedName: aliasName(body.alias), ref: undefined });
        return [];
      }
    }
  }

  private targetRef(relation: unknown): TableRef | undefined {
    const rv = isObj(relation) ? (as(relation, 'RangeVar') ?? relation) : undefined;
    if (!rv || !str(rv.catalogname)) return undefined;
    const ref = this.providerRef(rv, 'target');
    this.target = ref;
    if (ref) {
      // RETURNING may also name the fields of each request's progress event.
      const shape = this.shapes.get(ref.id)!;
      this.shapes.set(ref.id, { ...shape, columns: [...shape.columns, ...PROGRESS_EVENT_FIELDS.flatMap((f) => progressEventColumns(f))] });
    }
    return ref;
  }

  private providerRef(rv: Obj, role: 'read' | 'target'): TableRef | undefined {
    const parts: [string, string, string] = [str(rv.catalogname) ?? '', str(rv.schemaname) ?? '', str(rv.relname) ?? ''];
    const byteLoc = typeof rv.location === 'number' ? rv.location : 0;
    const start = this.parsed.offsets.char(byteLoc);
    let shape: TableShape | undefined;
    try {
      shape = this.resolve(parts);
    } catch (e) {
      if (e instanceof CcqlError) throw this.error(e, start);
      throw e;
    }
    if (!shape) return undefined;
    const alias = aliasName(rv.alias);
    const ref: TableRef = {
      id: this.refs.length,
      parts,
      name: parts.map((p) => p.toLowerCase()).join('.'),
      alias,
      exposedName: alias ?? parts[2].toLowerCase(),
      start,
      end: dottedNameEnd(this.parsed.tokens, start),
      role,
      columns: new Set(),
      allColumns: false,
      conjuncts: [],
      opaqueRegionAt: undefined,
    };
    this.refs.push(ref);
    this.shapes.set(ref.id, shape);
    return ref;
  }

  // ---- expressions ---------------------------------------------------------------------------

  /** Walks an expression tree, attributing column references and analysing subqueries. */
  private expr(node: unknown, scope: Scope): void {
    if (Array.isArray(node)) {
      for (const n of node) this.expr(n, scope);
      return;
    }
    if (!isObj(node)) return;
    const u = unwrap(node);
    if (!u) {
      for (const v of Object.values(node)) this.expr(v, scope);
      return;
    }
    const [type, body] = u;
    switch (type) {
      case 'ColumnRef':
        this.columnRef(body, scope);
        return;
      case 'SelectStmt':
        this.select(body, scope);
        return;
      case 'ResTarget': {
        const name = str(body.name);
        if (name) this.outputNames.add(name.toLowerCase());
        this.expr(body.val, scope);
        return;
      }
      case 'SQLValueFunction':
        this.keywordFunction(body, scope);
        return;
      case 'InsertStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
        this.generic(body, scope, type);
        return;
      default:
        for (const v of Object.values(body)) this.expr(v, scope);
    }
  }

  private columnRef(colref: Obj, scope: Scope): void {
    const names = columnRefNames(colref);
    const offset = this.parsed.offsets.char(typeof colref.location === 'number' ? colref.location : 0);
    if (names.length === 1) {
      const name = names[0]!.toLowerCase();
      if (name === '*') return;
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const owners = s.items.filter((i) => i.ref && this.hasColumn(i.ref, name));
        if (owners.length > 0) {
          const columns = new Set(owners.map((o) => this.canonical(o.ref!, name)));
          for (const o of owners) o.ref!.columns.add(this.canonical(o.ref!, name));
          // An alias of one column for every owner is written as that column, and so is a
          // quoted name in another case (`"data__Identifier"`, as DESCRIBE shows it).
          if (columns.size === 1 && !columns.has(names[0]!)) this.rewriteColumn(colref, 0, [...columns][0]!);
          return;
        }
        const whole = s.items.find((i) => i.exposedName === name);
        if (whole) {
          if (whole.ref) whole.ref.allColumns = true;
          return;
        }
      }
      this.unresolved.push({ name, offset });
      return;
    }
    if (names.length === 2) {
      const qualifier = names[0]!.toLowerCase();
      const col = names[1]!.toLowerCase();
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const item = s.items.find((i) => i.exposedName === qualifier);
        if (!item) continue;
        if (!item.ref) return;
        if (col === '*') {
          item.ref.allColumns = true;
          return;
        }
        if (!this.hasColumn(item.ref, col)) {
          const shape = this.shapes.get(item.ref.id);
          throw this.error(unknownColumn(names[1]!, item.ref.name, shape?.columns ?? []), offset);
        }
        const column = this.canonical(item.ref, col);
        item.ref.columns.add(column);
        if (column !== names[1]) this.rewriteColumn(colref, 1, column);
        return;
      }
      return;
    }
    // catalog.schema.table.column: the table name is replaced, so the prefix would dangle
    const prefix = names.slice(0, -1).map((n) => n.toLowerCase()).join('.');
    if (this.refs.some((r) => r.name === prefix || r.name.endsWith(`.${prefix}`))) {
      throw this.error(
        new CcqlError('not_supported', `qualify columns of ${prefix} with an alias or the bare table name, not '${names.join('.')}'`, {
          hint: `e.g. FROM ${prefix} t … t.${names[names.length - 1]}`,
        }),
        offset,
      );
    }
  }

  /**
   * `user`, `current_user`… are SQL functions in PostgreSQL even where a table in scope has a
   * column of that name (StackQL, on SQLite, reads the column). Read the column, and say so.
   */
  private keywordFunction(fn: Obj, scope: Scope): void {
    const word = KEYWORD_FUNCTIONS[str(fn.op) ?? ''];
    if (!word || typeof fn.location !== 'number') return;
    const start = this.parsed.offsets.char(fn.location);
    const token = this.parsed.tokens.find((t) => t.start === start);
    if (!token || token.text.toLowerCase() !== word) return; // CURRENT_TIME(3) and the like
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const owners = s.items.filter((i) => i.ref && this.hasColumn(i.ref, word));
      if (owners.length === 0) continue;
      for (const o of owners) o.ref!.columns.add(this.canonical(o.ref!, word));
      const column = this.canonical(owners[0]!.ref!, word);
      this.rewrites.push({ start, end: token.end, text: `"${column}"` });
      this.warnings.push(
        `${token.text} is read as the column "${word}" of ${owners.map((o) => o.ref!.name).join(', ')}, not as the SQL function ${word.toUpperCase()}; write "${word}" to say so`,
      );
      return;
    }
  }

  private hasColumn(ref: TableRef, column: string): boolean {
    const shape = this.shapes.get(ref.id);
    return (shape?.columns.includes(column) || shape?.aliases?.has(column)) ?? false;
  }

  /** The column `name` stands for in `ref`: itself, or the column it is an alias of. */
  private canonical(ref: TableRef, name: string): string {
    const shape = this.shapes.get(ref.id);
    if (!shape || shape.columns.includes(name)) return name;
    return shape.aliases?.get(name) ?? name;
  }

  /**
   * An item of a SELECT list or RETURNING clause. A bare column alias there is given back under
   * the name the user wrote: `provider_ar_ns` → `provider_arns AS provider_ar_ns`.
   */
  private outputItem(rt: Obj, scope: Scope): void {
    const colref = as(rt.val, 'ColumnRef');
    const before = this.rewrites.length;
    this.expr(rt.val, scope);
    if (!colref || str(rt.name) !== undefined || this.rewrites.length !== before + 1) return;
    const r = this.rewrites[before]!;
    if (!this.aliasRewrites.has(r)) return;
    this.rewrites[before] = { start: r.start, end: r.end, text: `${r.text} AS ${quoteIdent(columnRefNames(colref).pop()!)}` };
  }

  private suppressRewrites = false;
  /** The rewrites that write a column alias as its column. */
  private readonly aliasRewrites = new WeakSet<Replacement>();

  private withoutRewrites(f: () => void): void {
    const was = this.suppressRewrites;
    this.suppressRewrites = true;
    try {
      f();
    } finally {
      this.suppressRewrites = was;
    }
  }

  /**
   * Writes field `index` of a column reference (`provider_ar_ns`, `s.provider_ar_ns`) as
   * `column` in the engine's text. Nothing when the reference's tokens are not plain names.
   */
  private rewriteColumn(colref: Obj, index: number, column: string): void {
    if (this.suppressRewrites || typeof colref.location !== 'number') return;
    const start = this.parsed.offsets.char(colref.location);
    const tokens = this.parsed.tokens;
    let i = tokens.findIndex((t) => t.start === start);
    if (i < 0) return;
    const names = columnRefNames(colref);
    const fields: Token[] = [];
    for (; i < tokens.length && fields.length <= index; i++) {
      const t = tokens[i]!;
      if (t.tokenName === 'C_COMMENT' || t.tokenName === 'SQL_COMMENT' || t.text === '.') continue;
      fields.push(t);
    }
    const token = fields[index];
    if (!token || unquoted(token.text) !== names[index]) return;
    const r = { start: token.start, end: token.end, text: quoteIdent(column) };
    this.aliasRewrites.add(r);
    this.rewrites.push(r);
  }

  /** Records what `expr` says about provider references in `allowed` that the planner can use. */
  private pushdown(expr: unknown, scope: Scope, allowed: Set<TableRef>): void {
    if (expr === undefined) return;
    const regionFromColumn = new Set<TableRef>();
    for (const c of conjuncts(expr)) {
      for (const found of this.constraint(c, scope)) {
        if (!allowed.has(found.ref) || !('from' in found.conjunct)) continue;
        found.ref.conjuncts.push(found.conjunct);
        if (found.conjunct.column === 'region') regionFromColumn.add(found.ref);
      }
    }
    const constants = this.constants(expr, scope);
    for (const [ref, columns] of constants) {
      if (!allowed.has(ref)) continue;
      for (const [column, values] of columns) ref.conjuncts.push({ column, values: [...values] });
    }
    for (const ref of allowed) {
      if (constants.get(ref)?.has('region') || regionFromColumn.has(ref)) continue;
      const mention = this.mention(expr, scope, ref, 'region');
      if (mention !== undefined) ref.opaqueRegionAt ??= mention;
    }
  }

  /**
   * The values each column of each reference can take for `node` to hold: `col = 'v'`, IN and
   * `= ANY(ARRAY[…])` give sets; AND intersects them, OR unites them where every branch
   * constrains the same column. So `(region = 'a' AND name = 'x') OR (region = 'b' AND …)`
   * gives region ∈ {a, b}. A superset of the rows is fine: the engine applies the whole WHERE.
   */
  private constants(node: unknown, scope: Scope): Map<TableRef, Map<string, Set<string>>> {
    const out = new Map<TableRef, Map<string, Set<string>>>();
    const b = as(node, 'BoolExpr');
    if (b && b.boolop === 'AND_EXPR') {
      for (const arg of list(b.args)) {
        for (const [ref, columns] of this.constants(arg, scope)) {
          const mine = out.get(ref) ?? new Map<string, Set<string>>();
          out.set(ref, mine);
          for (const [column, values] of columns) {
            const prev = mine.get(column);
            mine.set(column, prev ? new Set([...prev].filter((v) => values.has(v))) : values);
          }
        }
      }
      return out;
    }
    if (b && b.boolop === 'OR_EXPR') {
      const branches = list(b.args).map((a) => this.constants(a, scope));
      const [first, ...rest] = branches;
      if (!first) return out;
      for (const [ref, columns] of first) {
        for (const [column, values] of columns) {
          const union = new Set(values);
          let everywhere = true;
          for (const other of rest) {
            const v = other.get(ref)?.get(column);
            if (!v) {
              everywhere = false;
              break;
            }
            for (const x of v) union.add(x);
          }
          if (!everywhere) continue;
          const mine = out.get(ref) ?? new Map<string, Set<string>>();
          out.set(ref, mine);
          mine.set(column, union);
        }
      }
      return out;
    }
    for (const found of this.constraint(node, scope)) {
      if (!('values' in found.conjunct)) continue;
      const mine = out.get(found.ref) ?? new Map<string, Set<string>>();
      out.set(found.ref, mine);
      mine.set(found.conjunct.column, new Set(found.conjunct.values));
    }
    return out;
  }

  /** The offset of the first use of `ref`'s `column` in `node` (not inside subqueries). */
  private mention(node: unknown, scope: Scope, ref: TableRef, column: string): number | undefined {
    if (Array.isArray(node)) {
      for (const n of node) {
        const m = this.mention(n, scope, ref, column);
        if (m !== undefined) return m;
      }
      return undefined;
    }
    if (!isObj(node)) return undefined;
    const u = unwrap(node);
    if (u && (u[0] === 'SelectStmt' || u[0] === 'SubLink')) {
      // A subquery's own references are its business; only its test expression is ours.
      return u[0] === 'SubLink' ? this.mention(u[1].testexpr, scope, ref, column) : undefined;
    }
    if (u && u[0] === 'ColumnRef') {
      const own = this.ownColumns(node, scope).some((c) => c.ref === ref && c.column === column);
      return own ? this.parsed.offsets.char(typeof u[1].location === 'number' ? u[1].location : 0) : undefined;
    }
    for (const v of Object.values(u ? u[1] : node)) {
      const m = this.mention(v, scope, ref, column);
      if (m !== undefined) return m;
    }
    return undefined;
  }

  /** A conjunct of the forms the planner can use, or nothing. */
  private constraint(node: unknown, scope: Scope): Array<{ ref: TableRef; conjunct: Conjunct }> {
    const e = as(node, 'A_Expr');
    if (e) {
      const op = operatorName(e);
      if (e.kind === 'AEXPR_OP' && op === '=') {
        const l = this.ownColumn(e.lexpr, scope);
        const r = this.ownColumn(e.rexpr, scope);
        if (l && r) {
          if (l.ref === r.ref) return [];
          return [
            { ref: l.ref, conjunct: { column: l.column, from: { ref: r.ref.id, column: r.column } } },
            { ref: r.ref, conjunct: { column: r.column, from: { ref: l.ref.id, column: l.column } } },
          ];
        }
        // A correlated subquery: `k.channel_arn = c.arn` where c belongs to an enclosing query.
        const outerR = l && !r ? this.outerColumn(e.rexpr, scope) : undefined;
        if (l && outerR && outerR.ref !== l.ref) return [{ ref: l.ref, conjunct: { column: l.column, from: { ref: outerR.ref.id, column: outerR.column } } }];
        const outerL = r && !l ? this.outerColumn(e.lexpr, scope) : undefined;
        if (r && outerL && outerL.ref !== r.ref) return [{ ref: r.ref, conjunct: { column: r.column, from: { ref: outerL.ref.id, column: outerL.column } } }];
        // `col = 'v'` or `'v' = col`, where col may be a merged USING column (of several tables)
        const left = this.ownColumns(e.lexpr, scope);
        const cols = left.length > 0 ? left : this.ownColumns(e.rexpr, scope);
        const lit = literal(left.length > 0 ? e.rexpr : e.lexpr);
        const v = lit ? literalText(lit.literal) : undefined;
        if (v !== undefined) return cols.map((c) => ({ ref: c.ref, conjunct: { column: c.column, values: [v] } }));
        return [];
      }
      // `region IN ('a', 'b')`, and its array form `region = ANY(ARRAY['a', 'b'])`
      const array = e.kind === 'AEXPR_OP_ANY' && op === '=' ? as(as(e.rexpr, 'TypeCast')?.arg ?? e.rexpr, 'A_ArrayExpr') : undefined;
      // …and `= ANY('{us-east-1,us-west-2}')`, the form drivers send a list parameter in
      const arrayLiteral = e.kind === 'AEXPR_OP_ANY' && op === '=' && !array ? literal(e.rexpr)?.literal : undefined;
      if (arrayLiteral?.kind === 'string') {
        const items = parseArrayLiteral(arrayLiteral.value, (t) => t);
        if (!items || items.length === 0 || !items.every((v) => typeof v === 'string')) return [];
        return this.ownColumns(e.lexpr, scope).map((c) => ({ ref: c.ref, conjunct: { column: c.column, values: items as string[] } }));
      }
      if ((e.kind === 'AEXPR_IN' || array) && op === '=') {
        const cols = this.ownColumns(e.lexpr, scope);
        const items = array ? list(array.elements) : list(as(e.rexpr, 'List')?.items ?? e.rexpr);
        const values = items.map((i) => {
          const lit = literal(i);
          return lit ? literalText(lit.literal) : undefined;
        });
        if (values.length > 0 && values.every((v) => v !== undefined)) {
          return cols.map((c) => ({ ref: c.ref, conjunct: { column: c.column, values: values as string[] } }));
        }
        return [];
      }
      return [];
    }
    const b = as(node, 'BoolExpr');
    if (b && b.boolop === 'OR_EXPR') {
      // `region = 'a' OR region = 'b'` is `region IN ('a','b')` (for each table a merged
      // column stands for, the same in every branch)
      const parts = list(b.args).map((a) => this.constraint(a, scope));
      const [first, ...rest] = parts;
      if (!first || first.length === 0) return [];
      const same = (p: Array<{ ref: TableRef; conjunct: Conjunct }>): boolean =>
        p.length === first.length && p.every((c, i) => c.ref === first[i]!.ref && c.conjunct.column === first[i]!.conjunct.column && 'values' in c.conjunct);
      if (!same(first) || !rest.every(same)) return [];
      return first.map((c, i) => ({
        ref: c.ref,
        conjunct: { column: c.conjunct.column, values: parts.flatMap((p) => ('values' in p[i]!.conjunct ? p[i]!.conjunct.values : [])) },
      }));
    }
    return [];
  }

  /**
   * A column of a provider reference of exactly this scope (not an outer one), unambiguous:
   * directly, or through a subquery or CTE that passes the table's rows on.
   */
  private ownColumn(node: unknown, scope: Scope): ColumnOf | undefined {
    const colref = as(node, 'ColumnRef');
    if (!colref) return undefined;
    const names = columnRefNames(colref).map((n) => n.toLowerCase());
    const of = (item: FromItem, name: string): ColumnOf | undefined =>
      item.ref ? (this.hasColumn(item.ref, name) ? { ref: item.ref, column: this.canonical(item.ref, name) } : undefined) : item.passes?.get(name);
    if (names.length === 1) {
      const owners = scope.items.flatMap((i) => of(i, names[0]!) ?? []);
      return owners.length === 1 ? owners[0] : undefined;
    }
    if (names.length === 2) {
      const item = scope.items.find((i) => i.exposedName === names[0]);
      return item ? of(item, names[1]!) : undefined;
    }
    return undefined;
  }

  /** The references made since `before` are inside a subquery or CTE that conditions outside it do not reach. */
  private seal(before: number): void {
    for (const r of this.refs.slice(before)) r.sealed = true;
  }

  /**
   * The output columns of `sub` that are columns of the one provider table it reads, when it
   * only passes that table's rows on: one FROM item, no grouping, DISTINCT, window, LIMIT or
   * set operation, which would make a filter outside it mean something else inside. The item
   * is the table itself, or a CTE or subquery that passes its rows on in turn, however deep.
   * `before` is the number of references made before `sub` was analysed.
   */
  private passesOn(sub: Obj, before: number): ReadonlyMap<string, ColumnOf> | undefined {
    if ((sub.op !== undefined && sub.op !== 'SETOP_NONE') || sub.valuesLists !== undefined) return undefined;
    for (const key of ['groupClause', 'havingClause', 'windowClause', 'distinctClause', 'limitCount', 'limitOffset', 'withClause']) if (sub[key] !== undefined) return undefined;
    const from = list(sub.fromClause);
    const inner = from.length === 1 ? this.itemPasses(from[0], before) : undefined;
    if (!inner || hasWindow(sub.targetList)) return undefined;
    const out = new Map<string, ColumnOf>();
    for (const t of list(sub.targetList)) {
      const rt = as(t, 'ResTarget');
      const colref = rt ? as(rt.val, 'ColumnRef') : undefined;
      if (!rt || !colref) continue;
      const names = columnRefNames(colref).map((n) => n.toLowerCase());
      const last = names[names.length - 1]!;
      if (last === '*') {
        for (const [name, column] of inner.all()) out.set(name, column);
        continue;
      }
      if (names.length > 2 || (names.length === 2 && names[0] !== inner.exposedName)) continue;
      const column = inner.get(last);
      if (column) out.set(str(rt.name)?.toLowerCase() ?? last, column);
    }
    return out.size > 0 ? out : undefined;
  }

  /**
   * The columns the one FROM item of a pass-through query hands on: a provider table's own (the
   * one reference made since `before`), or what a CTE read only there or a subquery passes on.
   */
  private itemPasses(item: unknown, before: number): PassedColumns | undefined {
    const rv = as(item, 'RangeVar');
    if (rv && str(rv.catalogname)) {
      const ref = this.refs.length === before + 1 ? this.refs[before] : undefined;
      if (!ref) return undefined;
      return {
        exposedName: ref.exposedName,
        get: (name) => (this.hasColumn(ref, name) ? { ref, column: this.canonical(ref, name) } : undefined),
        all: () => (this.shapes.get(ref.id)?.columns ?? []).map((c) => [c.toLowerCase(), { ref, column: c }]),
      };
    }
    const relname = rv && str(rv.schemaname) === undefined ? str(rv.relname)?.toLowerCase() : undefined;
    const sub = as(as(item, 'RangeSubselect')?.subquery, 'SelectStmt');
    const passes = relname !== undefined ? (this.refs.length === before ? this.ctePasses.get(relname) : undefined) : sub && as(item, 'RangeSubselect')?.lateral !== true ? this.passesOn(sub, before) : undefined;
    if (!passes) return undefined;
    return {
      exposedName: (rv ? aliasName(rv.alias) : aliasName(as(item, 'RangeSubselect')?.alias)) ?? relname,
      get: (name) => passes.get(name),
      all: () => [...passes],
    };
  }

  /**
   * The provider columns `node` names in this scope: the one column ownColumn finds, or, for a
   * bare name a JOIN … USING merged, that column of each table joined on it.
   */
  private ownColumns(node: unknown, scope: Scope): Array<ColumnOf> {
    const own = this.ownColumn(node, scope);
    if (own) return [own];
    const colref = as(node, 'ColumnRef');
    const names = colref ? columnRefNames(colref).map((n) => n.toLowerCase()) : [];
    const joined = names.length === 1 ? scope.merged?.get(names[0]!) : undefined;
    return joined ? joined.map((ref) => ({ ref, column: this.canonical(ref, names[0]!) })) : [];
  }

  /** The columns every side of a NATURAL JOIN has (provider tables' only: others are unknown here). */
  private commonColumns(left: readonly TableRef[], right: readonly TableRef[]): string[] {
    const names = (refs: readonly TableRef[]): Set<string> => new Set(refs.flatMap((r) => this.shapes.get(r.id)?.columns ?? []));
    const r = names(right);
    return [...names(left)].filter((n) => r.has(n));
  }

  /** A qualified column of a provider reference of an enclosing scope. */
  private outerColumn(node: unknown, scope: Scope): ColumnOf | undefined {
    const colref = as(node, 'ColumnRef');
    if (!colref) return undefined;
    const names = columnRefNames(colref).map((n) => n.toLowerCase());
    if (names.length !== 2) return undefined;
    for (let s = scope.parent; s; s = s.parent) {
      const item = s.items.find((i) => i.exposedName === names[0]);
      if (!item) continue;
      return item.ref && this.hasColumn(item.ref, names[1]!) ? { ref: item.ref, column: this.canonical(item.ref, names[1]!) } : undefined;
    }
    return undefined;
  }

  /**
   * A bare column name that no provider table has: when nothing else in the statement could
   * supply it (no other tables, subqueries or output aliases), it is a typo worth catching
   * before any API call.
   */
  private checkUnresolved(): void {
    if (this.sawOtherItems || this.refs.length === 0) return;
    for (const u of this.unresolved) {
      if (this.outputNames.has(u.name)) continue;
      const candidates = [...new Set(this.refs.flatMap((r) => this.shapes.get(r.id)?.columns ?? []))];
      const tables = [...new Set(this.refs.map((r) => r.name))].join(', ');
      throw this.error(unknownColumn(u.name, tables, candidates), u.offset);
    }
  }

  private error(e: CcqlError, offset: number): CcqlError {
    return at(e, offset);
  }
}

export function unknownColumn(name: string, table: string, columns: readonly string[]): CcqlError {
  const suggestion = suggest(name, columns);
  return new CcqlError('unknown_name', `column "${name}" does not exist in ${table}`, {
    sqlstate: '42703',
    hint: suggestion ? `did you mean "${suggestion}"?` : `DESCRIBE ${table.split(',')[0]} lists its columns`,
  });
}

/** A name token as the parser reads it: `"Name"` → `Name`, `name` → `name`. */
function unquoted(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

function aliasName(alias: unknown): string | undefined {
  const a = as(alias, 'Alias') ?? (isObj(alias) ? alias : undefined);
  const n = str(a?.aliasname);
  return n === undefined ? undefined : n.toLowerCase();
}

/** End offset of `aws . ivs . stages` starting at `start` (comments and spaces allowed inside). */
export function dottedNameEnd(tokens: readonly Token[], start: number): number {
  let i = tokens.findIndex((t) => t.start === start);
  if (i < 0) return start;
  let parts = 0;
  let end = start;
  while (i < tokens.length && parts < 3) {
    const t = tokens[i]!;
    if (t.tokenName === 'C_COMMENT' || t.tokenName === 'SQL_COMMENT') {
      i++;
      continue;
    }
    if (t.text === '.') {
      i++;
      continue;
    }
    parts++;
    end = t.end;
    i++;
  }
  return end;
}

/**
 * Why a statement that keeps its query to run later cannot read provider tables: ccql reads
 * them into temporary tables for the one statement, so the view, cursor or prepared statement
 * would see those rows as they were, or no table at all. (CREATE TABLE AS, COPY (…) and EXPLAIN
 * run their query now: they may.)
 */
function keptQuery(kind: string, body: Obj): { message: string; hint: string } | undefined {
  switch (kind) {
    case 'ViewStmt':
      return { message: 'a view cannot read a provider table: it would show the rows read when it was made, not the current ones', hint: 'use a CTE (WITH v AS (…) SELECT …), or CREATE TABLE … AS SELECT … for a snapshot that says it is one' };
    case 'CreateTableAsStmt':
      return body.objtype === 'OBJECT_MATVIEW' ? { message: 'a materialized view cannot read a provider table: REFRESH MATERIALIZED VIEW could not read it again', hint: 'CREATE TABLE … AS SELECT … makes the same snapshot; make it again to refresh it' } : undefined;
    case 'DeclareCursorStmt':
      return { message: 'a cursor cannot read a provider table', hint: 'run the SELECT itself (its rows come all at once), or CREATE TEMP TABLE t AS SELECT … and declare the cursor over t' };
    case 'PrepareStmt':
      return { message: 'PREPARE cannot prepare a statement that uses a provider table', hint: 'run the statement itself each time (a driver’s prepared statements over `ccql serve` work: ccql plans each execution)' };
    case 'RuleStmt':
      return { message: 'a rule cannot use a provider table', hint: 'run the statements that use provider tables yourself' };
    default:
      return undefined;
  }
}

/** What a FROM item hands on to a pass-through query around it (see Analyzer.itemPasses). */
interface PassedColumns {
  readonly exposedName: string | undefined;
  get(name: string): ColumnOf | undefined;
  all(): Iterable<[string, ColumnOf]>;
}

/** The provider references a subquery or CTE passes on (see FromItem.passes). */
function passedRefs(passes: ReadonlyMap<string, ColumnOf> | undefined): TableRef[] {
  return passes ? [...new Set([...passes.values()].map((p) => p.ref))] : [];
}

/** How many times `node` names the table (or CTE) `name` without a schema. */
function rangeVarCount(node: unknown, name: string): number {
  return countNodes(node, (n) => {
    const rv = as(n, 'RangeVar');
    return rv !== undefined && str(rv.schemaname) === undefined && str(rv.relname)?.toLowerCase() === name;
  });
}

/** A window function (`row_number() OVER (…)`) anywhere in `node`. */
function hasWindow(node: unknown): boolean {
  return countNodes(node, (n) => as(n, 'FuncCall')?.over !== undefined) > 0;
}

/**
 * The statement IR: what `sql/` hands to the planner. Each statement is lowered once, from the
 * libpg-query tree and its tokens, into these read-only nodes tagged by `kind`; nothing after
 * sql/ reads parse shapes or tokens. Spans and offsets are string offsets in `text`, the
 * statement as the user wrote it: spans are the pieces the engine will receive, offsets the
 * places an error may point at.
 */
import type { CatalogStatement } from './catalog-statement.js';
import type { Hint } from './hints.js';

/** A constant literal: its value as the user wrote it (strings unquoted). */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A piece of the statement replaced in the engine's text (a table reference, a keyword column). */
export interface Replacement extends Span {
  readonly text: string;
}

/** A pushed-down constraint on one column of a table reference. */
export type Constraint =
  /** The column's value is one of these (from `=`, `IN`, `= ANY(ARRAY[…])`, and AND/OR of those). */
  | { readonly column: string; readonly values: readonly string[] }
  /** `column = other.column2`: the values come from another reference's rows. */
  | { readonly column: string; readonly from: { readonly ref: number; readonly column: string } };

export interface TableRefNode {
  readonly kind: 'table';
  readonly id: number;
  /** As written (case kept for quoted names). */
  readonly parts: readonly [string, string, string];
  /** `provider.service.resource`, lower-case, as written. */
  readonly name: string;
  readonly alias: string | undefined;
  /** How columns are qualified in the statement: the alias, else the table name. */
  readonly exposedName: string;
  /** The dotted name in the text. */
  readonly span: Span;
  /** `target` for the table an INSERT/UPDATE/DELETE changes. */
  readonly role: 'read' | 'target';
  /** Columns the statement uses from this reference (lower-case). */
  readonly columns: ReadonlySet<string>;
  /** `*`, `t.*` or a whole-row reference: every column is needed. */
  readonly allColumns: boolean;
  readonly constraints: readonly Constraint[];
  /**
   * Where the statement constrains `region` in a way no region list can be derived from
   * (`region LIKE 'us-%'`, `region <> 'x'`): the planner refuses rather than guess.
   */
  readonly opaqueRegionAt: number | undefined;
  /**
   * Read inside a subquery or CTE that does not only pass its rows on (GROUP BY, DISTINCT, a
   * window, LIMIT, or a CTE read more than once): conditions outside it do not choose its calls.
   */
  readonly sealed: boolean;
  /** The target of INSERT/UPDATE/DELETE: the columns its RETURNING clause uses. */
  readonly returning: { readonly columns: ReadonlySet<string>; readonly allColumns: boolean } | undefined;
}

/** A value written in INSERT … VALUES or UPDATE … SET. */
export type ValueNode =
  /** A constant, possibly cast (`'[…]'::jsonb`) or negated; known before any call. */
  | { readonly kind: 'literal'; readonly literal: Literal; readonly cast: string | undefined; readonly offset: number }
  /** Anything else: the engine evaluates the span. */
  | { readonly kind: 'expression'; readonly span: Span; readonly offset: number };

export interface WrittenName {
  /** As written (the parser lower-cases unquoted names). */
  readonly name: string;
  readonly offset: number;
}

interface StatementBase {
  /** The statement's text, exactly as the user wrote it (EXPLAIN's prefix blanked out). */
  readonly text: string;
  /** Every provider table reference, in order of appearance; `id` is the index. */
  readonly refs: readonly TableRefNode[];
  readonly hints: ReadonlySet<Hint>;
  /** Text the engine receives in place of what the user wrote, besides table references. */
  readonly rewrites: readonly Replacement[];
  /** Things the user should know about how the statement was read. */
  readonly warnings: readonly string[];
  /**
   * Where quotes were put around reserved words used as column names (`authorization`): `text`
   * holds them, and offsets in it map back to the user's text with originalOffset().
   */
  readonly inserted?: ReadonlyArray<{ readonly word: string; readonly at: number }>;
}

export interface QueryNode extends StatementBase {
  readonly kind: 'query';
}

interface MutationBase extends StatementBase {
  readonly target: TableRefNode;
  /** `WITH …` before the verb, when there is one. */
  readonly withSpan: Span | undefined;
  /** The expressions after RETURNING. */
  readonly returning: Span | undefined;
}

export interface InsertNode extends MutationBase {
  readonly kind: 'insert';
  readonly columns: readonly WrittenName[];
  /** The values when every row is constants (VALUES or SELECT of literals); else undefined. */
  readonly rows: ReadonlyArray<readonly ValueNode[]> | undefined;
  /** The VALUES/SELECT part, for the engine when `rows` is undefined. */
  readonly select: Span;
}

export interface UpdateNode extends MutationBase {
  readonly kind: 'update';
  readonly sets: ReadonlyArray<{ readonly name: WrittenName; readonly value: ValueNode }>;
  readonly where: Span | undefined;
  /** Every WHERE conjunct is a constant constraint on the target: no predicate is left for the engine. */
  readonly whereIsConstraintsOnly: boolean;
}

export interface DeleteNode extends MutationBase {
  readonly kind: 'delete';
  readonly where: Span | undefined;
  readonly whereIsConstraintsOnly: boolean;
}

export interface CatalogNode {
  readonly kind: 'catalog';
  readonly text: string;
  readonly statement: CatalogStatement;
}

/** A statement that names no provider table: the engine gets it exactly as written. */
export interface PassthroughNode {
  readonly kind: 'passthrough';
  readonly text: string;
  /** Postgres' full command tag where the engine reports only the verb (`CREATE TABLE`). */
  readonly commandTag: string | undefined;
  /** BEGIN/START opens a transaction block, COMMIT/ROLLBACK/END closes it. */
  readonly transaction?: 'begin' | 'end' | undefined;
}

/**
 * `EXEC [/*+ SHOWRESULTS *\/] provider.service.resource.method @name = value, …` (StackQL's form):
 * one call of a method by name, with its parameters written out.
 */
export interface ExecNode {
  readonly kind: 'exec';
  readonly text: string;
  /** The resource's three parts, as written. */
  readonly parts: readonly [string, string, string];
  /** The method name, as written, and where. */
  readonly method: WrittenName;
  /** The dotted name `provider.service.resource.method`. */
  readonly span: Span;
  /** `@name = value` pairs, in order (the name without its `@`). */
  readonly params: ReadonlyArray<{ readonly name: WrittenName; readonly value: ValueNode & { readonly kind: 'literal' } }>;
  /** `@@json = '{…}'`: further parameters as one JSON object. */
  readonly json: { readonly text: string; readonly offset: number } | undefined;
  readonly hints: ReadonlySet<Hint>;
}

export interface ExplainNode {
  readonly kind: 'explain';
  readonly text: string;
  readonly format: 'text' | 'json';
  readonly statement: QueryNode | InsertNode | UpdateNode | DeleteNode | ExecNode;
}

export type MutationNode = InsertNode | UpdateNode | DeleteNode;
export type StatementNode = QueryNode | MutationNode | CatalogNode | PassthroughNode | ExplainNode | ExecNode;

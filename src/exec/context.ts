/**
 * What executing one statement needs: the statement (text, parse tree, analysis), the session's
 * options, its Cloud Control client and engine (both created on first use), and the hooks.
 */
import type { ResourceDef } from '../catalog/types.js';
import type { CloudControl } from '../aws/cloudcontrol.js';
import type { Engine } from '../engine/engine.js';
import type { Analysis, TableRef } from '../sql/analyze.js';
import type { Hint } from '../sql/hints.js';
import type { ParsedStatement } from '../sql/parser.js';
import type { Notice, RunHooks } from '../result.js';

export interface ExecOptions {
  region: string | undefined;
  regionSource: string | undefined;
  dryRun: boolean;
  strict: boolean;
  concurrency: number;
}

export interface StatementContext {
  text: string;
  parsed: ParsedStatement;
  analysis: Analysis;
  hints: ReadonlySet<Hint>;
  /** The resource of each provider reference, by reference id. */
  resources: ReadonlyMap<number, ResourceDef>;
  options: ExecOptions;
  hooks: RunHooks;
  cloudControl(): CloudControl;
  /** The engine, starting it on first use (call early: it starts while API calls run). */
  engine(): Promise<Engine>;
  notice(n: Notice): void;
  /** Unique per statement in the session, so engine table names never collide. */
  statementId: number;
}

/** Name of the engine table holding a reference's rows. */
export function tableName(ctx: Pick<StatementContext, 'statementId'>, ref: TableRef): string {
  return `ccql_${ctx.statementId}_t${ref.id}`;
}

/**
 * `ccql exec`: runs a SQL script given as an argument, with -f FILE, or on stdin, and writes the
 * statements' results to stdout as one document of the chosen format (ScriptOutput). Notices,
 * the progress line and errors go to stderr. Exit code 0 when every statement succeeded, 1 when one failed (the rest do not run),
 * 2 on bad usage, 130 when interrupted.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { engineSetupPending, engineUrlFrom, warmEngine } from '../../engine/engine.js';
import { CcqlError, toCcqlError } from '../../errors.js';
import { collect, positiveInt } from '../flags.js';
import type { SessionOptions } from '../../exec/session.js';
import { OUTPUT_FORMATS, ScriptOutput, type OutputFormat } from '../format.js';
import { checkConnectionFlags, connect, type ConnectionFlags } from '../connection.js';
import { ENGINE_SETUP_TEXT, EXIT_INTERRUPTED, StatusOutput } from '../progress.js';
import { splitScript } from '../../sql/split.js';
import { needsTemplating, parseVars } from '../template-vars.js';

export interface ExecOptions extends ConnectionFlags {
  output: OutputFormat;
  file?: string;
  var?: string[];
  dryRun?: boolean;
  strict?: boolean;
  concurrency?: number;
  maxCalls?: number;
  timeout?: number;
  /** --engine URL (else CCQL_ENGINE): a PostgreSQL server instead of the embedded engine. */
  engine?: string;
}

export function register(program: Command): void {
  program
    .command('exec')
    .description('run SQL statements and print their results')
    .argument('[sql]', 'the SQL script (or use -f FILE, or pipe it on stdin)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('-f, --file <file>', 'read the SQL script from FILE')
    .option('--var <name=value>', 'set a {{name}} template variable in the SQL (repeatable)', collect)
    .option('--dry-run', 'print the API calls the statements would make, and make none')
    .option('--strict', 'fail a statement when any region or row fails, instead of returning the other rows')
    .option('--concurrency <n>', 'most API calls in flight at once in each region', positiveInt)
    .option('--max-calls <n>', 'most API calls one statement may make (default 10000)', positiveInt)
    .option('--timeout <seconds>', 'seconds to wait for one API answer before retrying it (default 30)', positiveInt)
    .option('--local', 'use the built-in emulator with demo data (state kept in $CCQL_HOME/local)')
    .option('--endpoint-url <url>', 'Cloud Control endpoint, e.g. a running `ccql emulator` (env: CCQL_ENDPOINT_URL)')
    .option('--region <region>', 'region for statements that name none (default: the AWS SDK’s: AWS_REGION, profile…)')
    .option('--engine <url>', 'run the SQL on this PostgreSQL server, e.g. postgres://user@localhost:5432/db (env: CCQL_ENGINE; default: the embedded PGlite)')
    .action(async (sql: string | undefined, opts: ExecOptions) => {
      process.exitCode = await runExec(sql, opts);
    });
}

/** Runs the script; returns the exit code. Usage problems are thrown as CcqlError('usage'). */
export async function runExec(sql: string | undefined, opts: ExecOptions): Promise<number> {
  checkConnectionFlags(opts);
  const engine = engineUrlFrom(opts.engine);
  const vars = parseVars(opts.var ?? []);
  if (sql !== undefined && opts.file !== undefined) {
    throw new CcqlError('usage', 'give the SQL either as an argument or with -f FILE, not both');
  }
  const status = new StatusOutput(process.stderr);
  const script = await readScript(sql, opts);
  let text: string;
  try {
    // The template engine is loaded only for a script that has placeholders (or --var).
    text = needsTemplating(script.text, vars) ? (await import('../template.js')).renderTemplate(script.text, vars, script.label) : script.text;
  } catch (e) {
    return fail(status, e);
  }
  // The engine starts now, in its own thread, while the rest loads and the API calls run.
  if (needsEngine(text, opts)) {
    if (engineSetupPending({ url: engine })) status.progress.note(ENGINE_SETUP_TEXT);
    warmEngine({ url: engine });
  }

  const { Session } = await import('../../exec/session.js');
  const connection = await connect(opts);
  const session = new Session(sessionOptions(connection.options, { ...opts, ...(engine ? { engine } : {}) }));
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED); // a second Ctrl-C: stop waiting
    controller.abort(new CcqlError('cancelled', 'statement cancelled'));
  };
  process.on('SIGINT', onSigint);
  stopQuietlyOnClosedPipe();
  // Session.run splits the script with the same function: the count decides the document's shape
  // (one statement prints as it always has), whether or not every statement gets to run.
  const output = new ScriptOutput(opts.output, splitScript(text).length);
  try {
    for await (const result of session.run(text, status.hooks(controller.signal))) {
      status.clear();
      process.stdout.write(output.add(result));
    }
    return 0;
  } catch (e) {
    const code = fail(status, e, script.file);
    return controller.signal.aborted ? EXIT_INTERRUPTED : code;
  } finally {
    // After a failure too, so that what did run is still one whole document.
    process.stdout.write(output.end());
    process.off('SIGINT', onSigint);
    status.clear();
    await session.close();
    await connection.close();
  }
}

/** The Session's options: where to connect, plus what the flags ask of each statement. */
export function sessionOptions(connection: Partial<SessionOptions>, opts: ExecOptions): SessionOptions {
  const options: SessionOptions = { ...connection };
  if (opts.dryRun) options.dryRun = true;
  if (opts.strict) options.strict = true;
  if (opts.concurrency !== undefined) options.concurrency = opts.concurrency;
  if (opts.engine !== undefined) options.engine = opts.engine;
  if (opts.maxCalls !== undefined) options.maxCalls = opts.maxCalls;
  if (opts.timeout !== undefined) options.timeout = opts.timeout;
  return options;
}

/**
 * Whether the script will need the engine: any statement but SHOW, DESCRIBE and EXPLAIN (and
 * none in a dry run, which needs it only for SQL that names no provider table).
 */
function needsEngine(script: string, opts: ExecOptions): boolean {
  if (opts.dryRun) return false;
  const stripComments = (s: string): string => s.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '');
  return splitScript(script).some((s) => !/^(show|describe|desc|explain)\b/i.test(stripComments(s.text)));
}

/** Prints the error on stderr; returns its exit code. Positions in a -f script name the file. */
function fail(status: StatusOutput, e: unknown, file?: string): number {
  let err = toCcqlError(e);
  if (file !== undefined && err.location && err.location.file === undefined && err.location.line !== undefined) {
    err = new CcqlError(err.code, err.message, {
      location: { ...err.location, file },
      sqlstate: err.sqlstate,
      details: [...err.details],
      ...(err.hint !== undefined ? { hint: err.hint } : {}),
      cause: e,
    });
  }
  status.error(err);
  return err.exitCode;
}

interface Script {
  text: string;
  /** Where the script came from, for messages: a file path, "<command line>" or "<stdin>". */
  label: string;
  /** The -f file, if any. */
  file?: string;
}

async function readScript(sql: string | undefined, opts: ExecOptions): Promise<Script> {
  if (opts.file !== undefined) {
    try {
      return { text: readFileSync(opts.file, 'utf8'), label: opts.file, file: opts.file };
    } catch (e) {
      throw new CcqlError('usage', `cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (sql !== undefined) return { text: sql, label: '<command line>' };
  if (process.stdin.isTTY) {
    throw new CcqlError('usage', 'no SQL given', { hint: 'ccql exec "SHOW SERVICES IN aws", ccql exec -f script.sql, or pipe the SQL on stdin' });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { text: Buffer.concat(chunks).toString('utf8'), label: '<stdin>' };
}

/** `ccql exec … | head` closes stdout early: that is the reader's choice, not an error. */
function stopQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

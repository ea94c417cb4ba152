/**
 * The shell's read-eval-print loop on node:readline. Lines are collected until the splitter
 * sees a complete statement (ended by `;`), which then runs; its result goes to stdout and its
 * notices and errors to stderr, and the shell goes on. Ctrl-C aborts the running statement
 * (RunHooks.signal) or, at the prompt, clears what was typed.
 *
 * On a terminal it prompts, echoes, completes and keeps history (a statement typed over several
 * lines is one entry), and exits with 0. With stdin piped it is a script runner: no prompts, every
 * statement runs, errors give their line in the whole input, and the exit code says whether any
 * failed.
 */
import { createInterface, type Interface } from 'node:readline';
import { CcqlError, toCcqlError } from '../../errors.js';
import type { Session } from '../../exec/session.js';
import type { StatementResult } from '../../result.js';
import { lineColumn, splitScript, splitStatements } from '../../sql/split.js';
import { formatResult, type ExpandedMode, type FormatOptions, type OutputFormat } from '../format.js';
import { EXIT_INTERRUPTED, StatusOutput, type ProgressStream } from '../progress.js';
import { Completer } from './completer.js';
import { HISTORY_SIZE, loadHistory, saveHistory } from './history.js';
import { SHELL_HELP, isMetaCommand, parseMetaCommand } from './meta.js';

export const PROMPT = 'ccql=> ';
export const CONTINUATION_PROMPT = 'ccql-> ';
/** While `\dryrun on`: a statement typed here makes no API call. */
export const DRY_RUN_PROMPT = 'ccql[dry-run]=> ';
export const DRY_RUN_CONTINUATION_PROMPT = 'ccql[dry-run]-> ';

/** After Ctrl-C, how long a statement may take to wind down before the prompt comes back anyway. */
const CANCEL_GRACE_MS = 2000;

export interface ShellIO {
  input: NodeJS.ReadableStream;
  /** Results. */
  output: NodeJS.WritableStream;
  /** Notices, errors and the progress line. */
  errors: ProgressStream;
  /** Interactive: prompts, echo, line editing, completion, history, Ctrl-C handling. */
  terminal: boolean;
  /** Where prompts and echo go when `terminal` (a TTY). */
  terminalOutput?: NodeJS.WritableStream;
}

export interface ShellConfig {
  session: Session;
  format: OutputFormat;
  /** History file; none when undefined (and always none without a terminal). */
  historyFile?: string;
  /** Printed once on a terminal. */
  banner?: string;
}

/** Runs the shell until \q, Ctrl-D or end of input; returns the exit code. */
export async function runShell(io: ShellIO, config: ShellConfig): Promise<number> {
  const shell = new Shell(io, config);
  return shell.run();
}

/** The part of readline's Interface used here that @types/node does not declare. */
interface LineEditor {
  line: string;
  clearLine?: () => void;
  /** Newest first; Up/Down walk it. */
  history: string[];
  /** Which entry Up/Down last showed (-1: none). */
  historyIndex: number;
}

/** A 1-based line and column in the shell's input. */
interface Position {
  line: number;
  column: number;
}

class Shell {
  private format: OutputFormat;
  private expanded: ExpandedMode = 'off';
  /** The lines of the statement being typed (the first may be the rest of a line that ran one). */
  private buffer: string[] = [];
  /** Where the buffer's text starts in the input, for error positions. */
  private bufferStart: Position = { line: 1, column: 1 };
  /** The line number of the next line read (the whole input's when piped, the statement's on a terminal). */
  private nextLine = 1;
  /** Lines entered since the history last got an entry: a statement's lines become one entry. */
  private pendingHistory: string[] = [];
  private historyFile: string | undefined;
  private running: AbortController | undefined;
  private failed = false;
  private interrupted = false;
  private resultsShown = 0;
  private readonly status: StatusOutput;
  private readonly rl: Interface;

  constructor(
    private readonly io: ShellIO,
    private readonly config: ShellConfig,
  ) {
    this.format = config.format;
    this.status = new StatusOutput(io.errors);
    const completer = new Completer(config.session.catalog);
    const history = io.terminal && config.historyFile ? loadHistory(config.historyFile) : [];
    this.historyFile = io.terminal ? config.historyFile : undefined;
    this.rl = createInterface({
      input: io.input,
      ...(io.terminal ? { output: io.terminalOutput ?? io.output } : {}),
      terminal: io.terminal,
      history,
      // readline would add each line as an entry of its own; the shell adds a statement's lines
      // as one entry instead (addHistory), and readline's Up/Down walk the same array.
      historySize: 0,
      tabSize: 4,
      prompt: PROMPT,
      completer: (line: string): [string[], string] => completer.complete(line, this.buffer.join('\n')),
    });
    this.rl.on('SIGINT', () => this.interrupt());
  }

  async run(): Promise<number> {
    const stopOnSignal = () => this.interruptScript();
    if (!this.io.terminal) process.on('SIGINT', stopOnSignal);
    try {
      if (this.io.terminal && this.config.banner) this.terminalWrite(`${this.config.banner}\n`);
      this.prompt();
      for await (const line of this.rl) {
        // Lines read before an interrupt are still queued: they must not run.
        if (this.interrupted) break;
        const quit = await this.handleLine(line);
        if (quit || this.interrupted) break;
        this.prompt();
      }
      // End of piped input: a last statement without `;` still runs.
      if (!this.io.terminal && !this.interrupted && this.buffer.length > 0) {
        const rest = this.buffer.join('\n');
        this.buffer = [];
        for (const stmt of splitScript(rest)) await this.runStatement(stmt.text, this.inInput(stmt));
      }
      if (this.io.terminal) this.terminalWrite('\n');
    } finally {
      process.off('SIGINT', stopOnSignal);
      this.rl.close();
    }
    if (this.interrupted) return EXIT_INTERRUPTED;
    // A script's exit code says whether it all worked; a person at the terminal saw each error.
    return this.failed && !this.io.terminal ? 1 : 0;
  }

  /** Returns true to quit. */
  private async handleLine(line: string): Promise<boolean> {
    // Each statement typed at a terminal has its own line numbers; piped input is one script.
    if (this.io.terminal && this.buffer.length === 0) this.nextLine = 1;
    const lineNumber = this.nextLine;
    // A line recalled from history may hold several.
    this.nextLine += 1 + (line.match(/\n/g)?.length ?? 0);
    this.editor().historyIndex = -1; // the next Up starts from the newest entry again
    if (isMetaCommand(line)) return this.meta(line);
    if (this.buffer.length === 0) this.bufferStart = { line: lineNumber, column: 1 };
    this.buffer.push(line);
    this.pendingHistory.push(line);
    const text = this.buffer.join('\n');
    const { statements, incomplete } = splitStatements(text);
    // The lines that complete the statement typed so far are one history entry, entered before
    // it runs (it may run for long, or never return).
    if (incomplete === undefined) this.flushHistory();
    if (statements.length === 0) {
      if (incomplete === undefined) this.buffer = []; // blank lines and comments only
      return false;
    }
    // Positions before the buffer moves on to what follows the last `;`.
    const runs = statements.map((stmt) => ({ text: stmt.text, at: this.inInput(stmt) }));
    if (incomplete !== undefined) {
      this.bufferStart = this.inInput(lineColumn(text, text.length - incomplete.length));
      this.buffer = [incomplete];
    } else this.buffer = [];
    for (const run of runs) {
      const cancelled = await this.runStatement(run.text, run.at);
      // Ctrl-C stops what was typed with the cancelled statement too, as in psql.
      if (cancelled) {
        this.buffer = [];
        this.flushHistory();
        break;
      }
    }
    return false;
  }

  /** A position in the buffer's text as a position in the input. */
  private inInput(at: Position): Position {
    return at.line === 1
      ? { line: this.bufferStart.line, column: this.bufferStart.column + at.column - 1 }
      : { line: this.bufferStart.line + at.line - 1, column: at.column };
  }

  /** Adds one history entry (newest first, no duplicates) and saves the history file. */
  private addHistory(entry: string): void {
    if (!this.io.terminal || entry.trim() === '') return;
    const history = this.editor().history;
    const dup = history.indexOf(entry);
    if (dup !== -1) history.splice(dup, 1);
    history.unshift(entry);
    if (history.length > HISTORY_SIZE) history.length = HISTORY_SIZE;
    if (this.historyFile && saveHistory(this.historyFile, history)) {
      this.historyFile = undefined; // e.g. a read-only home: keep going without a history file
    }
  }

  /** The lines entered since the last entry, as one entry. */
  private flushHistory(): void {
    const lines = this.pendingHistory;
    this.pendingHistory = [];
    if (lines.length > 0) this.addHistory(lines.join('\n'));
  }

  private editor(): LineEditor {
    return this.rl as unknown as LineEditor;
  }

  private meta(line: string): boolean {
    const cmd = parseMetaCommand(line);
    // What \r abandons stays in the history, before it, to be recalled and fixed.
    if (cmd.kind === 'reset') this.flushHistory();
    this.addHistory(line);
    switch (cmd.kind) {
      case 'quit':
        return true;
      case 'help':
        this.io.output.write(SHELL_HELP);
        return false;
      case 'reset':
        this.buffer = [];
        return false;
      case 'format':
        if (cmd.format) this.format = cmd.format;
        this.io.output.write(`output format: ${this.format}\n`);
        return false;
      case 'expanded':
        this.expanded = cmd.mode === 'toggle' ? (this.expanded === 'on' ? 'off' : 'on') : cmd.mode;
        this.io.output.write(this.expanded === 'auto' ? 'Expanded display is used automatically.\n' : `Expanded display is ${this.expanded}.\n`);
        return false;
      case 'dryrun':
        if (cmd.on !== undefined) this.config.session.setDryRun(cmd.on);
        this.io.output.write(
          this.dryRun() ? 'dry-run is on: statements print the API calls they would make, and make none\n' : 'dry-run is off: statements make their API calls\n',
        );
        return false;
      case 'error':
        this.failed = true;
        this.status.error(new CcqlError('usage', cmd.message, { hint: cmd.hint }));
        return false;
    }
  }

  /**
   * `at`: where the statement starts in the input (piped) or in the lines typed for it (at a
   * terminal), for error positions. Returns whether the statement was cancelled.
   */
  private async runStatement(text: string, at: Position): Promise<boolean> {
    const controller = new AbortController();
    this.running = controller;
    try {
      const result = await settleOrCancel(this.config.session.runStatement(text, this.status.hooks(controller.signal), at), controller.signal);
      this.status.clear();
      this.show(result);
    } catch (e) {
      this.failed = true;
      this.status.error(toCcqlError(e));
    } finally {
      this.running = undefined;
      this.status.clear();
    }
    return controller.signal.aborted;
  }

  private show(result: StatementResult): void {
    // Several YAML results on one stream are several YAML documents.
    if (this.format === 'yaml' && this.resultsShown > 0) this.io.output.write('---\n');
    this.io.output.write(formatResult(result, this.format, this.formatOptions()));
    this.resultsShown++;
  }

  private formatOptions(): FormatOptions {
    const out = this.io.output as { isTTY?: boolean; columns?: number };
    return { expanded: this.expanded, ...(out.isTTY === true && typeof out.columns === 'number' ? { width: out.columns } : {}) };
  }

  private dryRun(): boolean {
    return this.config.session.options.dryRun === true;
  }

  /** Ctrl-C on the terminal. */
  private interrupt(): void {
    if (this.running) {
      this.running.abort(new CcqlError('cancelled', 'statement cancelled'));
      return;
    }
    // At the prompt: like psql, show ^C, drop the line and any statement begun, prompt again.
    // The lines entered for that statement stay in the history.
    this.buffer = [];
    this.flushHistory();
    const editor = this.editor();
    this.rl.write('', { ctrl: true, name: 'e' });
    this.terminalWrite('^C');
    if (typeof editor.clearLine === 'function') editor.clearLine();
    else {
      this.rl.write('', { ctrl: true, name: 'u' });
      this.terminalWrite('\n');
    }
    this.prompt();
  }

  /** SIGINT with piped input: stop the running statement and read no further. */
  private interruptScript(): void {
    this.interrupted = true;
    this.running?.abort(new CcqlError('cancelled', 'statement cancelled'));
    this.rl.close();
  }

  private prompt(): void {
    if (!this.io.terminal) return;
    const dry = this.dryRun();
    this.rl.setPrompt(this.buffer.length > 0 ? (dry ? DRY_RUN_CONTINUATION_PROMPT : CONTINUATION_PROMPT) : dry ? DRY_RUN_PROMPT : PROMPT);
    this.rl.prompt(true);
  }

  private terminalWrite(s: string): void {
    if (this.io.terminal) (this.io.terminalOutput ?? this.io.output).write(s);
  }
}

/**
 * The statement's outcome; once `signal` aborts, the statement gets a short grace period to
 * stop its API calls and report, after which the prompt comes back regardless.
 */
async function settleOrCancel<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const onAbort = new Promise<never>((_, reject) => {
    const giveUp = () => {
      timer = setTimeout(() => {
        reject(
          new CcqlError('cancelled', `statement cancelled; it had not stopped ${CANCEL_GRACE_MS / 1000} s later, so calls it had started may still finish`, {
            hint: 'check the state of the resources it was changing before running it again',
          }),
        );
      }, CANCEL_GRACE_MS);
    };
    if (signal.aborted) giveUp();
    else signal.addEventListener('abort', giveUp, { once: true });
  });
  // Whatever the statement does after being given up on is not the user's concern any more.
  work.catch(() => {});
  try {
    return await Promise.race([work, onAbort]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * The shell's read-eval-print loop on node:readline. Lines are collected until the splitter
 * sees a complete statement (ended by `;`), which then runs; its result goes to stdout and its
 * notices and errors to stderr, and the shell goes on. Ctrl-C aborts the running statement
 * (RunHooks.signal) or, at the prompt, clears what was typed.
 *
 * On a terminal it prompts, echoes, completes and keeps history, and exits with 0. With stdin
 * piped it is a script runner: no prompts, every statement runs, and the exit code says whether
 * any failed.
 */
import { createInterface, type Interface } from 'node:readline';
import { CcqlError, toCcqlError } from '../../errors.js';
import type { Session } from '../../exec/session.js';
import type { StatementResult } from '../../result.js';
import { splitStatements } from '../../sql/split.js';
import { formatResult, type OutputFormat } from '../format.js';
import { EXIT_INTERRUPTED, StatusOutput, type ProgressStream } from '../progress.js';
import { Completer } from './completer.js';
import { HISTORY_SIZE, loadHistory, saveHistory } from './history.js';
import { SHELL_HELP, isMetaCommand, parseMetaCommand } from './meta.js';

export const PROMPT = 'ccql=> ';
export const CONTINUATION_PROMPT = 'ccql-> ';

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
}

class Shell {
  private format: OutputFormat;
  private buffer: string[] = [];
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
    this.rl = createInterface({
      input: io.input,
      ...(io.terminal ? { output: io.terminalOutput ?? io.output } : {}),
      terminal: io.terminal,
      history,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      tabSize: 4,
      prompt: PROMPT,
      completer: (line: string): [string[], string] => completer.complete(line, this.buffer.join('\n')),
    });
    const historyFile = config.historyFile;
    if (io.terminal && historyFile) {
      this.rl.on('history', (entries: string[]) => {
        const err = saveHistory(historyFile, entries);
        if (err) this.rl.removeAllListeners('history'); // e.g. a read-only home: keep going without history
      });
    }
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
        if (rest.trim() !== '') await this.runStatement(rest.trim());
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
    if (isMetaCommand(line)) return this.meta(line);
    this.buffer.push(line);
    const { statements, incomplete } = splitStatements(this.buffer.join('\n'));
    if (statements.length === 0) {
      if (incomplete === undefined) this.buffer = []; // blank lines and comments only
      return false;
    }
    this.buffer = incomplete !== undefined ? [incomplete] : [];
    for (const stmt of statements) {
      const cancelled = await this.runStatement(stmt.text, { line: stmt.line, column: stmt.column });
      // Ctrl-C stops what was typed with the cancelled statement too, as in psql.
      if (cancelled) {
        this.buffer = [];
        break;
      }
    }
    return false;
  }

  private meta(line: string): boolean {
    const cmd = parseMetaCommand(line);
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
      case 'error':
        this.failed = true;
        this.status.error(new CcqlError('usage', cmd.message, { hint: cmd.hint }));
        return false;
    }
  }

  /**
   * `at`: where the statement starts in the lines typed for it, for error positions. Returns
   * whether the statement was cancelled.
   */
  private async runStatement(text: string, at = { line: 1, column: 1 }): Promise<boolean> {
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
    this.io.output.write(formatResult(result, this.format));
    this.resultsShown++;
  }

  /** Ctrl-C on the terminal. */
  private interrupt(): void {
    if (this.running) {
      this.running.abort(new CcqlError('cancelled', 'statement cancelled'));
      return;
    }
    // At the prompt: like psql, show ^C, drop the line and any statement begun, prompt again.
    this.buffer = [];
    const editor = this.rl as unknown as LineEditor;
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
    this.rl.setPrompt(this.buffer.length > 0 ? CONTINUATION_PROMPT : PROMPT);
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

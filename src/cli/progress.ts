/**
 * The progress line on stderr while a statement fans out into many API calls:
 * `GetResource aws.ivs.stages: 120/500 calls`. Only on a terminal (a log file or a pipe gets
 * no carriage-return noise), redrawn at most every 100 ms, and erased before anything else is
 * written so that results, notices and errors never share a line with it.
 */
import { renderErrorText, type CcqlError } from '../errors.js';
import type { Notice, Progress, RunHooks } from '../result.js';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

const REDRAW_MS = 100;

export class ProgressLine {
  private shown = false;
  private lastDraw = 0;
  private pending: Progress | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly enabled: boolean;

  constructor(private readonly stream: ProgressStream = process.stderr, enabled?: boolean) {
    this.enabled = enabled ?? stream.isTTY === true;
  }

  /** RunHooks.onProgress */
  readonly update = (p: Progress): void => {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw >= REDRAW_MS || p.done >= p.total) {
      this.draw(p);
      return;
    }
    // Too soon after the last draw: show this state later unless a newer one comes first.
    this.pending = p;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.pending) this.draw(this.pending);
    }, REDRAW_MS - (now - this.lastDraw));
    this.timer.unref();
  };

  /** Erases the line (before other output, and when the statement ends). */
  clear(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pending = undefined;
    if (this.shown) {
      this.stream.write('\r\x1b[K');
      this.shown = false;
    }
  }

  /** Shows `text` until the next progress, output or clear(): a wait with no calls to count. */
  note(text: string): void {
    if (this.enabled) this.drawText(text);
  }

  private draw(p: Progress): void {
    this.pending = undefined;
    this.lastDraw = Date.now();
    this.drawText(progressText(p));
  }

  private drawText(text: string): void {
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.shown = true;
  }
}

export function progressText(p: Progress): string {
  return `${p.label ? `${p.label}: ` : ''}${p.done}/${p.total} calls`;
}

/** What a front end says while the embedded engine's first start builds its data directory (engineSetupPending). */
export const ENGINE_SETUP_TEXT = 'setting up the embedded engine (first run only)…';

/** Exit code after Ctrl-C / SIGINT stopped a statement, as shells report a process killed by it. */
export const EXIT_INTERRUPTED = 130;

/** `NOTICE: message` (and `HINT: …`), as psql prints server notices. */
export function renderNotice(n: Notice): string {
  return `${n.severity}: ${n.message}\n${n.hint ? `HINT: ${n.hint}\n` : ''}`;
}

/**
 * Everything a running statement says on stderr: its progress line, its notices and, if it
 * fails, its error; the progress line is erased before each of the others.
 */
export class StatusOutput {
  readonly progress: ProgressLine;

  constructor(private readonly stream: ProgressStream = process.stderr, progressEnabled?: boolean) {
    this.progress = new ProgressLine(stream, progressEnabled);
  }

  hooks(signal?: AbortSignal): RunHooks {
    const hooks: RunHooks = { onNotice: (n) => this.notice(n), onProgress: this.progress.update };
    if (signal) hooks.signal = signal;
    return hooks;
  }

  notice(n: Notice): void {
    this.progress.clear();
    this.stream.write(renderNotice(n));
  }

  error(e: CcqlError): void {
    this.progress.clear();
    this.stream.write(`${renderErrorText(e)}\n`);
  }

  /** Before writing results to stdout, and when a statement ends. */
  clear(): void {
    this.progress.clear();
  }
}

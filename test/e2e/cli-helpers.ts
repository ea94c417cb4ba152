/**
 * Helpers for end-to-end tests of the built command line: build dist/ when it is older than
 * src/, spawn `node bin/ccql.js …` with an isolated environment, and drive it in a
 * pseudo-terminal through tmux.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'ccql.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function builtMtime(): number {
  try {
    return statSync(join(ROOT, 'dist', 'cli', 'main.js')).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Runs `npm run build` when dist/ is missing or older than src/. Test files run in parallel
 * workers, so a lock directory keeps two builds from writing dist/ at once.
 */
export async function ensureBuilt(): Promise<void> {
  if (builtMtime() >= newestMtime(join(ROOT, 'src'))) return;
  const lock = join(ROOT, 'dist', '.build-lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker builds; a lock older than the deadline is a crashed build's.
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (builtMtime() >= newestMtime(join(ROOT, 'src'))) return;
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0 && builtMtime() === 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Caches every test home shares: the engine's initialized data directory (initdb costs seconds)
 * and parsed provider files. Both are keyed by content and written atomically.
 */
const SHARED_CACHE = join(tmpdir(), 'ccql-e2e-cache');

/** An environment with nothing of the user's AWS setup and a fresh CCQL_HOME (but shared caches). */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'ccql-cli-'));
  mkdirSync(SHARED_CACHE, { recursive: true });
  symlinkSync(SHARED_CACHE, join(home, 'cache'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('AWS_') || k.startsWith('CCQL_') || k === 'CI' || k.startsWith('VITEST')) continue;
    env[k] = v;
  }
  return {
    ...env,
    CCQL_HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    ...extra,
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/ccql.js ...args`, with `input` on stdin (stdin is closed either way). */
export function runCli(args: string[], options: { env: Record<string, string>; input?: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ccql ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * A system tool the test needs: when missing, a failure under CI=true (so CI cannot silently
 * skip the test) and otherwise a skip with the reason printed.
 */
export function requireTool(name: string, versionArgs: string[] = ['-V']): { available: boolean; reason?: string } {
  const r = spawnSync(name, versionArgs, { encoding: 'utf8' });
  if (!r.error && r.status === 0) return { available: true };
  const reason = `${name} is not installed (apt-get install -y ${name})`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have it`);
  console.warn(`skipping: ${reason}`);
  return { available: false, reason };
}

/** A tmux session running a command in an 120x40 pseudo-terminal. */
export class Tmux {
  private readonly socket: string;
  readonly name = 'ccql';

  constructor(command: string[], env: Record<string, string>) {
    this.socket = join(mkdtempSync(join(tmpdir(), 'ccql-tmux-')), 'sock');
    // A shell around the command prints its exit status and keeps the pane open to be read:
    // tmux's own pane_dead_status is not dependable (it can leave the exited child unreaped).
    const wrapped = ['sh', '-c', '"$@"; echo "[exited $?]"; exec sleep 3600', 'sh', ...command];
    // The tmux server, started by this first command, passes its own environment to the pane.
    this.tmux(['new-session', '-d', '-s', this.name, '-x', '120', '-y', '40', '-c', ROOT, ...wrapped], env);
  }

  private tmux(args: string[], env?: Record<string, string>): string {
    const r = spawnSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', ...(env ? { env } : {}) });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Types literal text. */
  type(text: string): void {
    // tmux reads an argument ending in ';' as a command separator; '\\;' is a literal ';'.
    this.tmux(['send-keys', '-t', this.name, '-l', text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text]);
  }

  /** Presses keys by tmux name: Enter, Tab, C-c, C-d, Up. */
  press(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.name, '-S', '-200']);
  }

  /** The command's exit status once it has exited. */
  exitStatus(): number | undefined {
    const m = /\[exited (\d+)\]/.exec(this.screen());
    return m ? Number(m[1]) : undefined;
  }

  /** Waits until `predicate(screen)` holds; throws with the screen when it never does. */
  async waitFor(predicate: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (predicate(s)) return s;
      const exited = this.exitStatus();
      if (exited !== undefined && !predicate(this.screen())) throw new Error(`the program exited (${exited}) while waiting for ${what}; screen:\n${s}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server']);
  }
}

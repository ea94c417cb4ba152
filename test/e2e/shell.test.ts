/**
 * `ccql shell` end to end: the built CLI over piped stdin, and in a real pseudo-terminal (tmux)
 * for what only a terminal has: prompts, Tab completion, Ctrl-C, history.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, ROOT, Tmux, ensureBuilt, isolatedEnv, requireTool, runCli } from './cli-helpers.js';

let emulator: RunningEmulator;
/** Holds every API call for a minute: a statement against it runs until cancelled. */
let slow: RunningEmulator;
const env = isolatedEnv();

beforeAll(async () => {
  [emulator, slow] = await Promise.all([
    startEmulator({ port: 0, seed: 'demo', quiet: true }),
    startEmulator({ port: 0, seed: 'demo', quiet: true, latencyMs: 60_000 }),
    ensureBuilt(),
  ]);
});

afterAll(async () => {
  await Promise.all([emulator?.stop(), slow?.stop()]);
});

describe('ccql shell with piped stdin', () => {
  it('runs multi-line statements, \\help, keeps going after an error, stops at \\q, exits 1', async () => {
    const input = [
      'SELECT name',
      '  FROM aws.ivs.stages',
      "  WHERE region = 'us-west-2'",
      '  ORDER BY name',
      ';',
      'SHOW RESOURCES IN aws.ivz;',
      '\\help',
      "SHOW RESOURCES IN aws.ivs LIKE 'channels'; SHOW RESOURCES IN aws.ivs LIKE 'stream_keys';",
      '\\q',
      "SHOW RESOURCES IN aws.ivs LIKE 'stages';",
    ].join('\n');
    const r = await runCli(['shell', '--endpoint-url', emulator.url, '-o', 'text'], { env, input });
    expect(r.code).toBe(1);
    const help = r.stdout.indexOf('Statements end with ;');
    expect(help).toBeGreaterThan(0);
    expect(r.stdout.slice(0, help)).toBe('game-night-west\nsupport-office-hours-west\ntownhall-west\n');
    expect(r.stdout.slice(help)).toContain('\\q                  quit');
    expect(r.stdout.endsWith('channels\taws.ivs.channels\tAWS::IVS::Channel\nstream_keys\taws.ivs.stream_keys\tAWS::IVS::StreamKey\n')).toBe(true);
    // no prompts or banner without a terminal; the error went to stderr and the shell went on
    expect(r.stdout).not.toContain('ccql=>');
    // the statement is on line 6 of the input
    expect(r.stderr).toBe("error: unknown service 'aws.ivz'\n  at 6:19\nhint: did you mean 'aws.ivs'?\n");
  });

  // Regression: the error said line 1 (the line within the statement), whatever line of the script it was on.
  it('reports where in the script a failing statement is', async () => {
    const r = await runCli(['shell', '--local', '-o', 'text'], { env, input: 'SELECT 1;\nSELECT nope FROM aws.ivs.stages;\n' });
    expect(r).toEqual({ code: 1, stdout: '1\n', stderr: 'error: column "nope" does not exist in aws.ivs.stages\n  at 2:8\nhint: did you mean "name"?\n' });
  });

  it('exits 0 at end of input when every statement succeeded, running a last one without ;', async () => {
    const r = await runCli(['shell', '--endpoint-url', emulator.url, '-o', 'csv'], { env, input: "SHOW RESOURCES IN aws.ivs LIKE 'stages'" });
    expect(r).toEqual({ code: 0, stdout: 'name,id,type\r\nstages,aws.ivs.stages,AWS::IVS::Stage\r\n', stderr: '' });
  });

  it('SIGINT stops the running statement and the script, exit 130', async () => {
    slow.resetStats();
    const child = spawn(process.execPath, [BIN, 'shell', '--endpoint-url', slow.url], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // stdin stays open: the shell would wait for more after this statement
    child.stdin.write("SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1';\nSHOW PROVIDERS;\n");
    while (slow.stats().total === 0) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('error: statement cancelled\n');
    expect(stdout).toBe('');
  });

  it('refuses --local with --endpoint-url (exit 2)', async () => {
    const r = await runCli(['shell', '--local', '--endpoint-url', emulator.url], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --local and --endpoint-url cannot be used together');
  });
});

const tmux = requireTool('tmux');

describe.skipIf(!tmux.available)('ccql shell in a terminal (tmux)', () => {
  const termEnv = isolatedEnv({ TERM: 'xterm-256color' });
  const historyPath = join(termEnv.CCQL_HOME!, 'history');

  it('completes names with Tab, clears the line on Ctrl-C, and keeps history', async () => {
    const t = new Tmux([process.execPath, BIN, 'shell', '--endpoint-url', emulator.url, '--region', 'us-east-1'], termEnv);
    try {
      await t.waitFor((s) => s.includes('ccql=>'), 'the prompt');
      expect(t.screen()).toContain(`ccql shell: ${emulator.url}, region us-east-1 (from --region). \\help for help, \\q to quit.`);

      // aws.iv<Tab> completes to the common prefix aws.ivs; a second Tab lists ivs., ivs_realtime. and ivschat.
      t.type('SELECT * FROM aws.iv');
      t.press('Tab');
      await t.waitFor((s) => s.includes('ccql=> SELECT * FROM aws.ivs'), 'aws.iv completed to aws.ivs');
      t.press('Tab');
      await t.waitFor((s) => /aws\.ivs\.\s+aws\.ivs_realtime\.\s+aws\.ivschat\./.test(s), 'the list of services starting with aws.ivs');
      t.type('.stag');
      t.press('Tab');
      await t.waitFor((s) => s.includes('SELECT * FROM aws.ivs.stages'), 'aws.ivs.stag completed to aws.ivs.stages');

      // Ctrl-C at the prompt drops the line
      t.press('C-c');
      await t.waitFor((s) => /SELECT \* FROM aws\.ivs\.stages\^C\nccql=>\s*$/.test(s), 'the line cancelled and a new prompt');

      // a statement over two lines, with the continuation prompt
      t.type('SHOW RESOURCES IN aws.ivs');
      t.press('Enter');
      await t.waitFor((s) => s.includes('ccql->'), 'the continuation prompt');
      t.type("LIKE 'stages';");
      t.press('Enter');
      await t.waitFor((s) => /\| stages +\| aws\.ivs\.stages +\| AWS::IVS::Stage +\|/.test(s), 'the result table');

      // Up recalls the two lines as one entry, and Enter runs them again
      t.press('Up');
      await t.waitFor((s) => /ccql=> SHOW RESOURCES IN aws\.ivs\nLIKE 'stages';\s*$/.test(s), 'the statement recalled whole');
      t.press('Enter');
      await t.waitFor((s) => s.match(/\| stages +\| aws\.ivs\.stages +\| AWS::IVS::Stage +\|/g)?.length === 2, 'the statement run again');

      // \x shows the next table expanded; \dryrun on shows in the prompt
      t.type('\\x');
      t.press('Enter');
      await t.waitFor((s) => s.includes('Expanded display is on.'), '\\x');
      t.type("SHOW RESOURCES IN aws.ivs LIKE 'channels';");
      t.press('Enter');
      await t.waitFor((s) => /-\[ RECORD 1 \]-+\nname \| channels\nid {3}\| aws\.ivs\.channels\ntype \| AWS::IVS::Channel\n/.test(s), 'the expanded record');
      t.type('\\dryrun on');
      t.press('Enter');
      await t.waitFor((s) => /dry-run is on: .*\nccql\[dry-run\]=> $/m.test(s.trimEnd() + ' '), 'the dry-run prompt');

      t.type('\\q');
      t.press('Enter');
      await t.waitFor(() => t.exitStatus() !== undefined, 'the shell to exit');
      expect(t.exitStatus()).toBe(0);
    } finally {
      t.kill();
    }

    expect(existsSync(historyPath)).toBe(true);
    expect(statSync(historyPath).mode & 0o777).toBe(0o600);
    // one entry per statement, its line break kept as psql keeps it (U+0001)
    expect(readFileSync(historyPath, 'utf8')).toBe(
      "SHOW RESOURCES IN aws.ivs\x01LIKE 'stages';\n\\x\nSHOW RESOURCES IN aws.ivs LIKE 'channels';\n\\dryrun on\n\\q\n",
    );

    // A new session recalls the previous one's statements with Up.
    const again = new Tmux([process.execPath, BIN, 'shell', '--endpoint-url', emulator.url], termEnv);
    try {
      await again.waitFor((s) => s.includes('ccql=>'), 'the prompt');
      again.press('Up', 'Up', 'Up', 'Up', 'Up');
      await again.waitFor((s) => /ccql=> SHOW RESOURCES IN aws\.ivs\nLIKE 'stages';\s*$/.test(s), 'the history recalled');
      again.press('C-c');
      again.press('C-d');
      await again.waitFor(() => again.exitStatus() !== undefined, 'the shell to exit on Ctrl-D');
      expect(again.exitStatus()).toBe(0);
    } finally {
      again.kill();
    }
  });

  it('Ctrl-C cancels a running statement, shows progress meanwhile, and the shell goes on', async () => {
    slow.resetStats();
    const t = new Tmux([process.execPath, BIN, 'shell', '--endpoint-url', slow.url, '-o', 'text'], termEnv);
    try {
      await t.waitFor((s) => s.includes('ccql=>'), 'the prompt');
      t.type("SELECT name FROM aws.ivs.stages WHERE region = 'us-east-1';");
      t.press('Enter');
      await t.waitFor(() => slow.stats().total > 0, 'the first API call to reach the emulator');
      await t.waitFor((s) => /aws\.ivs\.stages.*: 0\/1 calls/.test(s), 'the progress line');
      t.press('C-c');
      const after = await t.waitFor((s) => /error: statement cancelled\nccql=>\s*$/.test(s), 'the cancellation and a new prompt');
      expect(after).not.toMatch(/calls\s*\n/); // the progress line was erased
      t.type("SHOW RESOURCES IN aws.ivs LIKE 'stages';");
      t.press('Enter');
      await t.waitFor((s) => /stages\s+aws\.ivs\.stages\s+AWS::IVS::Stage/.test(s), 'the next statement to run');
      t.press('C-d');
      await t.waitFor(() => t.exitStatus() !== undefined, 'the shell to exit');
      expect(t.exitStatus()).toBe(0);
    } finally {
      t.kill();
    }
  });
});

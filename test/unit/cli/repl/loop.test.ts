import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Session } from '../../../../src/exec/session.js';
import { runShell } from '../../../../src/cli/repl/loop.js';
import type { OutputFormat } from '../../../../src/cli/format.js';

/** Runs the shell over piped input (no terminal) and collects what it writes. */
async function pipeShell(input: string, format: OutputFormat = 'text', session = new Session()): Promise<{ code: number; out: string; err: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const errors = { write: (s: string) => ((err += s), true) };
  stdin.end(input);
  const code = await runShell({ input: stdin, output: stdout, errors, terminal: false }, { session, format });
  return { code, out, err };
}

/**
 * The shell as on a terminal (readline in terminal mode over a stream): `type` sends keys and
 * waits until the screen (prompts, echo and results in the order written, without the cursor
 * movements) satisfies `until`.
 */
function terminalShell(historyFile: string) {
  const stdin = new PassThrough();
  const screenStream = new PassThrough();
  let screen = '';
  let err = '';
  screenStream.on('data', (d: Buffer) => (screen += stripVTControlCharacters(d.toString()).replace(/\r\n/g, '\n')));
  const errors = { write: (s: string) => ((err += s), true) };
  const done = runShell({ input: stdin, output: screenStream, errors, terminal: true, terminalOutput: screenStream }, { session: new Session(), format: 'text', historyFile });
  return {
    async type(keys: string, until: (screen: string) => boolean): Promise<void> {
      stdin.write(keys);
      for (let i = 0; i < 500 && !until(screen); i++) await new Promise((r) => setTimeout(r, 10));
      expect(until(screen), `screen: ${JSON.stringify(screen)}; errors: ${err}`).toBe(true);
    },
    screen: () => screen,
    async quit(): Promise<number> {
      stdin.write('\\q\r');
      return done;
    },
  };
}

const UP = '\x1b[A';
const stagesRow = 'stages\taws.ivs.stages\tAWS::IVS::Stage\n';

describe('shell over piped input', () => {
  it('runs statements split over lines, several per line, and one without a final ;', async () => {
    const r = await pipeShell("SHOW RESOURCES IN aws.ivs\n  LIKE 'stage%'\n;SHOW RESOURCES IN aws.ivs LIKE 'channels'; -- a comment\n\nSHOW RESOURCES IN aws.ivs LIKE 'stream_keys'");
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'stages\taws.ivs.stages\tAWS::IVS::Stage\n' +
        'channels\taws.ivs.channels\tAWS::IVS::Channel\n' +
        'stream_keys\taws.ivs.stream_keys\tAWS::IVS::StreamKey\n',
    );
  });

  it('reports an error, goes on, and exits with 1', async () => {
    const r = await pipeShell("SHOW RESOURCES IN aws.ivz;\nSHOW RESOURCES IN aws.ivs LIKE 'stages';\n");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error: unknown service 'aws.ivz'");
    expect(r.err).toContain("hint: did you mean 'aws.ivs'?");
    expect(r.out).toBe('stages\taws.ivs.stages\tAWS::IVS::Stage\n');
  });

  it('handles \\help, \\o and \\q, ignoring what follows \\q', async () => {
    const r = await pipeShell("\\help\n\\o json\nSHOW RESOURCES IN aws.ivs LIKE 'stages';\n\\q\nSHOW RESOURCES IN aws.ivz;\n");
    expect(r.code).toBe(0);
    expect(r.out).toContain('\\q                  quit');
    expect(r.out).toContain('output format: json\n');
    expect(r.out).toContain('{"name":"stages","id":"aws.ivs.stages","type":"AWS::IVS::Stage"}');
    expect(r.err).toBe('');
  });

  it('refuses an unknown backslash command and a bad format', async () => {
    const r = await pipeShell('\\z\n\\o xml\n');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: unknown command \\z');
    expect(r.err).toContain("error: \\o: unknown output format 'xml'");
  });

  it('\\r forgets a statement begun', async () => {
    const r = await pipeShell("SHOW RESOURCES IN\n\\r\nSHOW RESOURCES IN aws.ivs LIKE 'stages';\n");
    expect(r.code).toBe(0);
    expect(r.out).toBe('stages\taws.ivs.stages\tAWS::IVS::Stage\n');
  });

  it('separates YAML results as documents', async () => {
    const r = await pipeShell("SHOW RESOURCES IN aws.ivs LIKE 'stages'; SHOW RESOURCES IN aws.ivs LIKE 'channels';", 'yaml');
    expect(r.out.split('\n---\n')).toHaveLength(2);
  });
});

describe('error positions in piped input', () => {
  // Regression: every error said line 1, the line within the statement.
  it('name the line of the script, counting every line read before', async () => {
    const r = await pipeShell("SHOW PROVIDERS;\n\\o text\n-- a comment\n\nSELECT name,\n       nope FROM aws.ivs.stages WHERE region = 'us-east-1';\n");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: column "nope" does not exist in aws\.ivs\.stages\n {2}at 6:8\n/);
  });

  it('count from where a statement starts after another on the same line', async () => {
    const r = await pipeShell("SHOW PROVIDERS;\nSHOW PROVIDERS; SHOW RESOURCES\n  IN aws.ivz;\nSHOW PROVIDERS; SHOW RESOURCES IN aws.ivz;\n");
    expect(r.err).toBe(
      "error: unknown service 'aws.ivz'\n  at 3:6\nhint: did you mean 'aws.ivs'?\n" + "error: unknown service 'aws.ivz'\n  at 4:35\nhint: did you mean 'aws.ivs'?\n",
    );
  });

  it('and for a last statement without ;', async () => {
    const r = await pipeShell('SHOW PROVIDERS;\n\n   SHOW RESOURCES IN aws.ivz');
    expect(r.err).toContain("error: unknown service 'aws.ivz'\n  at 3:22\n");
  });
});

describe('\\x: expanded display', () => {
  const query = "SHOW RESOURCES IN aws.ivs LIKE 'stages';\n";
  const expanded = '-[ RECORD 1 ]---------\nname | stages\nid   | aws.ivs.stages\ntype | AWS::IVS::Stage\n';

  it('on, off, and toggled by \\x alone, as in psql', async () => {
    const r = await pipeShell(`\\x on\n${query}\\x off\n${query}\\x\n${query}\\x\n`, 'table');
    expect(r.err).toBe('');
    const table = '+--------+----------------+-----------------+\n';
    expect(r.out).toBe(
      'Expanded display is on.\n' +
        expanded +
        'Expanded display is off.\n' +
        `${table}| name   | id             | type            |\n${table}| stages | aws.ivs.stages | AWS::IVS::Stage |\n${table}` +
        'Expanded display is on.\n' +
        expanded +
        'Expanded display is off.\n',
    );
  });

  it('auto: expanded only for a table wider than the terminal', async () => {
    const session = new Session();
    const run = async (columns: number): Promise<string> => {
      const stdin = new PassThrough();
      const stdout = Object.assign(new PassThrough(), { isTTY: true, columns });
      let out = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      stdin.end(`\\x auto\n${query}`);
      await runShell({ input: stdin, output: stdout, errors: { write: () => true }, terminal: false }, { session, format: 'table' });
      return out;
    };
    expect(await run(40)).toBe(`Expanded display is used automatically.\n${expanded}`);
    expect(await run(120)).toMatch(/^Expanded display is used automatically\.\n\+-/);
  });

  it('refuses another value, and leaves formats other than table alone', async () => {
    const r = await pipeShell(`\\x maybe\n\\x on\n${query}`, 'text');
    expect(r.code).toBe(1);
    expect(r.err).toBe("error: \\x: expected on, off or auto, not 'maybe'\nhint: \\x alone switches between on and off\n");
    expect(r.out).toBe(`Expanded display is on.\n${stagesRow}`);
  });

  it('is in \\help', async () => {
    expect((await pipeShell('\\help\n')).out).toMatch(/\\x \[on\|off\|auto\] +expanded table display/);
  });
});

describe('\\dryrun', () => {
  it('turns dry-run on and off for the statements that follow, and shows it', async () => {
    const session = new Session();
    const r = await pipeShell("\\dryrun\n\\dryrun on\nSELECT name FROM aws.ivs.stages WHERE region = 'us-east-1';\n\\dryrun\n\\dryrun off\n", 'text', session);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('dry-run is off: statements make their API calls');
    expect(lines[1]).toBe('dry-run is on: statements print the API calls they would make, and make none');
    // the plan, not rows: no endpoint is configured, so a real call could not have succeeded
    expect(lines[2]).toMatch(/^1\tListResources\tus-east-1\tAWS::IVS::Stage\t/);
    expect(lines.at(-3)).toBe('dry-run is on: statements print the API calls they would make, and make none');
    expect(lines.at(-2)).toBe('dry-run is off: statements make their API calls');
    expect(session.options.dryRun).toBe(false);
  });

  it('refuses another value, and is in \\help', async () => {
    const r = await pipeShell('\\dryrun maybe\n\\help\n');
    expect(r.err).toBe("error: \\dryrun: expected on or off, not 'maybe'\nhint: \\dryrun alone shows whether it is on\n");
    expect(r.out).toMatch(/\\dryrun \[on\|off\] +show or set dry-run/);
  });

  it('shows in the prompt while it is on', async () => {
    const t = terminalShell(join(mkdtempSync(join(tmpdir(), 'ccql-shell-')), 'history'));
    await t.type('', (s) => s.endsWith('ccql=> '));
    await t.type('\\dryrun on\r', (s) => s.endsWith('ccql[dry-run]=> '));
    await t.type('SHOW PROVIDERS\r', (s) => s.endsWith('ccql[dry-run]-> '));
    await t.type(';\r', (s) => s.endsWith('ccql[dry-run]=> '));
    await t.type('\\dryrun off\r', (s) => s.endsWith('statements make their API calls\nccql=> '));
    expect(await t.quit()).toBe(0);
  });
});

describe('history of a terminal session', () => {
  // Regression: each line of a statement was an entry of its own, in the session and in the file.
  it('keeps a statement typed over several lines as one entry, recalled whole by Up', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ccql-shell-')), 'history');
    const t = terminalShell(file);
    await t.type('', (s) => s.endsWith('ccql=> '));
    await t.type('SHOW RESOURCES IN aws.ivs\r', (s) => s.endsWith('ccql-> '));
    await t.type("  LIKE 'stages';\r", (s) => s.endsWith(`${stagesRow}ccql=> `));
    expect(readFileSync(file, 'utf8')).toBe("SHOW RESOURCES IN aws.ivs\x01  LIKE 'stages';\n");
    // Up brings back both lines; run again, it is still one entry
    await t.type(UP, (s) => s.endsWith("ccql=> SHOW RESOURCES IN aws.ivs\n  LIKE 'stages';"));
    await t.type('\r', (s) => s.split(stagesRow).length === 3 && s.endsWith('ccql=> '));
    await t.type("SHOW RESOURCES IN aws.ivs LIKE 'channels'; SHOW\r", (s) => s.endsWith('ccql-> '));
    await t.type("  RESOURCES IN aws.ivs LIKE 'stages';\r", (s) => s.split(stagesRow).length === 4 && s.endsWith('ccql=> '));
    expect(await t.quit()).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      "SHOW RESOURCES IN aws.ivs\x01  LIKE 'stages';\n" + "SHOW RESOURCES IN aws.ivs LIKE 'channels'; SHOW\x01  RESOURCES IN aws.ivs LIKE 'stages';\n" + '\\q\n',
    );
  });

  it('keeps the lines of a statement abandoned with \\r', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ccql-shell-')), 'history');
    const t = terminalShell(file);
    await t.type('', (s) => s.endsWith('ccql=> '));
    await t.type('SELECT name\r', (s) => s.endsWith('ccql-> '));
    await t.type('  FROM\r', (s) => s.endsWith('ccql-> '));
    await t.type('\\r\r', (s) => s.endsWith('ccql=> '));
    expect(await t.quit()).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('SELECT name\x01  FROM\n\\r\n\\q\n');
  });
});

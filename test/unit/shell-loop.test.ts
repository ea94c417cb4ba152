import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/exec/session.js';
import { runShell } from '../../src/cli/repl/loop.js';
import type { OutputFormat } from '../../src/cli/format.js';

/** Runs the shell over piped input (no terminal) and collects what it writes. */
async function pipeShell(input: string, format: OutputFormat = 'text'): Promise<{ code: number; out: string; err: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const errors = { write: (s: string) => ((err += s), true) };
  stdin.end(input);
  const code = await runShell({ input: stdin, output: stdout, errors, terminal: false }, { session: new Session(), format });
  return { code, out, err };
}

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
    const r = await pipeShell('\\x\n\\o xml\n');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: unknown command \\x');
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

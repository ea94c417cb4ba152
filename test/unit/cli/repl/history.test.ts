import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HISTORY_SIZE, loadHistory, saveHistory } from '../../../../src/cli/repl/history.js';

const dir = mkdtempSync(join(tmpdir(), 'ccql-history-'));

describe('shell history file', () => {
  it('saves oldest first, owner-only, and loads newest first', () => {
    const file = join(dir, 'sub', 'history');
    expect(saveHistory(file, ['third;', 'second', 'first'])).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('first\nsecond\nthird;\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadHistory(file)).toEqual(['third;', 'second', 'first']);
  });

  it('keeps at most HISTORY_SIZE entries, the newest', () => {
    const file = join(dir, 'big');
    const newestFirst = Array.from({ length: HISTORY_SIZE + 50 }, (_, i) => `stmt ${HISTORY_SIZE + 49 - i}`);
    saveHistory(file, newestFirst);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(HISTORY_SIZE);
    expect(lines[0]).toBe('stmt 50');
    expect(lines.at(-1)).toBe(`stmt ${HISTORY_SIZE + 49}`);
    writeFileSync(file, Array.from({ length: HISTORY_SIZE + 10 }, (_, i) => `l${i}`).join('\n'));
    const loaded = loadHistory(file);
    expect(loaded).toHaveLength(HISTORY_SIZE);
    expect(loaded[0]).toBe(`l${HISTORY_SIZE + 9}`);
  });

  it('has no history when the file is missing, and reports a file it cannot write', () => {
    expect(loadHistory(join(dir, 'missing'))).toEqual([]);
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    expect(saveHistory(join(blocker, 'history'), ['x'])).toBeInstanceOf(Error);
  });

  // Regression: the lines of a statement were entries of their own (and a multi-line entry would have split into several).
  it('keeps an entry of several lines as one line of the file, and reads it back whole', () => {
    const file = join(dir, 'multi');
    expect(saveHistory(file, ['\\q', "SELECT name\n  FROM aws.ivs.stages\r\n WHERE region = 'us-east-1';"])).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe("SELECT name\x01  FROM aws.ivs.stages\x01 WHERE region = 'us-east-1';\n\\q\n");
    expect(loadHistory(file)).toEqual(['\\q', "SELECT name\n  FROM aws.ivs.stages\n WHERE region = 'us-east-1';"]);
  });
});

/**
 * writeFileAtomic: what it writes is its owner's only (files 0600, new directories 0700, and a
 * `$CCQL_HOME` an older ccql left open narrowed to 0700), and a failed write leaves the target
 * as it was with no temporary file behind.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdirPrivate, writeFileAtomic } from '../../src/fs-atomic.js';

const root = mkdtempSync(join(tmpdir(), 'ccql-fs-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);

let saved: string | undefined;
beforeEach(() => {
  saved = process.env.CCQL_HOME;
});
afterEach(() => {
  if (saved === undefined) delete process.env.CCQL_HOME;
  else process.env.CCQL_HOME = saved;
});

describe('writeFileAtomic', () => {
  it('creates files 0600 and missing directories 0700 by default', () => {
    const file = join(root, 'plain', 'a', 'b', 'data.json');
    writeFileAtomic(file, '{"x":1}');
    expect(readFileSync(file, 'utf8')).toBe('{"x":1}');
    expect(mode(file)).toBe('600');
    expect(mode(join(root, 'plain', 'a', 'b'))).toBe('700');
    expect(mode(join(root, 'plain', 'a'))).toBe('700');
  });

  it('replaces a file that was readable by others with an owner-only one', () => {
    const file = join(root, 'replace.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    chmodSync(file, 0o644);
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(mode(file)).toBe('600');
  });

  it('narrows $CCQL_HOME and the directories down to the file, but not a symbolic link in it', () => {
    const home = join(root, 'home');
    mkdirSync(join(home, 'cache'), { recursive: true });
    chmodSync(home, 0o755);
    chmodSync(join(home, 'cache'), 0o755);
    const shared = join(root, 'shared-cache');
    mkdirSync(shared);
    chmodSync(shared, 0o755);
    symlinkSync(shared, join(home, 'linked'));
    process.env.CCQL_HOME = home;

    writeFileAtomic(join(home, 'cache', 'providers', 'ivs.json'), '{}');
    expect(mode(home)).toBe('700');
    expect(mode(join(home, 'cache'))).toBe('700');
    expect(mode(join(home, 'cache', 'providers'))).toBe('700');
    expect(mode(join(home, 'cache', 'providers', 'ivs.json'))).toBe('600');

    writeFileAtomic(join(home, 'linked', 'x.json'), '{}');
    expect(mode(shared)).toBe('755'); // the user's own arrangement
    expect(mode(join(shared, 'x.json'))).toBe('600');
  });

  it('leaves directories outside $CCQL_HOME as they are', () => {
    process.env.CCQL_HOME = join(root, 'elsewhere-home');
    const dir = join(root, 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    writeFileAtomic(join(dir, 'f.txt'), 'x');
    expect(mode(dir)).toBe('755');
    expect(mode(join(dir, 'f.txt'))).toBe('600');
  });

  it('mkdirPrivate creates the home itself 0700', () => {
    const home = join(root, 'fresh-home');
    process.env.CCQL_HOME = home;
    mkdirPrivate(join(home, 'local'));
    expect(mode(home)).toBe('700');
    expect(mode(join(home, 'local'))).toBe('700');
  });

  it('on a failed write, leaves the target untouched and no temporary file', () => {
    const dir = join(root, 'fail');
    mkdirSync(dir);
    // The target is a directory: the final rename fails after the temporary file was written.
    const target = join(dir, 'state.json');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'kept');
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('kept');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});

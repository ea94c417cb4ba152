/**
 * The client tokens of creations in flight, so that a build killed after sending a
 * CreateResource and rerun sends the same request again (the same ClientToken with the same
 * desired state), which Cloud Control answers with the first request instead of making a second
 * resource. An entry is written (atomically, before the request is sent) and removed once the
 * request has finished, so a finished creation is never replayed: a later build after a teardown
 * makes a new resource.
 *
 * Kept in $CCQL_HOME/deploy/, one file per stack directory, environment and endpoint.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs-atomic.js';

interface Entry {
  token: string;
  fingerprint: string;
  at: string;
}

interface JournalFile {
  version: 1;
  entries: Record<string, Entry>;
}

export class Journal {
  private readonly file: string;
  private data: JournalFile;

  constructor(dir: string, key: string) {
    this.file = join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`);
    this.data = read(this.file);
  }

  /** The token for creation `key` of `fingerprint`: the one in flight for the same request, else a new one (recorded before it is returned). */
  tokenFor(key: string, fingerprint: string): { token: string; replay: boolean } {
    const found = this.data.entries[key];
    if (found && found.fingerprint === fingerprint) return { token: found.token, replay: true };
    const prefix = createHash('sha256').update(key).digest('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
    const token = `ccql-${prefix}-${randomBytes(12).toString('hex')}`;
    this.data.entries[key] = { token, fingerprint, at: new Date().toISOString() };
    this.save();
    return { token, replay: false };
  }

  /** The request finished (whatever its outcome): its token is not to be sent again. */
  done(key: string): void {
    if (!(key in this.data.entries)) return;
    delete this.data.entries[key];
    this.save();
  }

  private save(): void {
    writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
  }
}

function read(file: string): JournalFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as JournalFile;
    if (parsed && parsed.version === 1 && typeof parsed.entries === 'object' && parsed.entries !== null) return parsed;
  } catch {
    // Missing or unreadable: start empty (the worst case is a creation not recognised as a retry).
  }
  return { version: 1, entries: {} };
}

/** What a creation's token is bound to: the same type, region and desired state. */
export function fingerprintOf(typeName: string, region: string, desiredState: unknown): string {
  return createHash('sha256').update(`${typeName}\u0000${region}\u0000${canonical(desiredState)}`).digest('hex');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

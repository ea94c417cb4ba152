/**
 * Resource files (`resources/<name>.iql`): SQL under anchors, one anchor per step of the
 * lifecycle, each optionally with retries:
 *
 *   /*+ exists *\/                       is it there? (rows, or a `count` column as stackql-deploy writes it)
 *   /*+ create *\/                       INSERT …
 *   /*+ update *\/                       UPDATE … (when it exists and is not in its desired state)
 *   /*+ createorupdate *\/               instead of create and update
 *   /*+ statecheck, retries=5, retry_delay=2 *\/   is it in its desired state?
 *   /*+ exports *\/                      one row: the values later resources use
 *   /*+ delete *\/                       DELETE …
 *   /*+ command *\/                      the statement of a command resource
 *
 * stackql-deploy's older names `preflight` (exists) and `postdeploy` (statecheck) are read too.
 * An anchor starts a line; the SQL under it runs until the next anchor.
 */
import { CcqlError, suggest } from '../errors.js';

export const ANCHORS = ['exists', 'create', 'update', 'createorupdate', 'statecheck', 'exports', 'delete', 'command'] as const;
export type AnchorName = (typeof ANCHORS)[number];

const ALIASES: Readonly<Record<string, AnchorName>> = { preflight: 'exists', postdeploy: 'statecheck' };

export interface Anchor {
  name: AnchorName;
  /** The SQL template under the anchor. */
  text: string;
  /** The line of the file the text starts on (1-based). */
  line: number;
  /** The line of the anchor itself. */
  anchorLine: number;
  /** Attempts: 1 + retries. */
  retries: number;
  /** Seconds before the first retry; each later one waits twice as long. */
  retryDelay: number;
}

export interface ResourceFile {
  file: string;
  anchors: Map<AnchorName, Anchor>;
}

export function parseResourceFile(text: string, file: string): ResourceFile {
  const anchors = new Map<AnchorName, Anchor>();
  const lines = text.split(/\r?\n/);
  let current: { name: AnchorName; retries: number; retryDelay: number; line: number; anchorLine: number; body: string[] } | undefined;
  const flush = (): void => {
    if (!current) return;
    const body = current.body.join('\n').replace(/\s+$/, '');
    if (body.trim() === '') {
      throw new CcqlError('manifest', `the anchor /*+ ${current.name} */ has no SQL under it`, { location: { file, line: current.anchorLine, column: 1 }, hint: 'write the statement on the lines after the anchor, or remove the anchor' });
    }
    anchors.set(current.name, { name: current.name, text: body, line: current.line, anchorLine: current.anchorLine, retries: current.retries, retryDelay: current.retryDelay });
  };
  lines.forEach((line, i) => {
    const m = /^\s*\/\*\+(.*?)\*\/(.*)$/.exec(line);
    if (!m) {
      if (current) current.body.push(line);
      else if (line.trim() !== '' && !line.trim().startsWith('--')) {
        throw new CcqlError('manifest', 'SQL before the first anchor is not part of any step', {
          location: { file, line: i + 1, column: 1 },
          hint: `start the file with an anchor such as /*+ exists */; anchors: ${ANCHORS.join(', ')}`,
        });
      }
      return;
    }
    flush();
    const parsed = parseAnchor(m[1]!, file, i + 1);
    if (anchors.has(parsed.name)) {
      throw new CcqlError('manifest', `the anchor /*+ ${parsed.name} */ appears twice`, { location: { file, line: i + 1, column: 1 }, hint: `line ${anchors.get(parsed.name)!.anchorLine} has it already` });
    }
    // Text after the anchor on the same line belongs to it.
    current = { ...parsed, line: i + 1, anchorLine: i + 1, body: m[2]!.trim() === '' ? [] : [m[2]!] };
    if (current.body.length === 0) current.line = i + 2;
  });
  flush();
  if (anchors.has('createorupdate') && (anchors.has('create') || anchors.has('update'))) {
    const a = anchors.get('createorupdate')!;
    throw new CcqlError('manifest', '/*+ createorupdate */ replaces /*+ create */ and /*+ update */: give one or the other', { location: { file, line: a.anchorLine, column: 1 } });
  }
  return { file, anchors };
}

function parseAnchor(inside: string, file: string, line: number): { name: AnchorName; retries: number; retryDelay: number } {
  const parts = inside.split(',').map((s) => s.trim());
  const word = (parts[0] ?? '').toLowerCase();
  const name = (ANCHORS as readonly string[]).includes(word) ? (word as AnchorName) : ALIASES[word];
  if (!name) {
    const near = suggest(word, [...ANCHORS, ...Object.keys(ALIASES)]);
    throw new CcqlError('manifest', `unknown anchor /*+ ${parts[0] ?? ''} */`, {
      location: { file, line, column: 1 },
      hint: `${near ? `did you mean ${near}? ` : ''}anchors: ${ANCHORS.join(', ')}`,
    });
  }
  let retries = 1;
  let retryDelay = 1;
  for (const opt of parts.slice(1)) {
    if (opt === '') continue;
    const kv = /^(\w+)\s*=\s*([0-9.]+)$/.exec(opt);
    const key = kv?.[1]?.toLowerCase();
    const value = kv ? Number(kv[2]) : NaN;
    if (key === 'retries' && Number.isInteger(value) && value >= 0 && value <= 100) retries = Math.max(1, value);
    else if (key === 'retry_delay' && Number.isFinite(value) && value >= 0 && value <= 3600) retryDelay = value;
    else {
      throw new CcqlError('manifest', `the anchor option '${opt}' is not valid`, {
        location: { file, line, column: 1 },
        hint: 'options are retries=N (attempts, 0–100) and retry_delay=S (seconds, 0–3600), e.g. /*+ statecheck, retries=5, retry_delay=2 */',
      });
    }
  }
  return { name, retries, retryDelay };
}

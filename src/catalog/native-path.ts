/**
 * Paths into a native operation's output, in the small JSONPath subset the provider format uses:
 * `$` (the whole output), `.member` and `[*]` (every item of a list or value of a map), e.g.
 * `$.Fleets`, `$.channel.srt.passphrase`, `$.participantTokens[*].token`.
 */

export type PathStep = { kind: 'member'; name: string } | { kind: 'all' };

const STEP = /^(?:\.([A-Za-z_$][A-Za-z0-9_$-]*)|\[\*\])/;

/** The steps of `text`, or a message saying what is wrong with it. */
export function parseOutputPath(text: string): PathStep[] | string {
  if (!text.startsWith('$')) return `'${text}' must start with $ (the output), e.g. $.Fleets`;
  const steps: PathStep[] = [];
  let rest = text.slice(1);
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return `'${text}' is not a path: expected .member or [*] at '${rest}'`;
    steps.push(m[1] !== undefined ? { kind: 'member', name: m[1] } : { kind: 'all' });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

/** Steps of a path the loader has validated (throws on a bad one: a bug, not bad input). */
export function outputPath(text: string): PathStep[] {
  const steps = parseOutputPath(text);
  if (typeof steps === 'string') throw new Error(steps);
  return steps;
}

/** Every value the path reaches (none where a member is missing). */
export function selectPath(value: unknown, steps: readonly PathStep[]): unknown[] {
  let current: unknown[] = [value];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (isRecord(v)) next.push(...Object.values(v));
      } else if (isRecord(v) && Object.prototype.hasOwnProperty.call(v, step.name) && v[step.name] !== undefined) {
        next.push(v[step.name]);
      }
    }
    current = next;
  }
  return current;
}

/** The one value a path without `[*]` reaches, or undefined. */
export function valueAt(value: unknown, steps: readonly PathStep[]): unknown {
  return selectPath(value, steps)[0];
}

/** A copy of `value` with every value the path reaches replaced by `replace(it)`. */
export function replaceAtPath(value: unknown, steps: readonly PathStep[], replace: (v: unknown) => unknown): unknown {
  if (steps.length === 0) return replace(value);
  const [head, ...rest] = steps as [PathStep, ...PathStep[]];
  if (head.kind === 'all') {
    if (Array.isArray(value)) return value.map((v) => replaceAtPath(v, rest, replace));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceAtPath(v, rest, replace)]));
    return value;
  }
  if (!isRecord(value) || value[head.name] === undefined) return value;
  return { ...value, [head.name]: replaceAtPath(value[head.name], rest, replace) };
}

/** `$.a[*].b` starts with `$.a`: the steps of `path` after `prefix`, or undefined when it does not. */
export function pathAfter(path: readonly PathStep[], prefix: readonly PathStep[]): PathStep[] | undefined {
  if (prefix.length > path.length) return undefined;
  for (let i = 0; i < prefix.length; i++) {
    const a = path[i]!;
    const b = prefix[i]!;
    if (a.kind !== b.kind || (a.kind === 'member' && b.kind === 'member' && a.name !== b.name)) return undefined;
  }
  return path.slice(prefix.length);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

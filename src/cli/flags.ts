/** Parsers of command-line flag values, shared by the commands; each bad value is a usage error naming the flag. */
import { InvalidArgumentError } from 'commander';
import { CcqlError } from '../errors.js';

/** A repeatable flag (`--var K=V --var K2=V2`): every value, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A whole number of at least 1, for commander's option parser. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

/** A number in a range, or a usage error saying which flag and what it takes. */
export function numberFlag(flag: string, value: string, opts: { integer?: boolean; min: number; max?: number }): number {
  const n = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(n) && (!opts.integer || Number.isInteger(n)) && n >= opts.min && (opts.max === undefined || n <= opts.max);
  if (!ok) {
    const range = opts.max === undefined ? `${opts.min} or more` : `from ${opts.min} to ${opts.max}`;
    throw new CcqlError('usage', `invalid value '${value}' for ${flag}`, { hint: `give ${opts.integer ? 'an integer' : 'a number'} ${range}` });
  }
  return n;
}

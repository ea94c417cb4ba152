/**
 * What a connection starts with: the ParameterStatus values a PostgreSQL 15 server reports
 * (every one of the 13, as drivers read them: JDBC refuses a client_encoding other than UTF8,
 * psql reads server_version for its banner and its catalog queries), and the settings of the
 * startup packet, applied to the engine session before the first statement.
 */

/** The server_version reported: the PostgreSQL whose protocol and catalog queries clients may use. */
export const SERVER_VERSION = '15.13 (ccql)';

/** Startup packet fields that are not settings. */
const NOT_SETTINGS = new Set(['user', 'database', 'options', 'replication', 'client_encoding']);

/** The 13 parameters PostgreSQL 15 reports, in the order it sends them. */
export function startupParameters(user: string, params: ReadonlyMap<string, string>, serverVersion: string): Map<string, string> {
  const settings = new Map(startupSettings(params));
  return new Map([
    ['application_name', params.get('application_name') ?? ''],
    ['client_encoding', 'UTF8'],
    ['DateStyle', 'ISO, MDY'],
    ['default_transaction_read_only', 'off'],
    ['in_hot_standby', 'off'],
    ['integer_datetimes', 'on'],
    ['IntervalStyle', 'postgres'],
    // The client is no superuser of anything: see the security model in docs/server.md.
    ['is_superuser', 'off'],
    ['server_encoding', 'UTF8'],
    ['server_version', serverVersion],
    ['session_authorization', user],
    ['standard_conforming_strings', 'on'],
    ['TimeZone', settings.get('TimeZone') ?? 'UTC'],
  ]);
}

/**
 * Settings to apply: ccql's defaults (UTC, ISO dates), then the startup packet's own
 * (`TimeZone`, `extra_float_digits`, … as JDBC sends them) and its `options` (`-c name=value`).
 */
export function startupSettings(params: ReadonlyMap<string, string>): Array<[string, string]> {
  const out = new Map<string, string>([
    ['TimeZone', 'UTC'],
    ['DateStyle', 'ISO, MDY'],
    ['IntervalStyle', 'postgres'],
  ]);
  for (const [k, v] of params) {
    if (NOT_SETTINGS.has(k)) continue;
    out.set(canonical(k), v);
  }
  for (const [k, v] of parseOptions(params.get('options') ?? '')) out.set(canonical(k), v);
  // DateStyle: the output style stays ISO (the wire's timestamps are written that way); the order may change.
  const ds = out.get('DateStyle');
  if (ds !== undefined && !/iso/i.test(ds)) out.set('DateStyle', `ISO, ${/dmy/i.test(ds) ? 'DMY' : /ymd/i.test(ds) ? 'YMD' : 'MDY'}`);
  return [...out];
}

function canonical(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'timezone' ? 'TimeZone' : lower === 'datestyle' ? 'DateStyle' : lower === 'intervalstyle' ? 'IntervalStyle' : name;
}

/** `-c a=b --c=d` (backslash escapes a space) → pairs, as the backend reads `options`. */
export function parseOptions(options: string): Array<[string, string]> {
  const words: string[] = [];
  let cur = '';
  for (let i = 0; i < options.length; i++) {
    const c = options[i]!;
    if (c === '\\' && i + 1 < options.length) cur += options[++i];
    else if (/\s/.test(c)) {
      if (cur) words.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) words.push(cur);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    if (w === '-c') w = words[++i] ?? '';
    else if (w.startsWith('-c')) w = w.slice(2);
    else if (w.startsWith('--')) w = w.slice(2);
    else continue;
    const eq = w.indexOf('=');
    if (eq > 0) out.push([w.slice(0, eq).replace(/-/g, '_'), w.slice(eq + 1)]);
  }
  return out;
}

/**
 * The one error type of ccql. Every failure a user can cause or meet (bad SQL, an unknown
 * table, a malformed provider file, an AWS error) becomes a CcqlError; cli/ and server/ are the
 * only places that render it (as text on stderr, or as a Postgres ErrorResponse).
 */

/**
 * Where in the user's input the problem is. Any subset may be known. Code below the session
 * (sql/, plan/, exec/) sets only `offset`, relative to the statement it works on; the session
 * turns that into the script's offset, line and column, and the front end adds the file.
 */
export interface ErrorLocation {
  /** A file path, or a label such as "<command line>". */
  file?: string;
  /** 0-based string offset: in the statement until the session places it in the script. */
  offset?: number;
  /** 1-based line and column in the script. */
  line?: number;
  column?: number;
  /** A path inside a structured document, e.g. "resources.stages.columns[2].type". */
  path?: string;
}

export type ErrorCode =
  | 'usage' // bad flags or arguments: exit code 2
  | 'syntax' // the SQL or statement does not parse
  | 'unknown_name' // provider/service/resource/column/method not found
  | 'invalid_input' // a value that parses but is not acceptable (bad JSON, missing property…)
  | 'provider_file' // a provider YAML file that does not validate
  | 'manifest' // a deploy manifest problem
  | 'template' // Handlebars rendering (undefined variable, bad helper use)
  | 'aws' // an error returned by an AWS API
  | 'request_failed' // a Cloud Control request that ended FAILED
  | 'engine' // the SQL engine rejected the statement
  | 'not_supported' // a known limitation
  | 'cancelled'
  | 'internal';

/** SQLSTATE codes from PostgreSQL's errcodes, so wire clients can branch on them. */
export const SQLSTATE = {
  syntax_error: '42601',
  undefined_table: '42P01',
  undefined_column: '42703',
  undefined_object: '42704',
  invalid_parameter_value: '22023',
  invalid_text_representation: '22P02',
  feature_not_supported: '0A000',
  config_file_error: 'F0000',
  external_routine_exception: '38000',
  query_canceled: '57014',
  internal_error: 'XX000',
  data_exception: '22000',
  insufficient_privilege: '42501',
} as const;

export interface CcqlErrorOptions {
  hint?: string;
  location?: ErrorLocation;
  sqlstate?: string;
  /** Extra lines shown under the message (e.g. every problem of a provider file). */
  details?: string[];
  cause?: unknown;
}

const defaultSqlstate: Record<ErrorCode, string> = {
  usage: SQLSTATE.invalid_parameter_value,
  syntax: SQLSTATE.syntax_error,
  unknown_name: SQLSTATE.undefined_object,
  invalid_input: SQLSTATE.invalid_parameter_value,
  provider_file: SQLSTATE.config_file_error,
  manifest: SQLSTATE.invalid_parameter_value,
  template: SQLSTATE.invalid_parameter_value,
  aws: SQLSTATE.external_routine_exception,
  request_failed: SQLSTATE.external_routine_exception,
  engine: SQLSTATE.data_exception,
  not_supported: SQLSTATE.feature_not_supported,
  cancelled: SQLSTATE.query_canceled,
  internal: SQLSTATE.internal_error,
};

export class CcqlError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: ErrorLocation | undefined;
  readonly sqlstate: string;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, options: CcqlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CcqlError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.sqlstate = options.sqlstate ?? defaultSqlstate[code];
    this.details = options.details ?? [];
  }

  /** The same error at another place. */
  relocated(location: ErrorLocation): CcqlError {
    return new CcqlError(this.code, this.message, {
      ...(this.hint ? { hint: this.hint } : {}),
      location,
      sqlstate: this.sqlstate,
      details: [...this.details],
      cause: this.cause ?? this,
    });
  }

  /** Exit code for the command line: 2 for bad usage, 1 for everything else. */
  get exitCode(): number {
    return this.code === 'usage' ? 2 : 1;
  }
}

/**
 * `e` pointing at `offset` in the statement text, unless it already points somewhere: the
 * innermost code that knows the place wins.
 */
export function at(e: CcqlError, offset: number): CcqlError {
  if (e.location?.offset !== undefined || e.location?.line !== undefined) return e;
  return e.relocated({ ...e.location, offset });
}

export function isCcqlError(e: unknown): e is CcqlError {
  return e instanceof CcqlError;
}

/** Turns anything thrown into a CcqlError, keeping CcqlErrors as they are. */
export function toCcqlError(e: unknown): CcqlError {
  if (e instanceof CcqlError) return e;
  if (e instanceof Error) {
    if (e.name === 'AbortError') return new CcqlError('cancelled', 'statement cancelled', { cause: e });
    return new CcqlError('internal', e.message, { cause: e });
  }
  return new CcqlError('internal', String(e));
}

/** "file:line:column" or "path" prefix for messages. */
export function formatLocation(loc: ErrorLocation | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(String(loc.line));
  if (loc.column !== undefined) parts.push(String(loc.column));
  let s = parts.join(':');
  if (loc.path) s = s ? `${s} (at ${loc.path})` : `at ${loc.path}`;
  return s;
}

/** The text form used on stderr: "error: message\n  at …\nhint: …". Never a stack trace. */
export function renderErrorText(e: CcqlError): string {
  const lines = [`error: ${e.message}`];
  const where = formatLocation(e.location);
  if (where) lines.push(`  at ${where}`);
  for (const d of e.details) lines.push(`  ${d}`);
  if (e.hint) lines.push(`hint: ${e.hint}`);
  return lines.join('\n');
}

/** Damerau-free Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[n] ?? 0;
}

/** The closest candidate to `name`, if it is close enough to be a plausible typo. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let score = editDistance(lower, cl);
    if (cl.startsWith(lower) || lower.startsWith(cl)) score = Math.min(score, 1.5);
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(lower.length / 3));
  return bestScore <= limit ? best : undefined;
}

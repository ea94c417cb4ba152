/**
 * The catalog statements, which explore provider definitions without calling any API:
 *
 *   SHOW PROVIDERS [LIKE 'pattern']
 *   SHOW SERVICES IN provider [LIKE 'pattern']
 *   SHOW [EXTENDED] RESOURCES IN provider.service [LIKE 'pattern']
 *   SHOW [EXTENDED] METHODS IN provider.service.resource [LIKE 'pattern']
 *   DESCRIBE [EXTENDED] provider.service.resource      (DESC is accepted too)
 *   SHOW INSERT INTO provider.service.resource
 *   REGISTRY LIST [provider]                            (StackQL's: providers are built in)
 *   REGISTRY PULL provider [version]                    (StackQL's: nothing to pull)
 *   USE provider                                        (StackQL's: names stay in full)
 *
 * Keywords are case-insensitive and a trailing semicolon is optional. PostgreSQL's own SHOW
 * (`SHOW search_path`, `SHOW ALL`, …) is left alone: only SHOW followed by one of our keywords,
 * or by a word and IN/INTO (which PostgreSQL's SHOW never has), is claimed here. REGISTRY and
 * USE are no PostgreSQL statements: scripts written for StackQL start with them, so they are
 * answered rather than left to fail as syntax errors.
 */
import { CcqlError, suggest } from '../errors.js';
import { StatementLexer, type Token } from './statement-lexer.js';

export interface Position {
  /** 1-based, within the statement text. */
  line: number;
  column: number;
}

export interface QualifiedName {
  parts: string[];
  at: Position;
}

export type CatalogStatement =
  | { kind: 'show_providers'; like?: string }
  | { kind: 'show_services'; provider: string; like?: string; nameAt: Position }
  | { kind: 'show_resources'; extended: boolean; provider: string; service: string; like?: string; nameAt: Position }
  | { kind: 'show_methods'; extended?: boolean; provider: string; service: string; resource: string; like?: string; nameAt: Position }
  | { kind: 'describe'; extended: boolean; provider: string; service: string; resource: string; nameAt: Position }
  | { kind: 'show_insert'; provider: string; service: string; resource: string; nameAt: Position }
  | { kind: 'registry_list'; provider?: string; nameAt?: Position }
  | { kind: 'registry_pull'; provider: string; version?: string; nameAt: Position }
  | { kind: 'use'; provider: string; nameAt: Position };

/** The correct form of each statement, for hints. */
export const CATALOG_STATEMENT_FORMS = {
  providers: "SHOW PROVIDERS [LIKE 'pattern']",
  services: "SHOW SERVICES IN aws [LIKE 'pattern']",
  resources: "SHOW [EXTENDED] RESOURCES IN aws.ivs [LIKE 'pattern']",
  methods: "SHOW METHODS IN aws.ivs.stages [LIKE 'pattern']",
  describe: 'DESCRIBE [EXTENDED] aws.ivs.stages',
  insert: 'SHOW INSERT INTO aws.ivs.stages',
  registryList: 'REGISTRY LIST [aws]',
  registryPull: 'REGISTRY PULL aws [version]',
  use: 'USE aws',
} as const;

const SHOW_WORDS = ['PROVIDERS', 'SERVICES', 'RESOURCES', 'METHODS', 'INSERT', 'EXTENDED'] as const;


/** Parses a catalog statement; undefined when `text` is not one (then it is SQL for the engine). */
export function parseCatalogStatement(text: string): CatalogStatement | undefined {
  const first = firstWords(text);
  if (first.length === 0) return undefined;
  const w0 = first[0]!.toUpperCase();
  if (w0 === 'DESCRIBE' || w0 === 'DESC') return new Parser(text).describe();
  if (w0 === 'REGISTRY') return new Parser(text).registry();
  if (w0 === 'USE') return new Parser(text).use();
  if (w0 !== 'SHOW') return undefined;
  const w1 = first[1]?.toUpperCase();
  const w2 = first[2]?.toUpperCase();
  const ours = w1 !== undefined && ((SHOW_WORDS as readonly string[]).includes(w1) || w2 === 'IN' || w2 === 'INTO');
  if (!ours) return undefined;
  return new Parser(text).show();
}

/** The first few bare words of the statement, skipping comments; stops at anything else. */
function firstWords(text: string): string[] {
  const words: string[] = [];
  const lexer = new StatementLexer(text, (offset, message, hint) => syntaxError(text, offset, message, hint));
  while (words.length < 3) {
    let t: Token;
    try {
      t = lexer.next();
    } catch {
      break;
    }
    if (t.kind !== 'word') break;
    words.push(t.value);
  }
  return words;
}

class Parser {
  private readonly lexer: StatementLexer;
  private tok: Token;
  /** The statement being parsed, for the hint when it goes wrong. */
  private form = '';

  constructor(private readonly text: string) {
    this.lexer = new StatementLexer(text, (offset, message, hint) => syntaxError(text, offset, message, hint));
    this.tok = this.lexer.next();
  }

  describe(): CatalogStatement {
    this.form = CATALOG_STATEMENT_FORMS.describe;
    this.advance(); // DESCRIBE / DESC
    const extended = this.acceptWord('EXTENDED');
    const name = this.qualifiedName(3, 'a resource name such as aws.ivs.stages');
    this.finish();
    const [provider, service, resource] = name.parts as [string, string, string];
    return { kind: 'describe', extended, provider, service, resource, nameAt: name.at };
  }

  registry(): CatalogStatement {
    this.advance(); // REGISTRY
    const what = this.tok;
    const kw = what.kind === 'word' ? what.value.toUpperCase() : '';
    if (kw === 'LIST') {
      this.form = CATALOG_STATEMENT_FORMS.registryList;
      this.advance();
      if (this.atEnd()) {
        this.finish();
        return { kind: 'registry_list' };
      }
      const name = this.qualifiedName(1, 'a provider name such as aws');
      this.finish();
      return { kind: 'registry_list', provider: name.parts[0]!, nameAt: name.at };
    }
    if (kw === 'PULL') {
      this.form = CATALOG_STATEMENT_FORMS.registryPull;
      this.advance();
      const name = this.qualifiedName(1, 'a provider name such as aws');
      const version = this.restOfStatement();
      this.finish();
      return { kind: 'registry_pull', provider: name.parts[0]!, nameAt: name.at, ...(version === undefined ? {} : { version }) };
    }
    throw syntaxError(this.text, what.offset, `unknown REGISTRY statement ${describeToken(what)}`, `the REGISTRY statements are: ${CATALOG_STATEMENT_FORMS.registryList}; ${CATALOG_STATEMENT_FORMS.registryPull}`);
  }

  use(): CatalogStatement {
    this.form = CATALOG_STATEMENT_FORMS.use;
    this.advance(); // USE
    const name = this.qualifiedName(1, 'a provider name such as aws');
    this.finish();
    return { kind: 'use', provider: name.parts[0]!, nameAt: name.at };
  }

  private atEnd(): boolean {
    return this.tok.kind === 'end' || (this.tok.kind === 'punct' && this.tok.value === ';');
  }

  /**
   * What is left before the end (a StackQL provider version such as `v24.07.00246`, bare or
   * quoted), as written; undefined when nothing is.
   */
  private restOfStatement(): string | undefined {
    if (this.atEnd()) return undefined;
    if (this.tok.kind === 'string' || this.tok.kind === 'ident') {
      const value = this.tok.value;
      this.advance();
      return value;
    }
    const start = this.tok.offset;
    let end = start;
    while (!this.atEnd()) {
      end = this.tok.offset + this.tok.value.length;
      this.advance();
    }
    return this.text.slice(start, end);
  }

  show(): CatalogStatement {
    this.advance(); // SHOW
    const extendedAt = this.tok;
    const extended = this.acceptWord('EXTENDED');
    const what = this.tok;
    const kw = what.kind === 'word' ? what.value.toUpperCase() : '';
    if (extended && kw !== 'RESOURCES' && kw !== 'METHODS' && (SHOW_WORDS as readonly string[]).includes(kw)) {
      throw syntaxError(this.text, extendedAt.offset, `EXTENDED is not supported with SHOW ${kw}`, `write ${formFor(kw)}`);
    }
    switch (kw) {
      case 'PROVIDERS': {
        this.form = CATALOG_STATEMENT_FORMS.providers;
        this.advance();
        const like = this.optionalLike();
        this.finish();
        return like === undefined ? { kind: 'show_providers' } : { kind: 'show_providers', like };
      }
      case 'SERVICES': {
        this.form = CATALOG_STATEMENT_FORMS.services;
        this.advance();
        this.expectWord('IN');
        const name = this.qualifiedName(1, 'a provider name such as aws');
        const like = this.optionalLike();
        this.finish();
        return withLike({ kind: 'show_services', provider: name.parts[0]!, nameAt: name.at }, like);
      }
      case 'RESOURCES': {
        this.form = CATALOG_STATEMENT_FORMS.resources;
        this.advance();
        this.expectWord('IN');
        const name = this.qualifiedName(2, 'a service name such as aws.ivs');
        const like = this.optionalLike();
        this.finish();
        const [provider, service] = name.parts as [string, string];
        return withLike({ kind: 'show_resources', extended, provider, service, nameAt: name.at }, like);
      }
      case 'METHODS': {
        this.form = CATALOG_STATEMENT_FORMS.methods;
        this.advance();
        this.expectWord('IN');
        const name = this.qualifiedName(3, 'a resource name such as aws.ivs.stages');
        const like = this.optionalLike();
        this.finish();
        const [provider, service, resource] = name.parts as [string, string, string];
        return withLike({ kind: 'show_methods', ...(extended ? { extended } : {}), provider, service, resource, nameAt: name.at }, like);
      }
      case 'INSERT': {
        this.form = CATALOG_STATEMENT_FORMS.insert;
        this.advance();
        this.expectWord('INTO');
        const name = this.qualifiedName(3, 'a resource name such as aws.ivs.stages');
        this.finish();
        const [provider, service, resource] = name.parts as [string, string, string];
        return { kind: 'show_insert', provider, service, resource, nameAt: name.at };
      }
      default: {
        const guess = what.kind === 'word' ? suggest(what.value, SHOW_WORDS.filter((w) => w !== 'EXTENDED')) : undefined;
        const hint = guess
          ? `did you mean SHOW ${guess}? The form is ${formFor(guess)}`
          : `the SHOW statements are: ${Object.values(CATALOG_STATEMENT_FORMS).filter((f) => f.startsWith('SHOW')).join('; ')}`;
        throw syntaxError(this.text, what.offset, `unknown SHOW statement ${describeToken(what)}`, hint);
      }
    }
  }

  private advance(): void {
    this.tok = this.lexer.next();
  }

  private acceptWord(word: string): boolean {
    if (this.tok.kind === 'word' && this.tok.value.toUpperCase() === word) {
      this.advance();
      return true;
    }
    return false;
  }

  private acceptPunct(c: string): boolean {
    if (this.tok.kind === 'punct' && this.tok.value === c) {
      this.advance();
      return true;
    }
    return false;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) this.fail(`expected ${word} but found ${describeToken(this.tok)}`);
  }

  /** A dotted name of exactly `parts` parts; each part a bare word or a "quoted identifier". */
  private qualifiedName(parts: number, what: string): QualifiedName {
    const at = lineColumn(this.text, this.tok.offset);
    const names: string[] = [];
    for (;;) {
      if (this.tok.kind !== 'word' && this.tok.kind !== 'ident') {
        this.fail(`expected ${names.length === 0 ? what : 'a name after the dot'} but found ${describeToken(this.tok)}`);
      }
      names.push(this.tok.value);
      this.advance();
      if (!this.acceptPunct('.')) break;
    }
    if (names.length !== parts) {
      const fix = names.length < parts ? `is missing ${parts - names.length === 1 ? 'a part' : 'parts'}` : 'has too many parts';
      throw syntaxError(this.text, offsetOf(this.text, at), `'${names.join('.')}' ${fix}: expected ${what}`, `write ${this.form}`);
    }
    return { parts: names, at };
  }

  private optionalLike(): string | undefined {
    if (!this.acceptWord('LIKE')) return undefined;
    if (this.tok.kind !== 'string') this.fail(`expected a quoted pattern after LIKE but found ${describeToken(this.tok)}`);
    const pattern = this.tok.value;
    this.advance();
    return pattern;
  }

  /** Only an optional semicolon may follow. */
  private finish(): void {
    this.acceptPunct(';');
    if (this.tok.kind !== 'end') this.fail(`unexpected ${describeToken(this.tok)} at the end of the statement`);
  }

  private fail(message: string): never {
    throw syntaxError(this.text, this.tok.offset, message, `write ${this.form}`);
  }
}

function withLike<T extends object>(stmt: T, like: string | undefined): T & { like?: string } {
  return like === undefined ? stmt : { ...stmt, like };
}

function formFor(keyword: string): string {
  switch (keyword) {
    case 'PROVIDERS':
      return CATALOG_STATEMENT_FORMS.providers;
    case 'SERVICES':
      return CATALOG_STATEMENT_FORMS.services;
    case 'RESOURCES':
      return CATALOG_STATEMENT_FORMS.resources;
    case 'METHODS':
      return CATALOG_STATEMENT_FORMS.methods;
    default:
      return CATALOG_STATEMENT_FORMS.insert;
  }
}

function describeToken(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end of the statement';
    case 'string':
      return `the string '${t.value}'`;
    case 'ident':
      return `"${t.value}"`;
    default:
      return `'${t.value}'`;
  }
}

function syntaxError(text: string, offset: number, message: string, hint: string): CcqlError {
  return new CcqlError('syntax', `syntax error: ${message}`, { location: lineColumn(text, offset), hint });
}

function lineColumn(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function offsetOf(text: string, at: Position): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < at.line - 1; i++) offset += (lines[i]?.length ?? 0) + 1;
  return offset + at.column - 1;
}

/**
 * SQL LIKE (`%` any run, `_` one character, `\` escapes), case-insensitive because every
 * catalog name is lower-case and users should not have to care.
 */
export function likeMatcher(pattern: string): (s: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRegExp(pattern[++i]!);
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRegExp(c);
  }
  const rx = new RegExp(`^${re}$`, 'i');
  return (s) => rx.test(s);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

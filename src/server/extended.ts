/**
 * The extended query protocol's objects: prepared statements (Parse) and portals (Bind), named
 * or unnamed, and what Describe and Execute need of them. A portal runs its statement once, on
 * its first Describe or Execute, and keeps the rows so that Execute with a row limit can hand
 * them out in pieces (PortalSuspended between them).
 */
import { CcqlError } from '../errors.js';
import type { StatementResult } from '../result.js';
import { textOfBinaryParam } from './binary-format.js';
import type { StatementDescription } from './describe.js';
import { bindText, castTypes, parameterSlots, type BoundText, type ParameterSlots } from './parameters.js';
import { OID } from '../pg-types.js';
import type { BindMessage, ParseMessage } from './wire/frontend.js';
import type { EncodedColumns } from './result-encoder.js';

export interface PreparedStatement {
  readonly name: string;
  /** As the client wrote it. */
  readonly text: string;
  /** No statement at all (only comments or blanks): Execute answers EmptyQueryResponse. */
  readonly empty: boolean;
  readonly slots: ParameterSlots;
  /** Declared OIDs, one per parameter ($n beyond those declared: 0). */
  readonly paramTypes: readonly number[];
  description?: StatementDescription;
  /** The types its parameters are cast to in the text (parameters.ts castTypes), read at the first binary parameter of no declared type. */
  casts?: Map<number, number>;
}

export interface Portal {
  readonly name: string;
  readonly statement: PreparedStatement;
  readonly bound: BoundText;
  readonly resultFormats: readonly number[];
  /** Once run: */
  result?: StatementResult;
  encoded?: EncodedColumns;
  /** Rows already sent by Execute. */
  sent: number;
}

/** PostgreSQL's limit on parameters in one statement (the protocol's int16 count). */
const MAX_PARAMETERS = 65_535;

export class ExtendedState {
  readonly statements = new Map<string, PreparedStatement>();
  readonly portals = new Map<string, Portal>();

  parse(msg: ParseMessage, isEmpty: boolean, multiple: boolean): PreparedStatement {
    if (msg.name !== '' && this.statements.has(msg.name)) {
      throw new CcqlError('invalid_input', `prepared statement "${msg.name}" already exists`, { sqlstate: '42P05' });
    }
    if (multiple) throw new CcqlError('syntax', 'cannot insert multiple commands into a prepared statement', { sqlstate: '42601' });
    const slots = parameterSlots(msg.text);
    if (slots.count > MAX_PARAMETERS) throw new CcqlError('invalid_input', `too many parameters (${slots.count})`, { sqlstate: '54000' });
    const paramTypes = Array.from({ length: Math.max(slots.count, msg.paramTypes.length) }, (_, i) => msg.paramTypes[i] ?? 0);
    const statement: PreparedStatement = { name: msg.name, text: msg.text, empty: isEmpty, slots, paramTypes };
    // A new unnamed statement replaces the old one and ends the unnamed portal made from it.
    if (msg.name === '') this.dropPortalsOf('');
    this.statements.set(msg.name, statement);
    return statement;
  }

  bind(msg: BindMessage): Portal {
    const statement = this.statements.get(msg.statement);
    if (!statement) throw new CcqlError('invalid_input', `prepared statement "${msg.statement}" does not exist`, { sqlstate: '26000' });
    if (msg.portal !== '' && this.portals.has(msg.portal)) throw new CcqlError('invalid_input', `portal "${msg.portal}" already exists`, { sqlstate: '42P03' });
    const needed = statement.paramTypes.length;
    if (msg.values.length !== needed) {
      throw new CcqlError('invalid_input', `bind message supplies ${msg.values.length} parameters, but prepared statement "${statement.name}" requires ${needed}`, {
        sqlstate: '08P01',
      });
    }
    const types = [...statement.paramTypes];
    const values = msg.values.map((v, i) => {
      if (v === null) return null;
      if (msg.paramFormats[i] === 1) return this.binaryParam(statement, v, i, types);
      const text = v.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(v)) throw new CcqlError('invalid_input', `invalid byte sequence for encoding "UTF8" in parameter $${i + 1}`, { sqlstate: '22021' });
      return text;
    });
    const bound = bindText(statement.text, statement.slots, values, types);
    const portal: Portal = { name: msg.portal, statement, bound, resultFormats: msg.resultFormats, sent: 0 };
    this.portals.set(msg.portal, portal);
    return portal;
  }

  /**
   * A binary parameter as text. Its bytes mean what its type's receive function reads, so a
   * parameter of no declared type (node-postgres sends a Buffer so) is read by the type
   * PostgreSQL would infer: a cast where it stands (`$1::bytea`), else the one Describe found.
   * With neither, bytes that are UTF-8 text with no backslash read the same as text and as bytea
   * and are passed as they are; other bytes are passed as bytea (`types[i]` becomes bytea).
   */
  private binaryParam(statement: PreparedStatement, data: Buffer, i: number, types: number[]): string {
    const declared = statement.paramTypes[i] ?? 0;
    if (declared !== 0) return textOfBinaryParam(data, declared);
    statement.casts ??= castTypes(statement.text);
    const inferred = statement.casts.get(i + 1) || statement.description?.params[i] || 0;
    if (inferred !== 0) return textOfBinaryParam(data, inferred);
    const text = data.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(data) && !/[\\\0]/.test(text)) return text;
    types[i] = OID.bytea;
    return textOfBinaryParam(data, OID.bytea);
  }

  statement(name: string): PreparedStatement {
    const s = this.statements.get(name);
    if (!s) throw new CcqlError('invalid_input', `prepared statement "${name}" does not exist`, { sqlstate: '26000' });
    return s;
  }

  has(name: string): boolean {
    return this.portals.has(name);
  }

  portal(name: string): Portal {
    const p = this.portals.get(name);
    if (!p) throw new CcqlError('invalid_input', `portal "${name}" does not exist`, { sqlstate: '34000' });
    return p;
  }

  close(kind: 'S' | 'P', name: string): void {
    if (kind === 'P') {
      this.portals.delete(name);
      return;
    }
    this.statements.delete(name);
    this.dropPortalsOf(name);
  }

  /** At Sync outside a transaction block the implicit transaction ends, and with it every portal. */
  sync(inTransaction: boolean): void {
    if (!inTransaction) this.portals.clear();
  }

  private dropPortalsOf(statement: string): void {
    for (const [k, p] of this.portals) if (p.statement.name === statement && p.statement === this.statements.get(statement)) this.portals.delete(k);
  }
}

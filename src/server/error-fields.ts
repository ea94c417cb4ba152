/**
 * The one place where a CcqlError becomes the fields of an ErrorResponse (and a Notice those of
 * a NoticeResponse): SQLSTATE, message, detail, hint, and the 1-based character position in
 * the query string the client sent. Nothing else is sent: no stack, no file of ours.
 */
import { toCcqlError } from '../errors.js';
import type { Notice } from '../result.js';
import type { ErrorFields } from './wire/backend.js';

export interface ErrorPlace {
  /** The query string as the client sent it, to count characters (not UTF-16 units). */
  text?: string;
  /** An offset in the text that ran → the offset in the client's text (bound parameters). */
  originalOffset?: (offset: number) => number;
}

export function errorFields(e: unknown, severity: 'ERROR' | 'FATAL' = 'ERROR', place: ErrorPlace = {}): ErrorFields {
  const err = toCcqlError(e);
  const fields: ErrorFields = { S: severity, V: severity, C: err.sqlstate, M: err.message || 'error' };
  if (err.details.length > 0) fields.D = err.details.join('\n');
  if (err.hint) fields.H = err.hint;
  const offset = err.location?.offset;
  if (offset !== undefined && offset >= 0) {
    const original = place.originalOffset ? place.originalOffset(offset) : offset;
    // PostgreSQL counts characters; a JavaScript offset counts UTF-16 units.
    const chars = place.text === undefined ? original : [...place.text.slice(0, original)].length;
    fields.P = chars + 1;
  }
  return fields;
}

export function noticeFields(n: Notice): ErrorFields {
  return { S: n.severity, V: n.severity, C: n.severity === 'WARNING' ? '01000' : '00000', M: n.message, ...(n.hint ? { H: n.hint } : {}) };
}

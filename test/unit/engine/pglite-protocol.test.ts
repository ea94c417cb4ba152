import { describe, expect, it } from 'vitest';
import { BackendReader, extendedMessages, queryMessage, type BackendNotice } from '../../../src/engine/pglite-protocol.js';
import * as B from '../../../src/server/wire/backend.js';

// A backend's answer, written with the server's own message builders.
const answer = Buffer.concat([
  B.noticeResponse({ S: 'NOTICE', V: 'NOTICE', C: '00000', M: 'hello', H: 'a hint' }),
  B.rowDescription([
    { name: 'a', tableOid: 0, columnNumber: 0, typeOid: 23, typlen: 4, typmod: -1, format: 0 },
    { name: 'é', tableOid: 0, columnNumber: 0, typeOid: 25, typlen: -1, typmod: -1, format: 0 },
  ]),
  B.dataRow([Buffer.from('1'), null]),
  B.dataRow([Buffer.from('2'), Buffer.from('ünïcode ✓')]),
  B.commandComplete('SELECT 2'),
  B.readyForQuery('I'),
]);

describe("the worker's reader of PGlite's answers", () => {
  it('reads the same result however the answer is cut into chunks', () => {
    for (let cut = 1; cut < answer.length; cut++) {
      const notices: BackendNotice[] = [];
      const reader = new BackendReader((n) => notices.push(n));
      reader.push(answer.subarray(0, cut));
      reader.push(answer.subarray(cut));
      expect(reader.result, `cut at ${cut}`).toEqual({
        fields: [
          { name: 'a', typeOid: 23, typeSize: 4, typeModifier: -1 },
          { name: 'é', typeOid: 25, typeSize: -1, typeModifier: -1 },
        ],
        rows: [
          ['1', null],
          ['2', 'ünïcode ✓'],
        ],
        command: 'SELECT 2',
      });
      expect(notices).toEqual([{ severity: 'NOTICE', message: 'hello', hint: 'a hint' }]);
      expect(reader.error).toBeUndefined();
    }
  });

  it('keeps the first error with its code, position, hint and detail', () => {
    const reader = new BackendReader(() => undefined);
    reader.push(Buffer.concat([B.errorResponse({ S: 'ERROR', V: 'ERROR', C: '42703', M: 'column "x" does not exist', P: 8, H: 'maybe y' }), B.readyForQuery('I')]));
    expect(reader.error).toEqual({ message: 'column "x" does not exist', code: '42703', position: '8', hint: 'maybe y', detail: undefined });
  });

  it('writes a Query, and Parse/Bind/Describe/Execute/Sync with text parameters', () => {
    expect(Buffer.from(queryMessage('select 1'))).toEqual(Buffer.from('Q\0\0\0\x0dselect 1\0', 'latin1'));
    const m = Buffer.from(extendedMessages('select $1', ['x']));
    const types: string[] = [];
    for (let at = 0; at < m.length; at += 1 + m.readInt32BE(at + 1)) types.push(String.fromCharCode(m[at]!));
    expect(types).toEqual(['P', 'B', 'D', 'E', 'S']);
    expect(m.includes(Buffer.from('select $1\0'))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { packRows, unpackRows, type RunResult } from '../../../src/engine/pglite-messages.js';

const fields = (n: number): RunResult['fields'] => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, typeOid: 25, typeModifier: -1, typeSize: -1 }));
const roundTrip = (r: RunResult): Array<Array<string | null>> => unpackRows(structuredClone(packRows(r)));

describe('rows crossing to the main thread', () => {
  it('come back as they were: NULLs, empty strings, any other character', () => {
    const rows = [
      ['a', null, ''],
      [null, null, null],
      ['', 'é ✓ \u0001 \n \\ "', 'x'],
    ];
    const r: RunResult = { fields: fields(3), rows, command: 'SELECT 3' };
    expect(packRows(r).packed).toBeDefined();
    expect(roundTrip(r)).toEqual(rows);
  });

  it('are left as arrays when a cell holds a NUL, when there are no columns, or only one row', () => {
    const withNul: RunResult = { fields: fields(1), rows: [['a\0b'], ['c']], command: 'SELECT 2' };
    expect(packRows(withNul).packed).toBeUndefined();
    expect(roundTrip(withNul)).toEqual([['a\0b'], ['c']]);
    const noColumns: RunResult = { fields: [], rows: [[], []], command: 'SELECT 2' };
    expect(roundTrip(noColumns)).toEqual([[], []]);
    const one: RunResult = { fields: fields(2), rows: [['1', null]], command: 'SELECT 1' };
    expect(roundTrip(one)).toEqual([['1', null]]);
  });
});

import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../../src/catalog/loader.js';
import { Completer } from '../../../../src/cli/repl/completer.js';

const completer = new Completer(new Catalog());

describe('shell completion', () => {
  it('completes services after provider.', () => {
    const [candidates, word] = completer.complete('SELECT * FROM aws.iv');
    expect(word).toBe('aws.iv');
    expect(candidates).toContain('aws.ivs.');
    expect(candidates).toContain('aws.ivschat.');
    expect(candidates.every((c) => c.startsWith('aws.iv'))).toBe(true);
  });

  it('completes resources after provider.service.', () => {
    const [candidates] = completer.complete('select * from aws.ivs.st');
    expect(candidates).toEqual(['aws.ivs.stages', 'aws.ivs.storage_configurations', 'aws.ivs.stream_keys', 'aws.ivs.stream_keys_native']);
  });

  it('offers only provider names where a table is expected', () => {
    expect(completer.complete('SELECT * FROM a')).toEqual([['aws.'], 'a']);
    expect(completer.complete('DESCRIBE ')).toEqual([['aws.'], '']);
  });

  it('completes keywords in the case they are typed', () => {
    expect(completer.complete('SEL')[0]).toEqual(['SELECT']);
    expect(completer.complete('sel')[0]).toEqual(['select']);
    expect(completer.complete('SELECT * FROM aws.ivs.stages WHE')[0]).toEqual(['WHEN', 'WHERE']);
  });

  it('completes column names of the tables in the statement, also from earlier lines', () => {
    const [candidates] = completer.complete('SELECT act', 'FROM aws.ivs.stages');
    expect(candidates).toEqual(['active_session_id']);
    expect(completer.complete('SELECT region, act FROM aws.ivs.stages'.slice(0, 'SELECT region, act'.length))[0]).toEqual([]);
    expect(completer.complete('SELECT region, act', 'x')[0]).toEqual([]);
  });

  it('completes alias.column', () => {
    const before = 'FROM aws.ivs.stages s JOIN aws.ivs.channels AS c ON true';
    expect(completer.complete('SELECT s.act', before)[0]).toEqual(['s.active_session_id']);
    expect(completer.complete('SELECT c.latency', before)[0]).toEqual(['c.latency_mode']);
    expect(completer.complete('SELECT stages.na', 'FROM aws.ivs.stages')[0]).toEqual(['stages.name']);
  });

  it('offers nothing for unknown names instead of failing', () => {
    expect(completer.complete('SELECT * FROM nope.x.')[0]).toEqual([]);
    expect(completer.complete('SELECT * FROM aws.nosuch.')[0]).toEqual([]);
  });
});

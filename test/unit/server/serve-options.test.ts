import { describe, expect, it } from 'vitest';
import { checkServeOptions, isLoopback } from '../../../src/server/server.js';
import { parseOptions, startupParameters, startupSettings } from '../../../src/server/startup.js';

describe('serve options', () => {
  it('refuses to listen beyond loopback without a password', () => {
    expect(() => checkServeOptions({ host: '0.0.0.0' })).toThrow(/refusing to listen on 0\.0\.0\.0 without a password/);
    expect(() => checkServeOptions({ host: '::' })).toThrow(/without a password/);
    expect(() => checkServeOptions({ host: '0.0.0.0', auth: { user: 'u', password: 'p' } })).not.toThrow();
    expect(() => checkServeOptions({})).not.toThrow();
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
  });
});

describe('startup', () => {
  it('reports the 13 parameters with the client’s application name and time zone', () => {
    const p = startupParameters('ana', new Map([['application_name', 'app'], ['TimeZone', 'Europe/Paris']]), '15.13 (ccql)');
    expect(p.size).toBe(13);
    expect(p.get('session_authorization')).toBe('ana');
    expect(p.get('TimeZone')).toBe('Europe/Paris');
    expect(p.get('server_version')).toBe('15.13 (ccql)');
  });

  it('reads settings from the startup packet and its options (-c a=b, --a=b, escaped spaces)', () => {
    expect(parseOptions('-c search_path=a,b --statement-timeout=5 -cwork_mem=1MB -c x=a\\ b')).toEqual([
      ['search_path', 'a,b'],
      ['statement_timeout', '5'],
      ['work_mem', '1MB'],
      ['x', 'a b'],
    ]);
    const s = new Map(startupSettings(new Map([['user', 'u'], ['DateStyle', 'German, DMY'], ['extra_float_digits', '3']])));
    expect(s.get('DateStyle')).toBe('ISO, DMY');
    expect(s.get('extra_float_digits')).toBe('3');
    expect(s.has('user')).toBe(false);
  });
});

/**
 * The generated round trip over every resource type in providers/: from a minimal valid desired
 * state built from the schema, create, read, list, update and delete one resource, in process
 * (one service, no HTTP). Prints how many types pass and why the others do not, and fails when
 * fewer pass than docs/emulator.md records, or when any non-passing type lacks a reason.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudControlService } from '../../src/emulator/service.js';
import { roundTrip, type RoundTripResult } from '../../src/emulator/roundtrip.js';
import { catalog } from './emulator-helpers.js';

function recordedPassCount(): number {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'emulator.md'), 'utf8');
  const m = /<!-- roundtrip-pass -->\s*\*\*([\d,]+)\*\*/.exec(doc);
  if (!m) throw new Error('docs/emulator.md does not record the round-trip pass count (<!-- roundtrip-pass --> **N**)');
  return Number(m[1]!.replace(/,/g, ''));
}

function recordedFormatCount(): number {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'emulator.md'), 'utf8');
  const m = /<!-- identifier-formats-checked -->\s*\*\*([\d,]+)\*\*/.exec(doc);
  if (!m) throw new Error('docs/emulator.md does not record how many identifiers the round trip checks (<!-- identifier-formats-checked --> **N**)');
  return Number(m[1]!.replace(/,/g, ''));
}

describe('round trip over every resource type', () => {
  it('creates, reads, lists, updates and deletes one resource of every type that allows it', async () => {
    const service = new CloudControlService({ catalog, pageSize: 100 });
    const results: RoundTripResult[] = [];
    for (const s of catalog.provider('aws').services) {
      // Cloud Control types only: a native-API view of a type (aws.ivs.channels_native) is not one.
      for (const def of catalog.service('aws', s.name).resources) if (!def.methods.some((m) => m.call.api === 'native')) results.push(roundTrip(service, def));
      // Lets the worker answer vitest between services: a minute without a turn of the event loop
      // (a loaded machine) is a "Timeout calling onTaskUpdate" error that fails the run.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const count = (o: RoundTripResult['outcome']): number => results.filter((r) => r.outcome === o).length;
    const byClass = new Map<string, string[]>();
    for (const r of results.filter((x) => x.outcome !== 'pass')) byClass.set(r.reasonClass!, [...(byClass.get(r.reasonClass!) ?? []), r.typeName]);
    const skipped = new Map<string, number>();
    for (const r of results) for (const k of r.skipped) skipped.set(k, (skipped.get(k) ?? 0) + 1);
    const reduced = results.filter((r) => r.validationNotes.length > 0);
    const formats = new Map<string, number>();
    for (const r of results) if (r.identifierFormat) formats.set(r.identifierFormat, (formats.get(r.identifierFormat) ?? 0) + 1);
    const badGenerated = results.filter((r) => r.generatedValueProblems.length > 0);

    const lines = [
      `round trip: ${count('pass')} of ${results.length} types pass; ${count('fail')} fail; ${count('not-applicable')} cannot take part`,
      ...[...byClass].map(([k, types]) => `  ${k}: ${types.length} (${types.slice(0, 8).join(', ')}${types.length > 8 ? ', …' : ''})`),
      ...[...skipped].map(([k, n]) => `  step skipped, ${k}: ${n} types`),
      `  generated identifiers checked against their recorded format: ${[...formats].map(([k, n]) => `${n} from ${k}`).join(', ')}`,
      ...reduced.map((r) => `  validation reduced for ${r.typeName}: ${r.validationNotes.join('; ')}`),
      ...badGenerated.map((r) => `  generated value rejected by its own schema in ${r.typeName}: ${r.generatedValueProblems[0]}`),
    ];
    console.log(lines.join('\n'));

    expect(results.length).toBe(1489);
    for (const r of results) {
      if (r.outcome !== 'pass') {
        expect(r.reason, r.typeName).toBeTruthy();
        expect(r.reasonClass, r.typeName).toBeTruthy();
      } else {
        expect(r.steps[0], r.typeName).toBe('create');
      }
    }
    // A pass that did every step its handlers allow: the common case is the full cycle.
    expect(results.filter((r) => r.steps.join(',') === 'create,read,list,update,delete').length).toBeGreaterThan(1000);
    expect(count('pass')).toBeGreaterThanOrEqual(recordedPassCount());
    // Every type with a recorded identifier format was checked against it (a mismatch fails the
    // type above), and the format data covers as many types as docs/emulator.md says.
    expect([...formats.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(recordedFormatCount());
  }, 300_000);
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINE_SETUP_TEXT, ProgressLine, StatusOutput, progressText, renderNotice } from '../../../src/cli/progress.js';
import { CcqlError } from '../../../src/errors.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (s: string) => (writes.push(s), true) } };
}

describe('progress line', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws calls done/total on a terminal, coalesces quick updates, and erases itself', () => {
    const { writes, stream } = fakeStream(true);
    const line = new ProgressLine(stream);
    line.update({ done: 1, total: 500, label: 'GetResource aws.ivs.stages' });
    expect(writes).toEqual(['\r\x1b[KGetResource aws.ivs.stages: 1/500 calls']);
    line.update({ done: 2, total: 500, label: 'GetResource aws.ivs.stages' });
    line.update({ done: 3, total: 500, label: 'GetResource aws.ivs.stages' });
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(200);
    expect(writes).toEqual(['\r\x1b[KGetResource aws.ivs.stages: 1/500 calls', '\r\x1b[KGetResource aws.ivs.stages: 3/500 calls']);
    line.update({ done: 500, total: 500, label: 'GetResource aws.ivs.stages' });
    expect(writes.at(-1)).toBe('\r\x1b[KGetResource aws.ivs.stages: 500/500 calls');
    line.clear();
    expect(writes.at(-1)).toBe('\r\x1b[K');
    line.clear();
    expect(writes).toHaveLength(4);
  });

  it('cuts a line wider than the terminal', () => {
    const { writes, stream } = fakeStream(true);
    new ProgressLine(stream).update({ done: 1, total: 2, label: 'x'.repeat(100) });
    expect(writes[0]!.length).toBe('\r\x1b[K'.length + 59);
  });

  it('shows a note until the next output, on a terminal only', () => {
    const tty = fakeStream(true);
    const line = new ProgressLine(tty.stream);
    line.note(ENGINE_SETUP_TEXT);
    line.clear();
    expect(tty.writes).toEqual([`\r\x1b[K${ENGINE_SETUP_TEXT}`, '\r\x1b[K']);
    const pipe = fakeStream(false);
    new ProgressLine(pipe.stream).note(ENGINE_SETUP_TEXT);
    expect(pipe.writes).toEqual([]);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    const line = new ProgressLine(stream);
    line.update({ done: 1, total: 2, label: 'ListResources' });
    line.clear();
    expect(writes).toEqual([]);
  });

  it('erases the progress line before notices and errors', () => {
    const { writes, stream } = fakeStream(true);
    const status = new StatusOutput(stream);
    const hooks = status.hooks();
    hooks.onProgress?.({ done: 1, total: 3, label: 'ListResources aws.ivs.stages' });
    hooks.onNotice?.({ severity: 'NOTICE', message: 'region us-west-2 failed', hint: 'retry later' });
    status.error(new CcqlError('aws', 'boom'));
    expect(writes).toEqual([
      '\r\x1b[KListResources aws.ivs.stages: 1/3 calls',
      '\r\x1b[K',
      'NOTICE: region us-west-2 failed\nHINT: retry later\n',
      'error: boom\n',
    ]);
  });

  it('formats text and notices', () => {
    expect(progressText({ done: 0, total: 0, label: '' })).toBe('0/0 calls');
    expect(renderNotice({ severity: 'WARNING', message: 'w' })).toBe('WARNING: w\n');
  });
});

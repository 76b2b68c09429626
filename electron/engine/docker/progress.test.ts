import { describe, expect, it } from 'vitest';
import { applyStreamMessage, MAX_PROGRESS_LINES, type ProgressState } from './progress.js';

const pull = (): ProgressState => ({ kind: 'pull', image: 'x', layers: [], lines: [], done: false });

describe('pull and build progress', () => {
  it('tracks each layer of a pull', () => {
    const s = pull();
    applyStreamMessage(s, { status: 'Pulling from library/x', id: 'latest' });
    applyStreamMessage(s, { id: 'a1', status: 'Downloading', progressDetail: { current: 10, total: 100 } });
    applyStreamMessage(s, { id: 'b2', status: 'Waiting', progressDetail: {} });
    applyStreamMessage(s, { id: 'a1', status: 'Downloading', progressDetail: { current: 60, total: 100 } });
    expect(s.layers).toEqual([
      { id: 'a1', status: 'Downloading', current: 60, total: 100 },
      { id: 'b2', status: 'Waiting', current: undefined, total: undefined },
    ]);
    expect(s.lines).toEqual(['latest: Pulling from library/x']);
  });

  it('returns errors Docker reports inside a successful response', () => {
    const s: ProgressState = { ...pull(), kind: 'build' };
    expect(applyStreamMessage(s, { stream: 'Step 1/3 : FROM debian\n' })).toBeUndefined();
    const err = applyStreamMessage(s, { errorDetail: { message: 'returned a non-zero code: 100' }, error: 'returned a non-zero code: 100' });
    expect(err).toBe('returned a non-zero code: 100');
    expect(s.error).toBe(err);
    expect(s.lines).toEqual(['Step 1/3 : FROM debian', 'returned a non-zero code: 100']);
  });

  it('keeps only the last lines of a long build', () => {
    const s: ProgressState = { ...pull(), kind: 'build' };
    for (let i = 0; i < MAX_PROGRESS_LINES + 50; i++) applyStreamMessage(s, { stream: `line ${i}\n` });
    expect(s.lines).toHaveLength(MAX_PROGRESS_LINES);
    expect(s.lines.at(-1)).toBe(`line ${MAX_PROGRESS_LINES + 49}`);
  });
});

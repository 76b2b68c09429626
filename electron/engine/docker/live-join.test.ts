import { describe, expect, it } from 'vitest';
import { LiveJoin, overlapLength } from './live-join.js';
import type { LogLine } from './logs.js';

const out = (...texts: string[]): LogLine[] => texts.map((text) => ({ stream: 'stdout', text }));
const err = (...texts: string[]): LogLine[] => texts.map((text) => ({ stream: 'stderr', text }));

function joined(past: LogLine[], live: LogLine[], after: LogLine[] = []): LogLine[] {
  const seen: LogLine[] = [];
  const join = new LiveJoin((l) => seen.push(l));
  for (const l of live) join.live(l);
  join.past(past);
  for (const l of after) join.live(l);
  return seen;
}

describe('overlapLength', () => {
  it('finds the longest end of the past that starts the live output', () => {
    expect(overlapLength(['1', '2', '3'], ['2', '3', '4'])).toBe(2);
    expect(overlapLength(['1', '2', '3'], ['4', '5'])).toBe(0);
    expect(overlapLength([], ['1'])).toBe(0);
    expect(overlapLength(['1'], [])).toBe(0);
    expect(overlapLength(['a', 'b'], ['a', 'b'])).toBe(2);
  });

  it('prefers the longest match when lines repeat', () => {
    expect(overlapLength(['x', 'x', 'x'], ['x', 'x', 'y'])).toBe(2);
  });
});

describe('LiveJoin', () => {
  it('holds live lines until the past is known, then sends each line once, in order', () => {
    expect(joined(out('1', '2', '3'), out('3', '4'), out('5')).map((l) => l.text)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('sends everything when the two do not overlap (a quiet service)', () => {
    expect(joined(out('1', '2'), []).map((l) => l.text)).toEqual(['1', '2']);
    expect(joined([], out('1'), out('2')).map((l) => l.text)).toEqual(['1', '2']);
  });

  it('matches stdout and stderr each on its own: their interleaving may differ between the reads', () => {
    const past = [...out('o1'), ...err('e1'), ...out('o2')];
    const live = [...err('e1'), ...out('o2'), ...err('e2')];
    expect(joined(past, live)).toEqual([...out('o1'), ...err('e1'), ...out('o2'), ...err('e2')]);
  });
});

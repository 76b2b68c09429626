import { describe, expect, it } from 'vitest';
import { LiveJoin, pastEndIn } from './live-join.js';
import type { LogLine } from './logs.js';

const out = (...texts: string[]): LogLine[] => texts.map((text) => ({ stream: 'stdout', text }));
const err = (...texts: string[]): LogLine[] => texts.map((text) => ({ stream: 'stderr', text }));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const texts = (lines: LogLine[]) => lines.map((l) => l.text);

function makeJoin() {
  const seen: LogLine[] = [];
  const join = new LiveJoin((l) => seen.push(l));
  const live = (lines: LogLine[]) => {
    for (const l of lines) join.live(l);
  };
  return { seen, join, live };
}

/** Live lines before the past is read, the past, live lines after it; then the settle time. */
function joined(past: LogLine[], before: LogLine[], after: LogLine[] = [], settle = true): LogLine[] {
  const { seen, join, live } = makeJoin();
  live(before);
  join.past(past);
  live(after);
  if (settle) join.settle(true);
  return seen;
}

describe('pastEndIn', () => {
  it('finds where the live lines end with the end of the past', () => {
    expect(pastEndIn(['1', '2', '3'], ['2', '3', '4'])).toBe(1);
    expect(pastEndIn(['1', '2', '3'], ['3'])).toBe(0);
    expect(pastEndIn(['1', '2', '3'], ['4', '5'])).toBe(-1);
    expect(pastEndIn([], ['1'])).toBe(-1);
    expect(pastEndIn(['1'], [])).toBe(-1);
  });

  it('finds the past lying wholly inside the live lines (the live output started earlier)', () => {
    expect(pastEndIn(['3', '4'], ['1', '2', '3', '4', '5'])).toBe(3);
  });

  it('does not take a repeated line for the end when the lines before it differ', () => {
    expect(pastEndIn(['a', 'x'], ['b', 'x', 'a', 'x'])).toBe(3);
  });
});

describe('LiveJoin', () => {
  it('sends each line once, in order, when the live output began before the past was read', () => {
    expect(texts(joined(out('1', '2', '3'), out('3', '4'), out('5'), false))).toEqual(['1', '2', '3', '4', '5']);
  });

  it('waits for the past end when the past was read ahead of the live output', () => {
    // The past already holds 3 and 4; the attach delivers them after the past is known.
    expect(texts(joined(out('1', '2', '3', '4'), out('2'), out('3', '4', '5'), false))).toEqual(['1', '2', '3', '4', '5']);
    expect(texts(joined(out('1', '2', '3', '4'), [], out('3', '4', '5'), false))).toEqual(['1', '2', '3', '4', '5']);
  });

  it('drops live lines older than the past (the live output started well before the past was read)', () => {
    expect(texts(joined(out('5', '6'), out(...range(1, 6)), out('7'), false))).toEqual(['5', '6', '7']);
  });

  it('a quiet service: the past is sent at once; new lines are held only until the settle time', () => {
    const { seen, join, live } = makeJoin();
    join.past(out('1', '2'));
    expect(texts(seen)).toEqual(['1', '2']);
    live(out('3', '4'));
    expect(texts(seen)).toEqual(['1', '2']);
    expect(join.settle()).toBe(true);
    expect(texts(seen)).toEqual(['1', '2', '3', '4']);
    live(out('5'));
    expect(texts(seen)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('a past that is behind the live output (the log writer lagging) is not sent: it is read again', () => {
    const { seen, join, live } = makeJoin();
    live(out('8', '9'));
    join.past(out('4', '5')); // 6 and 7 are in neither read
    live(out('10'));
    expect(join.settle()).toBe(false);
    expect(seen).toEqual([]);
    join.past(out('8', '9', '10')); // read again, caught up
    expect(texts(seen)).toEqual(['8', '9', '10']);
    live(out('11'));
    expect(join.settle()).toBe(true);
    expect(texts(seen)).toEqual(['8', '9', '10', '11']);
  });

  it('sends the lagging past with every live line when forced (the last read)', () => {
    const { seen, join, live } = makeJoin();
    live(out('8'));
    join.past(out('4'));
    expect(join.settle(true)).toBe(true);
    expect(texts(seen)).toEqual(['4', '8']);
  });

  it('a read ahead of the live output still joins when the live lines catch up, after later reads', () => {
    // A flood: the attach's delivery lags, so each read is further ahead than the one before.
    const { seen, join, live } = makeJoin();
    live(out('1'));
    join.past(out('4', '5'));
    expect(join.settle()).toBe(false);
    join.past(out('8', '9'));
    live(out(...range(2, 6)));
    expect(texts(seen)).toEqual(['4', '5', '6']);
    live(out('7', '8', '9', '10'));
    expect(join.settle()).toBe(true);
    expect(texts(seen)).toEqual(range(4, 10));
  });

  it('joins a later read when an earlier one was behind', () => {
    const { seen, join, live } = makeJoin();
    live(out('8', '9'));
    join.past(out('4', '5'));
    expect(join.settle()).toBe(false);
    join.past(out('9', '10', '11'));
    live(out('10', '11', '12'));
    expect(texts(seen)).toEqual(['9', '10', '11', '12']);
  });

  it('stops looking after more lines than any overlap could hold', () => {
    const many = range(1, 1_000_002);
    const seen = texts(joined(out('a'), [], many.map((text) => ({ stream: 'stdout', text })), false));
    expect(seen).toEqual(['a'].concat(many));
  });

  it('matches stdout and stderr each on its own: their interleaving may differ between the reads', () => {
    const past = [...out('o1'), ...err('e1'), ...out('o2')];
    const live = [...err('e1'), ...out('o2'), ...err('e2')];
    expect(joined(past, live, [], false)).toEqual([...out('o1'), ...err('e1'), ...out('o2'), ...err('e2')]);
  });

  it('passes a stream straight through when the past has none of its lines', () => {
    expect(joined(out('o1'), [], err('e1'), false)).toEqual([...out('o1'), ...err('e1')]);
  });

  it('sends nothing more once closed', () => {
    const { seen, join, live } = makeJoin();
    live(out('1'));
    join.close();
    join.past(out('1'));
    live(out('2'));
    join.settle(true);
    expect(seen).toEqual([]);
  });

  it('resolves firstLine on the first live line', async () => {
    const { join, live } = makeJoin();
    const first = join.firstLine(60_000);
    live(err('e'));
    await first;
    await join.firstLine(60_000); // already begun
  });
});

import { describe, expect, it } from 'vitest';
import { RingBuffer, filterLines } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps items in order until full', () => {
    const b = new RingBuffer<number>(3);
    b.push(1, 2);
    expect(b.toArray()).toEqual([1, 2]);
    expect(b.size).toBe(2);
  });

  it('drops the oldest past capacity', () => {
    const b = new RingBuffer<number>(3);
    b.push(1, 2, 3, 4, 5);
    expect(b.toArray()).toEqual([3, 4, 5]);
    expect(b.at(0)).toBe(3);
    expect(b.at(2)).toBe(5);
    expect(b.at(3)).toBeUndefined();
    expect(b.total).toBe(5);
  });

  it('takes a batch bigger than itself by keeping its tail', () => {
    const b = new RingBuffer<number>(4);
    b.push(0);
    b.pushAll(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(b.toArray()).toEqual([7, 8, 9, 10]);
    expect(b.total).toBe(11);
  });

  it('wraps around many times', () => {
    const b = new RingBuffer<number>(5000);
    for (let i = 0; i < 12_345; i++) b.push(i);
    const all = b.toArray();
    expect(all).toHaveLength(5000);
    expect(all[0]).toBe(7345);
    expect(all[4999]).toBe(12_344);
  });

  it('clears', () => {
    const b = new RingBuffer<number>(2);
    b.push(1, 2, 3);
    b.clear();
    expect(b.toArray()).toEqual([]);
    expect(b.total).toBe(0);
    b.push(9);
    expect(b.toArray()).toEqual([9]);
  });

  it('refuses a silly capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('filterLines', () => {
  const lines = [{ text: 'LOG: database system is ready' }, { text: 'ERROR: relation missing' }, { text: 'log again' }];
  it('matches case-insensitively', () => {
    expect(filterLines(lines, 'log').map((l) => l.text)).toEqual(['LOG: database system is ready', 'log again']);
  });
  it('returns everything for a blank filter', () => {
    expect(filterLines(lines, '  ')).toBe(lines);
  });
});

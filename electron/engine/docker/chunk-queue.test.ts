import { PassThrough } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ChunkQueue } from './chunk-queue.js';

describe('ChunkQueue', () => {
  it('handles chunks one per turn, in order', async () => {
    const stream = new PassThrough();
    const seen: string[] = [];
    const queue = new ChunkQueue(stream, (c) => seen.push(c.toString()));
    for (const c of ['a', 'b', 'c']) stream.write(c);
    await turn();
    expect(seen.length).toBeLessThan(3);
    await queue.caughtUp();
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('caughtUp waits only for the chunks received so far, though more keep coming (a flood never drains)', async () => {
    const stream = new PassThrough();
    const seen: string[] = [];
    let n = 0;
    const queue = new ChunkQueue(stream, (c) => {
      seen.push(c.toString());
      stream.write(String(++n)); // each chunk handled brings a new one: the queue is never empty
    });
    stream.write('first');
    stream.write('second');
    await new Promise((r) => setImmediate(r)); // both received
    await queue.caughtUp();
    expect(seen.slice(0, 2)).toEqual(['first', 'second']);
    stream.destroy();
    queue.clear();
  });

  it('caughtUp resolves at once when nothing waits, and after clear', async () => {
    const stream = new PassThrough();
    const queue = new ChunkQueue(stream, () => undefined);
    await queue.caughtUp();
    stream.write('x');
    await new Promise((r) => setImmediate(r));
    const waiting = queue.caughtUp();
    queue.clear();
    await waiting;
  });
});

import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demux, FrameReader, type OutputStream } from './demux.js';

const frame = (type: number, text: string): Buffer => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

function read(chunks: Buffer[]): Array<[OutputStream, string]> {
  const got: Array<[OutputStream, string]> = [];
  const reader = new FrameReader((s, p) => got.push([s, p.toString()]));
  for (const c of chunks) reader.push(c);
  return got;
}

describe('FrameReader', () => {
  it('reads many frames of one chunk, stdout and stderr apart', () => {
    expect(read([Buffer.concat([frame(1, 'a\n'), frame(2, 'oops\n'), frame(1, 'b\n')])])).toEqual([
      ['stdout', 'a\n'],
      ['stderr', 'oops\n'],
      ['stdout', 'b\n'],
    ]);
  });

  it('joins a frame cut anywhere by chunk boundaries, header included', () => {
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'world'), frame(1, 'x'.repeat(1000))]);
    const expected = [['stdout', 'hello '], ['stderr', 'world'], ['stdout', 'x'.repeat(1000)]];
    for (const size of [1, 3, 7, 8, 9, 100, 999]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < all.length; i += size) chunks.push(all.subarray(i, i + size));
      expect(read(chunks)).toEqual(expected);
    }
  });

  it('treats a stream that is not multiplexed as plain stdout', () => {
    expect(read([Buffer.from('plain text, no header')])).toEqual([['stdout', 'plain text, no header']]);
  });

  it('reads 200,000 one-line frames in one go without copying per frame', () => {
    const big = Buffer.concat(Array.from({ length: 200_000 }, (_, i) => frame(1, `line ${i}\n`)));
    let n = 0;
    const reader = new FrameReader(() => n++);
    for (let i = 0; i < big.length; i += 65_536) reader.push(big.subarray(i, i + 65_536));
    expect(n).toBe(200_000);
  });
});

describe('demux', () => {
  it('pauses the source while a destination is full, and loses nothing', async () => {
    const source = new PassThrough();
    const got: string[] = [];
    const slow = new Writable({
      highWaterMark: 4,
      write(chunk: Buffer, _e, cb) {
        got.push(chunk.toString());
        setImmediate(cb);
      },
    });
    demux(source, slow, slow);
    for (let i = 0; i < 50; i++) source.write(frame(i % 2 ? 2 : 1, `${i};`));
    source.end();
    await new Promise((r) => source.on('end', r));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => slow.end(r));
    expect(got.join('')).toBe(Array.from({ length: 50 }, (_, i) => `${i};`).join(''));
  });
});

// The images body of a bundle import: the exact range goes out when it matches (across more
// chunks than it has buffers, into a slow receiver); a flipped byte or a truncated file ends it
// with the reason and the receiver never gets the last chunk; an empty range is checked too, and
// a version 1 bundle's sha256.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FileRangeBody, type ExpectedRange } from './file-range-body.js';
import { streamingChecksum } from './images-checksum.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-file-range-'));
const file = path.join(dir, 'data.bin');
const data = Buffer.from(Array.from({ length: 6 * 1024 * 1024 + 777 }, (_, i) => (i * 7) % 251));
writeFileSync(file, data);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a manifest says of `b` (or, with `of`, of other bytes). */
async function expected(b: Buffer, of: Buffer = b): Promise<ExpectedRange> {
  const hash = await streamingChecksum();
  hash.update(of);
  return { size: b.length, kind: 'xxh64', checksum: hash.digest() };
}

/** A receiver that takes its time with each chunk and keeps what it got. */
function receiver(): { dest: Writable; got: () => Buffer; ended: () => boolean } {
  const chunks: Buffer[] = [];
  let ended = false;
  const dest: Writable = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk)); // a copy: the body reuses its buffers
      setTimeout(done, 1);
    },
    final(done) {
      ended = true;
      done();
    },
  });
  dest.on('error', () => undefined); // destroyed with the reason, as the request to Docker is
  return { dest, got: () => Buffer.concat(chunks), ended: () => ended };
}

describe('FileRangeBody', () => {
  it('sends exactly the bytes [start, start + size) and ends the receiver when they match', async () => {
    const start = 1234;
    const range = data.subarray(start);
    const { dest, got, ended } = receiver();
    let counted = 0;
    const body = new FileRangeBody(file, start, await expected(range), 'images.tar', (n) => (counted += n));
    const finished = new Promise((resolve) => dest.once('finish', resolve));
    body.pipe(dest);
    await body.done;
    await finished;
    expect(got().equals(range)).toBe(true);
    expect(ended()).toBe(true);
    expect(counted).toBe(range.length);
    expect(body.failure).toBeUndefined();
  });

  it('refuses a flipped byte, and the receiver never gets the whole range', async () => {
    const { dest, got, ended } = receiver();
    const errors: Error[] = [];
    const body = new FileRangeBody(file, 0, await expected(data, Buffer.from('other')), 'images.tar');
    body.on('error', (e: Error) => errors.push(e));
    body.pipe(dest);
    await expect(body.done).rejects.toThrow(/images\.tar does not match its checksum/);
    expect(body.failure?.message).toMatch(/damaged/);
    expect(errors).toHaveLength(1);
    expect(dest.destroyed).toBe(true);
    expect(ended()).toBe(false);
    expect(got().length).toBeLessThan(data.length);
  });

  it('refuses a file that ends before the range does', async () => {
    const { dest, ended } = receiver();
    const body = new FileRangeBody(file, 1000, await expected(data), 'images.tar');
    body.pipe(dest);
    await expect(body.done).rejects.toThrow(/holds \d+ of \d+ bytes \(the file is truncated\)/);
    expect(ended()).toBe(false);
  });

  it('checks a range without a receiver, the empty one included', async () => {
    await expect(new FileRangeBody(file, 5, await expected(data.subarray(5, 300_005)), 'x').check()).resolves.toBeUndefined();
    await expect(new FileRangeBody(file, 5, await expected(Buffer.alloc(0)), 'x').check()).resolves.toBeUndefined();
    await expect(new FileRangeBody(file, 5, await expected(Buffer.alloc(0), data), 'x').check()).rejects.toThrow(/does not match/);
  });

  it('checks the sha256 of a version 1 bundle', async () => {
    const sha256 = createHash('sha256').update(data).digest('hex');
    await expect(new FileRangeBody(file, 0, { size: data.length, kind: 'sha256', checksum: sha256 }, 'x').check()).resolves.toBeUndefined();
    await expect(new FileRangeBody(file, 0, { size: data.length, kind: 'sha256', checksum: sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')) }, 'x').check()).rejects.toThrow(/does not match/);
  });

  it('stops when the receiver goes away', async () => {
    const { dest } = receiver();
    const body = new FileRangeBody(file, 0, await expected(data), 'images.tar');
    body.pipe(dest);
    setTimeout(() => dest.destroy(), 5);
    await expect(body.done).rejects.toThrow(/closed the connection/);
  });
});

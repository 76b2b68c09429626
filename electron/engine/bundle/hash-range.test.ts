// The worker-thread hash of a file's byte range: the same digest as hashing those bytes here,
// the empty range's digest without a thread, and a range past the end refused.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256OfRange } from './hash-range.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-hash-range-'));
const file = path.join(dir, 'data.bin');
const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
writeFileSync(file, data);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('sha256OfRange', () => {
  it('hashes exactly the bytes [start, end)', async () => {
    expect(await sha256OfRange(file, 1234, 250_000)).toBe(sha(data.subarray(1234, 250_000)));
    expect(await sha256OfRange(file, 0, data.length)).toBe(sha(data));
  });

  it('gives the empty digest for an empty range, and refuses a range past the end', async () => {
    expect(await sha256OfRange(file, 10, 10)).toBe(sha(Buffer.alloc(0)));
    await expect(sha256OfRange(file, 1000, data.length + 10)).rejects.toThrow(/ends early/);
  });
});

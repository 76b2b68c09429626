import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { streamingChecksum } from './images-checksum.js';

async function digest(kind: 'xxh64' | 'sha256', ...parts: string[]): Promise<string> {
  const hash = await streamingChecksum(kind);
  for (const p of parts) hash.update(Buffer.from(p));
  return hash.digest();
}

describe('streamingChecksum', () => {
  it('is xxHash64 (seed 0) in 16 hex digits', async () => {
    expect(await digest('xxh64')).toBe('ef46db3751d8e999');
    expect(await digest('xxh64', 'abc')).toBe('44bc2cf5ad770999');
  });

  it('gives the same digest however the bytes are cut', async () => {
    const text = 'x'.repeat(100_000) + 'end';
    expect(await digest('xxh64', text.slice(0, 3), text.slice(3, 70_001), text.slice(70_001))).toBe(await digest('xxh64', text));
  });

  it('is sha256 for a version 1 bundle', async () => {
    expect(await digest('sha256', 'ab', 'c')).toBe(createHash('sha256').update('abc').digest('hex'));
  });
});

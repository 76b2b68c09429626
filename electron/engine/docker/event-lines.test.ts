import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { onEventLines } from './event-lines.js';

describe('onEventLines', () => {
  it('gives whole lines however the stream is chunked, skipping blank ones', () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    onEventLines(stream, (line) => lines.push(line));
    const text = '{"a":1}\n\n{"b":"é"}\n{"c":3}\n{"d"';
    const bytes = Buffer.from(text);
    // One byte at a time: splits every line and the two-byte "é".
    for (const byte of bytes) stream.write(Buffer.from([byte]));
    expect(lines).toEqual(['{"a":1}', '{"b":"é"}', '{"c":3}']);
    stream.write(':4}\n');
    expect(lines.at(-1)).toBe('{"d":4}');
  });
});

// Docker's multiplexed stream (a container without a TTY: logs, exec output): frames of an
// 8-byte header (stream type, 3 zero bytes, payload size as a big-endian uint32) and the
// payload. docker-modem's demuxStream copies the unread rest of its buffer after every frame,
// which is quadratic in the frames per chunk: a chatty container (a line per frame, thousands of
// frames per 64 KiB chunk) copied megabytes per chunk and made our log view slower than
// `docker logs`. This reads frames at an offset, keeps only a frame cut by a chunk boundary,
// and passes backpressure on to the source.
import type { Writable } from 'node:stream';

export type OutputStream = 'stdout' | 'stderr';

/** Splits a multiplexed byte stream into payloads; `push` each chunk in order. */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes the frame at the head of `pending` needs in all (header + payload), once known. */
  private needed = 8;
  /** Not multiplexed after all (or misaligned): everything from here on is stdout, as Docker's CLI does. */
  private raw = false;

  constructor(private readonly onPayload: (stream: OutputStream, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    if (this.raw) {
      this.onPayload('stdout', chunk);
      return;
    }
    if (this.pendingBytes) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < this.needed) return; // a large frame still arriving: no copying yet
      chunk = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let offset = 0;
    while (chunk.length - offset >= 8) {
      const type = chunk.readUInt8(offset);
      if (type > 2) {
        this.raw = true;
        this.onPayload('stdout', chunk.subarray(offset));
        return;
      }
      const size = chunk.readUInt32BE(offset + 4);
      if (chunk.length - offset - 8 < size) break;
      const payload = chunk.subarray(offset + 8, offset + 8 + size);
      offset += 8 + size;
      if (size > 0) this.onPayload(type === 2 ? 'stderr' : 'stdout', payload);
    }
    if (offset < chunk.length) {
      const rest = chunk.subarray(offset);
      this.pending = [rest];
      this.pendingBytes = rest.length;
      this.needed = rest.length >= 8 ? 8 + rest.readUInt32BE(4) : 8;
    }
  }
}

/**
 * Demultiplexes `source` into `stdout` and `stderr` (the two may be one stream); the source is
 * paused while a destination is full. The destinations are not ended here.
 */
export function demux(source: NodeJS.ReadableStream, stdout: Writable, stderr: Writable): void {
  const reader = new FrameReader((stream, payload) => {
    const target = stream === 'stderr' ? stderr : stdout;
    if (!target.write(payload) && !source.isPaused()) {
      source.pause();
      target.once('drain', () => source.resume());
    }
  });
  source.on('data', (chunk: Buffer) => reader.push(chunk));
}

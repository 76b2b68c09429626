// The body of a bundle import's POST /images/load: bytes [start, start + size) of the bundle
// file, read once into a few reused buffers, each checksummed (images-checksum.ts) and written
// to the request; the last chunk is written only after the whole range's size and checksum
// matched the manifest, so Docker never receives a damaged archive whole (a mismatch destroys
// the request instead). Reused buffers, not a read stream of fresh ones: the first version made
// seconds of garbage collection for the 2.2 GiB tm351 import. The checksum is xxHash64 on this
// thread (0.3 s for those 2.2 GiB); the sha256 of a version 1 bundle takes ~2.6 s more.
//
// docker-modem sends a body it is given by calling `on('error')` and `pipe(request)` on it;
// this class has exactly those (it is not a Readable: a Readable cannot know when the request
// is done with a chunk, and so could not reuse its buffers).
import { EventEmitter } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { BundleRefused } from './bundle-format.js';
import { streamingChecksum, type ChecksumKind } from './images-checksum.js';

const CHUNK = 1024 * 1024;
const BUFFERS = 4;

export interface ExpectedRange {
  size: number;
  kind: ChecksumKind;
  checksum: string;
}

export class FileRangeBody extends EventEmitter {
  /** Set when the range was not the one the manifest names (the reason, for the student). */
  failure: BundleRefused | undefined;
  /** Resolves when every byte went out checked; rejects with the reason it did not. */
  readonly done: Promise<void>;
  private started = false;
  private settle!: { resolve: () => void; reject: (err: Error) => void };

  constructor(
    private readonly file: string,
    private readonly start: number,
    private readonly expected: ExpectedRange,
    private readonly label: string,
    /** Called with the number of bytes of each chunk read (for progress). */
    private readonly onBytes: (n: number) => void = () => undefined,
  ) {
    super();
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined); // the caller reads `failure` or awaits `done`
  }

  /** Writes the range into `dest` and ends it; on a mismatch destroys it and emits 'error'. */
  pipe<T extends Writable>(dest: T): T {
    this.begin(dest);
    return dest;
  }

  /** Reads and checks the range without sending it anywhere (an empty images entry). */
  check(): Promise<void> {
    this.begin(undefined);
    return this.done;
  }

  private begin(dest: Writable | undefined): void {
    if (this.started) throw new Error('FileRangeBody sends its range once');
    this.started = true;
    this.run(dest).then(this.settle.resolve, (err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      dest?.destroy(error);
      if (this.listenerCount('error')) this.emit('error', error);
      this.settle.reject(error);
    });
  }

  private async run(dest: Writable | undefined): Promise<void> {
    const { size } = this.expected;
    const hash = await streamingChecksum(this.expected.kind);
    const matches = (): boolean => hash.digest() === this.expected.checksum;
    if (size === 0) {
      if (!matches()) throw (this.failure = this.mismatch('does not match its checksum (the file is damaged)'));
      dest?.end();
      return;
    }
    const handle = await open(this.file, 'r');
    const receiver = { closed: false };
    /** The request went away (Docker hung up, or it was destroyed) before it was ended. */
    const closed = (): boolean => receiver.closed;
    let waiter: (() => void) | undefined;
    const wake = (): void => {
      const w = waiter;
      waiter = undefined;
      w?.();
    };
    const onClose = (): void => {
      receiver.closed = true;
      wake();
    };
    dest?.once('close', onClose);
    const free = Array.from({ length: BUFFERS }, () => Buffer.allocUnsafe(CHUNK));
    const gone = (): Error => new Error('Docker closed the connection before the images were sent');
    try {
      let position = 0;
      while (position < size) {
        if (closed()) throw gone();
        const buffer = free.pop();
        if (!buffer) {
          await new Promise<void>((resolve) => (waiter = resolve));
          continue;
        }
        const want = Math.min(CHUNK, size - position);
        const { bytesRead } = await handle.read(buffer, 0, want, this.start + position);
        if (bytesRead === 0) throw (this.failure = this.mismatch(`holds ${position} of ${size} bytes (the file is truncated)`));
        position += bytesRead;
        this.onBytes(bytesRead);
        const chunk = buffer.subarray(0, bytesRead);
        hash.update(chunk);
        // The last chunk: held back until everything before it and itself matched.
        if (position === size && !matches()) throw (this.failure = this.mismatch('does not match its checksum (the file is damaged)'));
        const release = (): void => {
          free.push(buffer);
          wake();
        };
        if (!dest) {
          release();
          continue;
        }
        if (closed()) throw gone();
        // Not waiting for 'drain': the next chunk is read while this one is still queued, so the
        // socket never runs dry between reads; the buffer pool bounds what is queued.
        dest.write(chunk, release);
      }
      if (dest) {
        if (closed()) throw gone();
        dest.end();
      }
    } finally {
      dest?.off('close', onClose);
      await handle.close();
    }
  }

  private mismatch(what: string): BundleRefused {
    return new BundleRefused(`This bundle is damaged: ${this.label} ${what}.`);
  }
}

// The body of a bundle import's POST /images/load: bytes [start, start + size) of the bundle
// file, read once into a few reused buffers, each written to the request and hashed on this
// thread as it goes; the last chunk is written only after the whole range's size and sha256
// matched the manifest, so Docker never receives a damaged archive whole (a mismatch destroys
// the request instead). Why not a read stream and a hashing thread beside it (the first
// version): on 2 cores that read the file twice, allocated a fresh 4 MiB buffer per chunk and
// spent seconds in the garbage collector; measured, ~8.5 s of CPU for a 2.2 GiB import against
// ~4 s this way, and dockerd competes for the same cores. The hash runs in 256 KiB slices with
// the event loop turning between them, so the socket to Docker keeps being fed (a 1 MiB hash
// would stall it) and the app stays responsive.
//
// docker-modem sends a body it is given by calling `on('error')` and `pipe(request)` on it;
// this class has exactly those (it is not a Readable: a Readable cannot know when the request
// is done with a chunk, and so could not reuse its buffers).
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { BundleRefused } from './bundle-format.js';

const CHUNK = 1024 * 1024;
const BUFFERS = 4;
const SLICE = 256 * 1024;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
    private readonly expected: { size: number; sha256: string },
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
    const hash = createHash('sha256');
    const handle = await open(this.file, 'r');
    const receiver = { closed: false };
    /** The request went away (Docker hung up, or it was destroyed) before it was ended. */
    const closed = (): boolean => receiver.closed;
    const onClose = (): void => {
      receiver.closed = true;
      wake();
    };
    dest?.once('close', onClose);
    const free = Array.from({ length: BUFFERS }, () => Buffer.allocUnsafeSlow(CHUNK));
    let waiter: (() => void) | undefined;
    const wake = (): void => {
      const w = waiter;
      waiter = undefined;
      w?.();
    };
    let hashing = Promise.resolve();
    const hashSliced = async (bytes: Buffer): Promise<void> => {
      for (let at = 0; at < bytes.length; at += SLICE) {
        if (at > 0) await turn();
        hash.update(bytes.subarray(at, at + SLICE));
      }
    };
    const gone = (): Error => new Error('Docker closed the connection before the images were sent');
    try {
      let position = 0;
      while (position < size) {
        const buffer = free.pop();
        if (closed()) throw gone();
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
        hashing = hashing.then(() => hashSliced(chunk));
        if (position === size) {
          // The last chunk: held back until everything before it and itself hashed and matched.
          await hashing;
          if (hash.digest('hex') !== this.expected.sha256) throw (this.failure = this.mismatch('does not match its checksum (the file is damaged)'));
        }
        if (!dest) {
          void hashing.then(() => free.push(buffer)).then(wake);
          continue;
        }
        if (closed()) throw gone();
        let pending = 2; // the request's write and the hash, each done with the buffer
        const release = (): void => {
          if (--pending === 0) {
            free.push(buffer);
            wake();
          }
        };
        void hashing.then(release);
        if (!dest.write(chunk, release)) {
          await new Promise<void>((resolve) => {
            const go = (): void => {
              dest.off('drain', go);
              dest.off('close', go);
              resolve();
            };
            dest.on('drain', go).on('close', go);
          });
        }
      }
      if (size === 0 && hash.digest('hex') !== this.expected.sha256) throw (this.failure = this.mismatch('does not match its checksum (the file is damaged)'));
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

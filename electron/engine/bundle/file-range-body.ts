// The body of a bundle import's POST /images/load: bytes [start, start + size) of the bundle
// file, read once into a few reused buffers, each written to the request and hashed beside it;
// the last chunk is written only after the whole range's size and sha256 matched the manifest,
// so Docker never receives a damaged archive whole (a mismatch destroys the request instead).
// The buffers are shared memory: a worker thread hashes the very bytes the request sends, with
// no second read of the file and no copy. Measured on the 2-core machine with dockerd and other
// work competing, for the 2.2 GiB tm351 import: the first version (a read stream of fresh 4 MiB
// buffers plus a thread reading the file again to hash it) used ~8.5 s of CPU and seconds of
// garbage collection; hashing on the main thread between writes used ~4.5 s but, being one
// thread, got one share of a busy machine and fed Docker slower than `docker load` does.
//
// docker-modem sends a body it is given by calling `on('error')` and `pipe(request)` on it;
// this class has exactly those (it is not a Readable: a Readable cannot know when the request
// is done with a chunk, and so could not reuse its buffers).
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { BundleRefused } from './bundle-format.js';

const CHUNK = 1024 * 1024;
const BUFFERS = 4;

// Plain CommonJS, evaluated by the worker (no file of its own to find in a bundle). Hashes the
// chunks it is told of, in order, from the shared buffers; answers each, the last with the digest.
const HASHER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
const bytes = new Uint8Array(workerData.shared);
parentPort.on('message', ({ offset, length, last }) => {
  hash.update(bytes.subarray(offset, offset + length));
  parentPort.postMessage(last ? hash.digest('hex') : '');
});
`;

/** A thread hashing chunks of `shared` in the order given; `update` resolves when one is done. */
class Hasher {
  private readonly worker: Worker;
  private readonly waiting: Array<{ resolve: (digest: string) => void; reject: (err: Error) => void }> = [];
  private failed: Error | undefined;

  constructor(shared: SharedArrayBuffer) {
    this.worker = new Worker(HASHER_SOURCE, { eval: true, workerData: { shared } });
    this.worker.on('message', (digest: string) => this.waiting.shift()?.resolve(digest));
    const fail = (err: Error): void => {
      this.failed = err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the hashing thread stopped (exit code ${code})`)));
  }

  /** Hashes bytes [offset, offset + length) of the shared memory; the last resolves with the digest. */
  update(offset: number, length: number, last: boolean): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage({ offset, length, last });
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
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
    if (size === 0) {
      if (createHash('sha256').digest('hex') !== this.expected.sha256) throw (this.failure = this.mismatch('does not match its checksum (the file is damaged)'));
      dest?.end();
      return;
    }
    const shared = new SharedArrayBuffer(CHUNK * BUFFERS);
    const hasher = new Hasher(shared);
    const handle = await open(this.file, 'r').catch(async (err: unknown) => {
      await hasher.close();
      throw err;
    });
    const receiver = { closed: false };
    /** The request went away (Docker hung up, or it was destroyed) before it was ended. */
    const closed = (): boolean => receiver.closed;
    const onClose = (): void => {
      receiver.closed = true;
      wake();
    };
    dest?.once('close', onClose);
    const free = Array.from({ length: BUFFERS }, (_, i) => ({ offset: i * CHUNK, bytes: Buffer.from(shared, i * CHUNK, CHUNK) }));
    let waiter: (() => void) | undefined;
    const wake = (): void => {
      const w = waiter;
      waiter = undefined;
      w?.();
    };
    const gone = (): Error => new Error('Docker closed the connection before the images were sent');
    let hashFailed: Error | undefined;
    const onHashFailed = (err: Error): void => {
      hashFailed = err;
      wake();
    };
    try {
      let position = 0;
      while (position < size) {
        const buffer = free.pop();
        if (hashFailed) throw hashFailed;
        if (closed()) throw gone();
        if (!buffer) {
          await new Promise<void>((resolve) => (waiter = resolve));
          continue;
        }
        const want = Math.min(CHUNK, size - position);
        const { bytesRead } = await handle.read(buffer.bytes, 0, want, this.start + position);
        if (bytesRead === 0) throw (this.failure = this.mismatch(`holds ${position} of ${size} bytes (the file is truncated)`));
        position += bytesRead;
        this.onBytes(bytesRead);
        const chunk = buffer.bytes.subarray(0, bytesRead);
        const last = position === size;
        const hashed = hasher.update(buffer.offset, bytesRead, last);
        hashed.catch(() => undefined); // awaited below or, on the way out, no longer wanted
        if (last) {
          // The last chunk: held back until everything before it and itself hashed and matched.
          if ((await hashed) !== this.expected.sha256) throw (this.failure = this.mismatch('does not match its checksum (the file is damaged)'));
        }
        if (!dest) {
          void hashed.then(() => {
            free.push(buffer);
            wake();
          }, onHashFailed);
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
        void hashed.then(release, onHashFailed);
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
      if (dest) {
        if (closed()) throw gone();
        dest.end();
      }
    } finally {
      dest?.off('close', onClose);
      await handle.close();
      await hasher.close();
    }
  }

  private mismatch(what: string): BundleRefused {
    return new BundleRefused(`This bundle is damaged: ${this.label} ${what}.`);
  }
}

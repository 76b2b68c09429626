// The sha256 of a byte range of a file, computed on a worker thread. A bundle's images are
// gigabytes: hashed on the main thread, every chunk waits for its hash before it goes on to
// Docker, and Docker waits with it (measured: ~2 s of an 11 s import on 2 cores). Reading the
// range a second time costs little: the file is in the page cache by then, or read ahead.
import { Worker } from 'node:worker_threads';
import { createHash } from 'node:crypto';

// Plain CommonJS, evaluated by the worker (no file of its own to find in a bundle).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
let bytes = 0;
createReadStream(workerData.file, { start: workerData.start, end: workerData.end - 1, highWaterMark: 4 << 20 })
  .on('data', (c) => { hash.update(c); bytes += c.length; })
  .on('error', (e) => parentPort.postMessage({ error: String((e && e.message) || e) }))
  .on('end', () => parentPort.postMessage(bytes === workerData.end - workerData.start ? { sha256: hash.digest('hex') } : { error: 'the file ends early' }));
`;

/** sha256 (hex) of bytes [start, end) of `file`; rejects when they cannot all be read. */
export function sha256OfRange(file: string, start: number, end: number): Promise<string> {
  if (end <= start) return Promise.resolve(createHash('sha256').digest('hex'));
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, start, end } });
    worker.once('message', (m: { sha256?: string; error?: string }) => {
      if (m.sha256) resolve(m.sha256);
      else reject(new Error(m.error ?? 'no hash'));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hashing thread stopped (exit code ${code})`)));
  });
}

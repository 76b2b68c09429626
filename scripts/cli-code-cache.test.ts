// bin/code-cache.js: the command line's bundle runs with V8's code cache. A cache is only used
// for the very bundle it was made from and only when whole (V8 crashes on damaged bytecode), a
// foreign or damaged one is replaced, and a cache that cannot be written changes nothing but
// speed. Each load runs in a fresh process: within one, V8's own in-memory cache would answer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';

const LOADER = pathToFileURL(path.resolve(import.meta.dirname, '../bin/code-cache.js')).href;

let dir: string;
let file: string;
const bundle = (n: number) => `exports.answer = () => ${n};\nexports.sep = async () => (await Promise.resolve().then(() => require('node:path'))).sep;\n`;

/** Loads `file` in a new process, runs it, saves the cache; what happened. */
function run(cacheFile?: string): { usedCache: boolean; answer: number; sep: string } {
  const code = `import { loadWithCodeCache } from ${JSON.stringify(LOADER)};
const m = loadWithCodeCache(${JSON.stringify(file)}${cacheFile ? `, ${JSON.stringify(cacheFile)}` : ''});
const out = { usedCache: m.usedCache, answer: m.exports.answer(), sep: await m.exports.sep() };
m.save();
console.log(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })) as { usedCache: boolean; answer: number; sep: string };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'code-cache-'));
  file = path.join(dir, 'bundle.cjs');
  writeFileSync(file, bundle(41));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('writes the cache after the first run and uses it from the second', () => {
  expect(run()).toEqual({ usedCache: false, answer: 41, sep: path.sep });
  expect(readFileSync(`${file}.v8cache`).subarray(0, 24).toString()).toBe('coursedock-v8-code-cache');
  expect(run()).toEqual({ usedCache: true, answer: 41, sep: path.sep });
});

it('does not use the cache of another bundle of the same length, and replaces it', () => {
  run();
  writeFileSync(file, bundle(42)); // same length, other code: V8 alone would take the old cache
  utimesSync(file, new Date(2000, 0, 1), new Date(2000, 0, 1));
  expect(run()).toMatchObject({ usedCache: false, answer: 42 });
  expect(run()).toMatchObject({ usedCache: true, answer: 42 });
});

it('runs from source when the cached bytecode is damaged (V8 would crash on it), and writes a good cache', () => {
  run();
  const cache = readFileSync(`${file}.v8cache`);
  const keep = cache.indexOf(10) + 1 + 64; // our line and V8's own header intact, the bytecode not
  writeFileSync(`${file}.v8cache`, Buffer.concat([cache.subarray(0, keep), Buffer.alloc(cache.length - keep, 7)]));
  expect(run()).toMatchObject({ usedCache: false, answer: 41 });
  expect(run()).toMatchObject({ usedCache: true, answer: 41 });
});

it('goes on without a cache where none can be written', () => {
  const nowhere = path.join(dir, 'missing-folder', 'bundle.cjs.v8cache');
  expect(run(nowhere)).toMatchObject({ usedCache: false, answer: 41 });
  expect(run(nowhere)).toMatchObject({ usedCache: false, answer: 41 });
});

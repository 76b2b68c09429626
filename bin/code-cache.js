// Runs the command line's CommonJS bundle with V8's code cache. Compiling the 4.8 MB bundle (and
// then each function it calls, lazily) was the largest part of a command's start-up; the cache
// holds the bytecode of what the last command compiled, so the next one only reads it.
// Node 20 has no compile cache for ES modules (module.enableCompileCache is Node 22), hence a
// classic script through node:vm, wrapped like any CommonJS module.
//
// The cache sits beside the bundle (`<bundle>.v8cache`) and starts with one line naming the
// bundle it was made from (size, modification time, inode), the Node version and the sha1 of the
// bytecode that follows. V8 itself only checks the source's length (a rebuilt bundle of the same
// length must not get an old cache) and does not check the bytecode at all: a damaged cache with
// an intact V8 header crashes the process. A cache that is missing, of another bundle, damaged or
// refused by V8 is written anew after the command; one that cannot be written (a read-only
// install) is simply not used. Never a failure.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const MAGIC = 'coursedock-v8-code-cache';

/** What the first line of a cache made from `file`, as it is now, starts with. */
function bundleIdOf(file) {
  const s = statSync(file);
  return `${MAGIC} ${s.size} ${s.mtimeMs} ${s.ino} ${process.version} ${process.arch}`;
}

const sha1 = (data) => createHash('sha1').update(data).digest('hex');

/** The cached bytecode for `file`, when the cache was made from this very bundle and is whole. */
function readCache(cacheFile, bundleId) {
  let raw;
  try {
    raw = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const end = raw.indexOf(10);
  if (end < 0) return undefined;
  const header = raw.subarray(0, end).toString('latin1');
  const data = raw.subarray(end + 1);
  return header === `${bundleId} ${sha1(data)}` ? data : undefined;
}

function writeCache(cacheFile, bundleId, data) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${bundleId} ${sha1(data)}\n`, 'latin1'), data]));
    renameSync(tmp, cacheFile); // whole or not at all: other processes may be reading it
  } catch {
    rmSync(tmp, { force: true });
  }
}

/**
 * Loads the CommonJS module `file` as `require` would, with the code cache. Returns its exports
 * and `save`, to call once the work is done: the cache then holds every function that ran.
 */
export function loadWithCodeCache(file, cacheFile = `${file}.v8cache`) {
  const bundleId = bundleIdOf(file);
  const cachedData = readCache(cacheFile, bundleId);
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  }); // no importModuleDynamically: the build turns import() into require() (scripts/build.mjs)
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  let fresh = !cachedData || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    usedCache: !fresh,
    save: () => {
      if (fresh) writeCache(cacheFile, bundleId, script.createCachedData());
      fresh = false; // once per process
    },
  };
}

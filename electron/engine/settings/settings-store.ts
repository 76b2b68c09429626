// Where Coursedock remembers things between runs: generated tokens, auto-corrected ports,
// folders the student chose. The desktop shell backs this with electron-store; the browser
// shell and the CLI with a JSON file in the same folder. Keys are dotted paths. Several of
// them run at once on one folder, so every change is made to the file on disk under a lock.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { withFileLock } from './file-lock.js';

export interface SettingsStore {
  /** The value at `key` as the file holds it, whatever that is: readSetting checks its shape. */
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /**
   * Read-modify-write of one key as a single step across processes, where the store can
   * (create-if-absent of generated secrets). Returns the value now stored.
   */
  update?<T>(key: string, change: (current: unknown) => T): T;
}

/**
 * The setting at `key` when it has the shape `schema` describes, else undefined (as if unset): the
 * file is shared with the CLI and other versions and may be edited by hand, so what is read is
 * checked, not assumed.
 */
export function readSetting<T>(store: Pick<SettingsStore, 'get'>, key: string, schema: z.ZodType<T>): T | undefined {
  const read = schema.safeParse(store.get(key));
  return read.success ? read.data : undefined;
}

/** Coursedock's data folder: COURSEDOCK_HOME, else the platform's usual place. */
export function dataDir(env: Record<string, string | undefined> = process.env): string {
  if (env.COURSEDOCK_HOME) return env.COURSEDOCK_HOME;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Coursedock');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Coursedock');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Coursedock');
}

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

// Keys come from outside (a course folder named `__proto__`, a variable named `constructor`):
// only own properties are followed, and writes define own properties, so `a.__proto__.b` is
// a key like any other and never reaches Object.prototype.
const own = (tree: Tree, part: string): unknown => (Object.hasOwn(tree, part) ? tree[part] : undefined);
const define = (tree: Tree, part: string, value: unknown): void => {
  Object.defineProperty(tree, part, { value, writable: true, enumerable: true, configurable: true });
};

export function getPath(tree: Tree, key: string): unknown {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (!isTree(node)) return undefined;
    node = own(node, part);
  }
  return node;
}

/**
 * `tree` with the value at `key` replaced, or removed when `value` is undefined: a new tree that
 * shares what the change does not touch, `tree` left as it was. A key keeps its place among its
 * siblings when replaced; missing parents are made.
 */
export function withPath(tree: Tree, key: string, value: unknown): Tree {
  return withParts(tree, key.split('.'), value);
}

function withParts(tree: Tree, [part = '', ...rest]: string[], value: unknown): Tree {
  if (rest.length > 0) {
    const child = own(tree, part);
    return withOwn({ ...tree }, part, withParts(isTree(child) ? child : {}, rest, value));
  }
  if (value !== undefined) return withOwn({ ...tree }, part, value);
  return Object.fromEntries(Object.entries(tree).filter(([k]) => k !== part));
}

const withOwn = (tree: Tree, part: string, value: unknown): Tree => {
  define(tree, part, value);
  return tree;
};

/**
 * A JSON file shared by every Coursedock process using this settings folder. Each change is
 * a read-modify-write of the file on disk under a short cross-process lock (`<file>.lock`,
 * see file-lock.ts), applying only the changed key to what is there now, and written
 * atomically (temporary file, then rename; owner-only). Reads re-read the file when another
 * process replaced it (its inode, size or times changed), so no process works from a stale copy.
 */
export class FileSettingsStore implements SettingsStore {
  private tree: Tree = {};
  /** The file's identity when `tree` was read from it or written to it ('absent': no file). */
  private seen = '';
  private corrupt?: string;

  constructor(
    readonly file: string,
    private readonly warn: (message: string) => void = (m) => console.warn(m),
  ) {
    this.refresh();
  }

  /** Where an unreadable settings file was moved aside (`settings.json.corrupt-<n>`), if one was. */
  get corruptCopy(): string | undefined {
    return this.corrupt;
  }

  get(key: string): unknown {
    this.refresh();
    return getPath(this.tree, key);
  }

  set(key: string, value: unknown): void {
    this.update(key, () => value);
  }

  delete(key: string): void {
    this.set(key, undefined);
  }

  /**
   * Replaces the value at `key` by `change(current value)`, reading the current value from the
   * file under the lock: "create if absent" is `update(key, (v) => v ?? make())`, and two
   * processes racing on it end with one value that both get back.
   */
  update<T>(key: string, change: (current: unknown) => T): T {
    return withFileLock(settingsLockFile(this.file), () => {
      this.refresh(true);
      const next = change(getPath(this.tree, key));
      // `change` may itself have changed the file (this process: the lock is re-entrant).
      this.refresh(true);
      const current = getPath(this.tree, key);
      // An object may be the very one `get` returned, changed in place: always written.
      const unchanged = next === current && (typeof next !== 'object' || next === null);
      if (!unchanged) {
        this.tree = withPath(this.tree, key, next);
        this.save();
      }
      return next;
    });
  }

  /** Re-reads the file if it changed since it was last read or written here. */
  private refresh(locked = false): void {
    const now = identity(this.file);
    if (now === this.seen) return;
    if (now === 'absent') {
      this.tree = {};
      this.seen = now;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') { this.refresh(locked); return; } // replaced meanwhile
      parsed = undefined;
    }
    if (isTree(parsed)) {
      this.tree = parsed;
      this.seen = now;
      return;
    }
    // Unreadable: look again under the lock (a writer may be mid-change) before moving it aside.
    if (!locked) { withFileLock(settingsLockFile(this.file), () => this.refresh(true)); return; }
    this.setAsideCorrupt();
  }

  // Not JSON settings (a half-written file, an edit gone wrong): keep it for the student to
  // recover what they need, and start fresh rather than overwrite it on the next change.
  private setAsideCorrupt(): void {
    let n = 1;
    while (existsSync(`${this.file}.corrupt-${n}`)) n++;
    const copy = `${this.file}.corrupt-${n}`;
    renameSync(this.file, copy);
    this.corrupt = copy;
    this.tree = {};
    this.seen = 'absent';
    this.warn(`Coursedock's settings file ${this.file} could not be read; it was kept as ${copy} and Coursedock starts with fresh settings.`);
  }

  private save(): void {
    writeJsonAtomically(this.file, this.tree);
    this.seen = identity(this.file);
  }
}

/** The lock file guarding a settings file (every store of that file, in any process, uses it). */
export const settingsLockFile = (file: string): string => `${file}.lock`;

/** What changes when the file is replaced or rewritten: inode, size, modification times. */
function identity(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'absent';
  }
}

/** Writes `value` as JSON to `file` through a temporary file and a rename, owner-only. */
export function writeJsonAtomically(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export const defaultSettingsStore = (): FileSettingsStore =>
  new FileSettingsStore(path.join(dataDir(), 'settings.json'));

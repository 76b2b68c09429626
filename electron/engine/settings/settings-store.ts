// Where Coursedock remembers things between runs: generated tokens, auto-corrected ports,
// folders the student chose. The desktop shell backs this with electron-store; the browser
// shell and the CLI with a JSON file in the same folder. Keys are dotted paths. Several of
// them run at once on one folder, so every change is made to the file on disk under a lock.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withFileLock } from './file-lock.js';

export interface SettingsStore {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /**
   * Read-modify-write of one key as a single step across processes, where the store can
   * (create-if-absent of generated secrets). Returns the value now stored.
   */
  update?<T>(key: string, change: (current: unknown) => T): T;
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

export function setPath(tree: Tree, key: string, value: unknown): void {
  const parts = key.split('.');
  const last = parts.pop() ?? '';
  let node = tree;
  for (const part of parts) {
    const next = own(node, part);
    if (isTree(next)) node = next;
    else {
      const created: Tree = {};
      define(node, part, created);
      node = created;
    }
  }
  if (value === undefined) delete node[last];
  else define(node, last, value);
}

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

  get<T = unknown>(key: string): T | undefined {
    this.refresh();
    return getPath(this.tree, key) as T | undefined;
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
        setPath(this.tree, key, next);
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

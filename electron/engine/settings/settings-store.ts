// Where Coursedock remembers things between runs: generated tokens, auto-corrected ports,
// folders the student chose. The desktop shell backs this with electron-store; the browser
// shell and the CLI with a JSON file in the same folder. Keys are dotted paths.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SettingsStore {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
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
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    const next = own(node, part);
    if (isTree(next)) node = next;
    else {
      const created: Tree = {};
      define(node, part, created);
      node = created;
    }
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete node[last];
  else define(node, last, value);
}

/** A JSON file, rewritten atomically on every change (changes are rare and small). */
export class FileSettingsStore implements SettingsStore {
  private tree: Tree;
  /** Where an unreadable settings file was moved aside (`settings.json.corrupt-<n>`), if one was. */
  readonly corruptCopy?: string;

  constructor(
    readonly file: string,
    warn: (message: string) => void = (m) => console.warn(m),
  ) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined; // no settings yet
    }
    let parsed: unknown;
    try {
      parsed = text === undefined ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isTree(parsed)) {
      this.tree = parsed;
      return;
    }
    // Not JSON settings (a half-written file, an edit gone wrong): keep it for the student to
    // recover what they need, and start fresh rather than overwrite it on the next change.
    this.tree = {};
    let n = 1;
    while (existsSync(`${file}.corrupt-${n}`)) n++;
    this.corruptCopy = `${file}.corrupt-${n}`;
    renameSync(file, this.corruptCopy);
    warn(`Coursedock's settings file ${file} could not be read; it was kept as ${this.corruptCopy} and Coursedock starts with fresh settings.`);
  }

  get<T = unknown>(key: string): T | undefined {
    return getPath(this.tree, key) as T | undefined;
  }

  set(key: string, value: unknown): void {
    setPath(this.tree, key, value);
    this.save();
  }

  delete(key: string): void {
    this.set(key, undefined);
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.tree, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

export const defaultSettingsStore = (): FileSettingsStore =>
  new FileSettingsStore(path.join(dataDir(), 'settings.json'));

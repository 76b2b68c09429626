// The engine's SettingsStore over electron-store (whose base, `conf`, is what this takes, so
// the unit tests run it under plain Node). The desktop app writes the SAME file as the CLI and
// the browser shell (<dataDir>/settings.json, same dotted keys), so a port Coursedock moved or a
// folder the student chose is the same whichever way they start it.
//
// Secrets at rest: values under `environments.<project>.variables.<NAME containing TOKEN>` (the
// notebook's per-install token) are encrypted with Electron's safeStorage where the OS offers a
// real key store (Keychain, DPAPI, libsecret/kwallet; not Linux's "basic_text" fallback) and
// kept under `encrypted.<that key>` as base64, the plain key removed. The CLI and the browser
// shell never read `encrypted.*`: they see no token and make their own (a plain one), which
// the desktop adopts and encrypts the next time it reads it. So the file never holds a value
// the CLI would misread, at the price of a new token (and a recreated notebook container,
// student files kept) when the CLI and the desktop app take turns. A value that cannot be
// decrypted any more (the OS key store was reset) reads as missing, so a new token is made.
// See docs/security.md.
//
// Changes are made like FileSettingsStore's: a read-modify-write of the file under the same
// short cross-process lock (`settings.json.lock`), so the desktop app, the browser shell and
// the CLI never drop each other's keys.
import { withFileLock } from '../engine/settings/file-lock.js';
import { getPath, settingsLockFile, withPath, type SettingsStore } from '../engine/settings/settings-store.js';

/**
 * What the adapter uses of electron-store / conf: the whole tree, read from the file on each
 * access and written back atomically. Not conf's own dotted get/set: its dot-prop turns a
 * numeric segment into an array index (`ports.notebook.8888` would become an array of 8889
 * entries), where the engine's keys mean object keys, as FileSettingsStore reads them.
 */
export interface TreeStore {
  store: Record<string, unknown>;
  /** The file (conf's `path`): changes are made under its lock when known. */
  readonly path?: string;
}

/** What the adapter uses of Electron's safeStorage. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Where encrypted secrets live: `encrypted.<key>`, a subtree the CLI never reads. */
export const ENCRYPTED_PREFIX = 'encrypted.';

/** `environments.<project>.variables.<NAME>` where NAME contains TOKEN (any case). */
export const isSecretKey = (key: string): boolean => /^environments\.[^.]+\.variables\.[^.]*token[^.]*$/i.test(key);

/** withPath, without leaving empty parents behind when removing what is not there. */
function put(tree: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  if (value === undefined && getPath(tree, key) === undefined) return tree;
  return withPath(tree, key, value);
}

export class ElectronSettingsStore implements SettingsStore {
  constructor(
    private readonly file: TreeStore,
    private readonly cipher?: SecretCipher,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  private canEncrypt(): boolean {
    return this.usableCipher() !== undefined;
  }

  /** The cipher when this computer's key store can be used now, else undefined. */
  private usableCipher(): SecretCipher | undefined {
    try {
      return this.cipher?.isEncryptionAvailable() ? this.cipher : undefined;
    } catch {
      return undefined;
    }
  }

  get(key: string): unknown {
    const { value, inClear } = this.read(key, this.tree());
    // A token written in clear (before encryption was available here, or by the CLI): protect
    // it now, as it is in the file at that moment (another process may have changed it).
    if (inClear && this.canEncrypt()) this.update(key, (current) => current);
    return value;
  }

  /** The value at `key` in `tree` (a secret decrypted), and whether it is a secret kept in clear. */
  private read(key: string, tree: Record<string, unknown>): { value: unknown; inClear: boolean } {
    const plain = getPath(tree, key);
    if (!isSecretKey(key)) return { value: plain, inClear: false };
    if (typeof plain === 'string') return { value: plain, inClear: true };
    const sealed = getPath(tree, ENCRYPTED_PREFIX + key);
    if (typeof sealed !== 'string') return { value: plain, inClear: false };
    const cipher = this.usableCipher();
    if (!cipher) {
      this.log(`${key} is encrypted but this computer's key store is not available: treated as missing.`);
      return { value: undefined, inClear: false };
    }
    try {
      return { value: cipher.decryptString(Buffer.from(sealed, 'base64')), inClear: false };
    } catch {
      this.log(`${key} could not be decrypted (the key store changed?): treated as missing.`);
      return { value: undefined, inClear: false };
    }
  }

  set(key: string, value: unknown): void {
    this.update(key, () => value);
  }

  delete(key: string): void {
    this.update(key, () => undefined);
  }

  /**
   * Replaces the value at `key` by `change(current value)` as one step across processes (the
   * current value read from the file under the lock): a token made on first run is made once.
   */
  update<T>(key: string, change: (current: unknown) => T): T {
    const step = (): T => {
      const next = change(this.read(key, this.tree()).value);
      // Read again: `change` may itself have changed the file (the lock is re-entrant).
      this.write(this.tree(), key, next);
      return next;
    };
    return this.file.path ? withFileLock(settingsLockFile(this.file.path), step) : step();
  }

  /** The whole settings tree, fresh from the file (the CLI may have written it since). */
  private tree(): Record<string, unknown> {
    try {
      return this.file.store;
    } catch (err) {
      this.log(`settings could not be read (${err instanceof Error ? err.message : String(err)}).`);
      return {};
    }
  }

  private write(tree: Record<string, unknown>, key: string, value: unknown): void {
    if (isSecretKey(key)) {
      const sealed = typeof value === 'string' ? this.usableCipher()?.encryptString(value).toString('base64') : undefined;
      this.file.store = put(put(tree, key, sealed === undefined ? value : undefined), ENCRYPTED_PREFIX + key, sealed);
    } else {
      this.file.store = put(tree, key, value);
    }
  }
}

/** Options for electron-store / conf that make it read and write the file the CLI uses. */
export function sharedStoreOptions(dir: string) {
  return {
    cwd: dir,
    // <dir>/settings.json, as FileSettingsStore (electron-store calls it `name`, conf `configName`).
    name: 'settings',
    configName: 'settings',
    fileExtension: 'json',
    // Only the student may read it (tokens, folders), as FileSettingsStore writes it.
    configFileMode: 0o600,
    // A damaged file is treated as empty and rewritten, as FileSettingsStore does.
    clearInvalidConfig: true,
    // Keys are resolved by the adapter (getPath/withPath, as FileSettingsStore), not by conf.
    accessPropertiesByDotNotation: false,
    serialize: (value: unknown) => `${JSON.stringify(value, null, 2)}\n`,
  };
}

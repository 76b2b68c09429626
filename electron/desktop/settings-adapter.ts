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
import { getPath, setPath, type SettingsStore } from '../engine/settings/settings-store.js';

/**
 * What the adapter uses of electron-store / conf: the whole tree, read from the file on each
 * access and written back atomically. Not conf's own dotted get/set: its dot-prop turns a
 * numeric segment into an array index (`ports.notebook.8888` would become an array of 8889
 * entries), where the engine's keys mean object keys, as FileSettingsStore reads them.
 */
export interface TreeStore {
  store: Record<string, unknown>;
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

/** setPath, without leaving empty parents behind when removing what is not there. */
function put(tree: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined && getPath(tree, key) === undefined) return;
  setPath(tree, key, value);
}

export class ElectronSettingsStore implements SettingsStore {
  constructor(
    private readonly file: TreeStore,
    private readonly cipher?: SecretCipher,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  private canEncrypt(): boolean {
    try {
      return !!this.cipher?.isEncryptionAvailable();
    } catch {
      return false;
    }
  }

  get<T = unknown>(key: string): T | undefined {
    const tree = this.tree();
    const plain = getPath(tree, key);
    if (!isSecretKey(key)) return plain as T | undefined;
    if (typeof plain === 'string') {
      // Written in clear (before encryption was available here, or by the CLI): protect it now.
      if (this.canEncrypt()) this.write(tree, key, plain);
      return plain as T;
    }
    const sealed = getPath(tree, ENCRYPTED_PREFIX + key);
    if (typeof sealed !== 'string') return plain as T | undefined;
    if (!this.canEncrypt()) {
      this.log(`${key} is encrypted but this computer's key store is not available: treated as missing.`);
      return undefined;
    }
    try {
      return this.cipher!.decryptString(Buffer.from(sealed, 'base64')) as T;
    } catch {
      this.log(`${key} could not be decrypted (the key store changed?): treated as missing.`);
      return undefined;
    }
  }

  set(key: string, value: unknown): void {
    this.write(this.tree(), key, value);
  }

  delete(key: string): void {
    this.write(this.tree(), key, undefined);
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
      const seal = typeof value === 'string' && this.canEncrypt();
      put(tree, key, seal ? undefined : value);
      put(tree, ENCRYPTED_PREFIX + key, seal ? this.cipher!.encryptString(value).toString('base64') : undefined);
    } else {
      put(tree, key, value);
    }
    this.file.store = tree;
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
    // Keys are resolved by the adapter (getPath/setPath, as FileSettingsStore), not by conf.
    accessPropertiesByDotNotation: false,
    serialize: (value: unknown) => `${JSON.stringify(value, null, 2)}\n`,
  };
}

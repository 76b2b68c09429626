// The desktop's settings: electron-store's base (`conf`, which runs under plain Node) on the
// same file and keys as the CLI's FileSettingsStore, with tokens encrypted at rest by a
// safeStorage-like cipher.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSettingsStore } from '../engine/settings/settings-store.js';
import { resolveVariables } from '../engine/settings/variables.js';
import { ENCRYPTED_PREFIX, ElectronSettingsStore, isSecretKey, sharedStoreOptions, type SecretCipher } from './settings-adapter.js';

let dir: string;
const file = () => path.join(dir, 'settings.json');
/** The settings file as these tests read it back. */
interface StoredTree {
  environments?: unknown;
  encrypted: { environments: { tm351: { variables: Record<string, unknown> } } };
}
const conf = () => new Conf<Record<string, unknown>>(sharedStoreOptions(dir));

/** A reversible stand-in for safeStorage (the real one needs Electron and the OS key store). */
function fakeCipher(available = true) {
  const state = { available, broken: false };
  const cipher: SecretCipher = {
    isEncryptionAvailable: () => state.available,
    encryptString: (s) => Buffer.from(`sealed:${Array.from(s).reverse().join('')}`),
    decryptString: (b) => {
      const text = b.toString();
      if (state.broken || !text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Array.from(text.slice('sealed:'.length)).reverse().join('');
    },
  };
  return { cipher, state };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cd-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TOKEN_KEY = 'environments.tm351.variables.NOTEBOOK_TOKEN';

describe('electron-store settings adapter', () => {
  it('round-trips values under dotted keys, and deletes them', () => {
    const store = new ElectronSettingsStore(conf());
    store.set('dockerEndpoint', 'unix:///var/run/docker.sock');
    store.set('environments.tm351.ports.notebook.8888', 8351);
    store.set('environments.tm351.variables.NOTEBOOKS_DIR', '~/Coursedock/tm351/notebooks');
    const again = new ElectronSettingsStore(conf());
    expect(again.get('dockerEndpoint')).toBe('unix:///var/run/docker.sock');
    expect(again.get('environments.tm351.ports.notebook.8888')).toBe(8351);
    expect(again.get('environments.tm351.variables.NOTEBOOKS_DIR')).toBe('~/Coursedock/tm351/notebooks');
    expect(again.get('environments.nope.ports')).toBeUndefined();
    again.delete('dockerEndpoint');
    again.set('environments.tm351.ports.notebook.8888', undefined);
    expect(store.get('dockerEndpoint')).toBeUndefined();
    expect(store.get('environments.tm351.ports.notebook.8888')).toBeUndefined();
  });

  it('writes the file the CLI reads: <dataDir>/settings.json, same keys, readable by FileSettingsStore, owner-only', () => {
    new ElectronSettingsStore(conf()).set('environments.tm351.ports.postgres.5432', 15432);
    const cli = new FileSettingsStore(file());
    expect(cli.get('environments.tm351.ports.postgres.5432')).toBe(15432);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({ environments: { tm351: { ports: { postgres: { '5432': 15432 } } } } });
    expect(readFileSync(file(), 'utf8')).not.toContain('null');
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('sees what the CLI wrote since (it reads the file on each access)', () => {
    const desktop = new ElectronSettingsStore(conf());
    desktop.set('dockerEndpoint', 'a');
    const cli = new FileSettingsStore(file());
    cli.set('environments.tm351.variables.NOTEBOOKS_DIR', '/home/student/notebooks');
    expect(desktop.get('environments.tm351.variables.NOTEBOOKS_DIR')).toBe('/home/student/notebooks');
    expect(desktop.get('dockerEndpoint')).toBe('a');
  });

  it('treats a damaged file as empty, as the CLI does', () => {
    writeFileSync(file(), '{ not json');
    const store = new ElectronSettingsStore(conf());
    expect(store.get('dockerEndpoint')).toBeUndefined();
    store.set('dockerEndpoint', 'b');
    expect(new FileSettingsStore(file()).get('dockerEndpoint')).toBe('b');
  });

  it('serves as the engine store: a generated token is kept and the same next time', () => {
    const { cipher } = fakeCipher();
    const store = new ElectronSettingsStore(conf(), cipher);
    const decls = [{ name: 'NOTEBOOK_TOKEN', kind: 'token' as const }];
    const first = resolveVariables(decls, store, 'tm351', {});
    const second = resolveVariables(decls, new ElectronSettingsStore(conf(), cipher), 'tm351', {});
    expect(first.NOTEBOOK_TOKEN).toMatch(/^[0-9a-f]{48}$/);
    expect(second.NOTEBOOK_TOKEN).toBe(first.NOTEBOOK_TOKEN);
  });
});

describe('secrets at rest (safeStorage)', () => {
  it.each([
    [TOKEN_KEY, true],
    ['environments.cd-e2e_x.variables.JUPYTER_TOKEN', true],
    ['environments.tm351.variables.api_token_2', true],
    ['environments.tm351.variables.NOTEBOOKS_DIR', false],
    ['environments.tm351.ports.TOKEN', false],
    ['dockerEndpoint', false],
    ['environments.tm351.variables.NOTEBOOK_TOKEN.extra', false],
  ])('%s is a secret: %s', (key, secret) => {
    expect(isSecretKey(key)).toBe(secret);
  });

  it('stores the token encrypted, away from where the CLI looks, and reads it back in clear', () => {
    const { cipher } = fakeCipher();
    const store = new ElectronSettingsStore(conf(), cipher);
    store.set(TOKEN_KEY, 'abc123secret');
    const raw = readFileSync(file(), 'utf8');
    expect(raw).not.toContain('abc123secret');
    expect(raw).not.toContain('terces321cba');
    const tree = JSON.parse(raw) as StoredTree;
    expect(tree.environments).toBeUndefined();
    expect(typeof tree.encrypted.environments.tm351.variables.NOTEBOOK_TOKEN).toBe('string');
    expect(new ElectronSettingsStore(conf(), cipher).get(TOKEN_KEY)).toBe('abc123secret');
    // The CLI sees no token (never a value it would misread as one).
    expect(new FileSettingsStore(file()).get(TOKEN_KEY)).toBeUndefined();
    store.delete(TOKEN_KEY);
    expect(store.get(TOKEN_KEY)).toBeUndefined();
    expect((JSON.parse(readFileSync(file(), 'utf8')) as StoredTree).encrypted.environments.tm351.variables).toEqual({});
  });

  it("adopts a token the CLI made meanwhile (the CLI cannot read the encrypted one), and encrypts it", () => {
    const { cipher } = fakeCipher();
    new ElectronSettingsStore(conf(), cipher).set(TOKEN_KEY, 'desktop-token');
    const cli = new FileSettingsStore(file());
    const decls = [{ name: 'NOTEBOOK_TOKEN', kind: 'token' as const }];
    const cliToken = resolveVariables(decls, cli, 'tm351', {}).NOTEBOOK_TOKEN!;
    expect(cliToken).toMatch(/^[0-9a-f]{48}$/);
    const desktop = new ElectronSettingsStore(conf(), cipher);
    expect(desktop.get(TOKEN_KEY)).toBe(cliToken);
    expect(readFileSync(file(), 'utf8')).not.toContain(cliToken);
    expect(desktop.get(TOKEN_KEY)).toBe(cliToken);
    expect(ENCRYPTED_PREFIX).toBe('encrypted.');
  });

  it('encrypts a plain token it finds (written before encryption was available) on first read', () => {
    new FileSettingsStore(file()).set(TOKEN_KEY, 'plain-token');
    const { cipher } = fakeCipher();
    expect(new ElectronSettingsStore(conf(), cipher).get(TOKEN_KEY)).toBe('plain-token');
    expect(readFileSync(file(), 'utf8')).not.toContain('plain-token');
    expect(new ElectronSettingsStore(conf(), cipher).get(TOKEN_KEY)).toBe('plain-token');
  });

  it("keeps the token in clear where the OS offers no key store (and says nothing's encrypted)", () => {
    const { cipher } = fakeCipher(false);
    const store = new ElectronSettingsStore(conf(), cipher);
    store.set(TOKEN_KEY, 'visible');
    expect(new FileSettingsStore(file()).get(TOKEN_KEY)).toBe('visible');
    expect(store.get(TOKEN_KEY)).toBe('visible');
  });

  it('a token that cannot be decrypted any more reads as missing (so a new one is made), with a log line', () => {
    const { cipher, state } = fakeCipher();
    const logs: string[] = [];
    const store = new ElectronSettingsStore(conf(), cipher, (m) => logs.push(m));
    store.set(TOKEN_KEY, 'old');
    state.broken = true;
    expect(store.get(TOKEN_KEY)).toBeUndefined();
    state.broken = false;
    state.available = false;
    expect(store.get(TOKEN_KEY)).toBeUndefined();
    expect(logs).toHaveLength(2);
    expect(logs.join('\n')).not.toContain('old');
  });

  it('leaves other values alone', () => {
    const { cipher } = fakeCipher();
    const store = new ElectronSettingsStore(conf(), cipher);
    store.set('environments.tm351.variables.NOTEBOOKS_DIR', '/n');
    expect(new FileSettingsStore(file()).get('environments.tm351.variables.NOTEBOOKS_DIR')).toBe('/n');
  });
});

describe('the desktop and the CLI on one settings file at once', () => {
  it('interleaved changes from the desktop store and a CLI store keep both, under the shared lock', () => {
    const desktop = new ElectronSettingsStore(conf());
    const cli = new FileSettingsStore(file());
    expect(cli.get('environments')).toBeUndefined(); // the CLI holds a copy from before the desktop's writes
    desktop.set('environments.tm351.portPins.notebook.8888', 18888);
    cli.set('environments.tm351.ports.postgres.5432', 15432);
    desktop.set('dockerEndpoint', 'unix:///x.sock');
    cli.delete('environments.tm351.portPins.notebook.8888');
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({
      dockerEndpoint: 'unix:///x.sock',
      environments: { tm351: { portPins: { notebook: {} }, ports: { postgres: { '5432': 15432 } } } },
    });
    expect(desktop.get('environments.tm351.ports.postgres.5432')).toBe(15432);
    // The desktop's changes wait for a lock held by another live process, and take it over when stale.
    writeFileSync(`${file()}.lock`, JSON.stringify({ pid: 999_999_999, host: os.hostname(), token: 'gone', since: 0 }));
    desktop.set('after', 1);
    expect(cli.get('after')).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['settings.json']);
  });

  it('two desktop stores make one token on first use (encrypted), which both read', () => {
    const { cipher } = fakeCipher();
    const a = new ElectronSettingsStore(conf(), cipher);
    const b = new ElectronSettingsStore(conf(), cipher);
    expect(a.get(TOKEN_KEY)).toBeUndefined();
    expect(b.get(TOKEN_KEY)).toBeUndefined();
    const decls = [{ name: 'NOTEBOOK_TOKEN', kind: 'token' as const }];
    const made = resolveVariables(decls, a, 'tm351', {}).NOTEBOOK_TOKEN;
    expect(resolveVariables(decls, b, 'tm351', {}).NOTEBOOK_TOKEN).toBe(made);
    expect(new FileSettingsStore(file()).get(TOKEN_KEY)).toBeUndefined(); // sealed, as before
  });
});

import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileSettingsStore } from './settings-store.js';
import { resolveVariables } from './variables.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'cd-settings-'));

describe('settings', () => {
  it('persists dotted keys in a private JSON file and reads them back', () => {
    const file = path.join(tmp(), 'sub', 'settings.json');
    const a = new FileSettingsStore(file);
    a.set('environments.tm351.ports.notebook.8888/tcp', 8352);
    a.set('dockerEndpoint', 'unix:///x.sock');
    a.delete('dockerEndpoint');
    const b = new FileSettingsStore(file);
    expect(b.get('environments.tm351.ports.notebook.8888/tcp')).toBe(8352);
    expect(b.get('dockerEndpoint')).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ environments: { tm351: { ports: { notebook: { '8888/tcp': 8352 } } } } });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('starts empty from a missing or corrupt file; a corrupt one is kept aside, with a notice', () => {
    const warn = vi.fn();
    const missing = new FileSettingsStore(path.join(tmp(), 'none.json'), warn);
    expect(missing.get('x')).toBeUndefined();
    expect(missing.corruptCopy).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();

    const dir = tmp();
    const file = path.join(dir, 'settings.json');
    for (const [n, broken] of [[1, '{"environments": {"tm351": '], [2, '[1, 2]']] as const) {
      writeFileSync(file, broken);
      const store = new FileSettingsStore(file, warn);
      expect(store.get('environments')).toBeUndefined();
      expect(store.corruptCopy).toBe(`${file}.corrupt-${n}`);
      expect(readFileSync(`${file}.corrupt-${n}`, 'utf8')).toBe(broken);
      expect(warn).toHaveBeenLastCalledWith(expect.stringContaining(`kept as ${file}.corrupt-${n}`));
      store.set('dockerEndpoint', 'unix:///x.sock');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ dockerEndpoint: 'unix:///x.sock' });
    }
    expect(readdirSync(dir).sort()).toEqual(['settings.json', 'settings.json.corrupt-1', 'settings.json.corrupt-2']);
  });

  it('generates a token once per install and keeps it; expands folders; takes the environment first', () => {
    const store = new FileSettingsStore(path.join(tmp(), 's.json'));
    const decls = [
      { name: 'TOKEN', kind: 'token' as const },
      { name: 'DIR', kind: 'folder' as const, default: '~/Course/notebooks' },
      { name: 'MODE', kind: 'value' as const, default: 'x' },
    ];
    const first = resolveVariables(decls, store, 'c', {});
    expect(first.TOKEN).toMatch(/^[0-9a-f]{48}$/);
    expect(first.DIR).toBe(path.join(os.homedir(), 'Course/notebooks'));
    expect(first.MODE).toBe('x');
    expect(resolveVariables(decls, store, 'c', {}).TOKEN).toBe(first.TOKEN);
    expect(resolveVariables(decls, store, 'other', {}).TOKEN).not.toBe(first.TOKEN);
    expect(resolveVariables(decls, store, 'c', { DIR: '/data/nb' }).DIR).toBe('/data/nb');
  });
});

describe('settings keys from outside (course folders, variable names)', () => {
  const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();

  it('stores `__proto__`, `constructor` and `prototype` segments as plain keys and never touches Object.prototype', () => {
    const before = prototypeNames();
    const file = path.join(tmp(), 'settings.json');
    const store = new FileSettingsStore(file);
    expect(store.get('__proto__')).toBeUndefined();
    expect(store.get('constructor')).toBeUndefined();
    expect(store.get('toString')).toBeUndefined();
    store.set('environments.__proto__.variables.NOTEBOOK_TOKEN', 't1');
    store.set('__proto__.polluted', 'yes');
    store.set('constructor.prototype.polluted', 'yes');
    store.set('environments.constructor.ports.notebook', 8352);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).variables).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(prototypeNames()).toEqual(before);

    expect(store.get('environments.__proto__.variables.NOTEBOOK_TOKEN')).toBe('t1');
    expect(store.get('environments.constructor.ports.notebook')).toBe(8352);
    // The file holds them as ordinary keys, and reading it back keeps them so.
    const again = new FileSettingsStore(file);
    expect(again.get('environments.__proto__.variables.NOTEBOOK_TOKEN')).toBe('t1');
    expect(again.get('constructor.prototype.polluted')).toBe('yes');
    expect(readFileSync(file, 'utf8')).toContain('"__proto__"');
    again.delete('environments.__proto__.variables.NOTEBOOK_TOKEN');
    expect(again.get('environments.__proto__.variables.NOTEBOOK_TOKEN')).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a settings file written to pollute is read as data', () => {
    const file = path.join(tmp(), 'settings.json');
    writeFileSync(file, '{"__proto__": {"polluted": "yes"}, "environments": {"__proto__": {"polluted": "yes"}}}');
    const store = new FileSettingsStore(file);
    expect(store.get('__proto__.polluted')).toBe('yes');
    expect(store.get('environments.__proto__.polluted')).toBe('yes');
    store.set('environments.c.ports.x', 1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a variable named like an Object.prototype member gets its own value, not an inherited one', () => {
    const store = new FileSettingsStore(path.join(tmp(), 's.json'));
    const values = resolveVariables(
      [
        { name: 'constructor', kind: 'value' as const, default: 'd' },
        { name: 'toString', kind: 'token' as const },
      ],
      store,
      'c',
      {},
    );
    expect(values.constructor).toBe('d');
    expect(values.toString).toMatch(/^[0-9a-f]{48}$/);
    expect('valueOf' in values).toBe(false);
  });
});

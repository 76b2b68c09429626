import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { FileSettingsStore, readSetting, settingsLockFile, withPath } from './settings-store.js';
import { resolveVariables, storedOrNewToken } from './variables.js';
import { stringMatching } from '../testing/matchers.js';

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

describe('settings trees and values', () => {
  it('withPath gives a changed copy: a key keeps its place, removing drops it, the tree given is untouched', () => {
    const tree = { a: 1, b: { c: 2, d: 3 }, e: 4 };
    const before = structuredClone(tree);
    expect(JSON.stringify(withPath(tree, 'b.c', 9))).toBe('{"a":1,"b":{"c":9,"d":3},"e":4}');
    expect(withPath(tree, 'b.c', undefined)).toEqual({ a: 1, b: { d: 3 }, e: 4 });
    expect(withPath(tree, 'x.y', 1)).toEqual({ ...before, x: { y: 1 } });
    expect(withPath(tree, 'a', undefined)).toEqual({ b: { c: 2, d: 3 }, e: 4 });
    expect(tree).toEqual(before);
  });

  it('readSetting gives a value of the shape asked for, and undefined for anything else', () => {
    const store = new FileSettingsStore(path.join(tmp(), 's.json'));
    store.set('port', 8352);
    store.set('endpoint', 8352);
    expect(readSetting(store, 'port', z.number())).toBe(8352);
    expect(readSetting(store, 'endpoint', z.string())).toBeUndefined();
    expect(readSetting(store, 'missing', z.string())).toBeUndefined();
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
    // An own key named like Object's method: read as a property, not the inherited function.
    expect(values).toHaveProperty('toString', stringMatching(/^[0-9a-f]{48}$/));
    expect('valueOf' in values).toBe(false);
  });
});

describe('one settings file, several stores (as several processes would hold)', () => {
  it('interleaved sets from two stores keep both; each store reads what the other wrote', () => {
    const file = path.join(tmp(), 'settings.json');
    const desktop = new FileSettingsStore(file);
    const cli = new FileSettingsStore(file);
    expect(desktop.get('environments.tm351.portPins.notebook')).toBeUndefined(); // both hold a copy now
    expect(cli.get('dockerEndpoint')).toBeUndefined();
    desktop.set('environments.tm351.portPins.notebook.8888', 18888);
    cli.set('environments.tm351.ports.postgres.5432', 15432);
    desktop.set('dockerEndpoint', 'unix:///x.sock');
    cli.delete('environments.tm351.portPins.notebook.8888');
    desktop.set('environments.tm351.ports.notebook.8888', 8352);
    for (const store of [desktop, cli, new FileSettingsStore(file)]) {
      expect(store.get('environments.tm351.ports')).toEqual({ postgres: { '5432': 15432 }, notebook: { '8888': 8352 } });
      expect(store.get('environments.tm351.portPins.notebook.8888')).toBeUndefined();
      expect(store.get('dockerEndpoint')).toBe('unix:///x.sock');
    }
    // The lock is gone after each change.
    expect(readdirSync(path.dirname(file))).toEqual(['settings.json']);
  });

  it('a token made on first use by one store is the one the other gets, not a second one', () => {
    const file = path.join(tmp(), 'settings.json');
    const decls = [{ name: 'NOTEBOOK_TOKEN', kind: 'token' as const }];
    const a = new FileSettingsStore(file);
    const b = new FileSettingsStore(file);
    expect(b.get('environments')).toBeUndefined();
    const first = resolveVariables(decls, a, 'tm351', {}).NOTEBOOK_TOKEN;
    expect(resolveVariables(decls, b, 'tm351', {}).NOTEBOOK_TOKEN).toBe(first);
    // Even when b decided "absent" on a copy read before a's token existed: the make-if-absent
    // step reads the file again under the lock.
    const c = new FileSettingsStore(file);
    const d = new FileSettingsStore(file);
    const key = 'environments.other.variables.NOTEBOOK_TOKEN';
    expect(c.get(key)).toBeUndefined();
    expect(d.get(key)).toBeUndefined();
    const made = storedOrNewToken(c, key);
    expect(storedOrNewToken(d, key)).toBe(made);
    expect(new FileSettingsStore(file).get(key)).toBe(made);
  });

  it('a store sees a file replaced or removed by someone else', () => {
    const file = path.join(tmp(), 'settings.json');
    const store = new FileSettingsStore(file);
    store.set('a', 1);
    writeFileSync(file, '{"a": 2, "b": 3}');
    expect(store.get('a')).toBe(2);
    store.set('c', 4);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ a: 2, b: 3, c: 4 });
    rmSync(file);
    expect(store.get('a')).toBeUndefined();
  });

  it('a lock left by a dead process or too old is taken over; a live fresh one is waited for', () => {
    const file = path.join(tmp(), 'settings.json');
    const lock = settingsLockFile(file);
    const store = new FileSettingsStore(file);
    // A process that died while holding it: a pid that no longer runs.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(lock, JSON.stringify({ pid: dead, host: os.hostname(), token: 'dead', since: 0 }));
    store.set('a', 1);
    expect(existsSync(lock)).toBe(false);
    // A live owner that stopped (hung): judged by the lock's age.
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: os.hostname(), token: 'hung', since: 0 }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    store.set('b', 2);
    expect(existsSync(lock)).toBe(false);
    expect(new FileSettingsStore(file).get('b')).toBe(2);
  });

  it('changes made while computing a change (same process) do not wait on their own lock', () => {
    const file = path.join(tmp(), 'settings.json');
    const store = new FileSettingsStore(file);
    const other = new FileSettingsStore(file);
    expect(store.update('x', () => {
      other.set('y', 1);
      return 2;
    })).toBe(2);
    expect(new FileSettingsStore(file).get('x')).toBe(2);
    expect(new FileSettingsStore(file).get('y')).toBe(1);
  });

  it('waits for a lock a live process holds, then applies its change to what that process wrote', async () => {
    const file = path.join(tmp(), 'settings.json');
    const lock = settingsLockFile(file);
    // Another process takes the lock, says so, and a little later writes a key and lets go.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs');
         fs.writeFileSync(${JSON.stringify(lock)}, JSON.stringify({ pid: process.pid, host: require('os').hostname(), token: 't', since: Date.now() }), { flag: 'wx' });
         process.stdout.write('locked\\n');
         setTimeout(() => { fs.writeFileSync(${JSON.stringify(file)}, '{"fromOther": 1}'); fs.unlinkSync(${JSON.stringify(lock)}); }, 300);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => holder.on('close', resolve));
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      // Had this not waited, the holder's later write would have replaced it.
      new FileSettingsStore(file).set('mine', 2);
      await exited;
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ fromOther: 1, mine: 2 });
    } finally {
      holder.kill();
    }
  });
});

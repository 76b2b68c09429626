// electron-builder.yml against electron-builder's own schema (no build: that would download
// Electron), what it promises (targets, node-pty unpacked, specs shipped, Electron fuses), and
// the icons it points at.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../engine/testing/course-copy.js';

const file = path.join(REPO_ROOT, 'electron-builder.yml');
const config = parse(readFileSync(file, 'utf8')) as Record<string, any>;
const require = createRequire(import.meta.url);

function pngSize(p: string): [number, number] {
  const b = readFileSync(p);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(c: unknown, logger: { isEnabled: boolean }): Promise<void>;
    };
    await expect(validateConfiguration(structuredClone(config), { isEnabled: false })).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...structuredClone(config), nsis: { notAnOption: 1 } }, { isEnabled: false })).rejects.toThrow(/Invalid configuration/);
    // Fuse names are checked too: a misspelt fuse would silently stay as Electron ships it.
    await expect(validateConfiguration({ ...structuredClone(config), electronFuses: { runAsNod: false } }, { isEnabled: false })).rejects.toThrow(/Invalid configuration/);
  }, 60_000); // compiling electron-builder's JSON schema takes seconds on a busy machine

  it('names the app and builds NSIS, DMG (x64 + arm64), AppImage and deb', () => {
    expect(config.appId).toBe('org.coursedock.app');
    expect(config.productName).toBe('Coursedock');
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('packs the built app, unpacks node-pty, ships the course specs beside it', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'package.json']));
    expect(config.asarUnpack).toContain('node_modules/node-pty/**');
    expect(config.extraResources).toEqual([{ from: 'compose-specs', to: 'compose-specs', filter: ['**/*'] }]);
    expect(existsSync(path.join(REPO_ROOT, 'compose-specs/tm351/compose.yml'))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/electron/main.js');
    // What the packaged main process loads at run time must be a production dependency.
    for (const dep of ['electron-store', 'node-pty', 'dockerode', 'zod', 'yaml', 'tar-fs']) expect(Object.keys(pkg.dependencies)).toContain(dep);
    expect(Object.keys(pkg.dependencies)).not.toContain('electron');
  });

  it('flips the Electron fuses that keep the installed app from being used as a plain Node or a debugger', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // Only-from-asar needs an asar: never turn packing off beside it.
    expect(config.asar).not.toBe(false);
    // RunAsNode off breaks child_process.fork in the main process: the desktop code must not use it.
    const desktop = ['electron/main.ts', ...readdirSync(path.join(REPO_ROOT, 'electron/desktop')).map((f) => `electron/desktop/${f}`)];
    for (const f of desktop.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      expect(readFileSync(path.join(REPO_ROOT, f), 'utf8'), f).not.toMatch(/\bfork\(|ELECTRON_RUN_AS_NODE/);
    }
  });

  it('points at real icons: .icns, .ico and a PNG per size from 16 to 1024', () => {
    expect(readFileSync(path.join(REPO_ROOT, config.mac.icon)).subarray(0, 4).toString('ascii')).toBe('icns');
    const ico = readFileSync(path.join(REPO_ROOT, config.win.icon));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(6);
    for (const s of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(path.join(REPO_ROOT, config.linux.icon, `${s}x${s}.png`))).toEqual([s, s]);
    }
    expect(existsSync(path.join(REPO_ROOT, 'assets/icons/app/coursedock.svg'))).toBe(true);
  });
});

// electron-builder.yml against electron-builder's own schema (no build: that would download
// Electron), what it promises (targets, node-pty unpacked, specs shipped, Electron fuses, the
// static AppImage runtime, forced signing, the build and after-pack hooks), the icons it points
// at, and what goes into the archive: the app files its `files` globs select, and the production
// node_modules as electron-builder's own collector lists them (no tsx, no dev dependencies), with
// every package the built main process imports among them.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../engine/testing/course-copy.js';

const file = path.join(REPO_ROOT, 'electron-builder.yml');
/** The parts of electron-builder.yml these tests read (its schema is checked by the first test). */
interface PlatformConfig { target: unknown; icon: string }
interface BuilderConfig {
  appId: string;
  productName: string;
  win: PlatformConfig;
  mac: PlatformConfig & { notarize: unknown; hardenedRuntime: unknown };
  linux: PlatformConfig;
  files: string[];
  asar?: unknown;
  asarUnpack: string[];
  extraResources: unknown;
  electronFuses: unknown;
  toolsets: unknown;
  forceCodeSigning: unknown;
  beforePack: string;
  afterPack: string;
}
interface PackageJson { main: string; scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> }
const config = parse(readFileSync(file, 'utf8')) as BuilderConfig;
const readPackageJson = (): PackageJson => JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
const require = createRequire(import.meta.url);

function pngSize(p: string): [number, number] {
  const b = readFileSync(p);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (c: unknown, logger: { isEnabled: boolean }) => Promise<void>;
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
    const pkg = readPackageJson();
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

describe('electron-builder.yml: release packaging (issue #19)', () => {
  it('builds the AppImage with the static runtime: no libfuse2 needed, no --no-sandbox added', () => {
    expect(config.toolsets).toEqual({ appimage: '1.0.3' });
    // The version electron-builder installed here takes the legacy (libfuse2, --no-sandbox) path only for 0.0.0 / unset.
    const target = readFileSync(require.resolve('app-builder-lib/out/targets/appimage/AppImageTarget.js'), 'utf8');
    expect(target).toMatch(/appimageTool == null \|\| appimageTool === "0\.0\.0"\) \{\s*updateInfo = await \(0, appImageUtil_1\.buildLegacyFuse2AppImage\)/);
    expect(target).toContain('buildStaticRuntimeAppImage');
  });

  it('fails an unsigned Windows or macOS build, and notarises macOS builds', () => {
    expect(config.forceCodeSigning).toBe(true);
    expect(config.mac.notarize).toBe(true);
    expect(config.mac.hardenedRuntime).toBe(true);
  });

  it('packs a fresh build (beforePack runs npm run build) and checks node-pty after packing', () => {
    expect(config.beforePack).toBe('scripts/build-before-pack.cjs');
    expect(config.afterPack).toBe('scripts/build-after-pack.cjs');
    for (const hook of [config.beforePack, config.afterPack]) expect(typeof (require(path.join(REPO_ROOT, hook)) as { default: unknown }).default).toBe('function');
    expect(readFileSync(path.join(REPO_ROOT, config.beforePack), 'utf8')).toContain("'scripts/build.mjs'");
    const pkg = readPackageJson();
    expect(pkg.scripts.build).toBe('node scripts/build.mjs');
    expect(readFileSync(path.join(REPO_ROOT, 'scripts/start-desktop.sh'), 'utf8')).toContain('node scripts/build.mjs');
  });

  it('unpacks the tray icons: the OS reads them from disk', () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['assets/icons/app/png/32x32.png', 'assets/icons/app/coursedock.ico']));
  });
});

describe('what goes into app.asar', { timeout: 120_000 }, () => {
  it("the app files: the built main, preload and panel and the icons; no sources, maps, build records or CLI", async () => {
    const { minimatch } = await import('minimatch');
    const patterns = config.files;
    const selected = (f: string) => {
      let inside = false;
      for (const p of patterns) {
        if (p.startsWith('!')) {
          if (minimatch(f, p.slice(1), { dot: true })) inside = false;
        } else if (minimatch(f, p, { dot: true })) inside = true;
      }
      return inside;
    };
    const tracked = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    const built = [
      'dist/electron/main.js',
      'dist/electron/main.js.map',
      'dist/electron/main.js.inputs.json',
      'dist/electron/preload.cjs',
      'dist/electron/preload.cjs.map',
      'dist/renderer/index.html',
      'dist/renderer/assets/index-abc.js',
      'dist/renderer/assets/index-abc.js.map',
      'dist/renderer/assets/index-abc.css',
      'dist/cli/coursedock.cjs',
      'dist/cli/coursedock.cjs.v8cache',
      'dist/cli/proto/auth.proto',
    ];
    const packed = [...tracked, ...built].filter(selected).sort();
    expect(packed).toEqual(
      expect.arrayContaining(['dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index-abc.js', 'package.json']),
    );
    for (const f of packed) {
      expect(f, `${f} should not be packed`).toMatch(/^(dist\/electron\/[^/]+\.(js|cjs)|dist\/renderer\/.+|assets\/icons\/app\/.+\.(png|ico)|package\.json)$/);
      expect(f).not.toMatch(/\.(map|ts|tsx)$|\.inputs\.json$/);
    }
  });

  it('the production node_modules, as electron-builder collects them: no tsx, no dev dependencies; everything the built main imports is there', async () => {
    const { getCollectorByPackageManager } = require('app-builder-lib/out/node-module-collector') as {
      getCollectorByPackageManager: (pm: string, dir: string, tmp: unknown) => { getNodeModules(o: { packageName: string }): Promise<{ nodeModules: Module[] }> };
    };
    type Module = { name: string; dependencies?: Module[] };
    const { TmpDir } = require('builder-util') as { TmpDir: new (name: string) => { cleanup(): Promise<void> } };
    const tmp = new TmpDir('coursedock-packing-test');
    let names: Set<string>;
    try {
      const { nodeModules } = await getCollectorByPackageManager('npm', REPO_ROOT, tmp).getNodeModules({ packageName: 'coursedock' });
      names = new Set<string>();
      const walk = (ms: Module[]): void => {
        for (const m of ms) {
          names.add(m.name);
          walk(m.dependencies ?? []);
        }
      };
      walk(nodeModules);
    } finally {
      await tmp.cleanup();
    }
    const pkg = readPackageJson();
    for (const dep of Object.keys(pkg.dependencies)) expect(names, dep).toContain(dep);
    for (const name of ['tsx', 'esbuild', 'electron', 'electron-builder', 'vite', 'vitest', 'typescript', 'react', 'react-dom', '@xterm/xterm', 'ws', 'playwright-core']) {
      expect(names, name).not.toContain(name);
    }
    // Type packages may come in as a production package's own dependency (protobufjs → @types/node).
    for (const dev of Object.keys(pkg.devDependencies).filter((d) => !d.startsWith('@types/'))) expect(names, dev).not.toContain(dev);

    // The built main process (the same esbuild options as npm run build) imports only those.
    const esbuild = await import('esbuild');
    const { TARGETS } = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts/build.mjs')).href)) as { TARGETS: Record<string, { besides?: unknown; entryPoints: string[]; outfile: string } & Record<string, unknown>> };
    const { besides: _besides, ...main } = TARGETS.main!;
    const result = await esbuild.build({ ...main, entryPoints: main.entryPoints.map((e) => path.join(REPO_ROOT, e)), outfile: path.join(REPO_ROOT, main.outfile), bundle: true, write: false, metafile: true, logLevel: 'silent', absWorkingDir: REPO_ROOT });
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
    const packages = [...new Set(imports.filter((i) => !i.startsWith('node:')).map((i) => (i.startsWith('@') ? i.split('/').slice(0, 2).join('/') : i.split('/')[0]!)))];
    expect(packages).toEqual(expect.arrayContaining(['electron', 'electron-store', 'node-pty']));
    for (const p of packages.filter((p) => p !== 'electron')) expect(names, `${p} is imported by main.js`).toContain(p);
  }, 120_000); // npm ls and an esbuild run on a busy machine
});

// Each test copies the real node-pty package (~30 MB): slow on a busy machine.
describe('after packing: node-pty unpacked, its spawn-helper executable', { timeout: 120_000 }, () => {
  const { checkPackedApp } = require(path.join(REPO_ROOT, 'scripts/build-after-pack.cjs')) as {
    checkPackedApp: (dir: string, platform: string) => { helpers: string[] };
  };
  let scratch: string | undefined;
  afterEach(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  /** A packed app's folder with node-pty (the real package, as npm installed it) unpacked. */
  const packedApp = (resources: string) => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'cd-afterpack-'));
    const unpacked = path.join(scratch, resources, 'app.asar.unpacked/node_modules/node-pty');
    mkdirSync(path.dirname(unpacked), { recursive: true });
    cpSync(path.join(REPO_ROOT, 'node_modules/node-pty'), unpacked, { recursive: true });
    return { dir: scratch, unpacked };
  };

  it("macOS: node-pty 1.1's prebuilt spawn-helper ships without its execute bit; after packing it has it", () => {
    const { dir, unpacked } = packedApp('Coursedock.app/Contents/Resources');
    const helper = path.join(unpacked, 'prebuilds/darwin-arm64/spawn-helper');
    chmodSync(helper, 0o644); // as npm installs it from the registry
    const { helpers } = checkPackedApp(dir, 'darwin');
    expect(helpers).toContain(helper);
    for (const h of helpers) expect(statSync(h).mode & 0o111, h).toBe(0o111);
  });

  it('Linux and Windows: node-pty must be unpacked', () => {
    expect(() => checkPackedApp(packedApp('linux-unpacked/resources').dir, 'linux')).not.toThrow();
    expect(() => checkPackedApp(packedApp('win-unpacked/resources').dir, 'win32')).not.toThrow();
  });

  it('fails the build when node-pty stayed inside app.asar', () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'cd-afterpack-'));
    mkdirSync(path.join(scratch, 'resources'), { recursive: true });
    for (const platform of ['darwin', 'linux', 'win32']) expect(() => checkPackedApp(scratch!, platform)).toThrow(/node-pty is not unpacked/);
  });
});

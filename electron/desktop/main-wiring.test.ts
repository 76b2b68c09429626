// electron/main.ts run against an in-memory Electron (testing/fake-electron.ts): no binary
// needed to check that the pieces tested one by one are actually wired — the window's options
// and page, every contract method on IPC, the hardening of every webContents and session, the
// CSP header, menus and tray, settings in the shared file, and the quit question.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../api/contract.js';
import { APP_CSP } from './csp.js';
import { callChannel, type CallReply } from './channels.js';
import * as fake from './testing/fake-electron.js';
import { filePathOfUrl } from './file-urls.js';
import { Frame } from './testing/in-memory-ipc.js';
import { anyInstanceOf, stringMatching } from '../engine/testing/matchers.js';

vi.mock('electron', () => import('./testing/fake-electron.js'));
// electron-store is conf plus Electron's default folder: conf itself, on the folder main.ts gives.
vi.mock('electron-store', async () => ({ default: (await import('conf')).default }));

let home: string;
let win: fake.BrowserWindow;
let appUrl: string;
const saved = { ...process.env };

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  home = mkdtempSync(path.join(os.tmpdir(), 'cd-main-'));
  process.env.COURSEDOCK_HOME = home;
  process.env.COURSEDOCK_DOCKER_HOST = `unix://${home}/no-docker.sock`;
  process.argv.push('--course', 'tm351');
  await import('../main.js');
  await vi.waitFor(() => expect(fake.BrowserWindow.all).toHaveLength(1));
  win = fake.BrowserWindow.all[0]!;
  appUrl = win.loaded!.url!;
}, 120_000); // loading main.ts and the engine (transformed on first use) is slow on a busy machine

afterAll(() => {
  fake.app.emit('will-quit');
  vi.mocked(console.log).mockRestore();
  process.argv.splice(process.argv.indexOf('--course'), 2);
  process.env = saved;
  rmSync(home, { recursive: true, force: true });
});

const invoke = (method: string, input: unknown, frameUrl = appUrl): Promise<CallReply> =>
  fake.ipcMain.invoke(callChannel(method as never), { sender: { id: win.webContents.id }, senderFrame: new Frame(frameUrl) }, [input]) as Promise<CallReply>;

describe('electron/main.ts wiring', () => {
  it('sandboxes every renderer and takes the single-instance lock', () => {
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
  });

  it('opens one locked-down window on the built panel, with the preload beside main.js and the course from the command line', () => {
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.partition).toBeUndefined();
    expect(prefs.preload).toMatch(/[/\\]preload\.cjs$/);
    // The page is dist/renderer/index.html in the app's root (the repository, or app.asar),
    // loaded by its escaped file URL with the course from the command line.
    const page = new URL(win.loaded!.url!);
    expect(page.protocol).toBe('file:');
    expect(filePathOfUrl(page.href)).toBe(path.join(fake.app.getAppPath(), 'dist/renderer/index.html'));
    expect(page.searchParams.get('course')).toBe('tm351');
  });

  it('binds every contract method on IPC and answers our page', async () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(methodNames.map((m) => callChannel(m)).sort());
    await expect(invoke('docker.status', {})).resolves.toMatchObject({ ok: true, result: { state: anyInstanceOf(String) } });
    await expect(invoke('env.up', { project: '../x' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    await expect(invoke('docker.status', {}, 'https://evil.example/')).resolves.toMatchObject({ ok: false, error: { message: stringMatching(/^Refused/) } });
  });

  it('keeps settings in <COURSEDOCK_HOME>/settings.json, the file the CLI uses', async () => {
    await expect(invoke('settings.set', { dockerEndpoint: `unix://${home}/other.sock` })).resolves.toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ dockerEndpoint: `unix://${home}/other.sock` });
    await invoke('settings.set', { dockerEndpoint: null });
  });

  it('hardens the window: window.open never opens an app window; only allowed links leave, for the system browser', () => {
    const open = win.webContents.windowOpenHandler!;
    expect(open({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(fake.shell.openExternal).not.toHaveBeenCalled();
    expect(open({ url: 'https://docs.docker.com/get-docker/' })).toEqual({ action: 'deny' });
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://docs.docker.com/get-docker/');
  });

  it('hardens the window: navigation stays on our page, <webview> is refused', () => {
    const nav = (url: string) => {
      const e = { url, isMainFrame: true, preventDefault: vi.fn() };
      win.webContents.emit('will-navigate', e);
      return e.preventDefault.mock.calls.length > 0;
    };
    expect(nav(`${appUrl}?course=tm351`)).toBe(false);
    expect(nav('https://evil.example/')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    const webview = { preventDefault: vi.fn() };
    win.webContents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('denies permissions by default in the panel session and the notebook partition', () => {
    for (const s of [fake.session.defaultSession, fake.session.fromPartition('persist:notebook')]) {
      const granted = (permission: string) => {
        let answer: boolean | undefined;
        s.permissionRequest!({}, permission, (ok: boolean) => (answer = ok), {});
        return answer;
      };
      expect(granted('media')).toBe(false);
      expect(granted('geolocation')).toBe(false);
      expect(granted('notifications')).toBe(false);
      expect(granted('clipboard-sanitized-write')).toBe(true);
      expect(s.permissionCheck!({}, 'media')).toBe(false);
      expect(s.devicePermission!()).toBe(false);
    }
  });

  it('sends the CSP header on the panel files only', () => {
    const { filter, listener } = fake.session.defaultSession.headers!;
    expect(filter).toEqual({ urls: ['file://*/*'] });
    let out: { responseHeaders?: Record<string, unknown> } | undefined;
    listener({ url: appUrl, responseHeaders: {} }, (r: unknown) => (out = r as typeof out));
    expect(out?.responseHeaders?.['Content-Security-Policy']).toEqual([APP_CSP]);
    listener({ url: 'file:///somewhere/else.html', responseHeaders: {} }, (r: unknown) => (out = r as typeof out));
    expect(out).toEqual({});
  });

  it('sets the app menu and a tray with Start all / Stop all / Quit', () => {
    const labels = (fake.Menu.applicationMenu as { template: Array<{ label?: string }> }).template.map((i) => i.label);
    expect(labels).toContain('Environment');
    expect(fake.Tray.all).toHaveLength(1);
    const tray = (fake.Tray.all[0]!.menu as { template: Array<{ label?: string }> }).template.map((i) => i.label).filter(Boolean);
    expect(tray).toEqual(['Show Coursedock', 'Start All', 'Stop All', 'Quit']);
  });

  it('a second launch brings the window forward', () => {
    fake.app.emit('second-instance');
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('a reload starts a fresh session for the new page', async () => {
    win.webContents.emit('did-navigate');
    win.webContents.emit('did-navigate');
    await expect(invoke('docker.status', {})).resolves.toMatchObject({ ok: true });
  });

  it('quits without asking when nothing runs; closing the last window quits on Linux and Windows', async () => {
    const first = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
    expect(fake.dialog.showMessageBox).not.toHaveBeenCalled();
    const second = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
    fake.app.quit.mockClear();
    fake.app.emit('window-all-closed');
    expect(fake.app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1);
  });
});

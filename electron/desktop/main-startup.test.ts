// electron/main.ts when start-up fails, against the in-memory Electron (testing/fake-electron.ts):
// the student gets a native error dialog with the cause and the fix, the single-instance lock
// is released and the app exits; a second launch (main.ts imported afresh, as a new process
// would) takes the lock and opens its window. The failure is real: the settings folder
// (COURSEDOCK_HOME) is a file, so electron-store cannot create settings.json in it. (A settings
// file owned by root cannot be made here, where tests run as root: that wording is covered in
// startup-failure.test.ts.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Fake = typeof import('./testing/fake-electron.js');

let root: string;
const saved = { ...process.env };

/** One launch of the app: a fresh copy of main.ts and of the fake Electron it talks to. */
async function launch(): Promise<Fake> {
  vi.resetModules();
  vi.doMock('electron', () => import('./testing/fake-electron.js'));
  vi.doMock('electron-store', async () => ({ default: (await import('conf')).default }));
  const fake = await import('./testing/fake-electron.js');
  await import('../main.js');
  return fake;
}

beforeAll(() => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-main-start-'));
  process.env.COURSEDOCK_DOCKER_HOST = `unix://${root}/no-docker.sock`;
});

afterAll(() => {
  vi.mocked(console.log).mockRestore();
  process.env = saved;
  rmSync(root, { recursive: true, force: true });
});

describe('electron/main.ts start-up', () => {
  it('a failure before the window exists shows the cause and the fix, releases the lock and exits; a relaunch then works', async () => {
    const home = path.join(root, 'settings-folder');
    writeFileSync(home, 'not a folder'); // the settings folder is a file
    process.env.COURSEDOCK_HOME = home;

    const first = await launch();
    await vi.waitFor(() => expect(first.app.exit).toHaveBeenCalledWith(1));
    expect(first.dialog.showErrorBox).toHaveBeenCalledTimes(1);
    const [title, content] = first.dialog.showErrorBox.mock.calls[0]!;
    expect(title).toBe('Coursedock cannot start');
    expect(content).toContain(home);
    expect(content).toMatch(/a file where a folder should be/);
    expect(content).toMatch(/\n\nFix: move .* aside/);
    expect(first.app.releaseSingleInstanceLock).toHaveBeenCalled();
    expect(first.Tray.all).toHaveLength(0);
    expect(first.BrowserWindow.getAllWindows()).toHaveLength(0);
    // The quit question is not asked of an app that never started.
    const quit = { preventDefault: vi.fn() };
    first.app.emit('before-quit', quit);
    expect(quit.preventDefault).not.toHaveBeenCalled();

    // The student follows the fix and starts Coursedock again.
    rmSync(home);
    mkdirSync(home);
    const second = await launch();
    expect(second.app.requestSingleInstanceLock).toHaveReturnedWith(true);
    await vi.waitFor(() => expect(second.BrowserWindow.all).toHaveLength(1));
    expect(second.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(second.app.exit).not.toHaveBeenCalled();
    second.app.emit('will-quit');
    second.app.releaseSingleInstanceLock(); // the process ends: the OS frees its lock
  }, 120_000); // two launches: main.ts and the engine are loaded (and transformed) twice

  it('a launch while another Coursedock holds the lock leaves at once, without a window', async () => {
    const home = path.join(root, 'held');
    mkdirSync(home);
    process.env.COURSEDOCK_HOME = home;
    const running = await launch();
    await vi.waitFor(() => expect(running.BrowserWindow.all).toHaveLength(1));
    const other = await launch();
    expect(other.app.requestSingleInstanceLock).toHaveReturnedWith(false);
    expect(other.app.quit).toHaveBeenCalled();
    expect(other.BrowserWindow.all).toHaveLength(0);
    running.app.emit('will-quit');
    running.app.releaseSingleInstanceLock(); // the process ends: the OS frees its lock
  }, 120_000);
});

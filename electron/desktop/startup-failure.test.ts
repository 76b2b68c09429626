// The words a student reads when the desktop app cannot start, one case per cause, and the order
// of what happens (dialog, lock released, exit) whatever goes wrong while cleaning up.
import { describe, expect, it, vi } from 'vitest';
import { describeStartupFailure, failStartup, type StartupFailureHost } from './startup-failure.js';

const errnoError = (code: string, p: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: open '${p}'`), { code, path: p });
const linux = { settingsDir: '/home/sam/.config/Coursedock', platform: 'linux' as const, uid: 1000 };

describe('describeStartupFailure', () => {
  it('a settings file left to root by `sudo coursedock …`: says so, and the chown that fixes it', () => {
    const f = describeStartupFailure(errnoError('EACCES', '/home/sam/.config/Coursedock/settings.json'), { ...linux, ownerUid: 0 });
    expect(f.title).toBe('Coursedock cannot start');
    expect(f.content).toContain('its settings file /home/sam/.config/Coursedock/settings.json');
    expect(f.content).toContain('it belongs to root');
    expect(f.content).toContain(`sudo chown -R "$(id -u):$(id -g)" '/home/sam/.config/Coursedock'`);
  });

  it('permission refused by someone other than root, on Linux and on Windows', () => {
    const other = describeStartupFailure(errnoError('EPERM', '/home/sam/.config/Coursedock'), { ...linux, ownerUid: 1001 });
    expect(other.content).toContain('this user may not read or write it');
    const win = describeStartupFailure(errnoError('EPERM', 'C:\\Users\\sam\\AppData\\Roaming\\Coursedock\\settings.json'), {
      settingsDir: 'C:\\Users\\sam\\AppData\\Roaming\\Coursedock',
      platform: 'win32',
    });
    expect(win.content).toContain('Windows refused access');
    expect(win.content).toContain('Properties › Security');
    expect(win.content).not.toContain('chown');
  });

  it('a file where the folder should be, a full disk, a damaged settings file', () => {
    expect(describeStartupFailure(errnoError('ENOTDIR', '/home/sam/.config/Coursedock/settings.json'), linux).content).toMatch(
      /a file where a folder should be.*\n\nFix: move '\/home\/sam\/.config\/Coursedock\/settings.json' aside/s,
    );
    expect(describeStartupFailure(errnoError('ENOSPC', '/home/sam/.config/Coursedock/settings.json'), linux).content).toContain('the disk is full');
    const damaged = describeStartupFailure(new SyntaxError('Unexpected token } in JSON at position 12 (/home/sam/.config/Coursedock/settings.json)'), linux);
    expect(damaged.content).toContain('it is damaged');
    expect(damaged.content).toContain('your course data in Docker is kept');
  });

  it('anything else: the message itself, and what to do next', () => {
    const f = describeStartupFailure(new Error('boom'), { ...linux, logHint: 'the log' });
    expect(f.content).toMatch(/^Coursedock stopped while starting: boom\n\nFix: start it again\..*send this message and the log/s);
    expect(describeStartupFailure('a string', linux).content).toContain('a string');
  });

  it('quotes paths with quotes in them for the shell', () => {
    const f = describeStartupFailure(errnoError('EACCES', "/home/o'neil/.config/Coursedock/settings.json"), {
      ...linux,
      settingsDir: "/home/o'neil/.config/Coursedock",
      ownerUid: 0,
    });
    expect(f.content).toContain(`'/home/o'\\''neil/.config/Coursedock'`);
  });
});

describe('failStartup', () => {
  const host = (overrides: Partial<StartupFailureHost> = {}) => {
    const calls: string[] = [];
    const exit = vi.fn(() => void calls.push('exit'));
    const log = vi.fn();
    const h: StartupFailureHost = {
      showErrorBox: vi.fn(() => void calls.push('dialog')),
      releaseSingleInstanceLock: vi.fn(() => void calls.push('release')),
      exit,
      log,
      cleanUp: vi.fn(() => void calls.push('cleanUp')),
      ...overrides,
    };
    return { h, calls, exit, log };
  };

  it('cleans up, shows the dialog, releases the lock, exits 1 — in that order', () => {
    const { h, calls, exit, log } = host();
    failStartup(new Error('boom'), linux, h);
    expect(calls).toEqual(['cleanUp', 'dialog', 'release', 'exit']);
    expect(exit).toHaveBeenCalledWith(1);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('boom'));
  });

  it('still shows the dialog when cleaning up throws, and still releases the lock when the dialog throws', () => {
    const { h, calls, log } = host({
      cleanUp: () => {
        throw new Error('engine close failed');
      },
      showErrorBox: () => {
        throw new Error('no display');
      },
    });
    expect(() => failStartup(new Error('boom'), linux, h)).toThrow('no display');
    expect(calls).toEqual(['release', 'exit']);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('engine close failed'));
  });
});

// The tray: made from the icon file main.ts names (outside app.asar when packaged), and when it
// cannot be made, a log line saying why instead of silence.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../engine/testing/course-copy.js';
import { runOnlyIf } from '../engine/testing/skip-reason.js';
import type { MenuActions } from './menu.js';
import * as fake from './testing/fake-electron.js';
import { mockMenuActions } from './testing/menu-actions.js';
import { installTrayOrDock } from './tray.js';

vi.mock('electron', () => import('./testing/fake-electron.js'));

const actions: MenuActions = mockMenuActions();
const ICON = path.join(REPO_ROOT, 'assets/icons/app/png/32x32.png');

describe(
  'installTrayOrDock (Linux and Windows: the tray)',
  runOnlyIf(process.platform !== 'darwin', 'macOS gets a dock icon, not a tray: this tray test runs on Linux and Windows only'),
  () => {
  it('makes a tray with the menu from a readable icon', () => {
    const log = vi.fn();
    const tray = installTrayOrDock(actions, ICON, log);
    expect(tray).toBeDefined();
    expect((tray as unknown as fake.Tray).tooltip).toBe('Coursedock');
    expect(log).not.toHaveBeenCalled();
  });

  it('logs why there is no tray: an icon that cannot be read', () => {
    const log = vi.fn();
    expect(installTrayOrDock(actions, path.join(REPO_ROOT, 'resources/app.asar/nothing.png'), log)).toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^No tray icon: the icon file .*nothing\.png could not be read/));
  });

  it('logs why there is no tray: the desktop refused one', () => {
    const log = vi.fn();
    fake.Tray.failNext = new Error('no status notifier host');
    expect(installTrayOrDock(actions, ICON, log)).toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('the desktop refused one (no status notifier host)'));
  });
});

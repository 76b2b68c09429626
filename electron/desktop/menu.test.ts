import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, dockMenuTemplate, trayMenuTemplate } from './menu.js';
import { mockMenuActions } from './testing/menu-actions.js';

const actions = mockMenuActions;

function flat(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);
}
const byId = (items: MenuItemConstructorOptions[], id: string) => flat(items).find((i) => i.id === id);
const click = (item: MenuItemConstructorOptions | undefined) =>
  (item!.click as unknown as () => void)();

describe('menus', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('app menu on %s has the usual roles and the environment actions', (platform) => {
    const a = actions();
    const t = appMenuTemplate(a, { platform, isPackaged: true });
    const roles = flat(t).map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'togglefullscreen', 'zoomIn']));
    if (platform === 'darwin') expect(roles).toEqual(expect.arrayContaining(['appMenu', 'about', 'hide', 'services']));
    else expect(roles).not.toContain('appMenu');
    click(byId(t, 'start-all'));
    click(byId(t, 'stop-all'));
    click(byId(t, 'quit'));
    expect(a.startAll).toHaveBeenCalledOnce();
    expect(a.stopAll).toHaveBeenCalledOnce();
    expect(a.quit).toHaveBeenCalledOnce();
  });

  it('reload and devtools only when running from the repository', () => {
    const roles = (isPackaged: boolean) => flat(appMenuTemplate(actions(), { platform: 'linux', isPackaged })).map((i) => i.role);
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(true)).not.toContain('reload');
    expect(roles(false)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('"Ask Before Quitting" is offered once a choice is remembered, and forgets it', () => {
    const a = actions();
    expect(byId(appMenuTemplate(a, { platform: 'linux', isPackaged: true }), 'forget-quit-choice')!.enabled).toBe(false);
    const item = byId(appMenuTemplate(a, { platform: 'linux', isPackaged: true, rememberedQuit: 'stop' }), 'forget-quit-choice')!;
    expect(item.enabled).toBe(true);
    expect(item.label).toMatch(/stop services/);
    click(item);
    expect(a.forgetQuitChoice).toHaveBeenCalledOnce();
  });

  it('tray: Show, Start all, Stop all, Quit', () => {
    const a = actions();
    const t = trayMenuTemplate(a);
    expect(t.filter((i) => i.type !== 'separator').map((i) => i.label)).toEqual(['Show Coursedock', 'Start All', 'Stop All', 'Quit']);
    for (const id of ['show', 'start-all', 'stop-all', 'quit']) click(byId(t, id));
    expect([a.showWindow, a.startAll, a.stopAll, a.quit].every((f) => vi.mocked(f).mock.calls.length === 1)).toBe(true);
  });

  it('dock: Start all and Stop all (macOS adds Quit itself)', () => {
    const labels = dockMenuTemplate(actions()).map((i) => i.label).filter(Boolean);
    expect(labels).toEqual(['Start All', 'Stop All', 'Open Notebook Window']);
  });
});

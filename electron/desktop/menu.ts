// The application menu, the tray menu (Linux, Windows) and the dock menu (macOS), as
// templates built from plain inputs (unit-tested); main.ts turns them into Menus.
import type { MenuItemConstructorOptions } from 'electron';
import type { QuitChoice } from './quit-flow.js';

export interface MenuActions {
  startAll(): void;
  stopAll(): void;
  openNotebook(): void;
  showWindow(): void;
  openDataFolder(): void;
  forgetQuitChoice(): void;
  quit(): void;
}

export interface MenuState {
  platform: NodeJS.Platform;
  /** Developer items (reload, devtools) only when running from the repository. */
  isPackaged: boolean;
  /** What quitting does without asking, if the student ticked "Remember my choice". */
  rememberedQuit?: QuitChoice;
}

const sep: MenuItemConstructorOptions = { type: 'separator' };

export function environmentItems(actions: MenuActions): MenuItemConstructorOptions[] {
  return [
    { id: 'start-all', label: 'Start All', click: () => actions.startAll() },
    { id: 'stop-all', label: 'Stop All', click: () => actions.stopAll() },
  ];
}

export function appMenuTemplate(actions: MenuActions, state: MenuState): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const forget: MenuItemConstructorOptions = {
    id: 'forget-quit-choice',
    label:
      state.rememberedQuit === 'stop'
        ? 'Ask Before Quitting (now: stop services)'
        : state.rememberedQuit === 'keep'
          ? 'Ask Before Quitting (now: leave running)'
          : 'Ask Before Quitting',
    enabled: state.rememberedQuit !== undefined,
    click: () => actions.forgetQuitChoice(),
  };
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      role: 'appMenu',
      submenu: [
        { role: 'about' },
        sep,
        forget,
        sep,
        { role: 'services' },
        sep,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        sep,
        { id: 'quit', label: 'Quit Coursedock', accelerator: 'Command+Q', click: () => actions.quit() },
      ],
    });
  }
  template.push({
    role: 'fileMenu',
    submenu: [
      { id: 'open-data-folder', label: 'Open Data Folder', click: () => actions.openDataFolder() },
      ...(mac ? [sep, { role: 'close' } as const] : [sep, forget, sep, { id: 'quit', label: 'Quit', accelerator: 'Ctrl+Q', click: () => actions.quit() }]),
    ],
  });
  template.push({ role: 'editMenu' });
  template.push({
    label: 'Environment',
    submenu: [...environmentItems(actions), sep, { id: 'open-notebook', label: 'Open Notebook Window', click: () => actions.openNotebook() }],
  });
  template.push({
    role: 'viewMenu',
    submenu: [
      ...(state.isPackaged ? [] : ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, sep] as MenuItemConstructorOptions[])),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  return template;
}

/** Tray (Linux, Windows): Start all / Stop all / Quit, and a way back to the window. */
export function trayMenuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  return [
    { id: 'show', label: 'Show Coursedock', click: () => actions.showWindow() },
    sep,
    ...environmentItems(actions),
    sep,
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ];
}

/** Dock (macOS): Start all / Stop all. macOS adds Quit (and the windows) itself. */
export function dockMenuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  return [...environmentItems(actions), sep, { id: 'open-notebook', label: 'Open Notebook Window', click: () => actions.openNotebook() }];
}

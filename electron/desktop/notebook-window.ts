// The notebook server in a window of its own (like JupyterLab Desktop): loaded with its token
// so the student never sees or pastes one, in its own persistent session partition
// (`persist:notebook`: cookies and storage apart from the panel's), with no preload, sandboxed,
// and kept on the notebook's origin; Jupyter's "open in new tab" opens another such window.
// Before the panel restarts the notebook server, the windows on its origin are asked to save
// what they show (saveNotebookWindows; notebook-window-save.ts).
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import type { NotebookWindowsSaved } from '../api/save-answer.js';
import { notebookNavigation, notebookOrigin, type ExternalPolicy } from './navigation-policy.js';
import { saveWindowsOn } from './notebook-window-save.js';
import { setWindowRules } from './security.js';
import { notebookWebPreferences } from './web-preferences.js';

export interface NotebookWindowOptions {
  devTools: boolean;
  icon?: string;
  externalPolicy: () => ExternalPolicy;
  log: (m: string) => void;
}

const windows = new Map<string, BrowserWindow>();
/**
 * Every notebook window open (those the notebook opened itself too), with the origin it is kept
 * on. Typed Electron.BrowserWindow: the module's BrowserWindow is declared as a subclass of it,
 * and a window the notebook opens (did-create-window) is only the base.
 */
const shown = new Map<Electron.BrowserWindow, string>();

function options(o: NotebookWindowOptions): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 850,
    title: 'Notebook — Coursedock',
    ...(o.icon ? { icon: o.icon } : {}),
    webPreferences: notebookWebPreferences(o.devTools),
  };
}

function lock(win: Electron.BrowserWindow, origin: string, o: NotebookWindowOptions): void {
  setWindowRules(win.webContents, {
    navigate: (url) => notebookNavigation(url, origin, o.externalPolicy()),
    open: (url) => notebookNavigation(url, origin, o.externalPolicy()),
    childOptions: () => options(o),
  });
  shown.set(win, origin);
  win.on('closed', () => shown.delete(win));
  // Windows the notebook opens itself (a notebook in a "new tab") get the same lock.
  win.webContents.on('did-create-window', (child) => lock(child, origin, o));
}

/** Asks every notebook window kept on `origin` (a service's own origin) to save what it shows. */
export function saveNotebookWindows(origin: string | undefined): Promise<NotebookWindowsSaved> {
  const on = [...shown].filter(([win, kept]) => kept === origin && !win.isDestroyed()).map(([win]) => win.webContents);
  return saveWindowsOn(on, origin);
}

/** Shows the notebook at `url` (a service's webUrl); reuses the window for that origin. */
export function openNotebookWindow(url: string, o: NotebookWindowOptions): BrowserWindow | undefined {
  const origin = notebookOrigin(url);
  if (!origin) {
    o.log(`Not a notebook address on this computer: ${url.replace(/token=[^&]*/, 'token=…')}`);
    return undefined;
  }
  const existing = windows.get(origin);
  if (existing && !existing.isDestroyed()) {
    existing.focus();
    return existing;
  }
  const win = new BrowserWindow(options(o));
  lock(win, origin, o);
  windows.set(origin, win);
  win.on('closed', () => windows.delete(origin));
  void win.loadURL(url);
  return win;
}

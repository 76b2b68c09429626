// The notebook server in a window of its own (like JupyterLab Desktop): loaded with its token
// so the student never sees or pastes one, in its own persistent session partition
// (`persist:notebook`: cookies and storage apart from the panel's), with no preload, sandboxed,
// and kept on the notebook's origin; Jupyter's "open in new tab" opens another such window.
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { notebookNavigation, notebookOrigin, type ExternalPolicy } from './navigation-policy.js';
import { setWindowRules } from './security.js';
import { notebookWebPreferences } from './web-preferences.js';

export interface NotebookWindowOptions {
  devTools: boolean;
  icon?: string;
  externalPolicy: () => ExternalPolicy;
  log: (m: string) => void;
}

const windows = new Map<string, BrowserWindow>();

function options(o: NotebookWindowOptions): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 850,
    title: 'Notebook — Coursedock',
    ...(o.icon ? { icon: o.icon } : {}),
    webPreferences: notebookWebPreferences(o.devTools),
  };
}

function lock(win: BrowserWindow, origin: string, o: NotebookWindowOptions): void {
  setWindowRules(win.webContents, {
    navigate: (url) => notebookNavigation(url, origin, o.externalPolicy()),
    open: (url) => notebookNavigation(url, origin, o.externalPolicy()),
    childOptions: () => options(o),
  });
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
  // Windows the notebook opens itself (a notebook in a "new tab") get the same lock.
  win.webContents.on('did-create-window', (child) => lock(child, origin, o));
  windows.set(origin, win);
  win.on('closed', () => windows.delete(origin));
  void win.loadURL(url);
  return win;
}

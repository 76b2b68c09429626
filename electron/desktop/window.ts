// The one panel window: the built renderer from disk, our preload, locked navigation.
import { BrowserWindow, nativeImage, nativeTheme } from 'electron';
import { appPageUrl } from './file-urls.js';
import { panelNavigation, panelWindowOpen, type ExternalPolicy } from './navigation-policy.js';
import { setWindowRules } from './security.js';
import { panelWebPreferences } from './web-preferences.js';

export interface PanelWindowOptions {
  preload: string;
  indexHtml: string;
  appUrl: string;
  icon?: string;
  devTools: boolean;
  course?: string;
  externalPolicy: () => ExternalPolicy;
}

export function createPanelWindow(o: PanelWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    title: 'Coursedock',
    show: false,
    // The panel follows the system's light or dark scheme: no flash of the other before it paints.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f172a' : '#ffffff',
    ...(o.icon ? { icon: nativeImage.createFromPath(o.icon) } : {}),
    webPreferences: panelWebPreferences(o.preload, o.devTools),
  });
  setWindowRules(win.webContents, {
    navigate: (url) => panelNavigation(url, o.appUrl, o.externalPolicy()),
    open: (url) => panelWindowOpen(url, o.externalPolicy()),
  });
  win.once('ready-to-show', () => win.show());
  // The page title is the panel's; keep the window's ours even if a page sets another.
  win.on('page-title-updated', (e) => e.preventDefault());
  // By URL, not loadFile: loadFile leaves `%`, `[`, `]` unescaped, and a folder named e.g. `50%`
  // gives a page URL that names no file (file-urls.ts, issue #19).
  void win.loadURL(appPageUrl(o.indexHtml, o.course ? { course: o.course } : {}));
  return win;
}

// Start all / Stop all / Quit without opening the window: a tray icon on Linux and Windows,
// the dock menu on macOS. The icon is read from a file outside app.asar (main.ts passes the
// app.asar.unpacked path: Windows drops tray icons read from inside the archive). When no tray
// can be made (an empty icon, a Linux desktop without a status area) it says so in the log: the
// window and its menu still offer everything.
import { Menu, Tray, app, nativeImage } from 'electron';
import { dockMenuTemplate, trayMenuTemplate, type MenuActions } from './menu.js';

export function installTrayOrDock(actions: MenuActions, iconPath: string, log: (message: string) => void): Tray | undefined {
  if (process.platform === 'darwin') {
    app.dock?.setMenu(Menu.buildFromTemplate(dockMenuTemplate(actions)));
    return undefined;
  }
  const icon = nativeImage.createFromPath(iconPath);
  if (icon.isEmpty()) {
    log(`No tray icon: the icon file ${iconPath} could not be read (Start all / Stop all stay in the window's menu).`);
    return undefined;
  }
  let tray: Tray;
  try {
    tray = new Tray(icon);
  } catch (err) {
    log(`No tray icon: the desktop refused one (${err instanceof Error ? err.message : String(err)}); Start all / Stop all stay in the window's menu.`);
    return undefined;
  }
  tray.setToolTip('Coursedock');
  tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(actions)));
  // Windows: a click on the icon brings the window back (Linux shows the menu).
  tray.on('click', () => actions.showWindow());
  return tray;
}

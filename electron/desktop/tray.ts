// Start all / Stop all / Quit without opening the window: a tray icon on Linux and Windows,
// the dock menu on macOS.
import { Menu, Tray, app, nativeImage } from 'electron';
import { dockMenuTemplate, trayMenuTemplate, type MenuActions } from './menu.js';

export function installTrayOrDock(actions: MenuActions, iconPath: string): Tray | undefined {
  if (process.platform === 'darwin') {
    app.dock?.setMenu(Menu.buildFromTemplate(dockMenuTemplate(actions)));
    return undefined;
  }
  const icon = nativeImage.createFromPath(iconPath);
  if (icon.isEmpty()) return undefined;
  const tray = new Tray(icon);
  tray.setToolTip('Coursedock');
  tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(actions)));
  // Windows: a click on the icon brings the window back (Linux shows the menu).
  tray.on('click', () => actions.showWindow());
  return tray;
}

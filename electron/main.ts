// The desktop shell's main process: one window showing the panel (dist/renderer, from disk),
// the contract bound over IPC for it, the engine running here, a tray / dock menu, and the
// question on quit. Everything that decides something lives in electron/desktop/ as small
// modules with unit tests; this file only wires them to Electron. Security: docs/security.md.
// Start-up ends in a window or in an error dialog with the cause and the fix, never in nothing
// (desktop/startup-failure.ts; main-startup.test.ts). Build: scripts/build.mjs (npm run build).
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, powerMonitor, safeStorage, session, shell, type Tray } from 'electron';
import Store from 'electron-store';
import { ApiSession } from './api/api-session.js';
import { parseDesktopArgs } from './desktop/args.js';
import { EnvironmentActions } from './desktop/environment-actions.js';
import { appPageUrl, unpackedPath } from './desktop/file-urls.js';
import { bindIpc, type IpcBinding } from './desktop/ipc-binding.js';
import { appMenuTemplate, type MenuActions } from './desktop/menu.js';
import { DEFAULT_EXTERNAL_HOSTS, type ExternalPolicy } from './desktop/navigation-policy.js';
import { openNotebookWindow, saveNotebookWindows } from './desktop/notebook-window.js';
import { ON_QUIT_KEY, QUIT_BUTTONS, quitDialogText, rememberedChoice, runQuitFlow, type QuitAnswer } from './desktop/quit-flow.js';
import { applyPanelCsp, hardenAllWebContents, hardenSession } from './desktop/security.js';
import { ElectronSettingsStore, sharedStoreOptions, type SecretCipher } from './desktop/settings-adapter.js';
import { failStartup } from './desktop/startup-failure.js';
import { installTrayOrDock } from './desktop/tray.js';
import { NOTEBOOK_PARTITION } from './desktop/web-preferences.js';
import { createPanelWindow } from './desktop/window.js';
import { Engine } from './engine/engine.js';
import { recheckAfterResume } from './engine/repairs/after-sleep.js';
import { engineWebUis, ServiceOrigins } from './serve/service-origins.js';
import { dataDir } from './engine/settings/settings-store.js';

// The app's root: the repository (`electron .`), or resources/app.asar when packaged.
const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = app.getAppPath();
const INDEX_HTML = path.join(appRoot, 'dist/renderer/index.html');
// The page is loaded by this URL (escaped, so any install folder works) and the IPC and
// navigation checks compare files, not spellings (desktop/file-urls.ts).
const APP_URL = appPageUrl(INDEX_HTML);
const PRELOAD = path.join(here, 'preload.cjs');
const ICON_DIR = path.join(appRoot, 'assets/icons/app');
const WINDOW_ICON = path.join(ICON_DIR, 'png/512x512.png');
// The OS shell reads the tray icon itself: from app.asar.unpacked when packaged (asarUnpack).
const TRAY_ICON = unpackedPath(path.join(ICON_DIR, process.platform === 'win32' ? 'coursedock.ico' : 'png/32x32.png'));

const log = (message: string) => console.log(`[coursedock] ${message}`);

/** safeStorage, counted as unavailable on Linux without a real key store ("basic_text"). */
const safeStorageCipher: SecretCipher = {
  isEncryptionAvailable: () =>
    safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
  encryptString: (s) => safeStorage.encryptString(s),
  decryptString: (b) => safeStorage.decryptString(b),
};

// Every renderer sandboxed, whatever a window's options say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another Coursedock is running: it gets focus (second-instance) and this one leaves.
  app.quit();
} else {
  run();
}

/** Start-up failed: the dialog (cause and fix), the lock released, exit (desktop/startup-failure.ts). */
function startupFailed(err: unknown, cleanUp: () => void): void {
  const settingsDir = dataDir();
  const at = (err as { path?: unknown } | null)?.path;
  let ownerUid: number | undefined;
  try {
    ownerUid = statSync(typeof at === 'string' ? at : settingsDir).uid;
  } catch {
    ownerUid = undefined;
  }
  failStartup(
    err,
    {
      settingsDir,
      platform: process.platform,
      ...(process.getuid ? { uid: process.getuid() } : {}),
      ...(ownerUid !== undefined ? { ownerUid } : {}),
      logHint: 'the output of Coursedock started from a terminal',
    },
    { showErrorBox: (t, c) => dialog.showErrorBox(t, c), releaseSingleInstanceLock: () => app.releaseSingleInstanceLock(), exit: (c) => app.exit(c), log, cleanUp },
  );
}

function run(): void {
  try {
    wire();
  } catch (err) {
    startupFailed(err, () => undefined);
  }
}

function wire(): void {
  const args = parseDesktopArgs(process.argv);
  const devTools = !app.isPackaged;
  if (app.isPackaged) process.env.COURSEDOCK_SPECS ??= path.join(process.resourcesPath, 'compose-specs');
  if (process.platform === 'win32') app.setAppUserModelId('org.coursedock.app');

  let win: BrowserWindow | undefined;
  let binding: IpcBinding | undefined;
  let engine: Engine | undefined;
  let actions: EnvironmentActions | undefined;
  let settings: ElectronSettingsStore | undefined;
  let tray: Tray | undefined;
  // Service web pages (the notebook) on loopback origins of their own, as in the browser shell:
  // the notebook window and the system browser get one-time URLs, never the notebook's token.
  let webOrigins: ServiceOrigins | undefined;

  const externalPolicy = (): ExternalPolicy => ({
    loopbackPorts: new Set([...(actions?.publishedPorts() ?? []), ...(webOrigins?.ports() ?? [])]),
    hosts: DEFAULT_EXTERNAL_HOSTS,
  });

  hardenAllWebContents({ externalPolicy, log });

  const showWindow = () => {
    if (!win || win.isDestroyed()) { createWindow(); return; }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const createWindow = () => {
    if (!engine) return;
    const engineRef = engine;
    win = createPanelWindow({
      preload: PRELOAD,
      indexHtml: INDEX_HTML,
      appUrl: APP_URL,
      icon: WINDOW_ICON,
      devTools,
      ...(args.course ? { course: args.course } : {}),
      externalPolicy,
    });
    const contents = win.webContents;
    binding = bindIpc({
      ipcMain,
      webContents: contents,
      appUrl: APP_URL,
      // The desktop offers a shell on this computer: it is the student's own machine and app.
      createSession: (emit) =>
        new ApiSession(engineRef, emit, {
          allowHostShell: true,
          ...(webOrigins ? { webViews: webOrigins } : {}),
          // "Open folder" on a student data place (service.openDataFolder checks it is one).
          openFolder: async (folder) => {
            const failed = await shell.openPath(folder);
            if (failed) throw new Error(`Could not open ${folder}: ${failed}`);
          },
          // Backups' "Reveal folder" (backup.reveal).
          showInFolder: (target) => shell.showItemInFolder(target),
          // "Install a course from a file…": the native picker, over the panel's window.
          chooseFile: async ({ title, filters }) => {
            const options = { title, filters, properties: ['openFile' as const] };
            const r = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
            return r.canceled ? undefined : r.filePaths[0];
          },
          // Save first: the notebook windows on the service's own origin (service.saveNotebookWindows).
          saveNotebookWindows: (project, service) => saveNotebookWindows(webOrigins?.originOf(project, service)),
        }),
      onRefused: (reason) => log(`Refused an IPC call (${reason}).`),
    });
    const current = binding;
    // A reload is a new page: its predecessor's log follows and terminals end with it.
    let loads = 0;
    contents.on('did-navigate', () => {
      if (loads++ > 0) current.resetSession();
    });
    contents.on('render-process-gone', (_e, details) => {
      log(`The panel's page stopped (${details.reason}); reloading it.`);
      if (details.reason !== 'clean-exit' && !contents.isDestroyed()) contents.reload();
    });
    win.on('closed', () => {
      current.dispose();
      if (binding === current) binding = undefined;
      win = undefined;
    });
  };

  const menuActions: MenuActions = {
    startAll: () => {
      if (!actions?.projects().length) { showWindow(); return; }
      void actions.startAll().catch((err: unknown) => log(`Start all: ${String(err)}`));
    },
    stopAll: () => {
      if (!actions?.projects().length) { showWindow(); return; }
      void actions.stopAll().catch((err: unknown) => log(`Stop all: ${String(err)}`));
    },
    openNotebook: () => {
      void (actions?.notebookUrl() ?? Promise.resolve(undefined)).then(
        (url) => {
          if (url) return void openNotebookWindow(url, { devTools, icon: WINDOW_ICON, externalPolicy, log });
          void dialog.showMessageBox({
            type: 'info',
            title: 'Notebook',
            message: 'The notebook is not running.',
            detail: 'Start it from the panel (or Start All), then open it again.',
          });
        },
        (err: unknown) => log(`Open the notebook: ${String(err)}`),
      );
    },
    showWindow,
    openDataFolder: () => void shell.openPath(dataDir()),
    forgetQuitChoice: () => {
      settings?.delete(ON_QUIT_KEY);
      setAppMenu();
    },
    quit: () => app.quit(),
  };

  const setAppMenu = () => {
    const remembered = settings ? rememberedChoice(settings) : undefined;
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate(menuActions, { platform: process.platform, isPackaged: app.isPackaged, ...(remembered ? { rememberedQuit: remembered } : {}) }),
      ),
    );
  };

  app.on('second-instance', () => showWindow());

  let failed = false;
  const cleanUp = () => {
    failed = true;
    binding?.dispose();
    tray?.destroy();
    void webOrigins?.close();
    engine?.close();
    if (win && !win.isDestroyed()) win.destroy();
  };

  app.whenReady().then(
    () => {
      // The same settings file as the CLI and the browser shell (<dataDir>/settings.json).
      settings = new ElectronSettingsStore(new Store<Record<string, unknown>>(sharedStoreOptions(dataDir())), safeStorageCipher, log);
      engine = new Engine({ store: settings, bringBack: true, processKind: 'desktop' }).start();
      // After sleep: reconnect and re-check health at once; stuck services are restarted (a setting).
      const resumed = engine;
      powerMonitor.on('resume', () => void recheckAfterResume(resumed).catch((err: unknown) => log(`After sleep: ${String(err)}`)));
      webOrigins = new ServiceOrigins({ resolve: engineWebUis(engine), log });
      actions = new EnvironmentActions(engine, new ApiSession(engine, () => undefined, { allowHostShell: false, webViews: webOrigins }));

      hardenSession(session.defaultSession, 'panel', log);
      applyPanelCsp(session.defaultSession, path.dirname(INDEX_HTML));
      hardenSession(session.fromPartition(NOTEBOOK_PARTITION), 'notebook', log);

      setAppMenu();
      createWindow();
      tray = installTrayOrDock(menuActions, TRAY_ICON, log);
      app.on('activate', () => showWindow());
    },
  ).catch((err: unknown) => startupFailed(err, cleanUp));

  // Closing the last window quits on Linux and Windows (with the question below); macOS apps
  // stay in the dock.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  const askQuit = async (): Promise<{ answer: QuitAnswer; remember: boolean }> => {
    const options: Electron.MessageBoxOptions = {
      type: 'question',
      buttons: QUIT_BUTTONS.map((b) => b.label),
      defaultId: 0,
      cancelId: QUIT_BUTTONS.findIndex((b) => b.answer === 'cancel'),
      noLink: true,
      ...quitDialogText,
    };
    const r = win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    return { answer: QUIT_BUTTONS[r.response]?.answer ?? 'cancel', remember: r.checkboxChecked };
  };

  let decided = false;
  let asking = false;
  app.on('before-quit', (event) => {
    if (failed || decided || !settings || !actions) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    const a = actions;
    void runQuitFlow({ store: settings, anyRunning: () => a.anyRunning(), question: { ask: askQuit }, stopAll: () => a.stopAll(), log })
      .then((answer) => {
        asking = false;
        setAppMenu();
        if (answer === 'cancel') { showWindow(); return; }
        decided = true;
        app.quit();
      })
      .catch((err: unknown) => {
        log(`Quitting: ${String(err)}`);
        decided = true;
        app.quit();
      });
  });

  app.on('will-quit', () => {
    binding?.dispose();
    tray?.destroy();
    void webOrigins?.close();
    engine?.close();
  });
}

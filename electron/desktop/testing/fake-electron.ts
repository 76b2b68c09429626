// Just enough of Electron's main-process API, in memory, to run electron/main.ts under vitest
// (where `vi.mock('electron', …)` serves this module) and look at what it wired: the window
// and its options, the IPC handlers, session handlers, menus, tray, quit handling.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { InMemoryIpcMain } from './in-memory-ipc.js';

/** A handler main.ts hands the fake; the tests call it with only the fields it reads. */
type Handler = (...args: unknown[]) => unknown;

/** What main.ts passes to `new BrowserWindow`, as far as the tests look. */
export interface WindowOptions {
  webPreferences: { partition?: string; preload?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * The single-instance lock, shared by every copy of this module in the test process (a test that
 * re-imports main.ts after vi.resetModules() is a second launch of the app).
 */
const lock = ((globalThis as { __coursedockFakeLock?: { held: boolean } }).__coursedockFakeLock ??= { held: false });

class FakeApp extends EventEmitter {
  isPackaged = false;
  /** `electron .` in the repository: the app's root is the repository. */
  getAppPath = () => fileURLToPath(new URL('../../..', import.meta.url)).replace(/[\\/]$/, '');
  enableSandbox = vi.fn();
  requestSingleInstanceLock = vi.fn(() => {
    if (lock.held) return false;
    lock.held = true;
    return true;
  });
  releaseSingleInstanceLock = vi.fn(() => {
    lock.held = false;
  });
  whenReady = vi.fn(() => Promise.resolve());
  quit = vi.fn();
  exit = vi.fn();
  setAppUserModelId = vi.fn();
  dock = undefined;
}

export const app = new FakeApp();
export const ipcMain = new InMemoryIpcMain();

let nextId = 100;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  windowOpenHandler?: Handler;
  readonly sent: unknown[][] = [];
  destroyed = false;
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  isDestroyed() {
    return this.destroyed;
  }
  setWindowOpenHandler(h: Handler) {
    this.windowOpenHandler = h;
  }
  reload = vi.fn();
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded?: { file?: string; url?: string; options?: unknown };
  destroyed = false;
  constructor(readonly options: WindowOptions) {
    super();
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows() {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }
  loadFile(file: string, options?: unknown) {
    this.loaded = { file, options };
    return Promise.resolve();
  }
  loadURL(url: string) {
    this.loaded = { url };
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return false;
  }
  destroy() {
    this.destroyed = true;
  }
  restore = vi.fn();
  show = vi.fn();
  focus = vi.fn();
}

export class FakeSession {
  permissionRequest?: Handler;
  permissionCheck?: Handler;
  devicePermission?: Handler;
  displayMedia?: Handler;
  headers?: { filter: unknown; listener: Handler };
  readonly events = new EventEmitter();
  constructor(readonly name: string) {}
  setPermissionRequestHandler(h: Handler) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: Handler) {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: Handler) {
    this.devicePermission = h;
  }
  setDisplayMediaRequestHandler(h: Handler) {
    this.displayMedia = h;
  }
  on(event: string, h: Handler) {
    this.events.on(event, h);
    return this;
  }
  webRequest = {
    onHeadersReceived: (filter: unknown, listener: Handler) => {
      this.headers = { filter, listener };
    },
  };
}

const partitions = new Map<string, FakeSession>();
export const session = {
  defaultSession: new FakeSession('default'),
  fromPartition(name: string) {
    if (!partitions.has(name)) partitions.set(name, new FakeSession(name));
    return partitions.get(name)!;
  },
};

export const Menu = {
  applicationMenu: undefined as unknown,
  buildFromTemplate: (template: unknown) => ({ template }),
  setApplicationMenu(menu: unknown) {
    this.applicationMenu = menu;
  },
};

export class Tray extends EventEmitter {
  static all: Tray[] = [];
  /** Set to make the next `new Tray()` throw, as Electron does where the desktop has no tray. */
  static failNext?: Error;
  menu?: unknown;
  tooltip?: string;
  constructor(readonly image: unknown) {
    super();
    const failure = Tray.failNext;
    Tray.failNext = undefined;
    if (failure) throw failure;
    Tray.all.push(this);
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setContextMenu(m: unknown) {
    this.menu = m;
  }
  destroy = vi.fn();
}

export const nativeImage = {
  /** An image is empty when its file cannot be read, as Electron's is. */
  createFromPath: (p: string) => ({ path: p, isEmpty: () => !existsSync(p) }),
};
export const nativeTheme = { shouldUseDarkColors: false };
/** 'resume' after sleep (main.ts re-checks health then). */
export const powerMonitor = new EventEmitter();
export const shell = { openExternal: vi.fn(() => Promise.resolve()), openPath: vi.fn(() => Promise.resolve('')) };
export const dialog = {
  showMessageBox: vi.fn(() => Promise.resolve({ response: 1, checkboxChecked: false })),
  showErrorBox: vi.fn((_title: string, _content: string) => undefined),
};
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (s: string) => Buffer.from(`sealed:${s}`),
  decryptString: (b: Buffer) => b.toString().replace(/^sealed:/, ''),
};

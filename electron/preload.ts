// The desktop window's preload: runs sandboxed, with context isolation, before the panel's
// scripts, and exposes `window.coursedock` (renderer/src/api/ipc-bridge.ts) and nothing else.
// Bundled to CommonJS (dist/electron/preload.cjs) because a sandboxed preload cannot load
// ES modules or other files: see scripts/start-desktop.sh.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeBridge } from './desktop/preload-bridge.js';

exposeBridge(contextBridge, ipcRenderer);

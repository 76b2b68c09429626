// The webPreferences of each desktop window, as plain values (unit-tested): the panel with our
// preload, the notebook in its own persistent partition with no preload at all. Every switch
// that matters is written out, even where it is Electron's default, so a reader (and the test)
// sees it and a future default change cannot loosen it.
import type { WebPreferences } from 'electron';

/** The notebook's cookies, storage and permissions live apart from the panel's. */
export const NOTEBOOK_PARTITION = 'persist:notebook';

const locked = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  enableBlinkFeatures: '',
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const satisfies WebPreferences;

export function panelWebPreferences(preload: string, devTools: boolean): WebPreferences {
  return { ...locked, preload, devTools };
}

export function notebookWebPreferences(devTools: boolean): WebPreferences {
  return { ...locked, partition: NOTEBOOK_PARTITION, devTools };
}

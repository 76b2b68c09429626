import { describe, expect, it } from 'vitest';
import { NOTEBOOK_PARTITION, notebookWebPreferences, panelWebPreferences } from './web-preferences.js';

describe('window webPreferences', () => {
  it.each([
    ['panel', panelWebPreferences('/app/dist/electron/preload.cjs', false)],
    ['notebook', notebookWebPreferences(false)],
  ])('%s: isolated, sandboxed, no Node, web security on', (_name, prefs) => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(prefs.enableBlinkFeatures).toBe('');
  });

  it('the panel gets our preload and the default session; the notebook no preload and its own partition', () => {
    const panel = panelWebPreferences('/app/dist/electron/preload.cjs', true);
    expect(panel.preload).toBe('/app/dist/electron/preload.cjs');
    expect(panel.partition).toBeUndefined();
    expect(panel.devTools).toBe(true);
    const notebook = notebookWebPreferences(false);
    expect(notebook.preload).toBeUndefined();
    expect(notebook.partition).toBe(NOTEBOOK_PARTITION);
    expect(NOTEBOOK_PARTITION).toBe('persist:notebook');
  });
});

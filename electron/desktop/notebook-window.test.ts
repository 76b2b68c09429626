// The notebook windows against an in-memory Electron (testing/fake-electron.ts): saveNotebookWindows
// asks the windows kept on the service's origin, the ones the notebook opened itself included,
// and forgets a window once it is closed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as fake from './testing/fake-electron.js';
import { openNotebookWindow, saveNotebookWindows } from './notebook-window.js';
import { SAVE_WORLD_ID } from './notebook-window-save.js';

vi.mock('electron', () => import('./testing/fake-electron.js'));

const ORIGIN = 'http://127.0.0.1:41000';
const options = { devTools: false, externalPolicy: () => ({ loopbackPorts: new Set<number>(), hosts: [] }), log: () => undefined };
const opened: fake.BrowserWindow[] = [];

afterEach(() => {
  for (const w of opened.splice(0)) {
    w.destroy();
    w.emit('closed');
  }
});

/** Gives a fake window's contents a page URL and a page that answers every save request with `saved`. */
function showing(win: fake.BrowserWindow, url: string, saved: number) {
  const runs: number[] = [];
  Object.assign(win.webContents, {
    getURL: () => url,
    executeJavaScriptInIsolatedWorld: (worldId: number, scripts: Array<{ code: string }>) => {
      runs.push(worldId);
      const id = /const id = "([^"]+)"/.exec(scripts[0]!.code)![1];
      return Promise.resolve({ coursedock: 'save-answer', id, saved, failed: 0 });
    },
  });
  return runs;
}

function open(url: string): fake.BrowserWindow {
  const win = openNotebookWindow(url, options) as unknown as fake.BrowserWindow;
  opened.push(win);
  return win;
}

describe('saveNotebookWindows', () => {
  it("asks the notebook window on the service's origin and the windows it opened, not another service's", async () => {
    const win = open(`${ORIGIN}/p/tm351/notebook/tree?coursedock_ticket=t`);
    const runs = showing(win, `${ORIGIN}/p/tm351/notebook/notebooks/a.ipynb`, 1);
    // Jupyter's "open in a new tab": a window of the same kind, on the same origin.
    const child = new fake.BrowserWindow({ webPreferences: {} });
    opened.push(child);
    win.webContents.emit('did-create-window', child);
    const childRuns = showing(child, `${ORIGIN}/p/tm351/notebook/notebooks/b.ipynb`, 1);
    const other = open('http://127.0.0.1:41001/p/tm351/openrefine/');
    const otherRuns = showing(other, 'http://127.0.0.1:41001/p/tm351/openrefine/', 1);

    expect(await saveNotebookWindows(ORIGIN)).toEqual({ windows: 2, unanswered: 0, saved: 2, failed: 0 });
    expect([runs, childRuns, otherRuns]).toEqual([[SAVE_WORLD_ID], [SAVE_WORLD_ID], []]);
  });

  it('forgets a window once it is closed, and asks nobody for a service without an origin', async () => {
    const win = open(`${ORIGIN}/p/tm351/notebook/tree`);
    const runs = showing(win, `${ORIGIN}/p/tm351/notebook/tree`, 0);
    win.destroy();
    win.emit('closed');
    expect(await saveNotebookWindows(ORIGIN)).toEqual({ windows: 0, unanswered: 0, saved: 0, failed: 0 });
    expect(await saveNotebookWindows(undefined)).toEqual({ windows: 0, unanswered: 0, saved: 0, failed: 0 });
    expect(runs).toEqual([]);
  });

  it('a window that went to a page on another origin is not asked', async () => {
    const win = open(`${ORIGIN}/p/tm351/notebook/tree`);
    const runs = showing(win, 'http://127.0.0.1:41002/elsewhere', 3);
    expect(await saveNotebookWindows(ORIGIN)).toEqual({ windows: 0, unanswered: 0, saved: 0, failed: 0 });
    expect(runs).toEqual([]);
  });
});

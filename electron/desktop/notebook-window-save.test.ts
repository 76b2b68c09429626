// The desktop's "save first" for notebook windows, without Electron: windows are small fakes of
// the WebContents surface used (URL, destroyed, run a script in an isolated world). The script
// the main process runs is also run for real, in a vm, against the course image's own
// save-on-request nbextension (compose-specs/…/save-on-request/main.js) in a simulated page that
// is not framed, as a desktop notebook window is; notebook-window-save.docker.test.ts runs it in
// Chromium's isolated world against the real notebook server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../engine/testing/course-copy.js';
import { SAVE_WORLD_ID, askWindowToSave, pageOrigin, saveRequestScript, saveWindowsOn, type SavableContents } from './notebook-window-save.js';

const ORIGIN = 'http://127.0.0.1:41000';
const PAGE = `${ORIGIN}/p/tm351/notebook/notebooks/a.ipynb`;

afterEach(() => {
  vi.useRealTimers();
});

/** A notebook window whose page answers the script with `answer(id)`. */
function fakeWindow(url: string, answer: (id: string) => unknown, options: { destroyed?: boolean } = {}) {
  const runs: Array<{ worldId: number; code: string; userGesture: boolean | undefined }> = [];
  const contents: SavableContents = {
    isDestroyed: () => options.destroyed ?? false,
    getURL: () => url,
    executeJavaScriptInIsolatedWorld: (worldId, scripts, userGesture) => {
      const code = scripts[0]!.code;
      runs.push({ worldId, code, userGesture });
      const id = /const id = "([^"]+)"/.exec(code)![1]!;
      return Promise.resolve().then(() => answer(id));
    },
  };
  return { contents, runs };
}

const answered = (saved: number, failed = 0) => (id: string) => ({ coursedock: 'save-answer', id, saved, failed });

describe('saveWindowsOn', () => {
  it("asks every window on the service's origin, in an isolated world, and adds up their answers", async () => {
    const a = fakeWindow(PAGE, answered(1));
    const b = fakeWindow(`${ORIGIN}/p/tm351/notebook/edit/notes.txt`, answered(1, 1));
    const tree = fakeWindow(`${ORIGIN}/p/tm351/notebook/tree`, answered(0));
    const saved = await saveWindowsOn([a.contents, b.contents, tree.contents], ORIGIN);
    expect(saved).toEqual({ windows: 3, unanswered: 0, saved: 2, failed: 1 });
    for (const w of [a, b, tree]) {
      expect(w.runs).toHaveLength(1);
      expect(w.runs[0]!.worldId).toBe(SAVE_WORLD_ID);
      expect(w.runs[0]!.userGesture).toBe(false);
    }
    expect(SAVE_WORLD_ID).not.toBe(0); // never the page's own world
  });

  it('leaves out windows on another origin, destroyed ones and ones whose URL cannot be read', async () => {
    const other = fakeWindow('http://127.0.0.1:41001/p/tm351/notebook/tree', answered(5));
    const gone = fakeWindow(PAGE, answered(5), { destroyed: true });
    const blank = fakeWindow('about:blank', answered(5));
    const run = vi.fn();
    const unreadable: SavableContents = {
      isDestroyed: () => false,
      getURL: () => {
        throw new Error('Object has been destroyed');
      },
      executeJavaScriptInIsolatedWorld: run,
    };
    const mine = fakeWindow(PAGE, answered(1));
    expect(await saveWindowsOn([other.contents, gone.contents, blank.contents, unreadable, mine.contents], ORIGIN)).toEqual({
      windows: 1,
      unanswered: 0,
      saved: 1,
      failed: 0,
    });
    expect([other, gone, blank].map((w) => w.runs.length)).toEqual([0, 0, 0]);
    expect(run).not.toHaveBeenCalled();
  });

  it('asks nobody when the service has no origin yet', async () => {
    const a = fakeWindow(PAGE, answered(1));
    expect(await saveWindowsOn([a.contents], undefined)).toEqual({ windows: 0, unanswered: 0, saved: 0, failed: 0 });
    expect(a.runs).toEqual([]);
  });

  it('counts an answer of any other shape, a rejection or a throwing answer as unanswered, and never throws', async () => {
    const shapes: Array<(id: string) => unknown> = [
      () => null,
      () => ({ coursedock: 'save-answer', id: 'another-id', saved: 1, failed: 0 }),
      (id) => ({ coursedock: 'save-answer', id, saved: -1, failed: 0 }),
      (id) => ({ coursedock: 'save-answer', id, saved: 1e9, failed: 0 }),
      (id) => ({ coursedock: 'save-answer', id, saved: '1', failed: 0 }),
      (id) => [{ coursedock: 'save-answer', id, saved: 1, failed: 0 }],
      (id) => ({ coursedock: 'save-request', id }),
      (id) =>
        new Proxy({ coursedock: 'save-answer', id, saved: 1, failed: 0 }, {
          get() {
            throw new Error('a getter that throws');
          },
        }),
      () => {
        throw new Error('Script failed to execute');
      },
      () => Promise.reject(new Error('WebContents was destroyed')),
    ];
    const windows = shapes.map((s) => fakeWindow(PAGE, s));
    const good = fakeWindow(PAGE, answered(2));
    expect(await saveWindowsOn([...windows.map((w) => w.contents), good.contents], ORIGIN)).toEqual({
      windows: shapes.length + 1,
      unanswered: shapes.length,
      saved: 2,
      failed: 0,
    });
  });

  it('gives up on a window that never answers after the time allowed, and still counts the others', async () => {
    vi.useFakeTimers();
    const hung: SavableContents = { isDestroyed: () => false, getURL: () => PAGE, executeJavaScriptInIsolatedWorld: () => new Promise(() => undefined) };
    const good = fakeWindow(PAGE, answered(1));
    const saving = saveWindowsOn([hung, good.contents], ORIGIN, { timeoutMs: 3000 });
    let result: unknown;
    void saving.then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(2999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ windows: 2, unanswered: 1, saved: 1, failed: 0 });
  });
});

describe('askWindowToSave', () => {
  it('sends a fresh id each time and accepts only the answer to it', async () => {
    const ids = ['id-1', 'id-2'];
    const seen: string[] = [];
    const w = fakeWindow(PAGE, (id) => {
      seen.push(id);
      return { coursedock: 'save-answer', id: 'id-1', saved: 1, failed: 0 };
    });
    const next = () => ids.shift()!;
    expect(await askWindowToSave(w.contents, { newId: next })).toEqual({ saved: 1, failed: 0 });
    expect(await askWindowToSave(w.contents, { newId: next })).toBeUndefined();
    expect(seen).toEqual(['id-1', 'id-2']);
  });

  it('refuses an id that could break out of the script (and says nothing was saved)', async () => {
    const w = fakeWindow(PAGE, answered(1));
    expect(await askWindowToSave(w.contents, { newId: () => '"); alert(1); ("' })).toBeUndefined();
    expect(w.runs).toEqual([]);
    expect(() => saveRequestScript('a"b', 1000)).toThrow(/letters, digits and dashes/);
  });
});

describe('pageOrigin', () => {
  it('is the origin of http(s) pages only', () => {
    expect(pageOrigin(PAGE)).toBe(ORIGIN);
    expect(pageOrigin('file:///tmp/x.html')).toBeUndefined();
    expect(pageOrigin('about:blank')).toBeUndefined();
    expect(pageOrigin('not a url')).toBeUndefined();
  });
});

// ---- The script against the course image's nbextension, in a simulated page ----

const NBEXTENSION = readFileSync(path.join(REPO_ROOT, 'compose-specs/tm351/notebook/save-on-request/main.js'), 'utf8');

interface PageWindow {
  location: { origin: string };
  parent: PageWindow;
  addEventListener(type: string, l: (e: unknown) => void): void;
  removeEventListener(type: string, l: (e: unknown) => void): void;
  postMessage(data: unknown, targetOrigin: string): void;
  /** A message as the browser delivers it, with its source and origin. */
  deliver(data: unknown, source: unknown, origin: string): void;
}

/** A page on ORIGIN (framed by `parent` when given) running the nbextension with `jupyter`. */
function notebookPage(jupyter: unknown, parent?: PageWindow): { win: PageWindow; context: vm.Context } {
  const listeners = new Set<(e: unknown) => void>();
  const win = {
    location: { origin: ORIGIN },
    addEventListener: (_t: string, l: (e: unknown) => void) => void listeners.add(l),
    removeEventListener: (_t: string, l: (e: unknown) => void) => void listeners.delete(l),
    deliver(data: unknown, source: unknown, origin: string) {
      const event = { data: structuredClone(data), source, origin };
      setTimeout(() => {
        for (const l of [...listeners]) l(event);
      }, 0);
    },
    postMessage(data: unknown, targetOrigin: string) {
      // A message this page posts to itself comes from itself, on its own origin.
      if (targetOrigin === ORIGIN) win.deliver(data, win, ORIGIN);
    },
  } as PageWindow;
  win.parent = parent ?? win;
  let extension: { load_ipython_extension(): void } | undefined;
  const context = vm.createContext({
    window: win,
    Promise,
    setTimeout,
    clearTimeout,
    define: (_deps: string[], factory: (j: unknown) => { load_ipython_extension(): void }) => (extension = factory(jupyter)),
  });
  vm.runInContext(NBEXTENSION, context);
  extension!.load_ipython_extension();
  return { win, context };
}

const notebookOpen = () => {
  const save_notebook = vi.fn(() => Promise.resolve());
  return { jupyter: { notebook: { save_notebook, notebook_path: 'a.ipynb', writable: true } }, save_notebook };
};

describe('the request script with the save-on-request nbextension', () => {
  it('a window of its own saves its notebook and the script returns the answer', async () => {
    const { jupyter, save_notebook } = notebookOpen();
    const { context } = notebookPage(jupyter);
    const data: unknown = await vm.runInContext(saveRequestScript('req-1', 3000), context);
    expect(save_notebook).toHaveBeenCalledTimes(1);
    expect({ ...(data as object) }).toEqual({ coursedock: 'save-answer', id: 'req-1', saved: 1, failed: 0 });
  });

  it('a notebook whose save fails is counted as failed', async () => {
    const jupyter = { notebook: { save_notebook: () => Promise.reject(new Error('disk full')), notebook_path: 'a.ipynb' } };
    const { context } = notebookPage(jupyter);
    const data: unknown = await vm.runInContext(saveRequestScript('req-2', 3000), context);
    expect({ ...(data as object) }).toEqual({ coursedock: 'save-answer', id: 'req-2', saved: 0, failed: 1 });
  });

  it('a framed page does not take a request it posted itself (only its framing panel asks it)', async () => {
    const { jupyter, save_notebook } = notebookOpen();
    const panel = { location: { origin: 'http://127.0.0.1:5173' } } as PageWindow;
    const { context } = notebookPage(jupyter, panel);
    expect(await vm.runInContext(saveRequestScript('req-3', 20), context)).toBeNull();
    expect(save_notebook).not.toHaveBeenCalled();
  });

  it('a window of its own ignores a request from another window or another origin', async () => {
    const { jupyter, save_notebook } = notebookOpen();
    const { win } = notebookPage(jupyter);
    const other = { location: { origin: ORIGIN } };
    win.deliver({ coursedock: 'save-request', id: 'x-1' }, other, ORIGIN);
    win.deliver({ coursedock: 'save-request', id: 'x-2' }, win, 'http://127.0.0.1:41001');
    win.deliver({ coursedock: 'save-request', id: 'x-3' }, win, 'null');
    await new Promise((r) => setTimeout(r, 10));
    expect(save_notebook).not.toHaveBeenCalled();
  });
});

// The desktop's "save first" for a notebook window, for real except for Electron itself (its
// binary cannot run here): the notebook page shown top-level in Chromium through the service's
// own origin (ServiceOrigins, as the desktop's notebook window is), text typed into a cell and
// not saved; then saveWindowsOn runs its request script in an isolated world of that page (CDP's
// Page.createIsolatedWorld, what Electron's executeJavaScriptInIsolatedWorld uses), the course
// image's save-on-request nbextension saves, and the notebook file on the host holds the text.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../engine/environment.js';
import { jupyterBasePath } from '../engine/open-work/open-work.js';
import { engineWithNotebookUp, jupyterApi, oneCellNotebook } from '../engine/testing/jupyter-contents.js';
import type { TestEngine } from '../engine/testing/test-engine.js';
import { ServiceOrigins, engineWebUis } from '../serve/service-origins.js';
import { saveWindowsOn, type SavableContents } from './notebook-window-save.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const NOTEBOOK = 'unsaved-in-window.ipynb';

/** The page as the main process sees a notebook window: its URL, and scripts run in an isolated world of it. */
async function asWindow(page: Page): Promise<SavableContents> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'coursedock-save' });
  return {
    isDestroyed: () => page.isClosed(),
    getURL: () => page.url(),
    executeJavaScriptInIsolatedWorld: async (_worldId, scripts) => {
      const r = await cdp.send('Runtime.evaluate', { expression: scripts[0]!.code, contextId: executionContextId, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.text);
      return r.result.value as unknown;
    },
  };
}

describe("saving a desktop notebook window's notebook before a restart", () => {
  let t: TestEngine | undefined;
  let env: Environment;
  let origins: ServiceOrigins | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let origin: string;
  let base: string;

  beforeAll(async () => {
    ({ t, env } = await engineWithNotebookUp());

    // The notebook, made through Jupyter's contents API: one code cell, not yet run.
    const target = env.webTarget('notebook')!;
    base = jupyterBasePath(target.path);
    const put = await jupyterApi(target)('PUT', `api/contents/${NOTEBOOK}`, oneCellNotebook('x = 1'));
    expect(put.status, await put.text()).toBeLessThan(300);

    // The desktop's way in: a one-time URL on the service's own origin, shown top-level.
    origins = new ServiceOrigins({ resolve: engineWebUis(t.engine), log: () => undefined });
    const { url } = await origins.webView(env.project, 'notebook');
    origin = origins.originOf(env.project, 'notebook')!;
    expect(new URL(url).origin).toBe(origin);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
  }, 10 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await origins?.close();
    await t?.destroy();
  });

  it('saves the text typed into an open notebook, asked from an isolated world of the window', async () => {
    await page.goto(`${origin}${base}notebooks/${NOTEBOOK}`, { waitUntil: 'domcontentloaded' });
    await page.locator('#kernel_indicator_icon.kernel_idle_icon').waitFor({ state: 'attached', timeout: 120_000 });
    const marker = `typed_in_window_${randomUUID().slice(0, 8)}`;
    await page.locator('.cell.code_cell .CodeMirror').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(`\n${marker} = 2`);
    await expect(page.locator('.cell.code_cell .CodeMirror').first().textContent()).resolves.toContain(marker);
    const onHost = path.join(t!.copy.notebooksDir, NOTEBOOK);
    expect(readFileSync(onHost, 'utf8')).not.toContain(marker);

    const saved = await saveWindowsOn([await asWindow(page)], origin);

    expect(saved).toEqual({ windows: 1, unanswered: 0, saved: 1, failed: 0 });
    expect(readFileSync(onHost, 'utf8')).toContain(marker);
  });

  it('the file list has nothing to save and says so at once; a window on another origin is not asked', async () => {
    await page.goto(`${origin}${base}tree`, { waitUntil: 'domcontentloaded' });
    await page.locator('#notebook_list').waitFor({ timeout: 60_000 });
    const window = await asWindow(page);
    expect(await saveWindowsOn([window], origin)).toEqual({ windows: 1, unanswered: 0, saved: 0, failed: 0 });
    expect(await saveWindowsOn([window], 'http://127.0.0.1:9')).toEqual({ windows: 0, unanswered: 0, saved: 0, failed: 0 });
  });
});

// The student's journey of e2e/journey.spec.ts, in the desktop app: the same page object
// (e2e/pages/panel.ts) drives the Electron window instead of a Chromium tab, over a private
// copy of the course (own project, settings and notebooks folder, removed afterwards).
// Runs where an Electron binary (and, on Linux, a display) is present; skipped otherwise.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { PanelPage, SLOW } from '../pages/panel.js';
import { dockerAvailable, psql } from '../support/docker.js';
import { expect, test } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/paths.js';

function electronBinary(): string | undefined {
  try {
    // The electron package exports its binary's path, and throws when it was never downloaded.
    const bin = createRequire(import.meta.url)('electron') as unknown;
    return typeof bin === 'string' && existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

const hasElectronBinary = electronBinary() !== undefined;
const hasDisplay = process.platform !== 'linux' || !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

test.skip(
  !hasElectronBinary,
  'No Electron binary on this machine: its download is blocked (ELECTRON_SKIP_BINARY_DOWNLOAD); the same journey runs in Chromium via the browser shell',
);
test.skip(hasElectronBinary && !hasDisplay, 'No display for the Electron window (run under xvfb-run on Linux); the same journey runs in Chromium via the browser shell');
test.skip(hasElectronBinary && hasDisplay && !dockerAvailable(), 'needs a running Docker engine');

test.describe('desktop app', () => {
  let app: ElectronApplication | undefined;
  let page: Page;
  let panel: PanelPage;

  test.beforeAll(() => {
    // dist/electron/main.js and preload.cjs (the panel is built by the global setup too).
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts/start-desktop.sh'), '--build-only'], { cwd: REPO_ROOT, stdio: 'inherit' });
  });

  test.beforeEach(async ({ course }) => {
    // Leave the services as they are on quit without asking (the fixture removes them).
    mkdirSync(course.home, { recursive: true });
    writeFileSync(path.join(course.home, 'settings.json'), JSON.stringify({ desktop: { onQuit: 'keep' } }));
    app = await electron.launch({
      args: [REPO_ROOT, '--course', course.project],
      cwd: REPO_ROOT,
      env: { ...(process.env as Record<string, string>), ...course.env },
    });
    page = await app.firstWindow();
    panel = new PanelPage(page);
  });

  test.afterEach(async () => {
    await app?.close();
  });

  test('the window shows our page with no Node in it, only window.coursedock', async () => {
    // (The webPreferences themselves are unit-tested: electron/desktop/web-preferences.test.ts.)
    const url = await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.getURL());
    expect(url).toMatch(/^file:\/\/.*\/dist\/renderer\/index\.html\?course=/);
    const surface = await page.evaluate(() => ({
      bridge: Object.keys((window as unknown as { coursedock: object }).coursedock).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(surface).toEqual({ bridge: ['invoke', 'on'], require: 'undefined', process: 'undefined' });
    // Links elsewhere never open an app window.
    await page.evaluate(() => window.open('https://evil.example/', '_blank'));
    await page.waitForTimeout(500);
    expect(app!.windows()).toHaveLength(1);
  });

  test('start, stop, reinstall keeps data, reset wipes it, stop all', async ({ course }) => {
    await test.step('the panel lists the services', async () => {
      await panel.waitForServices(['notebook', 'postgres', 'mongo']);
      await expect(panel.summary()).toContainText('0 of 3 running');
      await panel.screenshot('electron-01-services-stopped');
    });

    await test.step('settings show the notebooks folder in use', async () => {
      await page.getByRole('button', { name: 'Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await expect(dialog.getByRole('textbox', { name: 'Notebooks folder' })).toHaveValue(course.notebooksDir);
      await page.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);
    });

    await test.step('Start all: notebook and postgres become healthy', async () => {
      await panel.startAll();
      await panel.waitForStatus('postgres', /healthy/);
      await panel.waitForStatus('notebook', /healthy/);
      await panel.select('notebook');
      await expect(panel.detail().getByTestId('web-url')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/p\/[^?]+\/notebook\/tree$/);
      await panel.screenshot('electron-02-notebook-healthy');
    });

    await test.step('Stop postgres: the notebook keeps running; start it again', async () => {
      await panel.act('postgres', 'Stop');
      await panel.waitForStatus('postgres', /Stopped/, 60_000);
      await panel.waitForStatus('notebook', /healthy/, 5_000);
      await panel.act('postgres', 'Start');
      await panel.waitForStatus('postgres', /healthy/);
      await panel.waitIdle();
    });

    await test.step('Reinstall postgres: a row written from this computer is still there', async () => {
      const port = await panel.hostPort('postgres');
      psql(port, "CREATE TABLE e2e_marker (v text); INSERT INTO e2e_marker VALUES ('kept');");
      await panel.act('postgres', 'Reinstall');
      await panel.waitIdle();
      await panel.waitForStatus('postgres', /healthy/);
      expect(psql(await panel.hostPort('postgres'), 'SELECT v FROM e2e_marker')).toBe('kept');
    });

    await test.step('Reset postgres after the typed confirmation: the row is gone, the seeded data is back', async () => {
      await panel.resetData('postgres');
      await panel.waitIdle();
      await panel.waitForStatus('postgres', /healthy/);
      const port = await panel.hostPort('postgres');
      expect(psql(port, "SELECT to_regclass('public.e2e_marker') IS NULL")).toBe('t');
      expect(psql(port, 'SELECT count(*) FROM anscombe')).toBe('44');
    });

    await test.step('Stop all', async () => {
      await panel.stopAll();
      await panel.waitForStatus('postgres', /Not started|Stopped/, SLOW);
      await panel.waitForStatus('notebook', /Not started|Stopped/, SLOW);
    });
  });
});

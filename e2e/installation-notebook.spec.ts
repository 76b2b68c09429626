// The installation-test starter notebook (00-check-installation.ipynb) in the panel's notebook
// view, in Chromium over the browser shell and real Docker: seeded into the student's folder, it
// opens clean (no "unsaved changes"), runs there (Run All) without a failing cell; the seaborn
// figure shows as an image and the folium map as a Leaflet map with its marker, Leaflet served by
// the image itself (tiles need the internet, which these machines lack); MongoDB is skipped with
// the reason. Screenshots of the plot and the map go to the test artifacts and test-results/screens.
import type { Frame } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { dockerAvailable } from './support/docker.js';

test.skip(!dockerAvailable(), 'needs a running Docker engine');

const NOTEBOOK = '00-check-installation.ipynb';

test('the installation-test notebook runs in the notebook view; the seaborn plot and the folium map render', async ({ panel, page, course }, testInfo) => {
  const base = `/p/${course.project}/notebook`;
  await panel.waitForServices(['notebook', 'postgres', 'mongo']);

  await test.step('Start all; the notebook view lists the seeded starter notebook', async () => {
    await panel.startAll();
    await panel.waitForStatus('postgres', /healthy/);
    await panel.waitForStatus('notebook', /healthy/);
    await panel.select('notebook');
    await panel.openExtraTab('Notebook');
    await expect(panel.notebookFrame().locator('#notebook_list')).toContainText(NOTEBOOK, { timeout: 60_000 });
  });

  const nb = panel.notebookFrame();
  await test.step('open it in the view and run every cell', async () => {
    // The tree's link opens a new browser tab (target=_blank); the view itself goes there instead.
    const href = await nb.locator('#notebook_list a', { hasText: NOTEBOOK }).getAttribute('href');
    expect(href).toContain(`${base}/notebooks/${NOTEBOOK}`);
    const tree = notebookFrame(page.frames(), `${base}/tree`);
    await tree.goto(new URL(href!, tree.url()).toString());
    await expect(nb.locator('#kernel_indicator_icon.kernel_idle_icon')).toBeAttached({ timeout: 90_000 });
    const frame = notebookFrame(page.frames(), `${base}/notebooks/${NOTEBOOK}`);
    // Opening it changed nothing: the kernel's language_info is the one the file carries.
    await frame.waitForFunction(() => Boolean((window as unknown as { Jupyter: { notebook: { kernel?: { info_reply?: { language_info?: unknown } } } } }).Jupyter.notebook.kernel?.info_reply?.language_info));
    expect(await frame.evaluate(() => (window as unknown as { Jupyter: { notebook: { dirty: boolean | null } } }).Jupyter.notebook.dirty)).toBe(false);
    await expect(nb.locator('.autosave_status')).not.toContainText('unsaved');
    await frame.evaluate(() => (window as unknown as { Jupyter: { notebook: { execute_all_cells(): void } } }).Jupyter.notebook.execute_all_cells());
    await expect(nb.locator('.output_area', { hasText: 'Installation check:' })).toBeVisible({ timeout: 240_000 });
  });

  await test.step('no cell failed; MongoDB skipped with the reason', async () => {
    await expect(nb.locator('.output_error')).toHaveCount(0);
    await expect(nb.locator('.output_area', { hasText: 'Installation check:' })).toContainText(/Skipped: MongoDB: not reachable at mongodb:\/\/student:\*\*\*@mongo:27017\/tm351/);
  });

  await test.step('the seaborn plot renders as an image', async () => {
    const plot = nb.locator('.output_png img').first();
    await plot.scrollIntoViewIfNeeded();
    await expect(plot).toBeVisible();
    const size = await plot.evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight, complete: img.complete }));
    expect(size.complete).toBe(true);
    expect(size.w).toBeGreaterThan(200);
    expect(size.h).toBeGreaterThan(200);
    await panel.screenshot('installation-notebook-seaborn');
    await testInfo.attach('seaborn plot in the notebook view', { body: await page.screenshot(), contentType: 'image/png' });
  });

  await test.step('the folium map renders: Leaflet from the notebook server, its container and the marker', async () => {
    const mapFrame = nb.locator('.output_html iframe').first();
    await mapFrame.scrollIntoViewIfNeeded();
    await expect(mapFrame).toBeVisible();
    const box = await mapFrame.boundingBox();
    expect(box && box.width > 200 && box.height > 150, `map frame size ${JSON.stringify(box)}`).toBe(true);
    const inner = nb.locator('.output_html iframe').first().contentFrame();
    const map = inner.locator('.folium-map');
    await expect(map).toBeAttached();
    // Leaflet ran (offline: the image serves it under the server's static path, not a CDN).
    await expect(map).toHaveClass(/leaflet-container/, { timeout: 30_000 });
    await expect(inner.locator('script[src*="/static/coursedock-maps/leaflet/leaflet.js"]')).toBeAttached();
    await expect(inner.locator('.leaflet-marker-pane .leaflet-marker-icon')).toHaveCount(1);
    await expect(inner.locator('.leaflet-marker-pane .leaflet-marker-icon')).toBeVisible();
    const mapBox = await map.boundingBox();
    expect(mapBox && mapBox.width > 200 && mapBox.height > 150, `map size ${JSON.stringify(mapBox)}`).toBe(true);
    await panel.screenshot('installation-notebook-folium');
    await testInfo.attach('folium map in the notebook view', { body: await page.screenshot(), contentType: 'image/png' });
  });
});

/** The Playwright frame showing the notebook (inside the panel's notebook frame). */
function notebookFrame(frames: Frame[], path: string): Frame {
  const frame = frames.find((f) => f.url().includes(path));
  expect(frame, `a frame at ${path}`).toBeTruthy();
  return frame!;
}

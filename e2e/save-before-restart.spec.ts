// Work in progress is not lost to a restart (issue 15, item 6), over the browser shell, real
// Docker and the course's notebook image: text typed into a notebook cell in the embedded
// notebook view and never saved; Restart in the panel says what is open on the notebook server
// (asked of Jupyter by the engine) and, on "Save and restart", has the frame save the notebook
// (the image's save-on-request nbextension, by postMessage) before the server restarts. The
// notebook file in the notebooks folder on the host holds the typed text afterwards.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, test } from './support/fixtures.js';
import { dockerAvailable } from './support/docker.js';
import { putOneCellNotebook } from './support/notebooks.js';

test.skip(!dockerAvailable(), 'needs a running Docker engine');

test('typed but unsaved notebook text survives Restart from the panel', async ({ panel, page, course }) => {
  const base = `/p/${course.project}/notebook`;
  const name = 'unsaved-work.ipynb';
  const marker = `typed_before_restart_${randomUUID().slice(0, 8)}`;
  const onHost = path.join(course.notebooksDir, name);
  await panel.waitForServices(['notebook', 'postgres', 'mongo']);

  await test.step('the notebook view shows a notebook, with text typed into a cell and not saved', async () => {
    await panel.startAll();
    await panel.waitForStatus('notebook', /healthy/);
    await panel.select('notebook');
    await panel.openExtraTab('Notebook');
    const frameEl = panel.notebookTab().getByTestId('notebook-frame');
    await panel.notebookListShown();
    const nbOrigin = new URL((await frameEl.getAttribute('src'))!).origin;
    await putOneCellNotebook(page.request, `${nbOrigin}${base}`, name, 'x = 1');
    const frame = page.frames().find((f) => f.url().includes(`${base}/tree`));
    expect(frame, 'the notebook frame').toBeTruthy();
    await frame!.goto(`${nbOrigin}${base}/notebooks/${name}`);
    const nb = panel.notebookFrame();
    await expect(nb.locator('#kernel_indicator_icon.kernel_idle_icon')).toBeAttached({ timeout: 60_000 });
    await nb.locator('.cell.code_cell .CodeMirror').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(`\n${marker} = 2`);
    await expect(nb.locator('.cell.code_cell .CodeMirror').first()).toContainText(marker);
    // Not saved yet: the file on the host still holds only what was PUT.
    expect(readFileSync(onHost, 'utf8')).not.toContain(marker);
    await panel.screenshot('save-before-restart-typed');
  });

  await test.step('Restart: the panel says what is open, saves, then restarts', async () => {
    await panel.act('notebook', 'Restart');
    const dialog = page.getByRole('dialog', { name: /^Restart .*\?$/ });
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    await expect(dialog).toContainText(/1 notebook is open, (no kernels are busy|1 kernel is busy)\./);
    await expect(dialog.getByRole('list', { name: 'Open notebooks' })).toContainText(name);
    await panel.screenshot('save-before-restart-dialog');
    await dialog.getByRole('button', { name: 'Save and restart' }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });
    await expect(panel.notebookTab()).toContainText(/is (starting|stopping)/, { timeout: 30_000 });
    await panel.waitForStatus('notebook', /healthy/);
  });

  await test.step('after the restart the notebook file on the host holds the typed text', () => {
    const saved = JSON.parse(readFileSync(onHost, 'utf8')) as { cells: Array<{ source: string | string[] }> };
    const source = saved.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
    expect(source).toContain(`${marker} = 2`);
  });
});

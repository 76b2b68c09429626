// The notebook embedded in the panel over the browser shell and real Docker: the frame, on the
// notebook's own origin (never the panel's), is already authenticated, a notebook created through
// the proxy runs a cell that reaches PostgreSQL by service name with the injected variables, the
// view follows a restart, and the notebook's origin refuses anyone without its cookie.
import { expect, test } from './support/fixtures.js';
import { dockerAvailable } from './support/docker.js';
import { putOneCellNotebook } from './support/notebooks.js';

test.skip(!dockerAvailable(), 'needs a running Docker engine');

const CELL = [
  'import os, psycopg2',
  "c=psycopg2.connect(host=os.environ['PGHOST'], user=os.environ['PGUSER'], password=os.environ['PGPASSWORD'], dbname=os.environ['PGDATABASE'])",
  "cur=c.cursor(); cur.execute('select count(*) from anscombe'); print('rows:', cur.fetchone()[0])",
].join('\n');

test('the notebook view: authenticated frame, a cell that queries PostgreSQL, follows a restart', async ({ panel, page, shell, course }) => {
  const base = `/p/${course.project}/notebook`;
  let nbOrigin = '';
  await panel.waitForServices(['notebook', 'postgres', 'mongo']);

  await test.step('stopped: an overlay with Start, not a broken frame', async () => {
    await panel.select('notebook');
    await panel.openExtraTab('Notebook');
    await expect(panel.notebookTab()).toContainText('Notebook is stopped');
    await expect(panel.notebookTab().getByRole('button', { name: 'Start it' })).toBeVisible();
    await expect(panel.notebookTab().getByTestId('notebook-frame')).toHaveCount(0);
    await panel.screenshot('notebook-stopped');
  });

  await test.step('Start all: the frame shows the notebook tree, no token asked', async () => {
    await panel.startAll();
    await panel.waitForStatus('postgres', /healthy/);
    await panel.waitForStatus('notebook', /healthy/);
    const frameEl = panel.notebookTab().getByTestId('notebook-frame');
    await expect(frameEl).toHaveAttribute('src', new RegExp(`^http://127\\.0\\.0\\.1:\\d+${base}/tree\\?coursedock_ticket=[\\w-]+$`));
    nbOrigin = new URL((await frameEl.getAttribute('src'))!).origin;
    expect(nbOrigin).not.toBe(shell.origin);
    await panel.notebookListShown();
    await expect(panel.notebookFrame().getByText(/token|password/i)).toHaveCount(0);
    await panel.screenshot('notebook-tree');
  });

  await test.step('create a notebook through the proxy, open it in the frame and run the cell', async () => {
    // The frame's ticket left a cookie for the notebook's origin in this browser: the page's requests carry it.
    await putOneCellNotebook(page.request, `${nbOrigin}${base}`, 'e2e-postgres.ipynb', CELL);
    const frame = page.frames().find((f) => f.url().includes(`${base}/tree`));
    expect(frame, 'the notebook frame').toBeTruthy();
    await frame!.goto(`${nbOrigin}${base}/notebooks/e2e-postgres.ipynb`);
    const nb = panel.notebookFrame();
    await expect(nb.locator('#kernel_indicator_icon.kernel_idle_icon')).toBeAttached({ timeout: 60_000 });
    await nb.locator('.cell.code_cell').first().click();
    await nb.locator('.cell.code_cell').first().press('Shift+Enter');
    await expect(nb.locator('.output_area').first()).toContainText('rows: 44', { timeout: 60_000 });
    await panel.screenshot('notebook-cell-output');
  });

  await test.step('a restart: "starting" overlay, then the frame comes back by itself', async () => {
    await panel.act('notebook', 'Restart');
    // A notebook is open with its kernel: the panel says so and saves it first (save-before-restart.spec).
    const asked = page.getByRole('dialog', { name: /^Restart .*\?$/ });
    await asked.getByRole('button', { name: 'Save and restart' }).click({ timeout: 30_000 });
    await expect(asked).toBeHidden({ timeout: 30_000 });
    await panel.openExtraTab('Notebook');
    await expect(panel.notebookTab()).toContainText(/Notebook is (starting|stopping)/, { timeout: 30_000 });
    await panel.screenshot('notebook-restarting');
    await panel.waitForStatus('notebook', /healthy/);
    await panel.notebookListShown();
  });

  await test.step('the notebook origin refuses a request without its cookie, the panel token included', async () => {
    const bare = await fetch(`${nbOrigin}${base}/api/contents`, { redirect: 'manual' });
    expect(bare.status).toBe(401);
    const port = new URL(nbOrigin).port;
    const wrong = await fetch(`${nbOrigin}${base}/tree`, { headers: { Cookie: `coursedock_web_${port}=wrong` }, redirect: 'manual' });
    expect(wrong.status).toBe(401);
    const panelToken = await fetch(`${nbOrigin}${base}/tree?token=${shell.token}`, { headers: { Authorization: `token ${shell.token}` }, redirect: 'manual' });
    expect(panelToken.status).toBe(401);
    // The browser that opened it through the panel carries its cookie.
    expect((await page.request.get(`${nbOrigin}${base}/api/contents`)).status()).toBe(200);
  });
});

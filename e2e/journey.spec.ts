// A student's afternoon, end to end over the browser shell and real Docker: start the course,
// stop and start the database on its own, keep data across a reinstall, wipe it with a reset
// (the seeded tables come back), and watch the logs. MongoDB's image is in a registry that cannot
// answer (the course copy puts it there), so "not available" is made here, not assumed.
// Functional checks only: how fast the panel follows Docker is measured in bench/panel.bench.ts.
import { expect, test } from './support/fixtures.js';
import { containerStart, psql, psqlError, stopOutside } from './support/docker.js';
import { SLOW } from './pages/panel.js';

test('start, stop, reinstall keeps data, reset wipes it, logs follow', async ({ panel, page, course }) => {
  await test.step('the panel lists the services', async () => {
    await panel.waitForServices(['notebook', 'postgres', 'mongo']);
    await expect(panel.summary()).toContainText('0 of 3 running');
    await panel.screenshot('01-services-stopped');
  });

  await test.step('settings show the notebooks folder in use', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect(dialog.getByRole('textbox', { name: 'Notebooks folder' })).toHaveValue(course.notebooksDir);
    await panel.screenshot('01-settings');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  await test.step('Start all: notebook and postgres become healthy; mongo is not available, with a reason', async () => {
    await panel.startAll();
    await expect(page.getByRole('button', { name: 'Start all' })).toBeDisabled();
    await panel.select('postgres');
    await panel.screenshot('02-starting');
    await panel.waitForStatus('postgres', /healthy/);
    await panel.waitForStatus('notebook', /healthy/);
    await panel.waitForStatus('mongo', /Not available/);
    await panel.select('mongo');
    await expect(panel.detail()).toContainText('MongoDB is not available on this computer.');
    await panel.screenshot('03-mongo-unavailable');
    await panel.select('notebook');
    await expect(panel.serviceRow('notebook')).toContainText(/127\.0\.0\.1:\d+/);
    // The address shown carries no token: the notebook's token never reaches the panel.
    await expect(panel.detail().getByTestId('web-url')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/p\/[^?]+\/notebook\/tree$/);
    await panel.screenshot('04-notebook-healthy');
  });

  await test.step('Stop postgres: the notebook keeps running', async () => {
    const notebookStarted = containerStart(course.project, 'notebook');
    await panel.act('postgres', 'Stop');
    await panel.waitForStatus('postgres', /Stopped/);
    await panel.waitForStatus('notebook', /healthy/);
    // The same notebook container, never stopped or restarted meanwhile.
    expect(containerStart(course.project, 'notebook')).toEqual({ ...notebookStarted, running: true });
  });

  await test.step('Start postgres again', async () => {
    await panel.act('postgres', 'Start');
    await panel.waitForStatus('postgres', /healthy/);
    await panel.waitIdle();
  });

  await test.step('a change made outside Coursedock shows in the panel by itself', async () => {
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    stopOutside(course.project, 'postgres');
    await panel.waitForStatus('postgres', /Stopped/);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await panel.act('postgres', 'Start');
    await panel.waitForStatus('postgres', /healthy/);
    await panel.waitIdle();
  });

  const port = await panel.hostPort('postgres');
  await panel.screenshot('05-postgres-connection');

  await test.step('write a row from this computer', () => {
    psql(port, "CREATE TABLE e2e_marker (v text); INSERT INTO e2e_marker VALUES ('kept');");
    expect(psql(port, 'SELECT v FROM e2e_marker')).toBe('kept');
  });

  await test.step('Reinstall postgres: the row is still there', async () => {
    await panel.act('postgres', 'Reinstall');
    await expect(panel.operation()).toContainText(/Reinstalling/, { timeout: 30_000 });
    await panel.screenshot('06-reinstalling');
    await panel.waitIdle();
    await panel.waitForStatus('postgres', /healthy/);
    const after = await panel.hostPort('postgres');
    expect(psql(after, 'SELECT v FROM e2e_marker')).toBe('kept');
  });

  await test.step('Reset postgres after the typed confirmation: the row is gone, the seeded data is back', async () => {
    await panel.select('postgres');
    await panel.detail().getByRole('button', { name: 'Reset data…' }).click();
    await expect(page.getByRole('dialog')).toContainText(/_pgdata/);
    await panel.screenshot('07-reset-dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await panel.resetData('postgres');
    await expect(panel.operation()).toContainText(/Resetting/, { timeout: 30_000 });
    await panel.waitIdle();
    await panel.waitForStatus('postgres', /healthy/);
    const after = await panel.hostPort('postgres');
    expect(psql(after, "SELECT to_regclass('public.e2e_marker') IS NULL")).toBe('t');
    expect(psql(after, 'SELECT count(*) FROM anscombe')).toBe('44');
  });

  await test.step('logs show new lines as they arrive', async () => {
    const pgPort = await panel.hostPort('postgres');
    await panel.openTab('Logs');
    await expect(panel.detail().getByText('Live')).toBeVisible({ timeout: 30_000 });
    const marker = `e2e_no_such_table_${Date.now()}`;
    expect(psqlError(pgPort, `SELECT * FROM ${marker}`)).toContain('does not exist');
    await expect(panel.logViewport()).toContainText(marker, { timeout: 30_000 });
    await panel.detail().getByRole('searchbox', { name: 'Filter log lines' }).fill(marker);
    await expect(panel.detail().getByTestId('log-count')).toHaveText(/^[1-9]\d* of \d+ lines$/);
    await panel.screenshot('08-logs');
    await page.emulateMedia({ colorScheme: 'dark' });
    await panel.screenshot('09-logs-dark');
    await panel.openTab('Connection');
    await panel.screenshot('09-connection-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('Stop all', async () => {
    await panel.stopAll();
    await panel.waitForStatus('postgres', /Not started|Stopped/, SLOW);
    await panel.waitForStatus('notebook', /Not started|Stopped/, SLOW);
  });
});

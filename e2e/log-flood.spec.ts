// The logs tab under a flood (10 000 lines a second): the DOM stays small, the buffer keeps the
// last 5000 lines, and the filter still works while lines pour in. Runs against a fake shell: no
// Docker needed. How responsive the page stays (long tasks, input delay) is measured in
// bench/panel.bench.ts, not judged here against the clock.
import { expect, test } from '@playwright/test';
import { PanelPage } from './pages/panel.js';
import { startFloodShell, type FakeShell } from './support/fake-shell.js';

let shell: FakeShell;

test.beforeEach(async () => {
  shell = await startFloodShell('test');
});

test.afterEach(async () => {
  await shell.close();
});

test('under a flood of log lines the panel keeps 5000, renders few, and filters', async ({ page }) => {
  const panel = new PanelPage(page);
  await panel.open(shell.url);
  await panel.waitForServices(['chatty']);
  await panel.openTab('Logs');
  await expect(panel.detail().getByTestId('log-count')).toHaveText('5000 lines');
  // Lines keep coming (the newest line number grows) while the buffer stays at 5000.
  const newest = async () => Number(/line (\d+) /.exec((await panel.detail().getByTestId('log-line').last().textContent()) ?? '')?.[1] ?? -1);
  const seen = await newest();
  await expect.poll(newest).toBeGreaterThan(seen + 1000);
  await expect(panel.detail().getByTestId('log-count')).toHaveText('5000 lines');

  // Every tenth line (numbers ending in 0) of the 5000 consecutive ones kept.
  await panel.detail().getByRole('searchbox', { name: 'Filter log lines' }).fill('0 lorem');
  await expect(panel.detail().getByTestId('log-count')).toHaveText('500 of 5000 lines');

  // Only what is on screen is in the DOM (a virtualised list), not 5000 rows.
  const rows = await panel.detail().getByTestId('log-line').count();
  expect(rows).toBeGreaterThan(0);
  expect(rows).toBeLessThan(200);
  await panel.screenshot('30-log-flood');
  await panel.openTab('Overview');
});

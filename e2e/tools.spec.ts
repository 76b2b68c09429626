// The panel's tools on the real engine, photographed into the test's artifacts: "Check my
// environment" (a result per check, hints, re-run), "Make a support bundle" (the file saved,
// what is inside, secrets masked and searched for in the file), and a service's snapshots
// (take one, list it, drift from its image, recreate it as a Dockerfile). PostgreSQL is the
// service running here: its image is built from the course's own context.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { SLOW } from './pages/panel.js';
import { expect, test } from './support/fixtures.js';

async function shot(page: Page, testInfo: TestInfo, name: string, show?: Locator): Promise<void> {
  await show?.scrollIntoViewIfNeeded();
  const body = await page.screenshot({ path: path.join('test-results/screens', `${name}.png`) });
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

test('Check my environment: a result per check with hints, and Check again runs them again', async ({ panel, page }, testInfo) => {
  await panel.waitForServices(['postgres']);
  await panel.act('postgres', 'Start');
  await panel.waitForStatus('postgres', /healthy/i);
  await page.getByRole('button', { name: 'Check my environment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Check my environment' });
  await expect(dialog.getByTestId('checks-summary')).toBeVisible({ timeout: 180_000 });
  // PostgreSQL runs: its data checks pass. The notebook does not: its checks fail, each with a hint.
  await expect(dialog.locator('[data-check="data-anscombe"]')).toHaveClass(/check--pass/);
  await expect(dialog.locator('[data-check="data-elements"]')).toHaveClass(/check--pass/);
  const notebookCheck = dialog.locator('[data-check="python-modules"]');
  await expect(notebookCheck).not.toHaveClass(/check--pass/);
  await expect(notebookCheck.locator('.check__hint')).toHaveText(/^→ \S/);
  await shot(page, testInfo, 'tools-check', dialog);

  // Check again: every check is run and reported again (its outcome is the engine's to decide).
  const rows = await dialog.locator('[data-check]').count();
  await dialog.getByRole('button', { name: 'Check again' }).click();
  await expect(dialog.getByText('Checking…')).toBeVisible();
  await expect(dialog.getByTestId('checks-summary')).toHaveText(/^\d+ passed, \d+ failed/, { timeout: 180_000 });
  await expect(dialog.locator('[data-check]')).toHaveCount(rows);
});

test('Make a support bundle: the file is saved, its contents listed, its secrets masked', async ({ panel, page, course }, testInfo) => {
  await panel.waitForServices(['notebook', 'postgres']);
  await page.getByRole('button', { name: 'Support bundle' }).click();
  const dialog = page.getByRole('dialog', { name: 'Make a support bundle' });
  await expect(dialog).toContainText('Passwords and tokens are replaced by ***');
  await dialog.getByRole('button', { name: 'Make the bundle' }).click();
  const where = dialog.getByTestId('bundle-path');
  await expect(where).toBeVisible({ timeout: 180_000 });
  const file = (await where.textContent())!;
  // Saved in this install's data folder, for real.
  expect(file.startsWith(course.home), file).toBe(true);
  expect(existsSync(file) && statSync(file).size > 0).toBe(true);
  const files = dialog.getByRole('list', { name: 'Files in the bundle' });
  await expect(files.getByText('README.txt', { exact: true })).toBeVisible();
  await expect(files.getByText('services/postgres/logs.txt', { exact: true })).toBeVisible();
  await expect(dialog.getByTestId('bundle-secrets')).toHaveText(
    /^Secrets masked: NOTEBOOK_TOKEN, MONGO_PASSWORD, MONGO_ADMIN_PASSWORD.* appear as \*\*\* — the saved file was searched for all \d+ secret values of this environment and none is in it\.$/,
  );
  await shot(page, testInfo, 'tools-support-bundle', dialog);
});

test('Snapshots: take one, see it listed, drift from the image, recreate it as a Dockerfile', async ({ panel, page }, testInfo) => {
  await panel.waitForServices(['postgres']);
  await panel.act('postgres', 'Start');
  await panel.waitForStatus('postgres', /healthy/i);
  await panel.detail().getByRole('tab', { name: 'Snapshots' }).click();
  const tab = panel.detail().getByTestId('snapshots-tab');
  await expect(tab.getByText('No snapshot yet.')).toBeVisible();
  await tab.getByLabel('Snapshot name').fill('before week 3');
  await tab.getByRole('button', { name: 'Take a snapshot' }).click();
  const row = tab.getByRole('list', { name: 'Snapshots' }).getByRole('listitem').filter({ hasText: 'before week 3' });
  await expect(row).toBeVisible({ timeout: SLOW });
  await expect(row).toContainText(/\d+ Debian, \d+ Python, \d+ npm packages/);

  await tab.getByRole('button', { name: 'Drift from the image' }).click();
  await expect(tab.getByTestId('drift-summary')).toHaveText(/^(Nothing changed compared with|Compared with) a fresh container of its image/, { timeout: SLOW });
  await shot(page, testInfo, 'tools-snapshots-drift', tab);

  await row.getByRole('button', { name: 'Recreate as Dockerfile' }).click();
  const dockerfile = row.getByLabel('Dockerfile text');
  await expect(dockerfile).toHaveText(/^FROM \S+/m, { timeout: 60_000 });
  const written = await row.getByTestId('recreate').locator('li code').first().textContent();
  expect(existsSync(written!), written!).toBe(true);
  await shot(page, testInfo, 'tools-snapshots-recreate', row);
});

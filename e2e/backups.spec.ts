// Backups in the panel, on the real engine and the course's real PostgreSQL: Back up now lists a
// manual backup with its time and size; Reset says a backup is taken first, takes it, and the
// Backups tab then offers "Undo reset", which brings the student's table back.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyCourse } from '../electron/engine/testing/course-copy.js';
import { psql } from '../electron/engine/testing/test-engine.js';
import { SLOW } from './pages/panel.js';
import { courseFixture, expect, test as base } from './support/fixtures.js';

// The course's images as they are on this computer (build sections dropped): a course image
// being rebuilt by other work meanwhile is not waited for; backups do not depend on it.
const test = base.extend({
  course: courseFixture((withSlow) => {
    const copy = copyCourse('tm351', 'cde2ebk', { withSlow });
    // Health checks get more time than the course's 3 s: this judges backups, not a loaded machine's speed.
    writeFileSync(copy.file, readFileSync(copy.file, 'utf8').replace(/^ {4}build:\n {6}context: [^\n]+\n/gm, '').replace(/^ {6}timeout: 3s$/gm, '      timeout: 60s'));
    return copy;
  }),
});

test('Back up now → Reset (backed up first) → Undo reset brings the table back', async ({ panel, page }, testInfo) => {
  test.setTimeout(15 * 60_000);
  await panel.waitForServices(['postgres']);
  await panel.act('postgres', 'Start');
  await panel.waitForStatus('postgres', /healthy/i);
  const port = await panel.hostPort('postgres');
  psql(port, 'create table my_results (id int primary key, score int); insert into my_results select g, g * 3 from generate_series(1, 40) g');

  await panel.select('postgres');
  await panel.detail().getByRole('tab', { name: 'Backups' }).click();
  const backups = panel.detail().getByRole('region', { name: 'Backups of PostgreSQL' });
  await expect(backups.getByText(/No backups yet/)).toBeVisible({ timeout: SLOW });
  await backups.getByRole('button', { name: 'Back up PostgreSQL now' }).click();
  await expect(backups.getByText(/^Backed up PostgreSQL \(/)).toBeVisible({ timeout: SLOW });
  const table = backups.getByRole('table', { name: 'Backups' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('Manual');
  await expect(table.getByRole('row').nth(1)).toContainText(/\d+(\.\d)? (kB|MB)/);
  await page.screenshot({ path: path.join('test-results/screens', 'backups-manual.png') });

  // The reset dialog says a backup is taken first.
  await panel.detail().getByRole('button', { name: 'Reset data…' }).click();
  await expect(page.getByRole('dialog')).toContainText('A backup of this data is taken first');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await panel.resetData('postgres');
  await panel.waitForStatus('postgres', /healthy/i);
  await panel.waitIdle();
  expect(() => psql(port, 'select count(*) from my_results')).toThrow(/my_results/);

  await panel.select('postgres');
  await panel.detail().getByRole('tab', { name: 'Backups' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('Automatic, before a reset', { timeout: SLOW });
  await backups.getByRole('button', { name: 'Undo reset' }).click();
  await expect(backups.getByText(/^Restored PostgreSQL/)).toBeVisible({ timeout: SLOW });
  const body = await page.screenshot({ path: path.join('test-results/screens', 'backups-undo-reset.png') });
  await testInfo.attach('backups-undo-reset', { body, contentType: 'image/png' });
  expect(psql(await panel.hostPort('postgres'), 'select count(*) || $$/$$ || sum(score) from my_results')).toBe('40/2460');
});

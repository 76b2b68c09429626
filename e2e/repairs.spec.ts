// Fixes, in the panel, on the real engine — each shown before it runs, run with one click, and
// photographed (attached to the test's artifacts): root-owned notebook files given to the
// notebook user; Docker space freed (only the leftovers this test made: the engine is shared);
// a PostgreSQL that stopped answering restarted; and `up` moving a foreign container that holds
// our container's name aside, saying so.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { copyCourse } from '../electron/engine/testing/course-copy.js';
import { leftoverScope, makeReclaimableSpace, newLeftoverMarker } from '../electron/engine/testing/reclaimable-space.js';
import { SLOW } from './pages/panel.js';
import { courseFixture, expect, test } from './support/fixtures.js';

async function shot(page: Page, testInfo: TestInfo, name: string, show?: Locator): Promise<void> {
  await show?.scrollIntoViewIfNeeded();
  const body = await page.screenshot({ path: path.join('test-results/screens', `${name}.png`) });
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

async function openChecks(page: Page) {
  await page.getByRole('button', { name: 'Check my environment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Check my environment' });
  await expect(dialog.getByTestId('checks-summary')).toBeVisible({ timeout: 180_000 });
  return dialog;
}

test.describe('ownership', () => {
  test.use({ shellEnv: { NOTEBOOK_UID: '1000' } });

  test('root-owned files in the notebooks folder → the check fails → Fix → the files belong to uid 1000 on this computer', async ({ panel, page, course }, testInfo) => {
    await panel.waitForServices(['notebook']);
    await panel.act('notebook', 'Start');
    await panel.waitForStatus('notebook', /healthy/i);
    const dir = course.notebooksDir;
    mkdirSync(path.join(dir, 'week1'), { recursive: true });
    writeFileSync(path.join(dir, 'week1', 'made-as-root.ipynb'), '{}');
    for (const f of ['week1', 'week1/made-as-root.ipynb']) chownSync(path.join(dir, f), 0, 0);

    const dialog = await openChecks(page);
    const fix = dialog.getByRole('group', { name: /^Fix: The files in \/home\/student\/notebooks belong/ });
    await expect(fix).toContainText(/Change the owner of \d+ files? in \/home\/student\/notebooks to uid 1000/);
    await expect(dialog.locator('[data-check="notebooks-writable:owner"]')).toContainText('week1/made-as-root.ipynb (root:root)');
    await shot(page, testInfo, 'repair-ownership-offered', fix);
    await fix.getByRole('button', { name: 'Fix' }).click();
    const row = dialog.locator('[data-check="notebooks-writable:owner"]');
    await expect(row.getByRole('status')).toHaveText(/^Gave \d+ files? in \/home\/student\/notebooks to uid 1000\.$/, { timeout: 120_000 });
    await expect(row).toHaveClass(/check--pass/);
    await shot(page, testInfo, 'repair-ownership-done', row);
    for (const f of ['week1', 'week1/made-as-root.ipynb']) expect(statSync(path.join(dir, f)).uid, f).toBe(1000);
  });
});

test.describe('Docker space', () => {
  const marker = newLeftoverMarker();
  test.use({ shellEnv: { COURSEDOCK_TEST_SPACE_SCOPE: JSON.stringify(leftoverScope(marker)) } });
  // The course asks for more free space than any disk has, so the check fails and offers the fix.
  const diskTest = test.extend({
    course: courseFixture((withSlow) => {
      const copy = copyCourse('tm351', 'cde2e', { withSlow });
      writeFileSync(copy.file, readFileSync(copy.file, 'utf8').replace(/min-free: 2GB/, 'min-free: 100000GB'));
      return copy;
    }),
  });

  diskTest('space to free shown first; Fix frees the dangling image and build cache; volumes and course images stay', async ({ panel, page }, testInfo) => {
    const made = await makeReclaimableSpace(undefined, 8, marker);
    const unused = `${marker}-unused-data`;
    docker('volume', 'create', unused);
    try {
      const volumesBefore = docker('volume', 'ls', '-q').split('\n').filter((v) => v && !/^[a-z0-9]+-tm351-[a-z0-9]+_/.test(v));
      const courseImages = docker('images', '--filter', 'reference=coursedock/*', '-q', '--no-trunc').split('\n').filter(Boolean);
      await panel.waitForServices(['notebook']);
      const dialog = await openChecks(page);
      const fix = dialog.getByRole('group', { name: /^Fix: Docker has at least/ });
      await expect(fix).toContainText(/Remove 1 untagged image no container uses and [1-9]\d* unused build cache records?: about \d+ MB\. Volumes \(your data\) and the course's images are kept\./);
      await shot(page, testInfo, 'repair-disk-offered', fix);
      await fix.getByRole('button', { name: 'Fix' }).click();
      const row = dialog.locator('[data-check="disk-space"]');
      await expect(row.getByRole('status')).toHaveText(/^Freed \d+ MB: removed 1 untagged image and [1-9]\d* build cache records?; volumes and course images kept\.$/, { timeout: 120_000 });
      await shot(page, testInfo, 'repair-disk-done', row);
      expect(() => docker('image', 'inspect', made.imageId)).toThrow();
      const volumesAfter = new Set(docker('volume', 'ls', '-q').split('\n'));
      expect(volumesAfter.has(unused)).toBe(true);
      for (const v of volumesBefore) expect(volumesAfter.has(v), v).toBe(true);
      const imagesAfter = new Set(docker('images', '-q', '--no-trunc').split('\n'));
      for (const i of courseImages) expect(imagesAfter.has(i), i).toBe(true);
    } finally {
      await made.remove();
      docker('volume', 'rm', unused);
    }
  });
});

test('PostgreSQL stops answering (its server frozen, as after a sleep) → the port check offers a restart → Fix → it answers again', async ({ panel, page, course }, testInfo) => {
  await panel.waitForServices(['postgres']);
  await panel.act('postgres', 'Start');
  await panel.waitForStatus('postgres', /healthy/i);
  const pid = docker('inspect', '-f', '{{.State.Pid}}', `${course.project}-postgres-1`);
  process.kill(Number(pid), 'SIGSTOP');
  try {
    const dialog = await openChecks(page);
    const fix = dialog.getByRole('group', { name: /^Fix: Each published port answers on 127\.0\.0\.1: PostgreSQL/ });
    await expect(fix).toContainText('Restart PostgreSQL (its container stops and starts again; your data is kept).');
    await shot(page, testInfo, 'repair-restart-offered', fix);
    await fix.getByRole('button', { name: 'Fix' }).click();
    const row = dialog.locator('[data-check="ports:postgres"]');
    await expect(row.getByRole('status')).toHaveText('Restarted PostgreSQL.', { timeout: SLOW });
    await expect(row).toHaveClass(/check--pass/);
    await shot(page, testInfo, 'repair-restart-done', row);
  } finally {
    try {
      process.kill(Number(pid), 'SIGCONT');
    } catch {
      // restarted: that process is gone
    }
  }
});

test('a foreign container holding <project>-postgres-1: starting PostgreSQL renames it aside and says so; it still exists', async ({ panel, page, course }, testInfo) => {
  const name = `${course.project}-postgres-1`;
  const foreign = docker('create', '--name', name, '--label', 'made-by=a test', 'debian:bookworm-slim', 'sleep', 'infinity');
  try {
    await panel.waitForServices(['postgres']);
    await panel.act('postgres', 'Start');
    // Said as the container is made (a warning stays 20 s): before PostgreSQL is even healthy.
    const toast = panel.toasts().getByText(/was taken by a container Coursedock did not make/);
    await expect(toast).toContainText(`It was renamed to ${name}-not-coursedock-`);
    await expect(toast).toContainText(`PostgreSQL's container was created as ${name}.`);
    await shot(page, testInfo, 'repair-foreign-container');
    await panel.waitForStatus('postgres', /healthy/i);
    expect(docker('inspect', '-f', '{{.Name}}', foreign)).toMatch(new RegExp(`^/${name}-not-coursedock-\\w+$`));
    expect(docker('inspect', '-f', '{{.Id}}', name)).not.toBe(foreign);
  } finally {
    docker('rm', '-f', foreign);
  }
});

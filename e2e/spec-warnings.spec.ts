// A plain Compose file (no x-coursedock) with a `.env` opens in the panel: its services are
// listed under their names, "This course's spec" lists the warnings with line, key and why
// (the empty host address published on 127.0.0.1, the unset variable), and Start all runs it
// with the `.env` values. The file is the corpus's notebook-pair (electron/engine/spec/corpus).
import { cpSync, appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CourseCopy } from '../electron/engine/testing/course-copy.js';
import { courseFixture, test as base, expect } from './support/fixtures.js';
import { REPO_ROOT } from './support/paths.js';
import { freePort } from '../electron/engine/testing/free-port.js';

const test = base.extend({
  course: courseFixture(async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cde2e-plain-'));
    const project = `cde2e-plain-${path.basename(root).split('-').pop()!.toLowerCase()}`;
    const dir = path.join(root, 'specs', project);
    cpSync(path.join(REPO_ROOT, 'electron/engine/spec/corpus/notebook-pair'), dir, { recursive: true });
    appendFileSync(path.join(dir, '.env'), `DB_PORT=${await freePort()}\n`);
    const home = path.join(root, 'home');
    const copy: CourseCopy = {
      project,
      dir,
      file: path.join(dir, 'compose.yaml'),
      home,
      notebooksDir: path.join(root, 'notebooks'),
      env: { COURSEDOCK_HOME: home, COURSEDOCK_SPECS: path.dirname(dir) },
      cleanup: () => rmSync(root, { recursive: true, force: true }),
    };
    return copy;
  }),
});

test("a plain Compose file with .env opens, with its warnings in \"This course's spec\", and starts", async ({ panel, page }) => {
  await panel.waitForServices(['db', 'client']);

  const notice = page.getByRole('region', { name: 'This course’s spec' });
  await test.step('the notice lists what Coursedock does differently, and why', async () => {
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('2 things in compose.yaml that Coursedock ignores or does differently, and why:');
    const items = notice.getByRole('listitem');
    await expect(items).toHaveCount(2);
    await expect(items.filter({ hasText: 'services.db.ports[0]' })).toContainText(/line 10 · services\.db\.ports\[0\]an empty host address .*127\.0\.0\.1 instead/);
    await expect(items.filter({ hasText: 'COURSE_GREETING' })).toBeVisible();
    await panel.screenshot('60-plain-compose-spec-notice');
  });

  await test.step('Start all runs both services with the .env values', async () => {
    await panel.startAll();
    await panel.waitForStatus('db', /healthy/);
    await panel.waitForStatus('client', /running|healthy/i);
    await panel.select('client');
    await panel.openTab('Logs');
    await expect(panel.detail()).toContainText('course database: postgres://student@db:5432/pairs', { timeout: 30_000 });
  });
});

// A plain Compose file with a profile: the panel shows the profile's switch (off: its service is
// not listed), switching it on lists the service, and the choice is kept when the panel reloads.
const profileTest = base.extend({
  course: courseFixture(() => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cde2e-profiles-'));
    const project = `cde2e-profiles-${path.basename(root).split('-').pop()!.toLowerCase()}`;
    const dir = path.join(root, 'specs', project);
    mkdirSync(dir, { recursive: true });
    const sleeper = '    image: debian:bookworm-slim\n    command: ["sleep", "infinity"]\n    init: true\n';
    writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  client:\n${sleeper}  replica:\n${sleeper}    profiles: [replica-set]\n`);
    const home = path.join(root, 'home');
    const copy: CourseCopy = {
      project,
      dir,
      file: path.join(dir, 'compose.yaml'),
      home,
      notebooksDir: path.join(root, 'notebooks'),
      env: { COURSEDOCK_HOME: home, COURSEDOCK_SPECS: path.dirname(dir) },
      cleanup: () => rmSync(root, { recursive: true, force: true }),
    };
    return copy;
  }),
});

profileTest('a Compose profile is switched on from the panel and stays on', async ({ panel, page }) => {
  await panel.waitForServices(['client']);
  const off = page.getByRole('switch', { name: 'Replica-set activity: off' });
  await expect(off).toBeVisible();
  await expect(off).toHaveAttribute('aria-checked', 'false');
  await expect(panel.serviceRow('replica')).toHaveCount(0);
  await off.click();
  await panel.waitForServices(['client', 'replica']);
  await expect(page.getByRole('switch', { name: 'Replica-set activity: on' })).toHaveAttribute('aria-checked', 'true');
  await panel.screenshot('61-plain-compose-profile-on');
  await page.reload();
  await panel.waitForServices(['client', 'replica']);
  await expect(page.getByRole('switch', { name: 'Replica-set activity: on' })).toBeVisible();
});

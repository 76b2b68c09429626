// Docker not running: the panel says what was tried and what to do, and carries on by itself,
// without a reload, when Docker comes (back) up. Docker is reached through a socket the test
// controls; COURSEDOCK_DOCKER_HOST makes the engine use that endpoint alone (no fallbacks).
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './support/fixtures.js';
import { dockerProxy } from './support/docker-proxy.js';

const proxy = dockerProxy(path.join(os.tmpdir(), `cd-e2e-docker-${process.pid}-${Date.now().toString(36)}.sock`));
test.use({ shellEnv: { COURSEDOCK_DOCKER_HOST: proxy.url } });
test.afterEach(async () => proxy.down());

test('shows what was tried, then the panel when Docker comes up, and again when it goes away', async ({ panel, page }) => {
  await test.step('Docker down from the start: the Docker screen lists the attempt', async () => {
    await expect(panel.dockerScreen()).toBeVisible({ timeout: 30_000 });
    await expect(panel.dockerScreen().getByRole('heading', { level: 1 })).toHaveText('Docker is not running');
    const attempts = panel.dockerScreen().getByRole('list', { name: 'Connection attempts' }).getByRole('listitem');
    await expect(attempts).toHaveCount(1);
    await expect(attempts.first()).toContainText(proxy.url);
    await expect(attempts.first()).toContainText('COURSEDOCK_DOCKER_HOST');
    await expect(attempts.first()).toContainText(/ENOENT|ECONNREFUSED|no such (file|socket)/i);
    await panel.screenshot('20-docker-unreachable');
    await panel.dockerScreen().getByRole('button', { name: 'Try again' }).click();
    await expect(panel.dockerScreen()).toBeVisible();
  });

  // A marker on the page: if the page were reloaded it would be gone.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

  await test.step('Docker comes up: the panel appears by itself', async () => {
    await proxy.up();
    await expect(panel.dockerScreen()).toHaveCount(0, { timeout: 30_000 });
    await panel.waitForServices(['notebook', 'postgres', 'mongo']);
    await panel.screenshot('21-docker-back');
  });

  await test.step('Docker goes away: the screen comes back; Docker returns: the panel too', async () => {
    await proxy.down();
    await expect(panel.dockerScreen()).toBeVisible({ timeout: 30_000 });
    await expect(panel.dockerScreen().getByRole('heading', { level: 1 })).toHaveText(/Docker (stopped answering|is not running)/);
    await panel.screenshot('22-docker-lost');
    await proxy.up();
    await expect(panel.dockerScreen()).toHaveCount(0, { timeout: 30_000 });
    await panel.waitForServices(['notebook', 'postgres', 'mongo']);
  });

  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});

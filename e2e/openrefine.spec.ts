// OpenRefine, the course's second web UI, in the panel over the browser shell and real Docker:
// it gets a tab of its own (named after the service, like the notebook's), its page loads in a
// frame on an origin of its own (never the panel's, never the notebook's) through the same
// ticket-and-cookie proxy, and "Open in browser" opens it in a browser tab on that origin.
import { expect, test } from './support/fixtures.js';
import { dockerAvailable } from './support/docker.js';

test.skip(!dockerAvailable(), 'needs a running Docker engine');
// The course copies leave OpenRefine out unless asked (course-copy.ts SLOW_SERVICES): this test is about it.
test.use({ withSlow: ['openrefine'] });

test('OpenRefine: its own tab, its UI through the panel on its own origin, Open in browser', async ({ panel, page, shell, context }) => {
  await panel.waitForServices(['notebook', 'postgres', 'mongo', 'openrefine']);
  let origin = '';

  await test.step('stopped: its tab says so and offers Start', async () => {
    await panel.select('openrefine');
    await expect(panel.detail().getByRole('tab', { name: 'OpenRefine', exact: true })).toBeVisible();
    await panel.openWebTab();
    await expect(panel.notebookTab()).toContainText('OpenRefine is stopped');
    await panel.notebookTab().getByRole('button', { name: 'Start it' }).click();
    await panel.waitForStatus('openrefine', /healthy/);
  });

  await test.step('running: the frame shows OpenRefine, on an origin of its own', async () => {
    const frameEl = panel.notebookTab().getByTestId('notebook-frame');
    await expect(frameEl).toHaveAttribute('src', /^http:\/\/127\.0\.0\.1:\d+\/\?coursedock_ticket=[\w-]+$/, { timeout: 60_000 });
    origin = new URL((await frameEl.getAttribute('src'))!).origin;
    expect(origin).not.toBe(shell.origin);
    await expect(panel.notebookFrame().getByText('Create Project').first()).toBeVisible({ timeout: 60_000 });
    await panel.screenshot('openrefine-tab');
  });

  await test.step('Open in browser: a browser tab on the same origin, let in by its one-time link', async () => {
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      panel.detail().getByRole('button', { name: 'Open in browser' }).click(),
    ]);
    await popup.waitForLoadState();
    expect(new URL(popup.url()).origin).toBe(origin);
    expect(popup.url()).not.toContain('coursedock_ticket');
    await expect(popup.getByText('Create Project').first()).toBeVisible({ timeout: 60_000 });
    await popup.screenshot({ path: test.info().outputPath('openrefine-browser-tab.png') });
    await popup.close();
  });

  await test.step('its origin refuses a request without its cookie', async () => {
    const bare = await fetch(`${origin}/command/core/get-version`, { redirect: 'manual' });
    expect(bare.status).toBe(401);
    await expect(page).toHaveURL(new RegExp(`^${shell.origin}`));
  });
});

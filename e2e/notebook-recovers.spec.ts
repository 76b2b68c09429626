// The notebook view recovers from a blank page by itself, in Chromium against the real Jupyter
// behind the browser shell. Chromium cancels requests in flight when Docker adds a network
// interface (net::ERR_NETWORK_CHANGED); a tree page whose require.js was cancelled stays blank.
// Here that cancellation is made on purpose (the frame's require.js request aborted): the view,
// hearing no {coursedock: 'ready'} from the page (the image's announce-ready nbextension), loads
// it again by itself once. When the page stays blank again (its document request aborted: a
// require.js already loaded once may come from Chromium's memory cache, past any route) the view
// says so and offers Reload.
import type { Route } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { dockerAvailable } from './support/docker.js';

test.skip(!dockerAvailable(), 'needs a running Docker engine');

const REQUIRE_JS = /\/static\/components\/requirejs\/require\.js/;
const TREE_PAGE = /\/notebook\/tree(\?|$)/;

test('a blank notebook page is reloaded by the view itself, and said when it stays blank', async ({ panel, page }) => {
  await panel.waitForServices(['notebook', 'postgres']);
  await panel.select('notebook');
  await panel.openExtraTab('Notebook');
  const frame = panel.notebookTab().getByTestId('notebook-frame');
  /** What the frame's loads lose: the first require.js, every tree page, nothing. */
  let cancelling: 'first-require' | 'every-page' | 'none' = 'first-require';
  let aborted = 0;
  const cancel = (when: (route: Route) => boolean) => async (route: Route) => {
    if (when(route)) {
      aborted++;
      await route.abort('internetdisconnected');
    } else await route.continue();
  };
  await page.context().route(REQUIRE_JS, cancel(() => cancelling === 'first-require' && aborted === 0));
  await page.context().route(TREE_PAGE, cancel((route) => cancelling === 'every-page' && route.request().resourceType() === 'document'));

  await test.step("the first load's require.js cancelled: the view loads the page again by itself", async () => {
    await panel.startAll();
    await panel.waitForStatus('notebook', /healthy/);
    await expect(panel.notebookFrame().locator('#notebook_list')).toBeVisible({ timeout: 60_000 });
    expect(aborted).toBe(1);
    await expect(frame).toHaveAttribute('data-reloaded', 'after-silence');
    await expect(frame).toHaveAttribute('data-page-ready', 'yes');
    await expect(panel.notebookDidNotLoad()).toHaveCount(0);
    await panel.screenshot('notebook-recovered');
  });

  await test.step('blank twice: the view says it did not load, and its Reload brings the page', async () => {
    cancelling = 'every-page';
    const before = aborted;
    await panel.notebookTab().getByRole('toolbar').getByRole('button', { name: 'Reload' }).click();
    await expect(panel.notebookDidNotLoad()).toBeVisible({ timeout: 60_000 });
    await expect(panel.notebookDidNotLoad()).toContainText('Jupyter Notebook did not load.');
    expect(aborted - before).toBe(2); // its own load and the one automatic reload: no more
    await panel.screenshot('notebook-did-not-load');
    cancelling = 'none';
    await panel.notebookDidNotLoad().getByRole('button', { name: 'Reload' }).click();
    await panel.notebookListShown();
    await expect(frame).not.toHaveAttribute('data-reloaded', /./);
  });
});

// Readable for everyone, on every screen: an axe-core audit of the panel (WCAG 2 A/AA rules,
// colour contrast included) finds nothing in the light theme nor the dark one — the service
// list and detail, the Snapshots tab, the support bundle and check dialogs; and the layout
// holds at 800×600 (a small laptop, a projector) and at 150 % zoom: the service header keeps
// its description readable (never a one-word column) and nothing scrolls sideways. Each state
// is photographed into the test's artifacts.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './support/fixtures.js';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const body = await page.screenshot({ path: path.join('test-results/screens', `${name}.png`) });
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

/** The axe-core findings, each with the elements it found, as one readable text. */
async function audit(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const words = violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join('\n')}`)
    .join('\n');
  expect(violations, `${what}:\n${words}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe-core finds no violation in the ${scheme} theme`, async ({ panel, page }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    await panel.waitForServices(['notebook', 'postgres', 'mongo']);
    await panel.select('postgres');
    await expect(panel.detail().getByText('Docker volume')).toBeVisible();
    await audit(page, `${scheme}: PostgreSQL overview`);
    await shot(page, testInfo, `a11y-${scheme}-overview`);

    // MongoDB cannot be had here: its "not available" words and badge are audited too.
    await panel.select('mongo');
    await audit(page, `${scheme}: MongoDB (not available)`);

    await panel.select('notebook');
    await expect(panel.detail().getByText('Folder on this computer')).toBeVisible();
    await audit(page, `${scheme}: notebook overview`);
    await panel.detail().getByRole('tab', { name: 'Snapshots' }).click();
    await expect(panel.detail().getByTestId('snapshots-tab')).toBeVisible();
    await audit(page, `${scheme}: Snapshots tab`);
    await panel.openTab('Logs');
    await audit(page, `${scheme}: Logs tab`);

    await page.getByRole('button', { name: 'Support bundle' }).click();
    await expect(page.getByRole('dialog', { name: 'Make a support bundle' })).toBeVisible();
    await audit(page, `${scheme}: support bundle dialog`);
    await shot(page, testInfo, `a11y-${scheme}-support-bundle`);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Check my environment' }).click();
    const checks = page.getByRole('dialog', { name: 'Check my environment' });
    await expect(checks.getByTestId('checks-summary')).toBeVisible({ timeout: 180_000 });
    await audit(page, `${scheme}: check dialog`);
    await shot(page, testInfo, `a11y-${scheme}-checks`);
  });
}

/** The layout holds: no sideways scrolling, and the service's description is a readable block. */
async function expectLayoutHolds(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
  const description = page.locator('.detail__description');
  const box = await description.boundingBox();
  const lineHeight = await description.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 18);
  // A one-word column is narrow and many lines tall; a readable block is wide and a few lines.
  expect(box!.width, 'the description is squeezed into a narrow column').toBeGreaterThan(240);
  expect(box!.height / lineHeight, 'the description wraps into a tall column').toBeLessThanOrEqual(4);
}

test('at 800×600 the service header keeps its description readable', async ({ panel, page }, testInfo) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await panel.waitForServices(['notebook']);
  await panel.select('notebook');
  await expectLayoutHolds(page);
  await shot(page, testInfo, 'layout-800x600');
  await panel.select('postgres');
  await expectLayoutHolds(page);
  await shot(page, testInfo, 'layout-800x600-postgres');
});

test('at 150 % zoom the panel keeps its layout', async ({ browser, shell }, testInfo) => {
  // 150 % zoom of a 1280×820 window: the page sees 853×547 CSS pixels, drawn at 1.5 device pixels each.
  const context = await browser.newContext({ viewport: { width: 853, height: 547 }, deviceScaleFactor: 1.5 });
  try {
    const page = await context.newPage();
    await page.goto(shell.url);
    await expect(page.getByRole('list', { name: 'Services' }).locator('[data-service="notebook"]')).toBeVisible({ timeout: 60_000 });
    await page.locator('[role="listitem"][data-service="notebook"]').click();
    await expectLayoutHolds(page);
    await shot(page, testInfo, 'layout-zoom-150');
  } finally {
    await context.close();
  }
});

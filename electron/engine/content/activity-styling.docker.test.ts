// The activity styling of the notebook image, seen for real: the starter notebook opened in the
// running classic notebook in Chromium; activity cells on their background, answers hidden
// behind an "Answer" button that reveals the rendered markdown. Screenshots go to test-results/.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../environment.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { notebookUrlWithToken } from '../testing/notebook-url.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = path.join(REPO_ROOT, 'test-results', 'activity-styling');

describe('activity styling in the notebook image', () => {
  let t: TestEngine | undefined;
  let env: Environment;
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = newTestEngine();
    await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    const up = await env.up(['notebook']);
    expect(up.services.find((s) => s.service === 'notebook')).toEqual({ service: 'notebook', ok: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    // The tree URL the panel opens, pointed at the starter notebook instead.
    const tree = new URL(notebookUrlWithToken(env));
    const url = `${tree.origin}/p/${t.copy.project}/notebook/notebooks/01-anscombe.ipynb${tree.search}`;
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('div.cell.cd-activity', { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.destroy();
  });

  const background = (selector: string) =>
    page.$eval(selector, (el) => getComputedStyle(el).backgroundColor);

  it('sets activity cells on their own background and the student cells on a lighter one', async () => {
    expect(await page.locator('div.cell.cd-activity').count()).toBe(2);
    expect(await page.locator('div.cell.cd-student').count()).toBe(2);
    const plain = await background('div.cell:not(.cd-activity):not(.cd-student):not(.cd-answer)');
    const activity = await background('div.cell.cd-activity');
    const student = await background('div.cell.cd-student');
    expect(plain).toBe('rgba(0, 0, 0, 0)');
    expect(activity).toBe('rgb(217, 232, 246)');
    expect(student).toBe('rgb(238, 245, 252)');
    // The activity's own markdown renders (a heading, not "### Activity 1").
    await expect(page.locator('div.cell.cd-activity h3').first().textContent()).resolves.toMatch(/Activity 1: Correlation/);
    await page.locator('div.cell.cd-activity').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, '1-activity-answer-hidden.png') });
  });

  it('hides each answer behind an "Answer" button', async () => {
    const answers = page.locator('div.cell.cd-answer');
    expect(await answers.count()).toBe(2);
    const first = answers.first();
    await expect(first.getAttribute('class')).resolves.toContain('cd-answer-hidden');
    const button = first.locator('.cd-answer-button');
    expect(await button.isVisible()).toBe(true);
    expect(await button.textContent()).toBe('Answer');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    // The answer is there, rendered, but not shown.
    expect(await first.locator('.text_cell_render').isVisible()).toBe(false);
    expect(await first.locator('.text_cell_render').textContent()).toContain('0.816');
  });

  it('reveals the rendered answer on click, and hides it again', async () => {
    const first = page.locator('div.cell.cd-answer').first();
    const button = first.locator('.cd-answer-button');
    await button.click();
    const rendered = first.locator('.text_cell_render');
    expect(await rendered.isVisible()).toBe(true);
    // Markdown rendered: a heading, code in <pre>, bold text.
    expect(await rendered.locator('h4').textContent()).toMatch(/^Answer/);
    expect(await rendered.locator('pre').textContent()).toContain('groupby("dataset")');
    expect(await rendered.locator('strong').first().textContent()).toBe('0.816');
    expect(await button.textContent()).toBe('Hide answer');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await background('div.cell.cd-answer:not(.cd-answer-hidden)')).toBe('rgb(238, 245, 252)');
    // The other answer stays hidden.
    expect(await page.locator('div.cell.cd-answer').nth(1).locator('.text_cell_render').isVisible()).toBe(false);
    await first.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, '2-answer-revealed.png') });

    await button.click();
    expect(await rendered.isVisible()).toBe(false);
    expect(await button.textContent()).toBe('Answer');
  });

  it('leaves the opened starter notebook clean: no "(unsaved changes)" once the kernel is ready', async () => {
    // Notebook 6 copies the kernel's language_info into the notebook when the kernel is ready
    // and marks it dirty if it differs: the starter notebooks carry the image kernel's own.
    await page.waitForFunction(() => {
      const nb = (window as unknown as { Jupyter: { notebook: { kernel?: { info_reply?: { language_info?: unknown } } } } }).Jupyter.notebook;
      return Boolean(nb.kernel?.info_reply?.language_info);
    }, undefined, { timeout: 60_000 });
    const state = await page.evaluate(() => {
      const nb = (window as unknown as { Jupyter: { notebook: { dirty: boolean | null; metadata: { language_info?: unknown }; kernel: { info_reply: { language_info: unknown } } } } }).Jupyter.notebook;
      return { dirty: nb.dirty, kernel: nb.kernel.info_reply.language_info, status: document.querySelector('.autosave_status')?.textContent ?? '' };
    });
    const starter = JSON.parse(readFileSync(path.join(REPO_ROOT, 'compose-specs/tm351/starter-notebooks/01-anscombe.ipynb'), 'utf8')) as { metadata: { language_info: unknown } };
    expect(starter.metadata.language_info).toEqual(state.kernel);
    expect(state.dirty).toBe(false);
    expect(state.status).not.toMatch(/unsaved/);
  });

  it('loads without script errors of its own', () => {
    // (Notebook 6 itself always asks for the absent ipywidgets extension: not ours.)
    expect(consoleErrors.filter((e) => /coursedock-activities|cd-answer/i.test(e))).toEqual([]);
  });
});

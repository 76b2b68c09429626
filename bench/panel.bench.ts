// How quickly the panel follows, measured in Debian's Chromium (the e2e specs check only that it
// does, never against the clock):
//  - flood: 10 000 log lines a second from a fake shell (e2e/support/fake-shell.ts): the page's
//    long tasks while watching, and how long the filter takes to apply under the flood;
//  - outside: a container stopped behind Coursedock's back (`docker stop`) until the panel's
//    badge says Stopped — Docker's events, pushed to the page (real engine, tm351 copy).
// Run: npx tsx bench/panel.bench.ts   (BENCH_ONLY=flood,outside, BENCH_RUNS=3). Needs the built
// panel (dist/renderer: `npm run build`); prints a table, asserts nothing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { PanelPage } from '../e2e/pages/panel.js';
import { containerStart, removeProject } from '../e2e/support/docker.js';
import { startFloodShell } from '../e2e/support/fake-shell.js';
import { startShell } from '../e2e/support/shell.js';
import { copyCourse } from '../electron/engine/testing/course-copy.js';
import { CHROMIUM_FLAGS } from '../playwright.config.js';
import { median, now, REPO, table } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const only = new Set((process.env.BENCH_ONLY ?? 'flood,outside').split(','));
const results: Array<Record<string, string | number>> = [];

async function logFlood(page: Page): Promise<void> {
  const shell = await startFloodShell('bench');
  try {
    const longest: number[] = [];
    const busy: number[] = [];
    const filter: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const panel = new PanelPage(page);
      await panel.open(shell.url);
      await panel.waitForServices(['chatty']);
      await page.evaluate(() => {
        const w = window as unknown as { __long: number[] };
        w.__long = [];
        new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask', buffered: true });
      });
      const watchedFrom = now();
      await panel.openTab('Logs');
      await page.getByTestId('log-count').getByText('5000 lines').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(4000);
      const t0 = now();
      await panel.detail().getByRole('searchbox', { name: 'Filter log lines' }).fill('0 lorem');
      await page.getByTestId('log-count').getByText('500 of 5000 lines').waitFor({ timeout: 30_000 });
      filter.push(now() - t0);
      const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
      longest.push(Math.max(0, ...long));
      busy.push((100 * long.reduce((a, b) => a + b, 0)) / (now() - watchedFrom));
    }
    results.push({ measure: 'log flood 10 000 lines/s: longest task (ms, median)', value: median(longest) });
    results.push({ measure: 'log flood: share of time in long tasks (%, median)', value: median(busy) });
    results.push({ measure: 'log flood: filter applied (ms, median)', value: median(filter) });
  } finally {
    await shell.close();
  }
}

async function outsideStop(page: Page): Promise<void> {
  const course = copyCourse('tm351', 'benchpanel');
  const shell = await startShell({ course: course.dir, env: course.env });
  try {
    const panel = new PanelPage(page);
    await panel.open(shell.url);
    await panel.waitForServices(['postgres']);
    const delays: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await panel.act('postgres', 'Start');
      await panel.waitForStatus('postgres', /healthy/);
      await panel.waitIdle();
      const { id } = containerStart(course.project, 'postgres');
      const t0 = now();
      execFileSync('docker', ['stop', '-t', '5', id], { stdio: 'ignore' });
      const stopped = now();
      await panel.waitForStatus('postgres', /Stopped/);
      delays.push(now() - stopped);
      if (i === 0) results.push({ measure: 'docker stop itself (ms, first run)', value: stopped - t0 });
    }
    results.push({ measure: 'outside docker stop → panel shows Stopped (ms, median)', value: median(delays) });
  } finally {
    await shell.stop();
    removeProject(course.project);
    course.cleanup();
  }
}

if (!existsSync(path.join(REPO, 'dist/renderer/index.html'))) {
  console.error('The panel is not built: run `npm run build` first.');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  if (only.has('flood')) await logFlood(page);
  if (only.has('outside')) await outsideStop(page);
} finally {
  await browser.close();
}
console.log(`\nPanel benchmarks — ${new Date().toISOString()} — ${os.cpus().length} cores, ${RUNS} runs\n`);
console.log(table(results));

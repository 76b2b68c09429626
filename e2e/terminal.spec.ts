// Terminals in the panel over the browser shell and real Docker: a shell in the notebook
// container (arithmetic, then `tput cols` follows the window size), one in postgres (psql sees
// the seeded table), terminals surviving a switch of service, and the host shell refused.
import { expect, test } from './support/fixtures.js';
import { dockerAvailable } from './support/docker.js';
import type { PanelPage } from './pages/panel.js';

test.skip(!dockerAvailable(), 'needs a running Docker engine');

/**
 * Asks the shell for its width and reads the answer: the line `<mark>-<cols>` that the command
 * prints (a fresh mark each time, so an earlier answer is never read for this one).
 */
let marks = 0;
async function shellColumns(panel: PanelPage): Promise<number> {
  const mark = `cols${++marks}`;
  await panel.typeInTerminal(`clear; echo ${mark}-$(tput cols)`);
  const answer = new RegExp(`${mark}-(\\d+)`);
  await expect(panel.terminalRows()).toContainText(answer, { timeout: 10_000 });
  return Number(answer.exec((await panel.terminalText()).replace(/\u00a0/g, ' '))![1]);
}

test('terminals into the notebook and postgres containers', async ({ panel, page }) => {
  await panel.waitForServices(['notebook', 'postgres', 'mongo']);
  await panel.startAll();
  await panel.waitForStatus('postgres', /healthy/);
  await panel.waitForStatus('notebook', /healthy/);

  await test.step('a shell in the notebook container computes 6*7', async () => {
    await panel.openTerminal('notebook');
    await panel.typeInTerminal('echo $((6*7))');
    await expect.poll(async () => (await panel.terminalText()).split('\n').some((l) => l.replace(/\u00a0/g, ' ').trim() === '42'), { timeout: 15_000 }).toBe(true);
    await panel.screenshot('terminal-notebook');
  });

  await test.step('tput cols follows the window size', async () => {
    const wide = await shellColumns(panel);
    expect(wide).toBeGreaterThan(10);
    await page.setViewportSize({ width: 960, height: 820 });
    // The fit is debounced and the resize call answers once applied: ask until the shell says so.
    await expect.poll(() => shellColumns(panel), { timeout: 20_000 }).toBeLessThan(wide);
    await panel.screenshot('terminal-resized');
    await page.setViewportSize({ width: 1280, height: 820 });
  });

  await test.step('a shell in postgres runs psql against the seeded table', async () => {
    await panel.openTerminal('postgres');
    await panel.typeInTerminal("psql -U testuser -d testdb -c 'select count(*) from anscombe'");
    await expect.poll(async () => (await panel.terminalText()).split('\n').some((l) => l.replace(/\u00a0/g, ' ').trim() === '44'), { timeout: 15_000 }).toBe(true);
    await panel.screenshot('terminal-postgres');
  });

  await test.step('a second terminal for the same service, and terminals survive switching services', async () => {
    await panel.terminalTab().getByRole('button', { name: 'New terminal in PostgreSQL' }).click();
    await expect(panel.terminalTab().getByRole('tab')).toHaveCount(2);
    await expect(panel.terminalRows()).toContainText(/[$#]\s*$/m, { timeout: 30_000 });
    await panel.typeInTerminal('echo second-$((40+2))');
    await expect(panel.terminalRows()).toContainText('second-42');
    await panel.screenshot('terminal-two');

    await panel.select('notebook');
    await panel.openExtraTab('Terminal');
    await expect(panel.terminalTab().getByRole('tab')).toHaveCount(1);
    // Same xterm, same shell: the earlier output is still there and it still answers.
    await panel.typeInTerminal('echo back-$((6*7))');
    await expect(panel.terminalRows()).toContainText('back-42');
    await panel.openExtraTab('Notebook');
    await panel.select('postgres');
    await panel.openExtraTab('Terminal');
    await expect(panel.terminalTab().getByRole('tab')).toHaveCount(2);
    await expect(panel.terminalRows()).toContainText('second-42');
  });

  await test.step('exit shows a message; Enter opens a new shell; close ends it', async () => {
    await panel.typeInTerminal('exit');
    await expect(panel.terminalRows()).toContainText('the shell exited (code 0)');
    await expect(panel.terminalTab().getByRole('button', { name: 'Open a new shell' })).toBeVisible();
    await panel.screenshot('terminal-exited');
    // Typed at once, while the new shell is still opening: the panel queues the keys for it.
    await page.keyboard.press('Enter');
    await page.keyboard.type('echo again-$((6*7))');
    await page.keyboard.press('Enter');
    await expect(panel.terminalRows()).toContainText('again-42');
    await panel.terminalTab().getByRole('button', { name: /^Close / }).last().click();
    await expect(panel.terminalTab().getByRole('tab')).toHaveCount(1);
  });

  await test.step('the host shell is off in the browser panel, with the reason', async () => {
    const host = panel.terminalTab().getByRole('button', { name: 'This computer' });
    await expect(host).toBeDisabled();
    await expect(panel.terminalTab().getByTestId('host-refusal')).toContainText('--host-shell');
  });

  await test.step('a stopped service says so instead of showing an empty box', async () => {
    await panel.select('mongo');
    await panel.openExtraTab('Terminal');
    await expect(panel.terminalTab()).toContainText(/MongoDB is not (running|available)/);
    await panel.screenshot('terminal-not-running');
  });
});

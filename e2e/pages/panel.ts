// The Coursedock panel as a page object: what a student sees and does, by role and name.
// Takes any Playwright Page, so the same object drives the browser shell and (later) the
// Electron window.
import { expect, test, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { SCREENS_DIR } from '../support/paths.js';

export type ServiceAction = 'Start' | 'Stop' | 'Restart' | 'Reinstall';
export type DetailTabName = 'Overview' | 'Logs' | 'Connection';

/** Long enough for an image build; most waits end far sooner. */
export const SLOW = 10 * 60_000;

export class PanelPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  // ---- what is on screen -------------------------------------------------------------

  serviceList(): Locator {
    return this.page.getByRole('list', { name: 'Services' });
  }

  /** A service's row in the list, by its name in the spec (e.g. "postgres"). */
  serviceRow(service: string): Locator {
    return this.serviceList().locator(`[role="listitem"][data-service="${service}"]`);
  }

  badge(service: string): Locator {
    return this.serviceRow(service).getByRole('status');
  }

  /** The detail view of the selected service. */
  detail(): Locator {
    return this.page.locator('section.detail');
  }

  operation(): Locator {
    return this.detail().getByTestId('operation');
  }

  toasts(): Locator {
    return this.page.getByRole('region', { name: 'Notifications' });
  }

  dockerScreen(): Locator {
    return this.page.getByTestId('docker-unreachable');
  }

  summary(): Locator {
    return this.page.getByTestId('summary');
  }

  // ---- waiting -----------------------------------------------------------------------

  async waitForServices(names: string[], timeout = 60_000): Promise<void> {
    for (const n of names) await expect(this.serviceRow(n)).toBeVisible({ timeout });
  }

  /** Waits until the row's badge says e.g. /healthy/ ("Status: Running · healthy"). */
  async waitForStatus(service: string, status: RegExp, timeout = SLOW): Promise<void> {
    await expect(this.badge(service)).toHaveAttribute('aria-label', status, { timeout });
  }

  /** Waits until no operation runs on the selected service. */
  async waitIdle(timeout = SLOW): Promise<void> {
    await expect(this.operation()).toHaveCount(0, { timeout });
  }

  // ---- doing -------------------------------------------------------------------------

  async startAll(): Promise<void> {
    await this.page.getByRole('button', { name: 'Start all' }).click();
  }

  async stopAll(): Promise<void> {
    await this.page.getByRole('button', { name: 'Stop all' }).click();
  }

  async select(service: string): Promise<void> {
    await this.serviceRow(service).click();
    await expect(this.detail()).toHaveAttribute('data-service', service);
  }

  async act(service: string, action: ServiceAction): Promise<void> {
    await this.select(service);
    const toolbar = this.detail().getByRole('toolbar', { name: 'Service actions' });
    const button = toolbar.getByRole('button', { name: action, exact: true });
    await expect(button).toBeEnabled({ timeout: SLOW });
    await button.click();
  }

  async openTab(name: DetailTabName): Promise<void> {
    await this.detail().getByRole('tab', { name }).click();
    await expect(this.detail().getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
  }

  /** Reset data, confirmed by typing the service's name, as the dialog asks. */
  async resetData(service: string): Promise<void> {
    await this.select(service);
    await this.detail().getByRole('button', { name: 'Reset data…' }).click();
    const dialog = this.page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete data and reset' });
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox').fill(service);
    await expect(confirm).toBeEnabled();
    await confirm.click();
    await expect(dialog).toHaveCount(0);
  }

  /** The port published on this computer, as the Connection tab shows it. */
  async hostPort(service: string): Promise<number> {
    await this.select(service);
    await this.openTab('Connection');
    const card = this.detail().getByRole('region', { name: 'From this computer' });
    const value = card.locator('.field-row').filter({ hasText: 'Port' }).locator('.field-row__value');
    await expect(value).toHaveText(/^\d+$/, { timeout: SLOW });
    return Number(await value.textContent());
  }

  logViewport(): Locator {
    return this.detail().getByRole('log');
  }

  // ---- terminal and notebook tabs (issue 4) -------------------------------------------

  /** 'Notebook' is the selected service's web UI tab (named after the service, e.g. "Jupyter Notebook"). */
  async openExtraTab(name: 'Terminal' | 'Notebook'): Promise<void> {
    if (name === 'Notebook') return this.openWebTab();
    await this.detail().getByRole('tab', { name, exact: true }).click();
    await expect(this.detail().getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
  }

  /** The selected service's web UI tab (every service with a web UI has one, titled with its name). */
  async openWebTab(): Promise<void> {
    const tab = this.detail().locator('[role="tab"][data-tab="web"]');
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
  }

  terminalTab(): Locator {
    return this.detail().getByTestId('terminal-tab');
  }

  /** The rows of the terminal on screen, as text (xterm's DOM renderer). */
  terminalRows(): Locator {
    return this.terminalTab().locator('.xterm-rows');
  }

  /** Opens the selected service's Terminal tab and waits for its shell prompt. */
  async openTerminal(service: string): Promise<void> {
    await this.select(service);
    await this.openExtraTab('Terminal');
    await expect(this.terminalTab().getByRole('tab', { selected: true })).toBeVisible();
    await expect(this.terminalRows()).toContainText(/[$#]\s*$/m, { timeout: 30_000 });
  }

  /** Types a command line into the focused terminal and presses Enter. */
  async typeInTerminal(line: string): Promise<void> {
    await this.terminalTab().locator('.xterm').click();
    await this.page.keyboard.type(line);
    await this.page.keyboard.press('Enter');
  }

  /** The terminal's visible text, rows joined with newlines. */
  async terminalText(): Promise<string> {
    return (await this.terminalRows().locator(':scope > div').allInnerTexts()).join('\n');
  }

  notebookTab(): Locator {
    return this.detail().getByTestId('notebook-tab');
  }

  notebookFrame() {
    return this.page.frameLocator('[data-testid="notebook-frame"]');
  }

  /** The notice the notebook view shows when its page stayed blank after its one automatic reload. */
  notebookDidNotLoad(): Locator {
    return this.notebookTab().getByTestId('notebook-did-not-load');
  }

  /**
   * Waits for the notebook view's file list, pressing nothing. Chromium cancels the requests in
   * flight (net::ERR_NETWORK_CHANGED) when Docker adds a network interface for a container
   * starting elsewhere, and a tree page caught by that stays blank: the view itself reloads a
   * page that did not say it loaded (frame-ready.ts), so a test waits as long as that takes and
   * never presses Reload for it. That it happened is noted in the test's annotations. The page
   * must also have told the view that it loaded.
   */
  async notebookListShown(timeoutMs = 60_000): Promise<void> {
    const list = this.notebookFrame().locator('#notebook_list');
    // The list, or the view giving up (the two are in different frames, so no locator.or).
    await expect
      .poll(async () => (await this.notebookDidNotLoad().count()) > 0 || (await list.isVisible()), { timeout: timeoutMs, intervals: [250] })
      .toBe(true);
    await expect(this.notebookDidNotLoad(), 'the notebook view gave up: its page stayed blank twice').toHaveCount(0);
    await expect(list).toBeVisible();
    const frame = this.notebookTab().getByTestId('notebook-frame');
    // The page told the view it loaded (the image's announce-ready nbextension, checked by the view).
    await expect(frame).toHaveAttribute('data-page-ready', 'yes');
    if ((await frame.getAttribute('data-reloaded')) === 'after-silence') {
      test.info().annotations.push({ type: 'notebook view', description: 'the first load stayed blank; the view reloaded it by itself' });
    }
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`) });
  }
}

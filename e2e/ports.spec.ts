// When the course's port is taken by another program, Coursedock publishes on another one and
// the panel shows the port actually used, everywhere a student would copy it from — and what
// answers on the port it shows is the service itself (Jupyter over HTTP, PostgreSQL via psql).
import net from 'node:net';
import { expect, test } from './support/fixtures.js';
import { psql } from './support/docker.js';
import { PanelPage } from './pages/panel.js';

/** Holds 127.0.0.1:port for the test (if another program already holds it, that does too). */
async function holdPort(port: number): Promise<{ close(): Promise<void>; ours: boolean }> {
  const server = net.createServer((socket) => socket.destroy());
  const ours = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port }, () => resolve(true));
  });
  return { ours, close: () => new Promise((r) => (ours ? server.close(() => r()) : r())) };
}

test('a busy notebook port is auto-corrected, shown as such, and the shown ports reach the services', async ({ shell, page, course }) => {
  // Taken before the panel (and the engine's first start) — like a student's own Jupyter.
  const held = await holdPort(8351);
  try {
    const panel = new PanelPage(page);
    await panel.open(shell.url);
    await panel.waitForServices(['notebook', 'postgres']);
    await panel.act('notebook', 'Start');

    await expect(panel.toasts()).toContainText(/Port 8351 is in use by another program/, { timeout: 120_000 });
    await panel.waitForStatus('notebook', /healthy/);
    const row = panel.serviceRow('notebook');
    await expect(row).toContainText(/127\.0\.0\.1:(?!8351\b)\d+/);
    await expect(row).toContainText('(8351 was busy)');
    const moved = Number((await row.locator('.port__address').first().textContent())!.split(':')[1]);
    expect(moved).not.toBe(8351);

    await panel.select('notebook');
    await expect(panel.detail().getByRole('tabpanel')).toContainText(`127.0.0.1:${moved} → 8888`);
    await expect(panel.detail().getByTestId('web-url')).toHaveText(new RegExp(`^http://127\\.0\\.0\\.1:${moved}/[^?]*$`));
    await panel.screenshot('10-port-auto-corrected');

    // What answers on the shown port is this course's notebook server (not the program that
    // holds 8351): Jupyter's API under the course's base URL.
    const api = await fetch(`http://127.0.0.1:${moved}/p/${course.project}/notebook/api`);
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({ version: expect.stringMatching(/^\d+\./) });

    // The database's Connection tab gives the port it really uses, too: psql logs in there
    // with the credentials the tab shows and finds the course's seeded table.
    const pgPort = await panel.hostPort('postgres');
    await expect(panel.serviceRow('postgres')).toContainText(`127.0.0.1:${pgPort}`);
    await expect(panel.detail().getByRole('tabpanel')).toContainText('testuser');
    expect(psql(pgPort, 'SELECT count(*) FROM anscombe')).toBe('44');
  } finally {
    await held.close();
  }
});

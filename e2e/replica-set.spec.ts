// tm351's replica-set activity (Compose profile replica-set) in the panel over the browser shell
// and real Docker: the course's profile switch shows it off, with its services; switched on, the
// three members and the init are listed and, MongoDB's image not being obtainable here (the
// course copy points mongo:7 at a registry that refuses), each says *Not available* with the
// reason before anyone pressed Start; switched off, they are gone again. (Running the set needs
// that image: see electron/engine/course-tm351/replica-set.docker.test.ts.)
import { expect, test } from './support/fixtures.js';
import { dockerAvailable } from './support/docker.js';

test.skip(!dockerAvailable(), 'needs a running Docker engine');

const RS = ['mongo-rs1', 'mongo-rs2', 'mongo-rs3', 'mongo-rs-init'];

test('the replica-set profile: switched on from the panel, its services shown not available with the reason, switched off again', async ({ panel, page }) => {
  await panel.waitForServices(['notebook', 'postgres', 'mongo']);
  const toggle = page.getByRole('switch', { name: /^Replica-set activity: (on|off)$/ });

  await test.step('off: the switch says so and names its services, none is listed', async () => {
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await expect(page.getByText('mongo-rs-init, mongo-rs1, mongo-rs2, mongo-rs3')).toBeVisible();
    for (const s of RS) await expect(panel.serviceRow(s)).toHaveCount(0);
    // MongoDB itself says it cannot be had here, without a Start.
    await expect(panel.badge('mongo')).toHaveAttribute('aria-label', /Not available/);
  });

  await test.step('on: the members and the init are listed, each not available with why', async () => {
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'true', { timeout: 60_000 });
    await panel.waitForServices(RS);
    for (const s of RS) await expect(panel.badge(s)).toHaveAttribute('aria-label', /Not available/, { timeout: 60_000 });
    await panel.select('mongo-rs1');
    await expect(panel.detail().getByRole('alert').first()).toContainText(/mongo:7 is not available.*could not be downloaded/);
    await panel.openTab('Connection');
    await expect(panel.detail()).toContainText('MONGO_RS_URL');
    await expect(panel.detail()).toContainText('replicaSet=rs0');
    await panel.screenshot('replica-set-on');
  });

  await test.step('off again: they are gone', async () => {
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'false', { timeout: 60_000 });
    for (const s of RS) await expect(panel.serviceRow(s)).toHaveCount(0);
  });
});

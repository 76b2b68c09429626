// Engine onboarding, each screen: the browser shell is given a recorded computer of each OS
// (COURSEDOCK_ONBOARDING_FIXTURE) and an endpoint where no engine answers, so the Docker screen
// shows what that computer has and offers. Screenshots are attached to each test's artifacts
// (and written to test-results/screens). No Docker needed: nothing is started for real
// (a recorded computer says what it would run).
import os from 'node:os';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './support/fixtures.js';

const NOWHERE = `unix://${path.join(os.tmpdir(), `cd-e2e-no-engine-${process.pid}.sock`)}`;

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const body = await page.screenshot({ fullPage: true, path: path.join('test-results/screens', `${name}.png`) });
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

interface Case {
  fixture: string;
  headline: string | RegExp;
  check: (page: Page) => Promise<void>;
}

const cases: Case[] = [
  {
    fixture: 'windows-docker-desktop-stopped',
    headline: 'Docker Desktop is installed but not running',
    check: async (page) => {
      const onboarding = page.getByTestId('onboarding');
      await expect(onboarding.getByRole('button', { name: 'Start Docker Desktop' })).toBeEnabled();
      await onboarding.getByRole('button', { name: 'Start Docker Desktop' }).click();
      await expect(onboarding.getByRole('heading', { level: 2 })).toHaveText('Starting Docker Desktop…');
      await expect(onboarding).toContainText('Coursedock would run Start Docker Desktop from the Start menu here.');
    },
  },
  {
    fixture: 'windows-wsl-missing',
    headline: 'Docker Desktop is installed, but WSL 2 is not installed',
    check: async (page) => {
      const blocker = page.getByRole('note', { name: 'WSL 2 is not installed' });
      await expect(blocker).toContainText('wsl --install');
      await expect(page.getByRole('button', { name: 'Start Docker Desktop' })).toBeDisabled();
    },
  },
  {
    fixture: 'windows-docker-desktop-starting-wsl-memory',
    headline: 'Docker Desktop is running but does not answer yet',
    check: async (page) => {
      const wsl = page.getByRole('note', { name: 'Prepared .wslconfig' });
      await expect(wsl).toContainText('memory=8GB');
      await expect(wsl).toContainText('C:\\Users\\ada\\.wslconfig');
      await expect(wsl).toContainText('wsl --shutdown');
    },
  },
  {
    fixture: 'macos-colima-installed',
    headline: 'Colima is installed but not running',
    check: async (page) => {
      const onboarding = page.getByTestId('onboarding');
      await expect(onboarding).toContainText('colima start');
      await onboarding.getByText('What Coursedock found on this computer').click();
      await expect(onboarding.getByRole('list', { name: 'Engines found' })).toContainText('colima is not running');
    },
  },
  {
    fixture: 'macos-nothing-installed',
    headline: 'No Docker engine is installed',
    check: async (page) => {
      const choices = page.getByRole('list', { name: 'Engines you can install' }).locator(':scope > li');
      await expect(choices).toHaveCount(4);
      await expect(choices.first()).toContainText('Docker Desktop');
      await expect(choices.first()).toContainText('Needs');
      await expect(choices.first()).toContainText('Licence');
      await expect(page.getByRole('link', { name: 'How to install Colima' })).toHaveAttribute('href', 'https://github.com/abiosoft/colima#installation');
    },
  },
  {
    fixture: 'linux-rootless-podman',
    headline: 'Podman (rootless) is installed but not running',
    check: async (page) => {
      await expect(page.getByTestId('onboarding')).toContainText('systemctl --user start podman.socket');
      await expect(page.getByRole('button', { name: 'Start Podman (rootless)' })).toBeEnabled();
    },
  },
  {
    fixture: 'linux-docker-systemd-stopped',
    headline: 'Docker Engine is installed but not running',
    check: async (page) => {
      await expect(page.getByTestId('onboarding')).toContainText('administrator rights');
      await expect(page.getByTestId('onboarding')).toContainText('sudo systemctl start docker');
    },
  },
];

for (const c of cases) {
  test.describe(`onboarding: ${c.fixture}`, () => {
    test.use({ needsDocker: false, shellEnv: { COURSEDOCK_DOCKER_HOST: NOWHERE, COURSEDOCK_ONBOARDING_FIXTURE: c.fixture } });

    test(`shows the ${c.fixture} screen`, async ({ panel, page }, testInfo) => {
      const onboarding = page.getByTestId('onboarding');
      await expect(panel.dockerScreen()).toBeVisible({ timeout: 30_000 });
      await expect(onboarding.getByRole('heading', { level: 2 })).toHaveText(c.headline);
      await expect(onboarding).toContainText('Recorded');
      await shot(page, testInfo, `onboarding-${c.fixture}`);
      await c.check(page);
      await shot(page, testInfo, `onboarding-${c.fixture}-after`);
    });
  });
}

// The Linux path for real: this machine's dockerd is stopped (under the shared lock), the panel
// says Docker Engine is installed but not running and offers to start it; the test then starts
// dockerd with its own privilege (as the student's password prompt would), and the panel carries
// on by itself — the socket appearing wakes it — and the course comes up.
test.describe('onboarding on the real engine (Linux)', () => {
  test('dockerd stopped → installed but not running, Start offered → started → the panel continues and the course comes up', async ({ panel, page }, testInfo) => {
    const { dockerdRestartability, stopDockerd, startDockerd, dockerAnswers } = await import('../electron/engine/testing/local-dockerd.js');
    const may = dockerdRestartability();
    test.skip(!may.ok, `cannot stop and start dockerd here: ${may.reason}`);
    const { holdSwarmLock } = await import('./support/swarm-lock.js');
    const release = await holdSwarmLock();
    try {
      await panel.waitForServices(['notebook', 'postgres']);
      await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
      await stopDockerd();
      try {
        const onboarding = page.getByTestId('onboarding');
        await expect(panel.dockerScreen()).toBeVisible({ timeout: 60_000 });
        await expect(onboarding.getByRole('heading', { level: 2 })).toHaveText('Docker Engine is installed but not running', { timeout: 60_000 });
        await expect(onboarding.getByRole('button', { name: 'Start Docker Engine' })).toBeEnabled();
        await expect(onboarding).not.toContainText('Recorded');
        await shot(page, testInfo, 'onboarding-linux-real-dockerd-stopped');
      } finally {
        // The test's own privilege starts it (root here), as ensure-docker.sh does.
        if (!(await dockerAnswers())) await startDockerd();
      }
      await expect(panel.dockerScreen()).toHaveCount(0, { timeout: 90_000 });
      await panel.waitForServices(['notebook', 'postgres']);
      await panel.startAll();
      await panel.waitForStatus('postgres', /healthy/i);
      await panel.waitForStatus('notebook', /healthy|running/i);
      await shot(page, testInfo, 'onboarding-linux-real-course-up');
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    } finally {
      release();
    }
  });
});

// Readiness from the services' own healthchecks, run by Coursedock while they start, on the real
// engine. Docker's checks are made rare here (every 10 minutes), so Docker cannot have given a
// verdict during the test: healthy can only have come from our start-up probes.
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import Dockerode from 'dockerode';
import { afterEach, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { FileSettingsStore } from '../settings/settings-store.js';
import { copyCourse } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.destroy();
  t = undefined;
});

const dockerHealth = async (id: string): Promise<string | undefined> =>
  ((await new Dockerode().getContainer(id).inspect()).State as { Health?: { Status: string } }).Health?.Status;

it('up is ready by the services\' own checks while Docker has not run one; another process sees it healthy too', async () => {
  const copy = copyCourse('tm351', 'cdt-ready');
  writeFileSync(copy.file, readFileSync(copy.file, 'utf8').replace(/interval: \d+s/g, 'interval: 10m'));
  t = newTestEngine(copy);
  const env = await t.engine.open(copy.project);
  const up = await env.up(['notebook']);
  expect(up.ok, JSON.stringify(up.services)).toBe(true);
  for (const service of ['postgres', 'notebook']) {
    const state = env.state(service);
    expect(state.status).toBe('healthy');
    expect(await dockerHealth(state.containerId!)).toBe('starting');
  }

  // A second process (the CLI's `status`, a browser shell) opening the course probes once itself.
  const other = new Engine({
    store: new FileSettingsStore(path.join(copy.home, 'settings.json')),
    specsDir: path.dirname(copy.dir),
    env: { ...process.env, ...copy.env },
  }).start();
  try {
    const seen = await other.open(copy.project);
    for (const service of ['postgres', 'notebook']) {
      await seen.tracker.waitFor(service, (s) => (s.status === 'healthy' ? 'ok' : undefined), 120_000);
      expect(await dockerHealth(seen.state(service).containerId!)).toBe('starting');
    }
  } finally {
    other.close();
  }
}, 600_000);

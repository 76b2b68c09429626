// The scheduler per environment follows the setting and the environment's life: off by default
// (nothing armed, nothing read), armed when switched on, gone with the environment.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine.js';
import type { Environment } from '../environment.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileSettingsStore } from '../settings/settings-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { scheduleBackups } from './backup-schedules.js';
import { backupEvents } from './index.js';
import { BACKUP_SETTINGS } from './store.js';

function fakeEnvironment(status: string): Environment {
  const env = new EventEmitter() as unknown as Environment & EventEmitter;
  Object.assign(env, {
    project: 'p',
    spec: { meta: { title: 'Course' } },
    states: () => [{ service: 'postgres', status }],
  });
  return env;
}

describe('daily backups per environment', () => {
  it('arm only while switched on and running, and stop with the environment', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'cd-schedule-'));
    const store = new FileSettingsStore(path.join(home, 'settings.json'));
    store.set(BACKUP_SETTINGS.folder, path.join(home, 'backups'));
    const engine = { store } as unknown as Engine;
    const clock = new FakeClock();
    const env = fakeEnvironment('healthy');
    scheduleBackups(engine, env, clock);
    expect(clock.pending()).toBe(0); // off by default: no timer while the course runs

    store.set(BACKUP_SETTINGS.daily, true);
    backupEvents.emit('schedule');
    expect(clock.pending()).toBe(1);

    env.emit('disposed');
    expect(clock.pending()).toBe(0);
    expect(backupEvents.listenerCount('schedule')).toBe(0);
    rmSync(home, { recursive: true, force: true });
  });
});

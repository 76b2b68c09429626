// Long work's progress is pushed to every session as events (issue 16 item 3: the panel does
// not poll): the first update at once, then at most a few a second, and the end. The methods of
// the same name still answer with the last progress, for a panel opened mid-work.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { backupEvents, type BackupProgress } from '../engine/backups/index.js';
import { offlineEngine } from '../engine/testing/offline-engine.js';
import { REPO_ROOT } from '../engine/testing/course-copy.js';
import { ApiSession } from './api-session.js';
import type { EventName, Events } from './contract.js';

let root: string;
let engine: Engine;
const sessions: ApiSession[] = [];

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-progress-'));
  engine = offlineEngine(root, { specsDir: path.join(REPO_ROOT, 'compose-specs') });
});

afterEach(() => {
  vi.useRealTimers();
  for (const s of sessions.splice(0)) s.dispose();
  engine.close();
  rmSync(root, { recursive: true, force: true });
});

/** A session whose pushed events of one name are collected. */
function sessionHearing<E extends EventName>(event: E): { session: ApiSession; heard: Array<Events[E]> } {
  const heard: Array<Events[E]> = [];
  const wanted: EventName = event;
  const session = new ApiSession(engine, (name, payload) => {
    if (name === wanted) heard.push(payload as Events[E]);
  });
  sessions.push(session);
  return { session, heard };
}

describe('courses.installProgress events', () => {
  it('reach every session, the method answers mid-install, and the end is told', async () => {
    let fail!: (err: Error) => void;
    // The install waits for Docker: it stays at its first step until the test lets it fail.
    vi.spyOn(engine.connection, 'require').mockImplementation(() => new Promise<Dockerode>((_resolve, reject) => (fail = reject)));
    const a = sessionHearing('courses.installProgress');
    const b = sessionHearing('courses.installProgress');
    const installing = a.session.call('courses.installBundle', { path: path.join(root, 'tm351.coursedock') });
    await vi.waitFor(() => expect(fail).toBeTypeOf('function'));
    const opening = { progress: { phase: 'spec', bytesDone: 0, message: 'Opening the bundle' } };
    expect(a.heard).toEqual([opening]);
    expect(b.heard).toEqual([opening]);
    // Another window opened meanwhile reads the last progress once, and cannot start a second install.
    expect(await b.session.call('courses.installProgress', {})).toEqual(opening);
    await expect(b.session.call('courses.installBundle', { path: '/tmp/other.coursedock' })).rejects.toMatchObject({ error: { code: 'invalid-input' } });
    fail(new Error('Docker is not running'));
    await expect(installing).rejects.toBeTruthy();
    expect(a.heard).toEqual([opening, {}]);
    expect(b.heard).toEqual([opening, {}]);
    expect(await b.session.call('courses.installProgress', {})).toEqual({});
  });

  it('stop when the session ends', async () => {
    vi.spyOn(engine.connection, 'require').mockRejectedValue(new Error('Docker is not running'));
    const a = sessionHearing('courses.installProgress');
    const gone = sessionHearing('courses.installProgress');
    gone.session.dispose();
    await expect(a.session.call('courses.installBundle', { path: path.join(root, 'tm351.coursedock') })).rejects.toBeTruthy();
    expect(a.heard).toHaveLength(2);
    expect(gone.heard).toEqual([]);
  });
});

describe('backup.progress events', () => {
  const step = (bytes: number): BackupProgress => ({ operation: 'backup', project: 'tm351', service: 'postgres', step: 'dumping database testdb', bytes });

  it('are throttled to a few a second, carry the latest, and end when the work is done', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, heard } = sessionHearing('backup.progress');
    // A dump reports every chunk it writes.
    for (let i = 1; i <= 200; i++) backupEvents.emit('progress', step(i * 1024));
    expect(heard).toEqual([{ project: 'tm351', progress: step(1024) }]);
    expect(await session.call('backup.progress', { project: 'tm351' })).toEqual({ progress: step(200 * 1024) });
    vi.advanceTimersByTime(250);
    expect(heard).toEqual([
      { project: 'tm351', progress: step(1024) },
      { project: 'tm351', progress: step(200 * 1024) },
    ]);
    backupEvents.emit('progress', { ...step(300 * 1024), step: 'backup complete', done: true });
    expect(heard.at(-1)).toEqual({ project: 'tm351' });
    expect(heard).toHaveLength(3);
    expect(await session.call('backup.progress', { project: 'tm351' })).toEqual({});
    vi.advanceTimersByTime(1000);
    expect(heard).toHaveLength(3);
  });
});

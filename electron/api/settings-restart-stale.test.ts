// "Restart services stuck after sleep" (issue 17 item 3) is a setting the UIs can read and change
// through the contract, not only a stored key: on by default, validated as a boolean at the
// boundary, and saved where the after-sleep round reads it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { RESTART_STALE_SETTING } from '../engine/repairs/after-sleep.js';
import { offlineEngine } from '../engine/testing/offline-engine.js';
import { ApiSession } from './api-session.js';
import { ApiFailure, parseInput } from './contract.js';

let root: string;
let engine: Engine;
let session: ApiSession;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-restart-stale-'));
  engine = offlineEngine(root);
  session = new ApiSession(engine, () => undefined);
});

afterEach(() => {
  session.dispose();
  engine.close();
  rmSync(root, { recursive: true, force: true });
});

describe('settings: restart services stuck after sleep', () => {
  it('is on by default', async () => {
    expect(await session.call('settings.get', {})).toMatchObject({ restartStaleAfterSleep: true });
  });

  it('is turned off and on again, and stored where the after-sleep round reads it', async () => {
    expect(await session.call('settings.set', { restartStaleAfterSleep: false })).toMatchObject({ restartStaleAfterSleep: false });
    expect(engine.store.get(RESTART_STALE_SETTING)).toBe(false);
    expect(await session.call('settings.get', {})).toMatchObject({ restartStaleAfterSleep: false, bringBackServices: true });
    expect(await session.call('settings.set', { restartStaleAfterSleep: true })).toMatchObject({ restartStaleAfterSleep: true });
    expect(engine.store.get(RESTART_STALE_SETTING)).toBe(true);
  });

  it.each([['yes'], [1], [null]])('refuses %j as its value', (value) => {
    expect(() => parseInput('settings.set', { restartStaleAfterSleep: value })).toThrow(ApiFailure);
    expect(() => parseInput('settings.set', { restartStaleAfterSleep: value })).toThrow(/restartStaleAfterSleep/);
  });
});

// A log subscription is a Docker log stream held open for one panel: it must not outlive the
// subscribe call that failed to open it, nor the session that asked for it (issue 16 item 4).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../engine/engine.js';
import type { LogHandle } from '../engine/docker/logs.js';
import { offlineEngine } from '../engine/testing/offline-engine.js';
import { REPO_ROOT } from '../engine/testing/course-copy.js';
import { ApiSession } from './api-session.js';

let root: string;
let engine: Engine;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-logsubs-'));
  engine = offlineEngine(root, { specsDir: path.join(REPO_ROOT, 'compose-specs') });
});

afterEach(() => {
  engine.close();
  rmSync(root, { recursive: true, force: true });
});

describe('log subscriptions', () => {
  it('leave nothing behind when the logs cannot be opened', async () => {
    const session = new ApiSession(engine, () => undefined);
    const env = await engine.open('tm351');
    const service = Object.keys(env.spec.services)[0]!;
    // No Docker behind this engine: env.logs throws.
    await expect(session.call('logs.subscribe', { project: env.project, service })).rejects.toMatchObject({ error: { code: 'docker-unreachable' } });
    expect(session.logSubscriptions).toBe(0);
    session.dispose();
  });

  it('stop the stream that opens after the session ended', async () => {
    const session = new ApiSession(engine, () => undefined);
    const env = await engine.open('tm351');
    const service = Object.keys(env.spec.services)[0]!;
    let open!: (h: LogHandle) => void;
    vi.spyOn(env, 'logs').mockImplementation(() => new Promise<LogHandle>((resolve) => (open = resolve)));
    const subscribing = session.call('logs.subscribe', { project: env.project, service });
    await vi.waitFor(() => expect(open).toBeTypeOf('function'));
    expect(session.logSubscriptions).toBe(1);
    session.dispose(); // the panel went away while Docker was still answering
    const stop = vi.fn();
    open({ done: new Promise<void>(() => undefined), stop });
    await expect(subscribing).rejects.toMatchObject({ error: { code: 'failed' } });
    expect(stop).toHaveBeenCalledOnce();
    expect(session.logSubscriptions).toBe(0);
  });

  it('are refused once the session ended', async () => {
    const session = new ApiSession(engine, () => undefined);
    const env = await engine.open('tm351');
    session.dispose();
    const logs = vi.spyOn(env, 'logs');
    await expect(session.call('logs.subscribe', { project: env.project, service: Object.keys(env.spec.services)[0]! })).rejects.toMatchObject({
      error: { code: 'failed' },
    });
    expect(logs).not.toHaveBeenCalled();
    expect(session.logSubscriptions).toBe(0);
  });

  it('hold lines while the UI has not taken what it was sent, keeping the newest and counting the rest', async () => {
    vi.useFakeTimers();
    try {
      const sent: Array<{ lines: number; first?: string; skipped?: number }> = [];
      let backlog = 0;
      const session = new ApiSession(
        engine,
        (event, payload) => {
          if (event === 'logs.lines') {
            const p = payload as { lines: Array<{ text: string }>; skipped?: number };
            sent.push({ lines: p.lines.length, first: p.lines[0]?.text, ...(p.skipped ? { skipped: p.skipped } : {}) });
          }
          if (event === 'logs.end') sent.push({ lines: -1 });
        },
        { backlog: () => backlog },
      );
      const env = await engine.open('tm351');
      let line!: (l: { stream: 'stdout'; text: string }) => void;
      let end!: () => void;
      vi.spyOn(env, 'logs').mockImplementation((_s, _o, onLine) => {
        line = onLine;
        return Promise.resolve({ done: new Promise<void>((r) => (end = r)), stop: () => undefined });
      });
      await session.call('logs.subscribe', { project: env.project, service: Object.keys(env.spec.services)[0]! });
      backlog = 10 * 1024 * 1024; // the panel is ten megabytes behind
      for (let i = 1; i <= 50_000; i++) line({ stream: 'stdout', text: String(i) });
      await vi.advanceTimersByTimeAsync(500);
      expect(sent).toEqual([]); // nothing more is queued for it meanwhile
      backlog = 0;
      await vi.advanceTimersByTimeAsync(100);
      const [batch] = sent;
      expect(batch!.lines + batch!.skipped!).toBe(50_000);
      expect(batch!.lines).toBeLessThanOrEqual(20_000);
      expect(Number(batch!.first)).toBe(50_000 - batch!.lines + 1); // the newest lines, in order
      // The stream's last lines are sent before its end, even to a panel still behind.
      backlog = 10 * 1024 * 1024;
      line({ stream: 'stdout', text: 'last' });
      end();
      await vi.advanceTimersByTimeAsync(0);
      expect(sent.slice(1)).toEqual([{ lines: 1, first: 'last' }, { lines: -1 }]);
      session.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});

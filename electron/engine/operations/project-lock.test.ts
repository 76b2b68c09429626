import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeHolder, ProjectLock, type LockOwner } from './project-lock.js';

let dir: string;
const locks: ProjectLock[] = [];
const newLock = (kind: 'cli' | 'browser-shell' = 'cli', staleMs = 20_000) => {
  const l = new ProjectLock(path.join(dir, 'locks', 'p.lock'), kind, { pollMs: 10, staleMs });
  locks.push(l);
  return l;
};

/** A pid that is certainly not running: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid;

const owner = (over: Partial<LockOwner>): LockOwner => ({
  token: 't',
  pid: process.pid,
  host: os.hostname(),
  processKind: 'desktop',
  activity: 'reinstall of PostgreSQL',
  since: Date.now(),
  ...over,
});

describe('ProjectLock', () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cd-lock-'));
  afterEach(() => {
    for (const l of locks.splice(0)) l.close();
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(path.join(os.tmpdir(), 'cd-lock-'));
  });

  it('is shared within one holder and names its owner in the file', async () => {
    const a = newLock('browser-shell');
    const r1 = await a.acquire('reinstall of PostgreSQL');
    const r2 = await a.acquire('start of Jupyter Notebook');
    const o = JSON.parse(readFileSync(a.file, 'utf8')) as LockOwner;
    expect(o).toMatchObject({ pid: process.pid, processKind: 'browser-shell', activity: 'reinstall of PostgreSQL' });
    r1();
    expect(existsSync(a.file)).toBe(true);
    r2();
    expect(existsSync(a.file)).toBe(false);
  });

  it('makes a second holder wait, telling it who holds the lock, then lets it in', async () => {
    const a = newLock('browser-shell');
    const b = newLock('cli');
    const release = await a.acquire('reinstall of PostgreSQL');
    const heard: string[] = [];
    let got = false;
    const waiting = b.acquire('start of the course', (h) => heard.push(describeHolder(h))).then((r) => ((got = true), r));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toBe(false);
    expect(heard).toEqual(["the browser shell's reinstall of PostgreSQL"]);
    release();
    const releaseB = await waiting;
    expect(b.isHeld()).toBe(true);
    releaseB();
  });

  it('takes over a lock whose owner is dead', async () => {
    mkdirSync(path.join(dir, 'locks'), { recursive: true });
    const a = newLock();
    writeFileSync(a.file, JSON.stringify(owner({ pid: deadPid(), token: 'dead' })));
    const release = await a.acquire('up');
    expect((JSON.parse(readFileSync(a.file, 'utf8')) as LockOwner).pid).toBe(process.pid);
    release();
  });

  it('takes over a lock whose heartbeat stopped, but not a live one', async () => {
    mkdirSync(path.join(dir, 'locks'), { recursive: true });
    const a = newLock('cli', 1_000);
    // Owner alive (this very process, another engine) and beating: waited for.
    writeFileSync(a.file, JSON.stringify(owner({ token: 'live' })));
    let got = false;
    const p = a.acquire('up').then((r) => ((got = true), r));
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toBe(false);
    // Its heartbeat stops: the file's time goes stale.
    const old = new Date(Date.now() - 60_000);
    utimesSync(a.file, old, old);
    (await p)();
  });

  it('runs the acquire hook before any waiter in the process goes on', async () => {
    const a = newLock();
    const order: string[] = [];
    a.onAcquired = async () => {
      await new Promise((r) => setTimeout(r, 30));
      order.push('hook');
    };
    const [r1, r2] = await Promise.all([a.acquire('x').then((r) => (order.push('one'), r)), a.acquire('y').then((r) => (order.push('two'), r))]);
    expect(order[0]).toBe('hook');
    r1();
    r2();
  });

  it('stops waiting when closed', async () => {
    const a = newLock();
    const b = newLock();
    const release = await a.acquire('x');
    const waiting = b.acquire('y');
    b.close();
    await expect(waiting).rejects.toThrow(/closing/);
    release();
  });
});

describe('describeHolder', () => {
  it('names the process and its work', () => {
    expect(describeHolder(owner({ processKind: 'desktop' }))).toBe("the desktop app's reinstall of PostgreSQL");
    expect(describeHolder(owner({ processKind: 'cli', activity: 'shutdown of the course' }))).toBe("the command line's shutdown of the course");
  });
});

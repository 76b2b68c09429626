import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CulledStore, culledMessage, getOver, idleStudents, kernelsVerdict, wakeOnSignIn, type CullTarget } from './cull.js';
import type { StudentStatus } from './types.js';

const MIN = 60_000;
const T0 = Date.parse('2030-05-01T09:00:00Z');

describe('idleStudents', () => {
  it('picks running stacks idle for N minutes since their last activity or start, whichever is later', () => {
    const now = T0 + 90 * MIN;
    const idle = idleStudents(
      [
        { studentId: 'used-long-ago', running: true, lastActivityMs: T0, startedAtMs: T0 - 5 * MIN },
        { studentId: 'used-recently', running: true, lastActivityMs: T0 + 45 * MIN },
        { studentId: 'never-used-started-early', running: true, startedAtMs: T0 + 10 * MIN },
        { studentId: 'restarted-lately', running: true, lastActivityMs: T0, startedAtMs: T0 + 80 * MIN },
        { studentId: 'stopped', running: false, lastActivityMs: T0 },
        { studentId: 'unknown', running: true },
      ],
      now,
      60,
    );
    expect(idle).toEqual([
      { studentId: 'used-long-ago', idleMinutes: 90 },
      { studentId: 'never-used-started-early', idleMinutes: 80 },
    ]);
  });

  it('takes the threshold as configured (exactly N minutes is idle)', () => {
    const s = [{ studentId: 'a', running: true, lastActivityMs: T0 }];
    expect(idleStudents(s, T0 + 15 * MIN - 1, 15)).toEqual([]);
    expect(idleStudents(s, T0 + 15 * MIN, 15)).toEqual([{ studentId: 'a', idleMinutes: 15 }]);
  });
});

describe('kernelsVerdict', () => {
  const now = T0 + 120 * MIN;
  it('keeps a stack whose kernel is running code, however long ago it started', () => {
    expect(kernelsVerdict([{ id: 'k', execution_state: 'busy', last_activity: new Date(T0).toISOString() }], now, 60)).toEqual({
      keep: true,
      reason: 'a kernel is running code',
    });
  });
  it('keeps a stack whose kernel was active within the window, and says when', () => {
    const at = now - 10 * MIN;
    expect(kernelsVerdict([{ id: 'k', execution_state: 'idle', last_activity: new Date(at).toISOString() }], now, 60)).toEqual({
      keep: true,
      reason: 'a kernel was active 10 min ago',
      lastActivityMs: at,
    });
  });
  it('does not keep a stack for a kernel left open and idle past the window, nor with no kernels', () => {
    expect(kernelsVerdict([{ id: 'k', execution_state: 'idle', last_activity: new Date(T0).toISOString() }], now, 60)).toEqual({ keep: false });
    expect(kernelsVerdict([], now, 60)).toEqual({ keep: false });
  });
});

describe('CulledStore and wakeOnSignIn', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const status = (id: string, state: StudentStatus['state']): StudentStatus => ({
    student: { id, name: id },
    namespace: `c-${id}`,
    state,
    ready: state === 'running',
    services: [],
  });

  function fakeClassroom(states: Record<string, StudentStatus['state']>): CullTarget & { started: string[] } {
    const started: string[] = [];
    return {
      course: 'c',
      started,
      status: () => Promise.resolve(Object.entries(states).map(([id, s]) => status(id, s))),
      stop: () => Promise.resolve(),
      start: (ids) => {
        started.push(...(ids ?? []));
        return Promise.resolve();
      },
    };
  }

  it('starts a culled stack at sign-in, says why it was stopped, and forgets the note', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cull-'));
    const culled = CulledStore.forCourse('c', dir);
    culled.mark('ada', { at: new Date(T0).toISOString(), idleMinutes: 61 });
    // Another process's store sees the same note.
    expect(CulledStore.forCourse('c', dir).get('ada')).toEqual({ at: new Date(T0).toISOString(), idleMinutes: 61 });
    const room = fakeClassroom({ ada: 'stopped', bob: 'stopped' });
    expect(await wakeOnSignIn(room, culled, 'ada')).toEqual({ started: true, message: culledMessage(61) });
    expect(culledMessage(61)).toMatch(/stopped after 61 minutes without activity; your files and data are kept/);
    expect(room.started).toEqual(['ada']);
    expect(culled.get('ada')).toBeUndefined();
    // A stack the tutor stopped (no note) stays stopped.
    expect(await wakeOnSignIn(room, culled, 'bob')).toEqual({ started: false });
    expect(room.started).toEqual(['ada']);
  });
});

describe('getOver', () => {
  it('asks GET <base>api/kernels with the token and reads the listed kernels', async () => {
    let request = '';
    const wire = new PassThrough();
    // A duplex whose writes we capture and whose reads are the server's answer.
    const duplex = Object.assign(wire, {
      write: (chunk: string) => {
        request += chunk;
        setImmediate(() => wire.end('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[{"id":"k1","execution_state":"idle"}]'));
        return true;
      },
    });
    const kernels = await getOver(duplex, { host: 'c-ada_notebook', port: 8888, basePath: '/p/c-ada/notebook/', token: 'tok' });
    expect(kernels).toEqual([{ id: 'k1', execution_state: 'idle' }]);
    expect(request).toMatch(/^GET \/p\/c-ada\/notebook\/api\/kernels HTTP\/1\.0\r\n/);
    expect(request).toContain('Authorization: token tok\r\n');
  });
});

// Which Docker events concern a classroom, and the one follower of them: open only while
// someone listens, "changed" coalesced to one per interval, every event for the Swarm watch,
// and opened again (with a change told) when Docker drops the stream. The stream here is an
// in-memory one fed with Docker's own event lines; classroom.docker.test.ts follows the real one.
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClassroomEvents, concernsClassroom } from './classroom-events.js';
import { CLASSROOM_LABEL } from './names.js';

const line = (e: object) => `${JSON.stringify(e)}\n`;
const container = (action: string, course = 'tm351') => line({ Type: 'container', Action: action, Actor: { ID: 'c1', Attributes: { [CLASSROOM_LABEL.classroom]: course } } });
const service = (name: string) => line({ Type: 'service', Action: 'update', Actor: { ID: 's1', Attributes: { name } } });

describe('concernsClassroom', () => {
  it('takes the class’s services and containers and every node, and leaves health-check execs and others out', () => {
    expect(concernsClassroom(service('tm351-ann_notebook'), 'tm351')).toBe(true);
    expect(concernsClassroom(service('other-ann_notebook'), 'tm351')).toBe(false);
    expect(concernsClassroom(container('health_status: healthy'), 'tm351')).toBe(true);
    expect(concernsClassroom(container('die'), 'tm351')).toBe(true);
    expect(concernsClassroom(container('exec_start: pg_isready'), 'tm351')).toBe(false);
    expect(concernsClassroom(container('exec_die'), 'tm351')).toBe(false);
    expect(concernsClassroom(container('start', 'other'), 'tm351')).toBe(false);
    expect(concernsClassroom(line({ Type: 'node', Action: 'update', Actor: { ID: 'n1', Attributes: { name: 'host' } } }), 'tm351')).toBe(true);
    expect(concernsClassroom(line({ Type: 'network', Action: 'connect' }), 'tm351')).toBe(false);
    expect(concernsClassroom('not json', 'tm351')).toBe(false);
  });
});

/** A Docker whose event streams the test writes to. */
function streamingDocker() {
  const streams: PassThrough[] = [];
  const docker = {
    getEvents: vi.fn(() => {
      const s = new PassThrough();
      streams.push(s);
      return Promise.resolve(s);
    }),
  };
  return { docker: docker as unknown as Dockerode, streams, getEvents: docker.getEvents };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

afterEach(() => {
  vi.useRealTimers();
});

describe('ClassroomEvents', () => {
  it('coalesces a burst into one change now and one at the end of the interval', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { docker, streams } = streamingDocker();
    const events = new ClassroomEvents(docker, 'tm351', { changeEveryMs: 500 });
    let changes = 0;
    const stop = events.onChange(() => changes++);
    await flush();
    const s = streams[0]!;
    // A stack starting: service updates, containers created, started, turning healthy.
    s.write(service('tm351-ann_notebook') + container('create') + container('start'));
    s.write(container('health_status: healthy'));
    await flush();
    expect(changes).toBe(1);
    vi.advanceTimersByTime(500);
    expect(changes).toBe(2);
    // Health checks keep running: no change.
    s.write(container('exec_start: pg_isready') + container('exec_die'));
    await flush();
    vi.advanceTimersByTime(2000);
    expect(changes).toBe(2);
    stop();
    events.close();
  });

  it('follows only while someone listens, and gives the Swarm watch every event', async () => {
    const { docker, streams, getEvents } = streamingDocker();
    const events = new ClassroomEvents(docker, 'tm351');
    expect(events.following).toBe(false);
    let seen = 0;
    const stopRaw = await events.onEvent(() => seen++);
    let changes = 0;
    const stopChange = events.onChange(() => changes++);
    expect(getEvents).toHaveBeenCalledTimes(1); // one stream for both
    streams[0]!.write(container('start') + container('die') + container('start'));
    await flush();
    expect(seen).toBe(3);
    expect(changes).toBe(1);
    stopRaw();
    expect(events.following).toBe(true);
    stopChange();
    expect(events.following).toBe(false);
    expect(streams[0]!.destroyed).toBe(true);
  });

  it('opens the stream again when Docker drops it, and tells a change then', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { docker, streams, getEvents } = streamingDocker();
    const events = new ClassroomEvents(docker, 'tm351', { reopenMs: 5000, changeEveryMs: 500 });
    let changes = 0;
    events.onChange(() => changes++);
    await flush();
    streams[0]!.end(); // dockerd restarting
    streams[0]!.resume();
    await flush();
    expect(getEvents).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    await flush();
    expect(getEvents).toHaveBeenCalledTimes(2);
    expect(changes).toBe(1);
    events.close();
    expect(streams[1]!.destroyed).toBe(true);
  });

  it('refuses a Swarm watch when Docker cannot be asked, and keeps nothing open', async () => {
    const docker = { getEvents: vi.fn(() => Promise.reject(new Error('connect ENOENT /var/run/docker.sock'))) } as unknown as Dockerode;
    const events = new ClassroomEvents(docker, 'tm351');
    await expect(events.onEvent(() => undefined)).rejects.toThrow(/ENOENT/);
    expect(events.following).toBe(false);
  });
});

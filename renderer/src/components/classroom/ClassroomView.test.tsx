// @vitest-environment jsdom
// The tutor's Classroom view reads the table when it opens, when the front door says the class
// changed, and when the connection comes back, and not on a clock: only CPU, memory and last
// activity (which have no events) are read again now and then, and only while the page is seen.
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../api/transport.js';
import { ClassroomView } from './ClassroomView.js';
import type { ClassroomTable, StudentStatus, TutorClient } from './tutor-client.js';

let visibility: DocumentVisibilityState = 'visible';

beforeEach(() => {
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
  // Only the view's slow clock is faked: promises and the testing library's waits stay real.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const row = (id: string, state: StudentStatus['state']): StudentStatus => ({
  student: { id, name: id.toUpperCase() },
  namespace: `tm351-${id}`,
  state,
  ready: state === 'running',
  services: [{ service: 'notebook', state: state === 'running' ? 'running' : 'stopped', health: 'none', ...(state === 'running' ? { containerId: `c-${id}` } : {}) }],
});

/** What the front door answers: CPU and memory only when asked for (a stats call per container). */
const withResources = (r: StudentStatus): StudentStatus => ({
  ...r,
  services: r.services.map((s) => (s.state === 'running' ? { ...s, cpuPercent: 1.5, memoryBytes: 200 * 1024 ** 2 } : s)),
});

function tutorClient(first: StudentStatus[]) {
  let students = first;
  const calls: Array<{ resources?: boolean }> = [];
  const changed = new Set<() => void>();
  const connection = new Set<(s: ConnectionState) => void>();
  const client: TutorClient = {
    call: ((method: string, input: { resources?: boolean }) => {
      if (method !== 'classroom.status') return Promise.reject(new Error(`no ${method} here`));
      calls.push(input);
      return Promise.resolve({ course: 'tm351', title: 'TM351', students: input.resources ? students.map(withResources) : students } satisfies ClassroomTable);
    }) as TutorClient['call'],
    on: (_event, cb) => {
      const l = () => cb({});
      changed.add(l);
      return () => void changed.delete(l);
    },
    onConnection: (cb) => {
      connection.add(cb);
      cb('open');
      return () => void connection.delete(cb);
    },
    close: () => undefined,
  };
  return {
    client,
    calls,
    set: (next: StudentStatus[]) => (students = next),
    change: () => act(() => [...changed].forEach((l) => l())),
    connection: (s: ConnectionState) => act(() => [...connection].forEach((l) => l(s))),
    listeners: () => changed.size,
  };
}

const stateOf = (id: string) => document.querySelector(`tr[data-student="${id}"]`)?.getAttribute('data-state');

describe('ClassroomView', () => {
  it('reads the table once when it opens (with CPU and memory), then only when told the class changed', async () => {
    const t = tutorClient([row('ann', 'running'), row('ben', 'stopped')]);
    render(<ClassroomView client={t.client} />);
    await waitFor(() => expect(stateOf('ben')).toBe('stopped'));
    expect(t.calls).toEqual([{ resources: true }]);
    expect(screen.getByText('200 MB')).toBeTruthy();

    t.set([row('ann', 'running'), row('ben', 'running')]);
    t.change();
    await waitFor(() => expect(stateOf('ben')).toBe('running'));
    expect(t.calls).toEqual([{ resources: true }, { resources: false }]);
    // Ann's CPU and memory are kept from the last reading that had them; Ben's are not known yet.
    expect(screen.getAllByText('200 MB')).toHaveLength(1);
    expect(document.querySelector('tr[data-student="ann"]')?.textContent).toContain('200 MB');
  });

  it('asks nothing while nothing happens, but CPU, memory and activity now and then while the page is seen', async () => {
    const t = tutorClient([row('ann', 'running')]);
    render(<ClassroomView client={t.client} />);
    await waitFor(() => expect(t.calls).toHaveLength(1));
    act(() => void vi.advanceTimersByTime(14_000));
    expect(t.calls).toHaveLength(1);
    act(() => void vi.advanceTimersByTime(1_000));
    await waitFor(() => expect(t.calls).toEqual([{ resources: true }, { resources: true }]));

    // Hidden: no clock at all.
    visibility = 'hidden';
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    expect(vi.getTimerCount()).toBe(0);
    act(() => void vi.advanceTimersByTime(60_000));
    expect(t.calls).toHaveLength(2);
    // Seen again: read at once, and the slow clock runs again.
    visibility = 'visible';
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(t.calls).toHaveLength(3));
    expect(vi.getTimerCount()).toBe(1);
  });

  it('reads again when the connection comes back (changes meanwhile were not told)', async () => {
    const t = tutorClient([row('ann', 'running')]);
    render(<ClassroomView client={t.client} />);
    await waitFor(() => expect(t.calls).toHaveLength(1));
    t.connection('closed');
    t.connection('connecting');
    expect(t.calls).toHaveLength(1);
    t.set([row('ann', 'stopped')]);
    t.connection('open');
    await waitFor(() => expect(stateOf('ann')).toBe('stopped'));
    expect(t.calls).toHaveLength(2);
  });

  it('reads once more, not once per event, when changes come during a read', async () => {
    const t = tutorClient([row('ann', 'running')]);
    render(<ClassroomView client={t.client} />);
    t.change();
    t.change();
    t.change();
    await waitFor(() => expect(t.calls).toHaveLength(2));
    // The first read was running when the changes came: one more read, with the resources asked first.
    expect(t.calls).toEqual([{ resources: true }, { resources: false }]);
  });

  it('stops listening when it goes', async () => {
    const t = tutorClient([row('ann', 'running')]);
    const view = render(<ClassroomView client={t.client} />);
    await waitFor(() => expect(t.calls).toHaveLength(1));
    expect(t.listeners()).toBe(1);
    view.unmount();
    expect(t.listeners()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

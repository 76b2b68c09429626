import { describe, expect, it } from 'vitest';
import { CLASSROOM_LABEL } from './names.js';
import { classroomStatus, currentTask, serviceStatus, stackState, taskProblem, type SwarmServiceView, type SwarmTask } from './swarm-state.js';

const svc = (id: string, student: string, service: string, replicas: number, health = true): SwarmServiceView => ({
  ID: id,
  Spec: {
    Name: `c-${student}_${service}`,
    Labels: { [CLASSROOM_LABEL.classroom]: 'c', [CLASSROOM_LABEL.student]: student, [CLASSROOM_LABEL.service]: service },
    Mode: { Replicated: { Replicas: replicas } },
    TaskTemplate: { ContainerSpec: health ? { Healthcheck: { Test: ['CMD', 'probe'] } } : {} },
  },
});

const task = (id: string, serviceId: string, state: string, version: number, extra: Partial<SwarmTask['Status']> = {}, desired = 'running'): SwarmTask => ({
  ID: id,
  ServiceID: serviceId,
  DesiredState: desired,
  Version: { Index: version },
  Status: { State: state, ...extra },
});

describe('swarm state', () => {
  it('takes the newest task Swarm still wants running as the current one', () => {
    const tasks = [task('old', 's', 'failed', 5, {}, 'shutdown'), task('new', 's', 'starting', 9), task('older', 's', 'shutdown', 2, {}, 'shutdown')];
    expect(currentTask(tasks)?.ID).toBe('new');
    expect(currentTask([task('a', 's', 'shutdown', 3, {}, 'shutdown'), task('b', 's', 'complete', 4, {}, 'shutdown')])?.ID).toBe('b');
  });

  it('reads running as healthy when there is a healthcheck, starting as starting, scaled to 0 as stopped', () => {
    const running = serviceStatus('nb', svc('s', 'a', 'nb', 1), [task('t', 's', 'running', 3, { ContainerStatus: { ContainerID: 'cid' } })]);
    expect(running).toEqual({ service: 'nb', state: 'running', health: 'healthy', taskState: 'running', containerId: 'cid' });
    expect(serviceStatus('nb', svc('s', 'a', 'nb', 1, false), [task('t', 's', 'running', 3)]).health).toBe('none');
    expect(serviceStatus('nb', svc('s', 'a', 'nb', 1), [task('t', 's', 'starting', 3)])).toMatchObject({ state: 'starting', health: 'starting' });
    expect(serviceStatus('nb', svc('s', 'a', 'nb', 0), [task('t', 's', 'running', 3)]).state).toBe('stopped');
    expect(serviceStatus('nb', undefined, []).state).toBe('absent');
  });

  it("says Swarm's reason for a task it cannot place or run", () => {
    const pending = task('t', 's', 'pending', 3, { Err: 'no suitable node (insufficient resources on 1 node)' });
    expect(serviceStatus('db', svc('s', 'a', 'db', 1), [pending])).toMatchObject({ state: 'starting', message: 'no suitable node (insufficient resources on 1 node)' });
    expect(taskProblem(pending)).toEqual({ taskState: 'pending', message: 'no suitable node (insufficient resources on 1 node)' });
    expect(taskProblem(task('t', 's', 'rejected', 3, { Err: 'No such image: x:1' }))).toEqual({ taskState: 'rejected', message: 'No such image: x:1' });
    expect(taskProblem(task('t', 's', 'pending', 3))).toBeUndefined();
    expect(taskProblem(task('t', 's', 'running', 3))).toBeUndefined();
    expect(serviceStatus('db', svc('s', 'a', 'db', 1), [task('t', 's', 'rejected', 3, { Err: 'No such image: x:1' })]).state).toBe('failed');
  });

  it('sums a stack up', () => {
    const s = (state: 'running' | 'stopped' | 'starting' | 'failed' | 'absent') => ({ service: 'x', state, health: 'none' as const });
    expect(stackState([s('running'), s('running')])).toBe('running');
    expect(stackState([s('stopped'), s('stopped')])).toBe('stopped');
    expect(stackState([s('running'), s('stopped')])).toBe('partial');
    expect(stackState([s('running'), s('starting')])).toBe('starting');
    expect(stackState([s('running'), s('failed')])).toBe('failed');
    expect(stackState([s('absent'), s('absent')])).toBe('absent');
  });

  it('gives every roster student a row from one services list and one tasks list, other classrooms ignored', () => {
    const services = [svc('a1', 'ann', 'nb', 1), svc('a2', 'ann', 'db', 1), svc('b1', 'bob', 'nb', 0), svc('b2', 'bob', 'db', 0)];
    const other = svc('x', 'ann', 'nb', 1);
    other.Spec!.Labels![CLASSROOM_LABEL.classroom] = 'other';
    const tasks = [task('t1', 'a1', 'running', 4), task('t2', 'a2', 'running', 4)];
    const rows = classroomStatus('c', [{ id: 'ann', name: 'Ann' }, { id: 'bob', name: 'Bob' }, { id: 'cy', name: 'Cy' }], ['nb', 'db'], [...services, other], tasks, (id) =>
      id === 'ann' ? '2026-01-01T10:00:00.000Z' : undefined,
    );
    expect(rows.map((r) => [r.student.id, r.namespace, r.state, r.ready, r.lastActivity])).toEqual([
      ['ann', 'c-ann', 'running', true, '2026-01-01T10:00:00.000Z'],
      ['bob', 'c-bob', 'stopped', false, undefined],
      ['cy', 'c-cy', 'absent', false, undefined],
    ]);
  });
});

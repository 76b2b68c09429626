import { describe, expect, it } from 'vitest';
import { startedContainer } from './start-slot.js';
import type { ClassroomSnapshot } from './swarm-watch.js';

const snap = (tasks: ClassroomSnapshot['tasks']): ClassroomSnapshot => ({ services: [{ ID: 'svc1', Spec: { Name: 'c-ann_notebook' } }], tasks });
const task = (id: string, index: number, state: string, desired: string, container?: string) => ({
  ID: id,
  ServiceID: 'svc1',
  DesiredState: desired,
  Version: { Index: index },
  Status: { State: state, ...(container ? { ContainerStatus: { ContainerID: container } } : {}) },
});

describe('startedContainer', () => {
  it('is the current task’s container once it starts or runs', () => {
    expect(startedContainer(snap([task('t1', 1, 'starting', 'running', 'abc')]), 'c-ann_notebook')).toBe('abc');
    expect(startedContainer(snap([task('t1', 1, 'running', 'running', 'abc')]), 'c-ann_notebook')).toBe('abc');
  });

  it('is nothing before the container exists, for an old task, or for another service', () => {
    expect(startedContainer(snap([task('t1', 1, 'preparing', 'running')]), 'c-ann_notebook')).toBeUndefined();
    // The previous run's task, shut down, beside the new one still preparing.
    expect(startedContainer(snap([task('t0', 1, 'shutdown', 'shutdown', 'old'), task('t1', 2, 'preparing', 'running')]), 'c-ann_notebook')).toBeUndefined();
    expect(startedContainer(snap([task('t1', 1, 'running', 'running', 'abc')]), 'c-ben_notebook')).toBeUndefined();
  });
});

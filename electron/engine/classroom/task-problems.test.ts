import { describe, expect, it } from 'vitest';
import { taskProblems, type SwarmNodeFacts, type SwarmTask } from './task-problems.js';

const GiB = 1024 ** 3;
const node: SwarmNodeFacts = { id: 'n1', hostname: 'lab-1', nanoCpus: 2e9, memoryBytes: 24 * GiB, schedulable: true };

const task = (over: Partial<SwarmTask> & { state: string; err?: string; mem?: number; cpu?: number; at?: string }): SwarmTask => ({
  ID: over.ID ?? `t-${over.state}-${over.at ?? '1'}`,
  ServiceID: over.ServiceID ?? 's1',
  Slot: over.Slot ?? 1,
  CreatedAt: over.at ?? '2020-01-01T00:00:01Z',
  DesiredState: over.DesiredState ?? 'running',
  NodeID: over.NodeID,
  Status: { State: over.state, Err: over.err, Message: 'msg' },
  Spec: { Resources: { Reservations: { MemoryBytes: over.mem, NanoCPUs: over.cpu } }, ContainerSpec: { Image: 'coursedock/x:1@sha256:abc' } },
});

describe('taskProblems', () => {
  it('says which resource no node has free, with the numbers', () => {
    const [p] = taskProblems([task({ state: 'pending', err: 'no suitable node (insufficient resources on 1 node)', mem: 64 * GiB })], [node]);
    expect(p?.taskState).toBe('pending');
    expect(p?.message).toMatch(/^no suitable node: insufficient memory \(the service reserves 64 GiB; the most any node has free is 24 GiB of 24 GiB, on lab-1\)$/);
  });

  it('counts what running tasks already reserve on the node', () => {
    const running = task({ ID: 'r', ServiceID: 'other', state: 'running', NodeID: 'n1', mem: 20 * GiB, cpu: 1.5e9 });
    const [p] = taskProblems([running, task({ state: 'pending', err: 'insufficient resources on 1 node', mem: 1 * GiB, cpu: 1e9 })], [node]);
    expect(p?.message).toBe(
      'no suitable node: insufficient CPU (the service reserves 1 CPU; the most any node has free is 0.5 CPU of 2 CPU, on lab-1)',
    );
  });

  it('says the placement constraint when the node holding the volumes is gone', () => {
    const t = task({ state: 'pending', err: 'no suitable node (scheduling constraints not satisfied on 1 node)' });
    t.Spec!.Placement = { Constraints: ['node.id==gone'] };
    expect(taskProblems([t], [node])[0]?.message).toMatch(/placement constraint node\.id==gone/);
  });

  it('says a rejected image in words, and keeps saying it while Swarm waits to retry', () => {
    const rejected = task({ ID: 'old', state: 'rejected', err: 'No such image: coursedock/x:1', DesiredState: 'shutdown', at: '2020-01-01T00:00:01Z' });
    const retry = task({ ID: 'new', state: 'new', DesiredState: 'ready', at: '2020-01-01T00:00:02Z' });
    const [p] = taskProblems([rejected, retry], [node]);
    expect(p).toMatchObject({ taskId: 'old', taskState: 'rejected' });
    expect(p?.message).toMatch(/^the image coursedock\/x:1 is not on the node and could not be pulled/);
  });

  it('is quiet about a task still being scheduled, a running one, and a service scaled to 0', () => {
    expect(taskProblems([task({ state: 'pending' })], [node])).toEqual([]);
    expect(taskProblems([task({ state: 'running', NodeID: 'n1' })], [node])).toEqual([]);
    expect(taskProblems([task({ state: 'failed', err: 'x', DesiredState: 'shutdown' })], [node])).toEqual([]);
  });

  it('reports a task that failed with Swarm’s own words', () => {
    expect(taskProblems([task({ state: 'failed', err: 'task: non-zero exit (1)' })], [node])[0]?.message).toBe('task: non-zero exit (1)');
  });
});

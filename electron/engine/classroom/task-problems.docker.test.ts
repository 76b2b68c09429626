// A real Swarm is asked for more memory than this node has: the watcher says, within the
// 10 seconds a start of class promises, that no node is suitable because memory is short.
// Run under `flock /tmp/cd-swarm.lock` (it may make this engine a single-node Swarm).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CLASSROOM_LABEL, studentLabels, swarmServiceName } from './names.js';
import { watchTaskProblems, type StudentTaskProblem } from './task-problems.js';
import { withSwarm } from './testing/swarm.js';

describe('task problems on a real Swarm', () => {
  it('says "no suitable node: insufficient memory" within 10 s for a service that asks for more than the node has', async () => {
    await withSwarm(async ({ docker }) => {
      const course = `tp${randomBytes(3).toString('hex')}`;
      const info = (await docker.info()) as { MemTotal: number };
      const service = await docker.createService({
        Name: swarmServiceName(course, 'ada', 'notebook'),
        Labels: { ...studentLabels(course, 'ada'), [CLASSROOM_LABEL.service]: 'notebook' },
        TaskTemplate: {
          ContainerSpec: { Image: 'debian:bookworm-slim', Command: ['sleep', 'infinity'] },
          Resources: { Reservations: { MemoryBytes: info.MemTotal * 4 } },
        },
        Mode: { Replicated: { Replicas: 1 } },
      });
      const problems: StudentTaskProblem[] = [];
      let watcher: { stop(): void } | undefined;
      try {
        const first = new Promise<StudentTaskProblem>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no problem reported within 10 s (saw ${JSON.stringify(problems)})`)), 10_000);
          watcher = watchTaskProblems(docker, {
            course,
            onProblem: (p) => {
              problems.push(p);
              clearTimeout(timer);
              resolve(p);
            },
          });
        });
        const problem = await first;
        expect(problem).toMatchObject({ student: 'ada', service: 'notebook', taskState: 'pending' });
        expect(problem.message).toMatch(/^no suitable node: insufficient memory \(the service reserves \d+ GiB; the most any node has free is/);
      } finally {
        watcher?.stop();
        await service.remove();
      }
    });
  });
});

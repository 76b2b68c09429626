// Faults in a classroom (issue #18, item 5), on a real single-node Swarm with the tm351 stack:
// the Docker engine restarts under a class (as a node reboot would) and every student comes
// back as they were — a running stack runs again by itself (Swarm reconciles its services),
// a stopped one stays stopped, and everyone's table and notebook file are there; then one
// student's reset deletes that student's data only.
// It stops this machine's dockerd and starts it again with its own command line, so it runs
// where that is ours to do (root, Linux, a dockerd not kept by systemd); elsewhere it is
// skipped with the reason. Run under `flock /tmp/cd-swarm.lock`: it disturbs every other test.
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSettingsStore } from '../settings/settings-store.js';
import { copyCourse, type CourseCopy } from '../testing/course-copy.js';
import { dockerAnswers, dockerdRestartability, findDockerd, startDockerd, stopDockerd, until } from '../testing/local-dockerd.js';
import { runOnlyIf } from '../testing/skip-reason.js';
import { Classroom } from './classroom.js';
import { classroomFilter } from './names.js';
import { execIn } from './testing/docker-cli.js';
import { ensureSwarm, type SwarmHandle } from './testing/swarm.js';
import type { StudentStatus } from './types.js';
import { listVolumes } from '../docker/volume-list.js';

const can = dockerdRestartability();
const docker = new Dockerode();
let swarm: SwarmHandle | undefined;
let copy: CourseCopy | undefined;
/** Made by the test itself: unset in afterAll when the test failed before it. */
let classroom: Classroom | undefined;

const statusOf = async (id: string): Promise<StudentStatus> => (await classroom!.status()).find((s) => s.student.id === id)!;

/**
 * Ready as Swarm says it, and every service's container here really running and healthy: right
 * after a restart Swarm may still show the tasks from before it until the node reports in.
 */
async function runsAgain(id: string): Promise<boolean> {
  const status = await statusOf(id).catch(() => undefined);
  if (!status?.ready) return false;
  for (const s of status.services) {
    const state = s.containerId ? await docker.getContainer(s.containerId).inspect().then((c) => c.State).catch(() => undefined) : undefined;
    if (!state?.Running || (state.Health && state.Health.Status !== 'healthy')) return false;
  }
  return true;
}

/** A command in the student's notebook; retried while their overlay's routes are still being set up. */
async function inNotebook(id: string, script: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const container = (await statusOf(id)).services.find((s) => s.service === 'notebook')?.containerId;
    const r = container ? execIn(container, script, 'student') : { code: -1, stdout: '', stderr: `${id}'s notebook has no running container` };
    if (r.code === 0) return r.stdout;
    if (attempt >= 30 || !/No route to host|could not connect|Connection refused|no running container|No such container/i.test(r.stderr)) {
      throw new Error(`${script} in ${id}'s notebook failed: ${r.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

const write = async (id: string, word: string) => {
  await inNotebook(id, `psql -tA -v ON_ERROR_STOP=1 -c "create table mine(v text); insert into mine values ('${word}')"`);
  await inNotebook(id, `echo "${word}" > /home/student/notebooks/mine.txt`);
};
const table = (id: string) => inNotebook(id, 'psql -tA -c "select v from mine"');
const file = (id: string) => inNotebook(id, 'cat /home/student/notebooks/mine.txt');

describe('classroom faults', runOnlyIf(can.ok, can.reason), () => {
  afterAll(async () => {
    try {
      // Whatever happened, leave an engine that answers for the suites after this one.
      if (!findDockerd()) await startDockerd();
      await until(dockerAnswers, 'Docker answers again');
      await classroom?.down({ keepVolumes: false }).catch(() => undefined);
      if (classroom) for (const v of await listVolumes(docker, { filters: classroomFilter(classroom.course) })) await docker.getVolume(v.Name).remove().catch(() => undefined);
    } finally {
      copy?.cleanup();
      await swarm?.release();
    }
  });

  it('a dockerd restart brings every student back as they were; one student’s reset touches only their data', async () => {
    swarm = await ensureSwarm(docker);
    copy = copyCourse('tm351', 'cdfault');
    classroom = new Classroom({ docker, store: new FileSettingsStore(path.join(copy.home, 'settings.json')), specFile: copy.file, fetchImages: false });
    const up = await classroom.up(
      [
        { id: 'ann', name: 'Ann' },
        { id: 'bob', name: 'Bob' },
      ],
      { concurrency: 2 },
    );
    expect(up.failed).toEqual([]);
    await write('ann', 'ann-work');
    await write('bob', 'bob-work');
    await classroom.stop(['bob']);
    await until(async () => (await statusOf('bob')).state === 'stopped', 'bob is stopped');

    await stopDockerd();
    await startDockerd();
    // Nobody starts anything: Swarm brings Ann's services back by itself; Bob stays stopped.
    await until(() => runsAgain('ann'), "Ann's stack runs again after the restart", 240_000);
    expect((await statusOf('bob')).state).toBe('stopped');
    expect(await table('ann')).toBe('ann-work');
    expect(await file('ann')).toBe('ann-work');

    // Bob's data was kept while stopped, through the restart.
    expect((await classroom.start(['bob'])).failed).toEqual([]);
    expect(await table('bob')).toBe('bob-work');
    expect(await file('bob')).toBe('bob-work');

    // Bob resets his database: his table goes (the course data comes back), Ann's stays.
    await classroom.reset('bob', 'postgres');
    await until(() => runsAgain('bob'), "Bob's stack is ready after the reset", 240_000);
    await expect(table('bob')).rejects.toThrow(/relation "mine" does not exist/);
    expect(await inNotebook('bob', 'psql -tA -c "select count(*) from anscombe"')).toBe('44');
    expect(await file('bob')).toBe('bob-work');
    expect(await table('ann')).toBe('ann-work');
    expect(await file('ann')).toBe('ann-work');

    // Taking the classroom down leaves nothing of it, though the restart left stopped task
    // containers that Swarm no longer removes.
    await classroom.down({ keepVolumes: false });
    const left = classroomFilter(classroom.course);
    expect((await docker.listContainers({ all: true, filters: left })).map((c) => c.Names[0])).toEqual([]);
    expect((await listVolumes(docker, { filters: left })).map((v) => v.Name)).toEqual([]);
  });
});

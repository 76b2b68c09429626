// Idle culling on a real single-node Swarm with the tm351 stack: a clock an hour and a bit
// ahead (injected, never waited for) makes one student idle while another was active. Their
// notebook is asked for its kernels through their own overlay (a one-off probe; no gateway
// runs), the idle stack is stopped with its volumes kept, and the student's sign-in starts it
// again, says so, and finds their table and notebook file. Run under `flock /tmp/cd-swarm.lock`.
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSettingsStore } from '../settings/settings-store.js';
import { copyCourse, type CourseCopy } from '../testing/course-copy.js';
import { Teardown } from '../testing/teardown.js';
import { ActivityStore } from './activity.js';
import { Classroom } from './classroom.js';
import { classroomKernelProbe, CulledStore, cullIdleStudents, culledMessage, wakeOnSignIn } from './cull.js';
import { classroomFilter, studentVolumeName } from './names.js';
import { execIn } from './testing/docker-cli.js';
import { ensureSwarm } from './testing/swarm.js';
import type { StudentStatus } from './types.js';
import { listVolumes } from '../docker/volume-list.js';

const docker = new Dockerode();
const teardown = new Teardown();
let copy: CourseCopy;
let classroom: Classroom;

const statusOf = async (id: string): Promise<StudentStatus> => (await classroom.status()).find((s) => s.student.id === id)!;

async function containerOf(id: string, service: string): Promise<string> {
  const svc = (await statusOf(id)).services.find((s) => s.service === service);
  if (!svc?.containerId) throw new Error(`${id}'s ${service} has no running container`);
  return svc.containerId;
}

/** A command in the student's notebook; retried while their overlay's routes are still being set up. */
async function inNotebook(id: string, script: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const r = execIn(await containerOf(id, 'notebook'), script, 'student');
    if (r.code === 0) return r.stdout;
    if (attempt >= 20 || !/No route to host|could not connect|Connection refused/i.test(r.stderr)) {
      throw new Error(`${script} in ${id}'s notebook failed: ${r.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

beforeAll(async () => {
  teardown.add(await ensureSwarm(docker), (swarm) => swarm.release());
  copy = teardown.add(copyCourse('tm351', 'cdcull'), (made) => made.cleanup());
  const store = new FileSettingsStore(path.join(copy.home, 'settings.json'));
  classroom = teardown.add(new Classroom({ docker, store, specFile: copy.file, fetchImages: false }), async (made) => {
    await made.down({ keepVolumes: false }).catch(() => undefined);
    const left = await listVolumes(docker, { filters: classroomFilter(made.course) });
    for (const v of left) await docker.getVolume(v.Name).remove().catch(() => undefined);
  });
});

// The classroom, then the course copy, then the Swarm: each even when the one before failed.
afterAll(() => teardown.run());

describe('idle culling on a real Swarm', () => {
  it('stops the idle student only, keeps their volumes, and their sign-in starts it again with their data', async () => {
    const result = await classroom.up(
      [
        { id: 'ida', name: 'Ida Idle' },
        { id: 'ben', name: 'Ben Busy' },
      ],
      { concurrency: 2 },
    );
    expect(result.failed).toEqual([]);
    await inNotebook('ida', `psql -tA -v ON_ERROR_STOP=1 -c "create table mine(v text); insert into mine values ('kept')"`);
    await inNotebook('ida', 'echo "my work" > /home/student/notebooks/kept.txt');

    const activity = new ActivityStore(path.join(copy.home, 'activity.json'));
    const culled = new CulledStore(path.join(copy.home, 'culled.json'));
    const later = Date.now() + 61 * 60_000;
    // Ben used the panel a minute ago (in the clock's time); Ida not since her stack started.
    activity.record('ben', later - 60_000);
    const report = await cullIdleStudents({
      docker,
      classroom,
      lastActivity: (id) => activity.last(id),
      recordActivity: (id, at) => activity.record(id, at),
      kernels: await classroomKernelProbe(docker, classroom),
      culled,
      idleMinutes: 60,
      now: () => later,
    });
    expect(report.kept).toEqual([]);
    expect(report.culled.map((c) => c.studentId)).toEqual(['ida']);
    expect(report.culled[0]!.idleMinutes).toBeGreaterThanOrEqual(60);
    expect((await statusOf('ida')).state).toBe('stopped');
    expect((await statusOf('ben')).state).toBe('running');
    const volumes = (await listVolumes(docker, { filters: classroomFilter(classroom.course) })).map((v) => v.Name);
    expect(volumes).toEqual(expect.arrayContaining([studentVolumeName(classroom.course, 'ida', 'pgdata'), studentVolumeName(classroom.course, 'ida', 'notebooks_dir')]));

    // Ida signs in: started again, told why, and her work is there.
    const woke = await wakeOnSignIn(classroom, culled, 'ida');
    expect(woke).toEqual({ started: true, message: culledMessage(report.culled[0]!.idleMinutes) });
    const again = await classroom.start(['ida']);
    expect(again.failed).toEqual([]);
    expect(await inNotebook('ida', 'psql -tA -c "select v from mine"')).toBe('kept');
    expect(await inNotebook('ida', 'cat /home/student/notebooks/kept.txt')).toBe('my work');
    // A second sign-in says nothing more.
    expect(await wakeOnSignIn(classroom, culled, 'ida')).toEqual({ started: false });
  });
});

// A real classroom on a single-node Swarm: two students from a roster CSV, each with the
// tm351 stack (MongoDB cannot run here: left out with a warning). Run under
// `flock /tmp/cd-swarm.lock`: the Swarm is made for the test if there is none, and left only then.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileSettingsStore } from '../settings/settings-store.js';
import { copyCourse, type CourseCopy } from '../testing/course-copy.js';
import { Teardown } from '../testing/teardown.js';
import { Classroom } from './classroom.js';
import { CLASSROOM_LABEL, classroomFilter, studentNetworkName, studentVolumeName, swarmServiceName } from './names.js';
import { parseRoster } from './roster.js';
import { ensureSwarm } from './testing/swarm.js';
import { execIn, runOnNetwork } from './testing/docker-cli.js';
import type { ClassroomEvent, StudentStatus } from './types.js';
import { listVolumes } from '../docker/volume-list.js';

const docker = new Dockerode();
const teardown = new Teardown();
let copy: CourseCopy;
let classroom: Classroom;
const events: ClassroomEvent[] = [];
const onEvent = (e: ClassroomEvent) => void events.push(e);

const ROSTER = 'id,name\nann,Ann Archer\nbob,"Bob, the builder"\n';

async function statusOf(id: string): Promise<StudentStatus> {
  const row = (await classroom.status()).find((s) => s.student.id === id);
  if (!row) throw new Error(`no status for ${id}`);
  return row;
}

async function containerOf(id: string, service: string): Promise<string> {
  const svc = (await statusOf(id)).services.find((s) => s.service === service);
  if (!svc?.containerId) throw new Error(`${id}'s ${service} has no running container`);
  return svc.containerId;
}

/** SQL through the student's own notebook container (its PG* variables point at its postgres). */
async function sql(id: string, query: string): Promise<string> {
  const r = execIn(await containerOf(id, 'notebook'), `psql -tA -v ON_ERROR_STOP=1 -c ${JSON.stringify(query)}`, 'student');
  if (r.code !== 0) throw new Error(`psql for ${id} failed: ${r.stderr}`);
  return r.stdout;
}

async function removeEverything(course: string): Promise<void> {
  const filters = classroomFilter(course);
  for (const s of await docker.listServices({ filters })) await docker.getService(s.ID).remove().catch(() => undefined);
  for (let i = 0; i < 60 && (await docker.listContainers({ all: true, filters })).length > 0; i++) await new Promise((r) => setTimeout(r, 1000));
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  for (const v of await listVolumes(docker, { filters })) await docker.getVolume(v.Name).remove().catch(() => undefined);
}

beforeAll(async () => {
  teardown.add(await ensureSwarm(docker), (swarm) => swarm.release());
  copy = teardown.add(copyCourse('tm351', 'cdc'), (made) => made.cleanup());
  const store = new FileSettingsStore(path.join(copy.home, 'settings.json'));
  classroom = teardown.add(new Classroom({ docker, store, specFile: copy.file }), async (made) => {
    await made.down({ keepVolumes: false }).catch(() => undefined);
    await removeEverything(made.course);
    const left = await listVolumes(docker, { filters: classroomFilter(made.course) });
    expect(left).toEqual([]);
  });
});

// The classroom, then the course copy, then the Swarm: each even when the one before failed.
afterAll(() => teardown.run());

describe('classroom on a single-node Swarm', () => {
  it('up from a roster CSV: every student gets a notebook that answers and a healthy database, MongoDB left out', async () => {
    const roster = parseRoster(ROSTER, 'roster.csv');
    const result = await classroom.up(roster, { concurrency: 2, onEvent });
    expect(result.failed).toEqual([]);
    expect(result.leftOut.map((l) => l.service)).toEqual(['mongo']);
    expect(events.some((e) => e.kind === 'left-out' && e.service === 'mongo')).toBe(true);
    expect(events.filter((e) => e.kind === 'student-ready').length).toBe(2);

    const rows = await classroom.status();
    expect(rows.map((r) => [r.student.id, r.state, r.ready])).toEqual([
      ['ann', 'running', true],
      ['bob', 'running', true],
    ]);
    for (const row of rows) {
      expect(row.services.find((s) => s.service === 'postgres')?.health).toBe('healthy');
      // No student service publishes a port on the host.
      const svc = (await docker.getService(swarmServiceName(classroom.course, row.student.id, 'notebook')).inspect()) as { Endpoint?: { Ports?: unknown[] }; Spec: { Labels: Record<string, string> } };
      expect(svc.Endpoint?.Ports ?? []).toEqual([]);
      expect(svc.Spec.Labels[CLASSROOM_LABEL.stackNamespace]).toBe(row.namespace);
      // Reached from a helper container on the student's own overlay network.
      const token = classroom.variables(row.student.id).NOTEBOOK_TOKEN!;
      const probe = runOnNetwork(
        studentNetworkName(classroom.course, row.student.id),
        `curl -fsS "http://notebook:8888/p/${row.namespace}/notebook/api/status?token=$T" && echo && PGPASSWORD=testpass psql -h postgres -U testuser -d testdb -tAc 'select count(*) from anscombe'`,
        undefined,
        { T: token },
      );
      expect(probe.stderr).toBe('');
      expect(probe.stdout).toMatch(/"started"/);
      expect(probe.stdout.split('\n').pop()).toBe('44');
    }
    // The course's starter notebooks were copied into each student's notebooks volume at first start.
    const starters = readdirSync(path.join(copy.dir, 'starter-notebooks')).sort().join('\n');
    for (const id of ['ann', 'bob']) {
      expect(execIn(await containerOf(id, 'notebook'), 'ls /home/student/notebooks').stdout).toBe(starters);
    }
    expect(events.filter((e) => e.kind === 'starters-copied').length).toBe(2);
    // Each student has their own token, kept.
    expect(classroom.variables('ann').NOTEBOOK_TOKEN).not.toBe(classroom.variables('bob').NOTEBOOK_TOKEN);

    const withUsage = await classroom.status({ resources: true });
    const nb = withUsage[0]?.services.find((s) => s.service === 'notebook');
    expect(nb?.memoryBytes).toBeGreaterThan(0);
  });

  it("isolation: from ann's notebook, bob's PostgreSQL neither resolves nor connects", async () => {
    const annNotebook = await containerOf('ann', 'notebook');
    const bobNs = `${classroom.course}-bob`;
    // Bob's postgres address on his own network (where his own services reach it).
    const bobPg = await docker.getContainer(await containerOf('bob', 'postgres')).inspect();
    const bobIp = bobPg.NetworkSettings.Networks[studentNetworkName(classroom.course, 'bob')]?.IPAddress;
    expect(bobIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const own = execIn(annNotebook, 'getent hosts postgres');
    expect(own.code).toBe(0);
    for (const name of [`${bobNs}_postgres`, `tasks.${bobNs}_postgres`]) {
      expect(execIn(annNotebook, `getent hosts ${name}`).code).not.toBe(0);
    }
    // A real PostgreSQL login, not a bare TCP connect: on these machines an outbound proxy
    // accepts TCP to any address, so only the protocol tells a database from the void.
    const login = `PGCONNECT_TIMEOUT=5 PGPASSWORD=testpass psql -h ${bobIp} -U testuser -d testdb -tAc 'select 1'`;
    const fromAnn = execIn(annNotebook, login);
    expect(fromAnn.code).not.toBe(0);
    expect(fromAnn.stdout).not.toBe('1');
    // While from bob's own network, the same login works.
    expect(runOnNetwork(studentNetworkName(classroom.course, 'bob'), login).stdout).toBe('1');
  });

  it("a student's data survives their own reinstall; another student's reset does not touch it", async () => {
    const file = '/home/student/notebooks/mine.ipynb';
    await sql('ann', 'create table mine(x int); insert into mine values (42)');
    expect(execIn(await containerOf('ann', 'notebook'), `echo '{"cells": []}' > ${file}`, 'student').code).toBe(0);
    await sql('bob', 'create table theirs(x int)');
    expect(execIn(await containerOf('bob', 'notebook'), `echo bob > /home/student/notebooks/bob.txt`, 'student').code).toBe(0);

    const before = { pg: await containerOf('ann', 'postgres'), nb: await containerOf('ann', 'notebook') };
    await classroom.reinstall('ann', 'postgres', { onEvent });
    await classroom.reinstall('ann', 'notebook', { onEvent });
    expect((await statusOf('ann')).ready).toBe(true);
    expect(await containerOf('ann', 'postgres')).not.toBe(before.pg);
    expect(await containerOf('ann', 'notebook')).not.toBe(before.nb);
    expect(await sql('ann', 'select x from mine')).toBe('42');
    expect(execIn(await containerOf('ann', 'notebook'), `cat ${file}`).stdout).toBe('{"cells": []}');

    const removed = await classroom.reset('bob', 'postgres', { onEvent });
    expect(removed).toEqual([studentVolumeName(classroom.course, 'bob', 'pgdata')]);
    await classroom.reset('bob', 'notebook', { onEvent });
    expect((await statusOf('bob')).ready).toBe(true);
    // Bob's data is gone (fresh course data), ann's is where it was.
    expect(await sql('bob', "select count(*) from information_schema.tables where table_name = 'theirs'")).toBe('0');
    expect(await sql('bob', 'select count(*) from anscombe')).toBe('44');
    expect(execIn(await containerOf('bob', 'notebook'), 'ls /home/student/notebooks/bob.txt').code).not.toBe(0);
    // A reset notebooks volume is a fresh one: it gets the starters again.
    const starters = readdirSync(path.join(copy.dir, 'starter-notebooks')).sort().join('\n');
    expect(execIn(await containerOf('bob', 'notebook'), 'ls /home/student/notebooks').stdout).toBe(starters);
    expect(await sql('ann', 'select x from mine')).toBe('42');
    expect(execIn(await containerOf('ann', 'notebook'), `cat ${file}`).stdout).toBe('{"cells": []}');
  });

  it('stop keeps everything but runs nothing; down removes services and networks and keeps the volumes', async () => {
    // The tutor's view is told (one Docker stream for it and the stop's own watch, changes coalesced).
    let raw = 0;
    const stopRaw = await classroom.events.onEvent(() => raw++);
    let changes = 0;
    const stopChanges = classroom.events.onChange(() => changes++);
    await classroom.stop(['bob'], { onEvent });
    const bob = await statusOf('bob');
    expect(bob.state).toBe('stopped');
    expect((await statusOf('ann')).state).toBe('running');
    await vi.waitFor(() => expect(changes).toBeGreaterThan(0), { timeout: 10_000 });
    expect(raw).toBeGreaterThan(0);
    stopChanges();
    stopRaw();
    expect(classroom.events.following).toBe(false);

    await classroom.down({ onEvent });
    const filters = classroomFilter(classroom.course);
    expect(await docker.listServices({ filters })).toEqual([]);
    expect(await docker.listNetworks({ filters })).toEqual([]);
    const volumes = (await listVolumes(docker, { filters })).map((v) => v.Name).sort();
    expect(volumes).toEqual(
      ['ann', 'bob'].flatMap((id) => [studentVolumeName(classroom.course, id, 'notebooks_dir'), studentVolumeName(classroom.course, id, 'pgdata')]).sort(),
    );
    expect((await classroom.status()).map((r) => r.state)).toEqual(['absent', 'absent']);
  });
});

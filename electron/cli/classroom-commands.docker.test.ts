// `coursedock classroom …` as a tutor runs it, as a child process against a real single-node
// Swarm (run under `flock /tmp/cd-swarm.lock`). Stacks are deployed stopped, so this checks the
// commands' wiring quickly; starting and readiness are shown in classroom.docker.test.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classroomFilter } from '../engine/classroom/names.js';
import { ensureSwarm, type SwarmHandle } from '../engine/classroom/testing/swarm.js';
import type { StudentStatus } from '../engine/classroom/types.js';
import { copyCourse, type CourseCopy } from '../engine/testing/course-copy.js';
import { runCli } from '../engine/testing/processes.js';
import { listVolumes } from '../engine/docker/volume-list.js';

const docker = new Dockerode();
let swarm: SwarmHandle;
let copy: CourseCopy;

beforeAll(async () => {
  swarm = await ensureSwarm(docker);
  copy = copyCourse('tm351', 'cdcli');
});

afterAll(async () => {
  try {
    const filters = classroomFilter(copy.project);
    for (const s of await docker.listServices({ filters })) await docker.getService(s.ID).remove().catch(() => undefined);
    for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    for (const v of await listVolumes(docker, { filters })) await docker.getVolume(v.Name).remove().catch(() => undefined);
  } finally {
    copy.cleanup();
    await swarm.release();
  }
});

describe('coursedock classroom', () => {
  it('refuses a bad roster with its line numbers, deploying nothing', async () => {
    const roster = path.join(copy.home, '..', 'bad.csv');
    writeFileSync(roster, 'id,name\nAnn,Ann\nbob,Bob\nbob,Bob again\n');
    const run = await runCli(copy, ['classroom', 'up', copy.file, '--roster', roster]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 2: student id "Ann"');
    expect(run.stderr).toContain('line 4: student id "bob" is already on line 3');
    expect(await docker.listServices({ filters: classroomFilter(copy.project) })).toEqual([]);
  });

  it('up --stopped, status --json, down keeps data, down --volumes needs --yes', async () => {
    const roster = path.join(copy.home, '..', 'roster.csv');
    writeFileSync(roster, 'ann,Ann Archer\nbob,Bob Baker\n');
    const up = await runCli(copy, ['classroom', 'up', copy.file, '--roster', roster, '--stopped']);
    expect(up.stderr).toContain('mongo is left out');
    expect(up.stderr).toContain('2 stacks deployed (stopped).');
    expect(up.code).toBe(0);

    const status = await runCli(copy, ['classroom', 'status', copy.file, '--json']);
    expect(status.code).toBe(0);
    const rows = JSON.parse(status.stdout) as StudentStatus[];
    expect(rows.map((r) => [r.student.name, r.state, r.services.map((s) => s.service).join(',')])).toEqual([
      ['Ann Archer', 'stopped', 'notebook,postgres'],
      ['Bob Baker', 'stopped', 'notebook,postgres'],
    ]);
    const table = await runCli(copy, ['classroom', 'status', copy.file]);
    expect(table.stdout.split('\n')[0]).toMatch(/^STUDENT\s+NAME\s+SERVICE\s+STATE\s+HEALTH/);

    const refused = await runCli(copy, ['classroom', 'down', copy.file, '--volumes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--yes');
    expect((await docker.listServices({ filters: classroomFilter(copy.project) })).length).toBe(4);

    const down = await runCli(copy, ['classroom', 'down', copy.file]);
    expect(down.code).toBe(0);
    expect(await docker.listServices({ filters: classroomFilter(copy.project) })).toEqual([]);
    expect(await docker.listNetworks({ filters: classroomFilter(copy.project) })).toEqual([]);

    const gone = await runCli(copy, ['classroom', 'down', copy.file, '--volumes', '--yes']);
    expect(gone.code).toBe(0);
    expect(await listVolumes(docker, { filters: classroomFilter(copy.project) })).toEqual([]);
  });
});

// Starter notebooks copied into a student's notebooks volume through their running container
// (starter-seed.ts), on the real tm351 notebook image: copied once, owned by the notebook
// user, never over the student's own file, a deleted starter not brought back, and a fresh
// (reset) volume seeded again. A plain container with a named volume: no Swarm needed.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/index.js';
import type { CourseSpec } from '../spec/types.js';
import { copyCourse, type CourseCopy } from '../testing/course-copy.js';
import { seedStartersInContainer } from './starter-seed.js';
import { execIn } from './testing/docker-cli.js';

const docker = new Dockerode();
const IMAGE = 'coursedock/tm351-notebook:1';
const FOLDER = '/home/student/notebooks';

let copy: CourseCopy;
/** The course's starters, sorted (the test takes one of them as the student's own file). */
let starters: string[];
let spec: CourseSpec;
let volume: string;
let containers: string[] = [];

async function notebookContainer(): Promise<string> {
  const c = await docker.createContainer({
    Image: IMAGE,
    Cmd: ['sleep', 'infinity'],
    Labels: { 'org.coursedock.test': 'classroom-starters' },
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: FOLDER }], NetworkMode: 'none' },
  });
  containers.push(c.id);
  await c.start();
  return c.id;
}

beforeEach(() => {
  copy = copyCourse('tm351', 'cdseed');
  spec = loadSpec(copy.file, { env: { NOTEBOOKS_DIR: copy.notebooksDir, NOTEBOOK_TOKEN: 't', MONGO_PASSWORD: 'p', MONGO_ADMIN_PASSWORD: 'a' } });
  volume = `cdseed-${randomBytes(4).toString('hex')}`;
  starters = readdirSync(path.join(copy.dir, 'starter-notebooks')).filter((f) => !f.startsWith('.')).sort();
  containers = [];
});

afterEach(async () => {
  for (const id of containers) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
  await docker.getVolume(volume).remove().catch(() => undefined);
  copy.cleanup();
});

describe('starter notebooks in a student volume', () => {
  it('copies the starters once, owned by the notebook user, and never over the student’s own file', async () => {
    const id = await notebookContainer();
    const [mine, ...others] = starters as [string, ...string[]];
    // The student already has a notebook of a starter's name.
    expect(execIn(id, `echo mine > ${FOLDER}/${mine}`, 'student').code).toBe(0);

    const first = await seedStartersInContainer(docker, id, spec);
    expect(first).toMatchObject({ copied: others, kept: [mine], alreadySeeded: false });
    expect(execIn(id, `cat ${FOLDER}/${mine}`).stdout).toBe('mine');
    const copiedOne = `${FOLDER}/${others[0]}`;
    expect(execIn(id, `stat -c %U ${copiedOne} ${FOLDER}/.coursedock/seeded.json`).stdout).toBe('student\nstudent');
    expect(execIn(id, `python3 -c "import json; print(len(json.load(open('${copiedOne}'))['cells']) > 0)"`).stdout).toBe('True');
    // The student can change and delete the copies.
    expect(execIn(id, `echo edited >> ${copiedOne} && cd ${FOLDER} && rm ${others.join(' ')}`, 'student').code).toBe(0);

    // Next start: nothing new is offered, and the deleted starters stay deleted.
    const again = await seedStartersInContainer(docker, id, spec);
    expect(again).toMatchObject({ copied: [], alreadySeeded: true });
    expect(execIn(id, `ls ${FOLDER}`).stdout).toBe(mine);
    const marker = JSON.parse(execIn(id, `cat ${FOLDER}/.coursedock/seeded.json`).stdout) as { files: Array<{ path: string; copied: boolean }> };
    expect(marker.files.map((f) => [f.path, f.copied])).toEqual(starters.map((f) => [f, f !== mine]));
  });

  it('a fresh volume (a reset) gets every starter again; a new container on the same volume does not', async () => {
    const first = await notebookContainer();
    expect((await seedStartersInContainer(docker, first, spec))?.copied).toEqual(starters);
    await docker.getContainer(first).remove({ force: true });
    // A reinstall: a new container, the same volume.
    const second = await notebookContainer();
    expect(await seedStartersInContainer(docker, second, spec)).toMatchObject({ copied: [], alreadySeeded: true });
    expect(execIn(second, `ls ${FOLDER}`).stdout).toBe(starters.join('\n'));
  });
});

// The Overview's "Data": the notebooks folder (a bind mount the course declares as student
// data) is listed with the volumes, with its path on this computer and its size.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceFixture, specFixture } from '../testing/spec-fixture.js';
import { folderSize } from './folder-size.js';
import { measuredPlaces, studentDataPlaces } from './student-data.js';
import { stringMatching } from '../testing/matchers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'cd-sdata-'));
  dirs.push(d);
  return d;
};

function course(notebooks: string) {
  return specFixture(
    [
      serviceFixture('notebook', {
        mounts: [
          { type: 'bind', source: notebooks, target: '/home/student/notebooks', readOnly: false, createHostPath: true },
          { type: 'bind', source: '/etc/course', target: '/etc/course', readOnly: true, createHostPath: false },
        ],
      }),
      serviceFixture('postgres', { mounts: [{ type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false }] }),
    ],
    {
      meta: { title: 'Course', variables: [{ name: 'NOTEBOOKS_DIR', kind: 'folder' }], studentData: ['NOTEBOOKS_DIR', 'pgdata'] },
      volumes: { pgdata: { key: 'pgdata', dockerName: 'c_pgdata', external: false, labels: {} } },
    },
  );
}

describe('student data places', () => {
  it('lists the declared folder and volume of each service, nothing else', () => {
    const spec = course('/home/ann/notebooks');
    const vars = { NOTEBOOKS_DIR: '/home/ann/notebooks' };
    expect(studentDataPlaces(spec, vars, 'notebook')).toEqual([
      { kind: 'folder', target: '/home/student/notebooks', location: '/home/ann/notebooks', survives: stringMatching(/Reset included/) },
    ]);
    expect(studentDataPlaces(spec, vars, 'postgres')).toEqual([
      { kind: 'volume', target: '/var/lib/postgresql/data', location: 'c_pgdata', survives: stringMatching(/only Reset deletes it/) },
    ]);
  });

  it("measures a folder's files (links not followed) and says when it does not exist yet", async () => {
    const root = tmp();
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'a.ipynb'), 'x'.repeat(1000));
    writeFileSync(path.join(root, 'sub', 'b.csv'), 'y'.repeat(234));
    symlinkSync('/', path.join(root, 'everything'));
    expect(await folderSize(root)).toEqual({ bytes: 1234, truncated: false });
    expect(await folderSize(root, 2)).toMatchObject({ truncated: true });
    const spec = course(root);
    const [place] = await measuredPlaces(undefined, studentDataPlaces(spec, { NOTEBOOKS_DIR: root }, 'notebook'));
    expect(place).toMatchObject({ kind: 'folder', location: root, bytes: 1234 });
    const gone = path.join(root, 'not-yet');
    const [missing] = await measuredPlaces(undefined, studentDataPlaces(course(gone), { NOTEBOOKS_DIR: gone }, 'notebook'));
    expect(missing).toMatchObject({ missing: true });
    expect(missing).not.toHaveProperty('bytes');
  });
});

// Who a terminal runs as, decided from the spec alone: the spec's `user:`, the student's uid for
// the service that mounts the student's folder, the image's user otherwise; root only when asked.
import { describe, expect, it } from 'vitest';
import { serviceFixture, specFixture } from '../testing/spec-fixture.js';
import { terminalUser } from './terminal-user.js';

const notebooks = '/home/ann/notebooks';
const spec = specFixture(
  [
    serviceFixture('notebook', { mounts: [{ type: 'bind', source: notebooks, target: '/home/student/notebooks', readOnly: false, createHostPath: true }] }),
    serviceFixture('postgres', { mounts: [{ type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false }] }),
    serviceFixture('worker', { user: '999' }),
  ],
  {
    meta: {
      title: 'Course',
      variables: [
        { name: 'NOTEBOOKS_DIR', kind: 'folder' },
        { name: 'NOTEBOOK_UID', kind: 'host-uid' },
      ],
      studentData: ['NOTEBOOKS_DIR', 'pgdata'],
    },
    volumes: { pgdata: { key: 'pgdata', dockerName: 'c_pgdata', external: false, labels: {} } },
  },
);
const vars = { NOTEBOOKS_DIR: notebooks, NOTEBOOK_UID: '1234' };

describe('terminalUser', () => {
  it("runs the student's folder service as the student's uid, starting in that folder", () => {
    expect(terminalUser(spec, 'notebook', vars)).toEqual({
      user: '1234',
      workingDir: '/home/student/notebooks',
      runsAs: 'uid 1234, the owner of your notebooks folder',
    });
  });

  it("keeps the spec's user: and the image's user elsewhere", () => {
    expect(terminalUser(spec, 'worker', vars)).toMatchObject({ user: '999' });
    expect(terminalUser(spec, 'postgres', vars)).toEqual({ runsAs: "the image's user" });
  });

  it('runs as root only when asked', () => {
    expect(terminalUser(spec, 'notebook', vars, { asRoot: true })).toEqual({ user: '0', runsAs: 'root' });
  });

  it('without a declared student uid, the image decides', () => {
    expect(terminalUser(spec, 'notebook', { NOTEBOOKS_DIR: notebooks })).toEqual({ runsAs: "the image's user" });
    expect(() => terminalUser(spec, 'nope', vars)).toThrow(/No service/);
  });
});

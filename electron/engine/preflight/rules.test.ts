import { describe, expect, it } from 'vitest';
import {
  bindFindings,
  diskFindings,
  evaluatePreflight,
  findingText,
  folderAllows,
  modeString,
  portFindings,
  type BindFact,
} from './rules.js';

const notebooks: Omit<BindFact, 'path'> = {
  service: 'notebook',
  serviceTitle: 'Jupyter Notebook',
  source: '/home/ann/Coursedock/tm351/notebooks',
  target: '/home/student/notebooks',
  readOnly: false,
  folderVariable: { name: 'NOTEBOOKS_DIR' },
  runsAs: { uid: 1000, gid: 1000 },
};

describe('folderAllows', () => {
  const folder = { uid: 1000, gid: 1000, mode: 0o750 };
  it('uses the owner bits for the owner, group bits for the group, other bits otherwise', () => {
    expect(folderAllows(folder, { uid: 1000, gid: 1000 }, false)).toBe(true);
    expect(folderAllows(folder, { uid: 2000, gid: 1000 }, false)).toBe(false); // r-x only
    expect(folderAllows(folder, { uid: 2000, gid: 1000 }, true)).toBe(true);
    expect(folderAllows(folder, { uid: 2000, gid: 2000 }, true)).toBe(false);
  });
  it('root may do anything; mode 000 stops even the owner', () => {
    expect(folderAllows({ uid: 5, gid: 5, mode: 0 }, { uid: 0, gid: 0 }, false)).toBe(true);
    expect(folderAllows({ uid: 1000, gid: 1000, mode: 0 }, { uid: 1000, gid: 1000 }, true)).toBe(false);
  });
  it('needs x to enter and w to create', () => {
    expect(folderAllows({ uid: 1, gid: 1, mode: 0o600 }, { uid: 1, gid: 1 }, false)).toBe(false);
    expect(folderAllows({ uid: 1, gid: 1, mode: 0o500 }, { uid: 1, gid: 1 }, false)).toBe(false);
  });
  it('modeString reads like ls', () => {
    expect(modeString(0o750)).toBe('rwxr-x---');
    expect(modeString(0)).toBe('---------');
  });
});

describe('bind mounts', () => {
  it('a notebooks path that is a file: an error naming the path and the fix, nothing touched', () => {
    const [f, ...rest] = bindFindings({ ...notebooks, path: { kind: 'file' } });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ level: 'error', check: 'folder-is-file', service: 'notebook', subject: notebooks.source });
    expect(f!.message).toBe(
      'Your folder for Jupyter Notebook (/home/ann/Coursedock/tm351/notebooks) is a file, so Jupyter Notebook cannot use it. Nothing was created or removed.',
    );
    expect(f!.fix).toBe(
      'Move or rename /home/ann/Coursedock/tm351/notebooks (it may hold your work), or choose another folder in Settings (or set NOTEBOOKS_DIR), then start again.',
    );
  });

  it('a folder to be made under a file, or where the student may not write', () => {
    const under = bindFindings({ ...notebooks, path: { kind: 'missing', ancestor: '/home/ann/Coursedock', ancestorKind: 'file', ancestorWritable: false } });
    expect(under[0]).toMatchObject({ level: 'error', check: 'folder-cannot-be-made' });
    expect(under[0]!.message).toContain('/home/ann/Coursedock is a file');
    const denied = bindFindings({ ...notebooks, path: { kind: 'missing', ancestor: '/srv', ancestorKind: 'folder', ancestorWritable: false } });
    expect(denied[0]!.message).toContain('you may not create folders in /srv');
    expect(bindFindings({ ...notebooks, path: { kind: 'missing', ancestor: '/home/ann', ancestorKind: 'folder', ancestorWritable: true } })).toEqual([]);
  });

  it('a folder the service user cannot read and write: owner, mode and the command that fixes it', () => {
    const [mine] = bindFindings({ ...notebooks, path: { kind: 'folder', uid: 1000, gid: 1000, mode: 0 } });
    expect(mine).toMatchObject({ level: 'error', check: 'folder-not-usable' });
    expect(mine!.message).toContain('runs as user id 1000, and the folder (owner 1000, group 1000, permissions ---------) does not let that user read and write it');
    expect(mine!.fix).toMatch(/^Run: chmod u\+rwx \/home\/ann\/Coursedock\/tm351\/notebooks, or choose another folder/);
    const [roots] = bindFindings({ ...notebooks, path: { kind: 'folder', uid: 0, gid: 0, mode: 0o755 } });
    expect(roots!.fix).toContain('sudo chown -R 1000 /home/ann/Coursedock/tm351/notebooks && chmod u+rwx');
  });

  it('no finding for a usable folder, or when the service user is not known', () => {
    expect(bindFindings({ ...notebooks, path: { kind: 'folder', uid: 1000, gid: 1000, mode: 0o755 } })).toEqual([]);
    const { runsAs: _unknown, ...noUser } = notebooks;
    expect(bindFindings({ ...noUser, path: { kind: 'folder', uid: 0, gid: 0, mode: 0o700 } })).toEqual([]);
  });

  it('a read-only mount needs r-x only; a path with spaces is quoted in the fix', () => {
    const ro = { ...notebooks, readOnly: true, source: "/home/ann/my notes", folderVariable: undefined } as BindFact;
    expect(bindFindings({ ...ro, path: { kind: 'folder', uid: 0, gid: 0, mode: 0o755 } })).toEqual([]);
    const [f] = bindFindings({ ...ro, path: { kind: 'folder', uid: 0, gid: 0, mode: 0o750 } });
    expect(f!.message).toContain('The folder /home/ann/my notes (/home/student/notebooks in Jupyter Notebook)');
    expect(f!.fix).toContain("chmod u+rx '/home/ann/my notes'");
  });
});

describe('disk and ports', () => {
  it('less than 1 GiB free is a warning with the numbers and the fix', () => {
    const gib = 1024 ** 3;
    expect(diskFindings({ path: '/var/lib/docker', what: "Docker's data", freeBytes: gib, totalBytes: 100 * gib })).toEqual([]);
    const [f] = diskFindings({ path: '/var/lib/docker', what: "Docker's data", freeBytes: 300 * 1024 ** 2, totalBytes: 100 * gib });
    expect(f).toMatchObject({ level: 'warning', check: 'disk-nearly-full', subject: '/var/lib/docker' });
    expect(findingText(f!)).toBe(
      "The disk holding Docker's data (/var/lib/docker) is nearly full: 300 MB free of 100.0 GB; at least 1.0 GB is needed to work safely. Free some space: delete files you no longer need, empty the trash, or remove unused Docker images (docker image prune).",
    );
  });

  it('a port held by our own container is fine; another program or environment is named with the fix', () => {
    const base = { service: 'postgres', serviceTitle: 'PostgreSQL', hostIp: '127.0.0.1', port: 5432 };
    expect(portFindings({ ...base, holder: { kind: 'free' } })).toEqual([]);
    expect(portFindings({ ...base, holder: { kind: 'ours' } })).toEqual([]);
    const [program] = portFindings({ ...base, holder: { kind: 'program' } });
    expect(program).toMatchObject({ level: 'warning', check: 'port-taken', subject: '127.0.0.1:5432' });
    expect(program!.message).toContain('is taken by another program on this computer (not Coursedock)');
    expect(program!.fix).toContain("ss -ltnp 'sport = :5432'");
    const [other] = portFindings({ ...base, holder: { kind: 'container', name: 'x-postgres-1', project: 'x', service: 'postgres' } });
    expect(other!.message).toContain('the Docker container x-postgres-1 (environment x, service postgres)');
    expect(other!.fix).toContain('coursedock down x');
  });

  it('errors come first', () => {
    const findings = evaluatePreflight({
      binds: [{ ...notebooks, path: { kind: 'file' } }],
      disks: [{ path: '/', what: 'x', freeBytes: 0, totalBytes: 1 }],
      ports: [{ service: 'postgres', serviceTitle: 'PostgreSQL', hostIp: '127.0.0.1', port: 1, holder: { kind: 'program' } }],
    });
    expect(findings.map((f) => f.level)).toEqual(['error', 'warning', 'warning']);
  });
});

// Seeding the starter notebooks, on plain folders (no Docker): first start copies, nothing is
// ever overwritten, the marker keeps a deleted starter deleted, a starter added later arrives.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/index.js';
import type { CourseSpec } from '../spec/types.js';
import { MARKER_FILE, readSeedMarker, seedBeforeStart, seedStarterNotebooks, starterFolder } from './starter-notebooks.js';

let root: string;
let spec: CourseSpec;
let folder: string;
let source: string;

const SPEC = `x-coursedock:
  title: Seeding test
  starter-notebooks: {source: starters, service: notebook, target: /home/student/notebooks}
services:
  notebook:
    image: nb
    volumes: ["\${NB}:/home/student/notebooks"]
  db:
    image: db
`;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-seed-'));
  source = path.join(root, 'spec', 'starters');
  mkdirSync(path.join(source, 'data'), { recursive: true });
  writeFileSync(path.join(source, '01-a.ipynb'), '{"a": 1}\n');
  writeFileSync(path.join(source, '02-b.ipynb'), '{"b": 2}\n');
  writeFileSync(path.join(source, 'data', 'points.csv'), 'x,y\n1,2\n');
  writeFileSync(path.join(source, '.hidden'), 'not a starter');
  writeFileSync(path.join(root, 'spec', 'compose.yml'), SPEC);
  folder = path.join(root, 'home', 'notebooks'); // does not exist yet, like a first start
  spec = loadSpec(path.join(root, 'spec', 'compose.yml'), { env: { NB: folder } });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const read = (rel: string) => readFileSync(path.join(folder, rel), 'utf8');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('starter notebooks', () => {
  it('finds the destination through the bind mount', () => {
    expect(starterFolder(spec)).toBe(folder);
  });

  it('first start: copies every starter (not hidden files) and records them with hashes', async () => {
    const r = await seedStarterNotebooks(spec, new Date('2024-01-02T03:04:05Z'));
    expect(r).toEqual({ folder, copied: ['01-a.ipynb', '02-b.ipynb', 'data/points.csv'], kept: [], alreadySeeded: false });
    expect(read('01-a.ipynb')).toBe('{"a": 1}\n');
    expect(read('data/points.csv')).toBe('x,y\n1,2\n');
    expect(existsSync(path.join(folder, '.hidden'))).toBe(false);
    expect(readSeedMarker(folder)).toEqual({
      version: 1,
      course: 'Seeding test',
      project: 'spec',
      firstSeededAt: '2024-01-02T03:04:05.000Z',
      updatedAt: '2024-01-02T03:04:05.000Z',
      files: [
        { path: '01-a.ipynb', copied: true, sha256: sha('{"a": 1}\n') },
        { path: '02-b.ipynb', copied: true, sha256: sha('{"b": 2}\n') },
        { path: 'data/points.csv', copied: true, sha256: sha('x,y\n1,2\n') },
      ],
    });
  });

  it("never overwrites a student's file of the same name", async () => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, '01-a.ipynb'), 'my own work');
    const r = await seedStarterNotebooks(spec);
    expect(r?.copied).toEqual(['02-b.ipynb', 'data/points.csv']);
    expect(r?.kept).toEqual(['01-a.ipynb']);
    expect(read('01-a.ipynb')).toBe('my own work');
    expect(readSeedMarker(folder)?.files[0]).toEqual({ path: '01-a.ipynb', copied: false, reason: 'a file of that name was already there' });
  });

  it('second start: copies nothing, an edited starter stays edited, a deleted one stays deleted', async () => {
    await seedStarterNotebooks(spec, new Date('2024-01-01T00:00:00Z'));
    const marker = readFileSync(path.join(folder, MARKER_FILE), 'utf8');
    writeFileSync(path.join(folder, '01-a.ipynb'), 'edited');
    unlinkSync(path.join(folder, '02-b.ipynb'));
    const again = await seedStarterNotebooks(spec, new Date('2024-02-01T00:00:00Z'));
    expect(again).toEqual({ folder, copied: [], kept: [], alreadySeeded: true });
    expect(read('01-a.ipynb')).toBe('edited');
    expect(existsSync(path.join(folder, '02-b.ipynb'))).toBe(false);
    expect(readFileSync(path.join(folder, MARKER_FILE), 'utf8')).toBe(marker);
  });

  it('a starter the course adds later is copied at the next start', async () => {
    await seedStarterNotebooks(spec, new Date('2024-01-01T00:00:00Z'));
    writeFileSync(path.join(source, '03-c.ipynb'), '{"c": 3}\n');
    const r = await seedStarterNotebooks(spec, new Date('2024-03-01T00:00:00Z'));
    expect(r?.copied).toEqual(['03-c.ipynb']);
    const marker = readSeedMarker(folder)!;
    expect(marker.files.map((f) => f.path)).toEqual(['01-a.ipynb', '02-b.ipynb', 'data/points.csv', '03-c.ipynb']);
    expect(marker.firstSeededAt).toBe('2024-01-01T00:00:00.000Z');
    expect(marker.updatedAt).toBe('2024-03-01T00:00:00.000Z');
  });

  it('deleting the marker brings back the missing starters, still over nothing', async () => {
    await seedStarterNotebooks(spec);
    unlinkSync(path.join(folder, '02-b.ipynb'));
    writeFileSync(path.join(folder, '01-a.ipynb'), 'edited');
    unlinkSync(path.join(folder, MARKER_FILE));
    const r = await seedStarterNotebooks(spec);
    expect(r?.copied).toEqual(['02-b.ipynb']);
    expect(r?.kept).toEqual(['01-a.ipynb', 'data/points.csv']);
    expect(read('01-a.ipynb')).toBe('edited');
  });

  it('an unreadable marker counts as seeded: nothing is copied', async () => {
    mkdirSync(path.join(folder, '.coursedock'), { recursive: true });
    writeFileSync(path.join(folder, MARKER_FILE), 'not json');
    expect(await seedStarterNotebooks(spec)).toEqual({ folder, copied: [], kept: [], alreadySeeded: true });
    expect(existsSync(path.join(folder, '01-a.ipynb'))).toBe(false);
  });

  it('copies of read-only resources are writable by the student', async () => {
    chmodSync(path.join(source, '01-a.ipynb'), 0o444);
    await seedStarterNotebooks(spec);
    expect(statSync(path.join(folder, '01-a.ipynb')).mode & 0o777).toBe(0o644);
  });

  it("the engine's hook: only for the starters' service, with a notice, and never throwing", async () => {
    expect(await seedBeforeStart(spec, 'db')).toBeUndefined();
    expect(existsSync(folder)).toBe(false);
    expect(await seedBeforeStart(spec, 'notebook')).toEqual({
      level: 'info',
      message: `Copied the starter notebooks 01-a.ipynb, 02-b.ipynb, data/points.csv into ${folder}.`,
    });
    expect(await seedBeforeStart(spec, 'notebook')).toBeUndefined();

    // A folder that cannot be made (a file is in the way): a warning, the start goes on.
    const blocked = loadSpec(path.join(root, 'spec', 'compose.yml'), { env: { NB: path.join(folder, '01-a.ipynb', 'sub') } });
    const notice = await seedBeforeStart(blocked, 'notebook');
    expect(notice?.level).toBe('warning');
    expect(notice?.message).toMatch(/^Could not copy the starter notebooks: .*(ENOTDIR|EEXIST)/);
  });

  it('a spec without starters: nothing to do', async () => {
    const plain = loadSpec(path.join(root, 'spec', 'compose.yml'), {
      env: { NB: folder },
      text: SPEC.replace(/ {2}starter-notebooks:.*\n/, ''),
    });
    expect(await seedStarterNotebooks(plain)).toBeUndefined();
    expect(await seedBeforeStart(plain, 'notebook')).toBeUndefined();
  });
});

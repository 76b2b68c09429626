import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManifestError, parseManifest, parseManifestText, readManifest, serializeManifest } from './manifest.js';
import { courseReferenceFile, listSnapshots, saveSnapshot, snapshotFile, snapshotFileName } from './store.js';
import { sampleManifest } from './test-manifest.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cd-manifest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return err as ManifestError;
  }
  throw new Error('expected a ManifestError');
}

describe('reading manifests', () => {
  it('reads back what it writes', () => {
    const m = sampleManifest();
    const file = write('ok.json', serializeManifest(m));
    expect(readManifest(file)).toEqual(m);
  });

  it('writes package maps sorted, for clean diffs', () => {
    const m = sampleManifest({ packages: { debian: { zz: '1', aa: '2' }, python: {}, npm: {} } });
    expect(serializeManifest(m).indexOf('"aa"')).toBeLessThan(serializeManifest(m).indexOf('"zz"'));
  });

  it('corrupted JSON: says it is not valid JSON, where, and names the file', () => {
    const text = serializeManifest(sampleManifest());
    const file = write('truncated.json', text.slice(0, text.length / 2));
    const e = errorOf(() => readManifest(file));
    expect(e.message).toContain(file);
    expect(e.reason).toMatch(/not valid JSON/);
    expect(e.reason).toMatch(/truncated or corrupted/);
  });

  it('an empty file says so', () => {
    expect(errorOf(() => readManifest(write('empty.json', ''))).reason).toMatch(/the file is empty/);
  });

  it('foreign JSON: says it is not a snapshot and what it looks like', () => {
    const pkg = errorOf(() => readManifest(write('package.json', JSON.stringify({ name: 'x', version: '1.0.0', dependencies: {} }))));
    expect(pkg.reason).toMatch(/not a Coursedock snapshot/);
    expect(pkg.reason).toMatch(/package\.json/);
    expect(pkg.reason).toMatch(/top-level keys are name, version, dependencies/);
    const nb = errorOf(() => parseManifest({ cells: [], nbformat: 4, metadata: {} }, 'analysis.ipynb'));
    expect(nb.message).toMatch(/^analysis\.ipynb: not a Coursedock snapshot.*Jupyter notebook/);
    expect(errorOf(() => parseManifest([1, 2], 'list.json')).reason).toMatch(/holds an array/);
    expect(errorOf(() => parseManifest('hello', 'str.json')).reason).toMatch(/holds a string/);
    expect(errorOf(() => parseManifest({ format: 'other-tool' }, 'o.json')).reason).toMatch(/it says "other-tool"/);
  });

  it('wrong version: newer says to update, others say unsupported', () => {
    const newer = errorOf(() => parseManifest({ ...sampleManifest(), version: 2 }, 'new.json'));
    expect(newer.reason).toMatch(/version 2 was written by a newer Coursedock; this one reads version 1/);
    expect(errorOf(() => parseManifest({ ...sampleManifest(), version: 0 }, 'old.json')).reason).toMatch(/unsupported snapshot format version 0/);
    const { version: _, ...noVersion } = sampleManifest();
    expect(errorOf(() => parseManifest(noVersion, 'nov.json')).reason).toMatch(/unsupported snapshot format version missing/);
  });

  it('damaged fields: names the paths that are wrong', () => {
    const m = sampleManifest() as unknown as Record<string, unknown>;
    const bad = { ...m, createdAt: 'yesterday', packages: { debian: { bash: 5 }, python: {}, npm: {} } };
    const e = errorOf(() => parseManifest(bad, 'bad.json'));
    expect(e.reason).toMatch(/damaged/);
    expect(e.reason).toContain('createdAt');
    expect(e.reason).toContain('packages.debian.bash');
    expect(errorOf(() => parseManifest({ ...m, extra: true }, 'x.json')).reason).toMatch(/extra/);
  });

  it('a missing file or a folder says so', () => {
    expect(errorOf(() => readManifest(path.join(tmp, 'nope.json'))).reason).toBe('no such file.');
    expect(errorOf(() => readManifest(tmp)).reason).toMatch(/folder/);
  });

  it('parseManifestText works on text directly', () => {
    expect(parseManifestText(serializeManifest(sampleManifest()), 'mem').name).toBe('sample');
  });
});

describe('the snapshots folder', () => {
  const root = path.join(tmp, 'snapshots');

  it('names files by time and name, safely', () => {
    expect(snapshotFileName({ createdAt: '2026-11-25T10:15:30.123Z', name: 'before week 3 / lab' })).toBe('20261125-101530-before-week-3-lab.json');
    expect(snapshotFileName({ createdAt: '2026-11-25T10:15:30Z', name: '../..' })).toBe('20261125-101530-snapshot.json');
  });

  it('saves, never overwrites, and lists newest first with broken files apart', () => {
    const a = saveSnapshot(sampleManifest({ name: 'first', createdAt: '2026-11-25T10:00:00.000Z' }), root);
    const b = saveSnapshot(sampleManifest({ name: 'first', createdAt: '2026-11-25T10:00:00.000Z' }), root);
    const c = saveSnapshot(sampleManifest({ name: 'second', createdAt: '2026-11-26T10:00:00.000Z' }), root);
    expect(a.id).toBe('20261125-100000-first.json');
    expect(b.id).toBe('20261125-100000-first-2.json');
    expect(a.file).toBe(path.join(root, 'tm351', 'notebook', a.id));
    expect(a.counts).toEqual({ debian: 5, python: 4, npm: 0 });
    writeFileSync(path.join(root, 'tm351', 'notebook', 'garbage.json'), '{oops');
    mkdirSync(path.join(root, 'tm351', 'postgres'), { recursive: true });
    const { snapshots, broken } = listSnapshots('tm351', undefined, root);
    expect(snapshots.map((s) => s.id)).toEqual([c.id, b.id, a.id]);
    expect(broken).toHaveLength(1);
    expect(broken[0]!.problem).toMatch(/not valid JSON/);
    expect(listSnapshots('other', 'notebook', root)).toEqual({ snapshots: [], broken: [] });
  });

  it('refuses ids that are paths', () => {
    expect(() => snapshotFile('tm351', 'notebook', '../../etc/passwd', root)).toThrow(/not a snapshot id/);
    expect(() => snapshotFile('tm351', 'notebook', 'x/y.json', root)).toThrow(/not a snapshot id/);
    expect(snapshotFile('tm351', 'notebook', 'a.json', root)).toBe(path.join(root, 'tm351', 'notebook', 'a.json'));
  });

  it('finds the course reference next to the spec', () => {
    expect(courseReferenceFile('/specs/tm351/compose.yml', 'notebook')).toBe('/specs/tm351/baselines/notebook.json');
  });
});

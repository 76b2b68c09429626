import { describe, expect, it } from 'vitest';
import { containerConfig } from '../plan/container-config.js';
import { serviceFixture, specFixture } from '../testing/spec-fixture.js';
import type { CourseSpec } from '../spec/types.js';
import {
  type DataLocations,
  adoptObservedLocations,
  answerDataLocation,
  emptyDataLocations,
  reconcileDataLocations,
  rememberDataLocations,
  studentDataMounts,
} from './data-location.js';

function course(notebooks: string, pgVolume = 'c_pgdata', studentData = ['NOTEBOOKS_DIR', 'pgdata']): { spec: CourseSpec; variables: Record<string, string> } {
  const notebook = serviceFixture('notebook', {
    meta: { title: 'Jupyter Notebook' },
    mounts: [
      { type: 'bind', source: notebooks, target: '/home/student/notebooks', readOnly: false, createHostPath: true },
      { type: 'bind', source: '/specs/c/config', target: '/etc/nb', readOnly: true, createHostPath: false },
    ],
  });
  const postgres = serviceFixture('postgres', {
    meta: { title: 'PostgreSQL' },
    mounts: [{ type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false }],
  });
  const spec = specFixture([notebook, postgres], {
    meta: { title: 'C', variables: [{ name: 'NOTEBOOKS_DIR', kind: 'folder' }], studentData },
    volumes: { pgdata: { key: 'pgdata', dockerName: pgVolume, external: false, labels: {} } },
  });
  return { spec, variables: { NOTEBOOKS_DIR: notebooks } };
}

describe('student data locations', () => {
  it('finds the mounts the spec names as student data (or every writable one when it names none)', () => {
    const a = course('/a');
    expect(studentDataMounts(a.spec, a.variables).map((m) => [m.service.name, m.location, m.variable])).toEqual([
      ['notebook', { kind: 'bind', source: '/a' }, 'NOTEBOOKS_DIR'],
      ['postgres', { kind: 'volume', source: 'c_pgdata' }, undefined],
    ]);
    const b = course('/a', 'c_pgdata', []);
    expect(studentDataMounts(b.spec, b.variables).map((m) => m.mount.target)).toEqual(['/home/student/notebooks', '/var/lib/postgresql/data']);
  });

  it('runs on the remembered folder when a variable now points elsewhere, and asks in words', () => {
    const first = course('/a');
    const memory = rememberDataLocations(emptyDataLocations(), first.spec, first.variables, ['notebook', 'postgres']);
    const second = course('/b');
    const r = reconcileDataLocations(second.spec, second.variables, memory);
    expect(r.spec.services.notebook!.mounts[0]).toMatchObject({ type: 'bind', source: '/a' });
    expect(r.variables.NOTEBOOKS_DIR).toBe('/a');
    expect(r.questions).toEqual([
      expect.objectContaining({
        service: 'notebook',
        current: '/a',
        asked: '/b',
        message: 'Your notebooks folder is /a; this run asked for /b. Keep /a or switch (your files in /a stay there)?',
      }),
    ]);
    // Same container configuration as the first run: nothing is recreated.
    const hash = (s: CourseSpec) => containerConfig(s, s.services.notebook!, []).Labels!['com.docker.compose.config-hash'];
    expect(hash(r.spec)).toBe(hash(first.spec));
  });

  it('keeps a remembered volume too', () => {
    const first = course('/a');
    const memory = rememberDataLocations(emptyDataLocations(), first.spec, first.variables, ['postgres']);
    const r = reconcileDataLocations(course('/a', 'other_pgdata').spec, { NOTEBOOKS_DIR: '/a' }, memory);
    expect(r.spec.volumes.pgdata!.dockerName).toBe('c_pgdata');
    expect(r.questions.map((q) => q.message)).toEqual([
      'PostgreSQL keeps your data in volume c_pgdata; this run asked for volume other_pgdata. Keep c_pgdata or switch (your data in c_pgdata stays there)?',
    ]);
  });

  it('remembers only what is not remembered yet, and only for the services brought up', () => {
    const first = course('/a');
    let memory = rememberDataLocations(emptyDataLocations(), first.spec, first.variables, ['notebook']);
    expect(Object.keys(memory.services)).toEqual(['notebook']);
    const second = course('/b');
    memory = rememberDataLocations(memory, second.spec, second.variables, ['notebook']);
    expect(memory.services.notebook!['/home/student/notebooks']!.source).toBe('/a');
  });

  it('keep stops the question for that place; switch moves to it; a new place asks again', () => {
    const first = course('/a');
    const memory = rememberDataLocations(emptyDataLocations(), first.spec, first.variables, ['notebook']);
    const b = course('/b');
    const q = reconcileDataLocations(b.spec, b.variables, memory).questions[0]!;

    const kept = answerDataLocation(memory, q, 'keep');
    const afterKeep = reconcileDataLocations(b.spec, b.variables, kept);
    expect(afterKeep.questions).toEqual([]);
    expect(afterKeep.spec.services.notebook!.mounts[0]).toMatchObject({ source: '/a' });
    const c = course('/c');
    expect(reconcileDataLocations(c.spec, c.variables, kept).questions.map((x) => x.asked)).toEqual(['/c']);

    const switched = answerDataLocation(memory, q, 'switch');
    const afterSwitch = reconcileDataLocations(b.spec, b.variables, switched);
    expect(afterSwitch.questions).toEqual([]);
    expect(afterSwitch.spec.services.notebook!.mounts[0]).toMatchObject({ source: '/b' });
  });

  it('ignores malformed or prototype entries in the record read from disk', () => {
    const first = course('/a');
    const fromDisk = JSON.parse('{"services":{"__proto__":{"x":{"kind":"bind","source":"/evil"}},"notebook":{"/home/student/notebooks":{"kind":"bind"}}}}') as DataLocations;
    const memory = rememberDataLocations(fromDisk, first.spec, first.variables, ['notebook']);
    expect(memory.services.notebook!['/home/student/notebooks']).toEqual({ kind: 'bind', source: '/a' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('adopts the place an existing container uses when nothing is remembered (made before places were remembered)', () => {
    const b = course('/b');
    const observed = { notebook: { '/home/student/notebooks': { kind: 'bind' as const, source: '/a' }, '/etc/nb': { kind: 'bind' as const, source: '/x' } } };
    const memory = adoptObservedLocations(emptyDataLocations(), b.spec, b.variables, observed);
    expect(memory.services).toEqual({ notebook: { '/home/student/notebooks': { kind: 'bind', source: '/a' } } });
    expect(reconcileDataLocations(b.spec, b.variables, memory).questions.map((q) => [q.current, q.asked])).toEqual([['/a', '/b']]);
    // What is remembered wins over what is seen.
    const remembered = rememberDataLocations(emptyDataLocations(), course('/r').spec, { NOTEBOOKS_DIR: '/r' }, ['notebook']);
    expect(adoptObservedLocations(remembered, b.spec, b.variables, observed).services.notebook!['/home/student/notebooks']!.source).toBe('/r');
  });
});

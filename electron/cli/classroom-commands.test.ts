import { describe, expect, it } from 'vitest';
import { classroomMain, classroomTable } from './classroom-commands.js';
import type { StudentStatus } from '../engine/classroom/types.js';

const rows: StudentStatus[] = [
  {
    student: { id: 'ann', name: 'Ann Archer' },
    namespace: 'tm351-ann',
    state: 'running',
    ready: true,
    lastActivity: '2026-01-01T10:00:00.000Z',
    services: [{ service: 'notebook', state: 'running', health: 'healthy', cpuPercent: 1.5, memoryBytes: 150 * 1024 * 1024 }],
  },
  {
    student: { id: 'bob', name: 'Bob' },
    namespace: 'tm351-bob',
    state: 'starting',
    ready: false,
    services: [{ service: 'postgres', state: 'starting', health: 'starting', message: 'no suitable node (insufficient resources on 1 node)' }],
  },
];

describe('classroom CLI', () => {
  it('prints one aligned line per student service, with CPU and memory when asked', () => {
    expect(classroomTable(rows).split('\n')).toEqual([
      'STUDENT  NAME        SERVICE   STATE     HEALTH    LAST ACTIVITY             NOTE',
      'ann      Ann Archer  notebook  running   healthy   2026-01-01T10:00:00.000Z',
      'bob      Bob         postgres  starting  starting                            no suitable node (insufficient resources on 1 node)',
    ]);
    expect(classroomTable(rows, true).split('\n')[1]).toContain('1.5%  150 MiB');
  });

  it('says what is missing before touching Docker', async () => {
    expect(await classroomMain([])).toBe(2);
    expect(await classroomMain(['up'])).toBe(2);
    expect(await classroomMain(['up', 'tm351', '--concurrency', '0'])).toBe(1);
  });
});

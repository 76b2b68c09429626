import { describe, expect, it } from 'vitest';
import { decideRecovery, recoveredMessage, recoveringMessage } from './decide-recovery.js';
import type { JournalEntry, JournalStep } from './journal-entry.js';

const entry = (kind: JournalEntry['kind'], step: JournalStep, over: Partial<JournalEntry> = {}): JournalEntry => ({
  version: 1,
  kind,
  project: 'p',
  service: 'postgres',
  step,
  startedAt: 1,
  updatedAt: new Date(2026, 0, 5, 16, 2).getTime(),
  by: { pid: 1, host: 'h', processKind: 'cli' },
  oldContainers: ['old'],
  volumes: kind === 'reset' ? ['p_pgdata'] : [],
  ...over,
});
const volumes = new Set(['p_pgdata']);

describe('decideRecovery: reinstall', () => {
  it('cut short before the new image was ready: old container removed, image fetched again', () => {
    const plan = decideRecovery(entry('reinstall', 'intent'), { containers: ['old'], volumes });
    expect(plan).toMatchObject({ outcome: 'complete', removeContainers: ['old'], deleteVolumes: [], bringUp: { refreshImage: true } });
  });

  it('image ready, old container still there (stopped): it goes, never to be started again', () => {
    const plan = decideRecovery(entry('reinstall', 'image-ready'), { containers: ['old'], volumes });
    expect(plan).toMatchObject({ removeContainers: ['old'], bringUp: { refreshImage: false } });
  });

  it('old removed, new not made yet: the new one is made from the image', () => {
    const plan = decideRecovery(entry('reinstall', 'old-removed'), { containers: [], volumes });
    expect(plan).toMatchObject({ removeContainers: [], bringUp: { refreshImage: false } });
  });

  it('new container made (recorded or not): kept and started, image not fetched again', () => {
    expect(decideRecovery(entry('reinstall', 'created'), { containers: ['new'], volumes })).toMatchObject({
      removeContainers: [],
      bringUp: { refreshImage: false },
    });
    // Docker made it, the journal had not recorded it yet.
    expect(decideRecovery(entry('reinstall', 'intent'), { containers: ['new'], volumes }).bringUp).toEqual({ refreshImage: false });
  });

  it('never deletes volumes', () => {
    for (const step of ['intent', 'image-ready', 'old-removed', 'created'] as const) {
      const plan = decideRecovery(entry('reinstall', step), { containers: ['old'], volumes });
      expect(plan.deleteVolumes).toEqual([]);
      expect(plan.recreateVolumes).toBe(false);
    }
  });
});

describe('decideRecovery: reset', () => {
  it('before any deletion: cancelled, nothing removed; brought back only if its container is gone', () => {
    expect(decideRecovery(entry('reset', 'intent'), { containers: ['old'], volumes })).toEqual({
      outcome: 'roll-back',
      removeContainers: [],
      deleteVolumes: [],
      recreateVolumes: false,
      nextStep: 'intent',
    });
    expect(decideRecovery(entry('reset', 'intent'), { containers: [], volumes })).toMatchObject({ outcome: 'roll-back', bringUp: { refreshImage: false } });
  });

  it('while deleting: every container goes, the deletion is finished, volumes made afresh', () => {
    const plan = decideRecovery(entry('reset', 'deleting-data'), { containers: ['old'], volumes });
    expect(plan).toEqual({
      outcome: 'complete',
      removeContainers: ['old'],
      deleteVolumes: ['p_pgdata'],
      recreateVolumes: true,
      bringUp: { refreshImage: true },
      nextStep: 'data-deleted',
    });
    // A volume already deleted is not deleted again.
    expect(decideRecovery(entry('reset', 'deleting-data'), { containers: [], volumes: new Set() }).deleteVolumes).toEqual([]);
  });

  it('after the deletion: nothing deleted again; the service is brought up', () => {
    for (const step of ['data-deleted', 'image-ready', 'old-removed', 'created'] as const) {
      const plan = decideRecovery(entry('reset', step), { containers: step === 'created' ? ['new'] : [], volumes });
      expect(plan.deleteVolumes).toEqual([]);
      expect(plan.outcome).toBe('complete');
      expect(plan.bringUp).toBeDefined();
    }
  });
});

describe('recovery messages', () => {
  it('say what was interrupted, when, and how it ended', () => {
    const e = entry('reinstall', 'image-ready');
    const plan = decideRecovery(e, { containers: ['old'], volumes });
    expect(recoveringMessage(e, plan, 'PostgreSQL')).toBe('A reinstall of PostgreSQL was interrupted at 16:02; finishing it now…');
    expect(recoveredMessage(e, plan, 'PostgreSQL')).toBe('A reinstall of PostgreSQL was interrupted at 16:02; it has been completed.');
    expect(recoveredMessage(e, plan, 'PostgreSQL', 'no image')).toMatch(/finishing it failed: no image\. Its old container was removed/);
    const r = entry('reset', 'intent');
    expect(recoveredMessage(r, decideRecovery(r, { containers: ['old'], volumes }), 'PostgreSQL')).toBe(
      'A reset of PostgreSQL was interrupted at 16:02 before any data was deleted; it was cancelled and your data is as it was.',
    );
  });
});

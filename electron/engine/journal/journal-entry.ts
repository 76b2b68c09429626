// What the operation journal records about one multi-step operation on one service, written
// to the settings folder before Docker is touched and updated at each step, so an operation
// cut short (the app killed, the computer switched off, Docker gone) can be finished or undone
// on the next start instead of silently lost.

export type JournalKind = 'reinstall' | 'reset';

/**
 * Steps in the order they happen. A reinstall goes intent → image-ready → old-removed →
 * created; a reset goes intent → deleting-data → data-deleted → image-ready → old-removed →
 * created. The entry is removed once the new container has started.
 */
export const JOURNAL_STEPS = ['intent', 'deleting-data', 'data-deleted', 'image-ready', 'old-removed', 'created'] as const;
export type JournalStep = (typeof JOURNAL_STEPS)[number];

export const stepIndex = (step: JournalStep): number => JOURNAL_STEPS.indexOf(step);

export interface JournalEntry {
  version: 1;
  kind: JournalKind;
  project: string;
  service: string;
  step: JournalStep;
  startedAt: number;
  /** When the last step was recorded: "interrupted at 16:02". */
  updatedAt: number;
  /** The process that ran it. */
  by: { pid: number; host: string; processKind: string };
  /** The service's containers when the operation began: none of them may run again. */
  oldContainers: string[];
  /** Reset: the Docker names of the volumes it deletes. */
  volumes: string[];
  /** Set when a process took over finishing it (another process then leaves it alone). */
  recovering?: { pid: number; host: string; since: number };
}

// What to do about an operation the journal says was cut short: a pure function from the
// journal entry and what Docker has now to the steps that finish it (or undo it), and the words
// that tell the student. Rules:
// - A reinstall is always finished: the old container must never run again (so Start cannot
//   revive it), then the service is brought up from the new image (fetched again if the
//   interruption came before it was ready).
// - A reset that had not begun deleting data is cancelled: the data is as it was, the service
//   is brought back if its container was already gone. Once deleting began there is no way
//   back: the deletion is finished, the volumes made afresh, and the service brought up.
import { stepIndex, type JournalEntry, type JournalStep } from './journal-entry.js';

export interface ActualForRecovery {
  /** Containers of the entry's service now (ids). */
  containers: string[];
  /** Docker names of the volumes that exist now. */
  volumes: Set<string>;
}

export interface RecoveryPlan {
  outcome: 'complete' | 'roll-back';
  /** Done at once, under the project lock, before anything else may touch the service. */
  removeContainers: string[];
  deleteVolumes: string[];
  /** Make the service's named volumes again (empty) after deleting them. */
  recreateVolumes: boolean;
  /** Then, in the service's queue: bring it up (fetching or building the image again if asked). */
  bringUp?: { refreshImage: boolean };
  /** The step the entry records once the steps done at once are done. */
  nextStep: JournalStep;
}

export function decideRecovery(entry: JournalEntry, actual: ActualForRecovery): RecoveryPlan {
  const old = new Set(entry.oldContainers);
  const oldPresent = actual.containers.filter((id) => old.has(id));
  const freshPresent = actual.containers.filter((id) => !old.has(id));
  const at = stepIndex(entry.step);
  const imageReady = at >= stepIndex('image-ready');

  if (entry.kind === 'reinstall') {
    return {
      outcome: 'complete',
      removeContainers: oldPresent,
      deleteVolumes: [],
      recreateVolumes: false,
      bringUp: { refreshImage: !imageReady && freshPresent.length === 0 },
      nextStep: entry.step,
    };
  }

  // reset
  if (at < stepIndex('deleting-data')) {
    return {
      outcome: 'roll-back',
      removeContainers: [],
      deleteVolumes: [],
      recreateVolumes: false,
      ...(actual.containers.length === 0 ? { bringUp: { refreshImage: false } } : {}),
      nextStep: entry.step,
    };
  }
  if (entry.step === 'deleting-data') {
    return {
      outcome: 'complete',
      // Any container of the service holds the volumes: all go before the deletion is finished.
      removeContainers: actual.containers,
      deleteVolumes: entry.volumes.filter((v) => actual.volumes.has(v)),
      recreateVolumes: true,
      bringUp: { refreshImage: true },
      nextStep: 'data-deleted',
    };
  }
  return {
    outcome: 'complete',
    removeContainers: oldPresent,
    deleteVolumes: [],
    recreateVolumes: true,
    bringUp: { refreshImage: !imageReady && freshPresent.length === 0 },
    nextStep: entry.step,
  };
}

const clock = (ms: number): string => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/** "A reinstall of PostgreSQL was interrupted at 16:02" */
export const interruptedWords = (entry: JournalEntry, title: string): string =>
  `A ${entry.kind} of ${title} was interrupted at ${clock(entry.updatedAt)}`;

/** Said when recovery begins. */
export function recoveringMessage(entry: JournalEntry, plan: RecoveryPlan, title: string): string {
  if (plan.outcome === 'roll-back') return `${interruptedWords(entry, title)} before any data was deleted; cancelling it…`;
  return `${interruptedWords(entry, title)}; finishing it now…`;
}

/** Said when recovery ends; `error` when bringing the service up failed. */
export function recoveredMessage(entry: JournalEntry, plan: RecoveryPlan, title: string, error?: string): string {
  const head = interruptedWords(entry, title);
  if (plan.outcome === 'roll-back') {
    const back = error ? ` Starting ${title} again failed: ${error}` : '';
    return `${head} before any data was deleted; it was cancelled and your data is as it was.${back}`;
  }
  if (error) {
    const old = entry.kind === 'reinstall' ? ' Its old container was removed, so Start makes a fresh one.' : '';
    return `${head}; finishing it failed: ${error}.${old}`;
  }
  return entry.kind === 'reset'
    ? `${head}; it has been completed (its data was deleted and made afresh).`
    : `${head}; it has been completed.`;
}

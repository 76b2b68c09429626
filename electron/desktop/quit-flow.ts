// On quit: stop the course environment, or leave it running? Asked once per quit while
// something runs, unless the student ticked "Remember my choice" (kept in settings under
// `desktop.onQuit`, shared file, so it can be changed by deleting it). Pure apart from the
// injected dialog, so the decision table is unit-tested.
import type { SettingsStore } from '../engine/settings/settings-store.js';

export const ON_QUIT_KEY = 'desktop.onQuit';
export type QuitChoice = 'stop' | 'keep';
export type QuitAnswer = QuitChoice | 'cancel';

export interface QuitQuestion {
  /** Shows the question; resolves with the button chosen and whether to remember it. */
  ask(): Promise<{ answer: QuitAnswer; remember: boolean }>;
}

export interface QuitFlowDeps {
  store: SettingsStore;
  anyRunning: () => boolean;
  question: QuitQuestion;
  stopAll: () => Promise<unknown>;
  /** How long stopping may hold up quitting before the app goes anyway. */
  stopTimeoutMs?: number;
  log?: (message: string) => void;
}

export function rememberedChoice(store: SettingsStore): QuitChoice | undefined {
  const v = store.get(ON_QUIT_KEY);
  return v === 'stop' || v === 'keep' ? v : undefined;
}

/** The buttons of the question, in order (the index is what Electron's dialog returns). */
export const QUIT_BUTTONS: ReadonlyArray<{ label: string; answer: QuitAnswer }> = [
  { label: 'Stop services and quit', answer: 'stop' },
  { label: 'Leave them running', answer: 'keep' },
  { label: 'Cancel', answer: 'cancel' },
];

export const quitDialogText = {
  title: 'Quit Coursedock',
  message: 'Stop the course services before quitting?',
  detail:
    'Your work is kept either way. Left running, the notebook and databases stay available (and keep using memory) until you stop them or restart the computer.',
  checkboxLabel: 'Remember my choice',
};

/**
 * Decides what quitting does. Resolves 'cancel' when the student changed their mind; else
 * the environment has been stopped (or left running) and the app may exit.
 */
export async function runQuitFlow(deps: QuitFlowDeps): Promise<QuitAnswer> {
  if (!deps.anyRunning()) return 'keep';
  let choice: QuitAnswer | undefined = rememberedChoice(deps.store);
  if (!choice) {
    const { answer, remember } = await deps.question.ask();
    if (answer === 'cancel') return 'cancel';
    if (remember) deps.store.set(ON_QUIT_KEY, answer);
    choice = answer;
  }
  if (choice === 'stop') {
    const timeout = deps.stopTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeout)));
    try {
      const outcome = await Promise.race([deps.stopAll().then(() => 'done' as const), late]);
      if (outcome === 'late') deps.log?.(`Stopping the services took over ${Math.round(timeout / 1000)} s: quitting anyway (Docker finishes stopping them).`);
    } catch (err) {
      deps.log?.(`Stopping the services failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return choice;
}

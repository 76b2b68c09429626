// How long the panel waits for the answer to a call before saying so. The browser shell drops
// messages to a panel with more than 32 MiB unread (serve/ws-binding.ts), so an answer can be
// lost; without a limit the call, and whatever waits on it in the panel, would wait forever.
// Operations that fetch or build images and wait for services get an hour (the engine's own
// limits are shorter); every other call answers in seconds and gets a minute.
import type { MethodName } from '../../../electron/api/contract.js';

export const QUICK_CALL_MS = 60_000;
export const OPERATION_CALL_MS = 60 * 60_000;

const OPERATIONS: ReadonlySet<MethodName> = new Set<MethodName>([
  'env.up',
  'env.down',
  'env.check',
  'env.fix',
  'env.profiles',
  'env.supportBundle',
  'onboarding.start',
  'service.start',
  'service.stop',
  'service.restart',
  'service.reinstall',
  'service.reset',
  'service.confirmDataLocation',
  'snapshot.capture',
  'snapshot.drift',
  'snapshot.reference',
  'snapshot.recreate',
  // A changed notebooks folder re-opens the environment after its queued operations.
  'settings.set',
]);

/** The longest wait for the answer to `method`. */
export function callTimeoutMs(method: string): number {
  return OPERATIONS.has(method as MethodName) ? OPERATION_CALL_MS : QUICK_CALL_MS;
}

/** "1 minute", "60 minutes", "30 seconds": for the words of a call that timed out. */
export function waitWords(ms: number): string {
  if (ms >= 60_000) {
    const m = Math.round(ms / 60_000);
    return `${m} minute${m === 1 ? '' : 's'}`;
  }
  const s = Math.max(1, Math.round(ms / 1000));
  return `${s} second${s === 1 ? '' : 's'}`;
}

// What an operation is, in the words another process shows while it waits for it:
// "reinstall of PostgreSQL", "start of the course".
import type { OperationKind } from '../state/service-state.js';

const NOUNS: Record<OperationKind, string> = {
  up: 'start',
  start: 'start',
  stop: 'stop',
  restart: 'restart',
  reinstall: 'reinstall',
  reset: 'reset',
  down: 'shutdown',
};

export function activityWords(kind: OperationKind, services: string[] | undefined, title: (service: string) => string): string {
  const what = services?.length ? services.map(title).join(', ') : 'the course';
  return `${NOUNS[kind]} of ${what}`;
}

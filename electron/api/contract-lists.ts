// The contract's lists a UI needs at run time — the event names and the error codes — in one
// module without zod, so the panel can bundle them and nobody copies them by hand. Both lists
// are checked against the contract's types at compile time (a new event or code missing here,
// or one here the contract does not have, does not type-check). Only types come from contract.ts.
import type { Events } from './contract.js';

const events = {
  'docker.status': true,
  'env.state': true,
  'env.notice': true,
  'logs.lines': true,
  'logs.end': true,
  'terminal.data': true,
  'terminal.exit': true,
  'courses.installProgress': true,
  'backup.progress': true,
} satisfies Record<keyof Events, true>;

/** Every event the engine pushes, in the contract's order. */
export const eventNames = Object.keys(events) as ReadonlyArray<keyof Events>;

/** What an ApiError's `code` can be; a UI picks a screen by it (e.g. Docker unreachable). */
export const apiErrorCodes = ['invalid-input', 'unknown-method', 'docker-unreachable', 'spec-error', 'failed'] as const;

export type ApiErrorCode = (typeof apiErrorCodes)[number];

export const isApiErrorCode = (value: unknown): value is ApiErrorCode => (apiErrorCodes as readonly unknown[]).includes(value);

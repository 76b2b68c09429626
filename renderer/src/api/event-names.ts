// The contract's event names, checked against it at compile time (the contract module itself is
// not bundled: it carries zod schemas the panel does not need).
import type { EventName } from '../../../electron/api/contract.js';

const all = {
  'docker.status': true,
  'env.state': true,
  'env.notice': true,
  'logs.lines': true,
  'logs.end': true,
  'terminal.data': true,
  'terminal.exit': true,
} satisfies Record<EventName, true>;

export const eventNames = Object.keys(all) as EventName[];

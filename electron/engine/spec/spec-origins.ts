// Where a normalized value was written. Ports and mounts lose their list index once the ones
// with errors are left out; checks that compare them across services (cross-checks.ts) still
// need to name the line. A side table, so the types the planner hashes stay as they are.
import type { KeyPath } from './locate.js';

const origins = new WeakMap<object, KeyPath>();

export function noteOrigin<T extends object>(value: T, path: KeyPath): T {
  origins.set(value, path);
  return value;
}

export function originOf(value: object): KeyPath | undefined {
  return origins.get(value);
}

// Names a course spec chooses (project, services, volumes, variables) become keys of
// JavaScript objects all the way to the panel: in the settings file, in state maps, in
// `name in spec.services` lookups. Object.prototype's own names (`__proto__`, `constructor`,
// `toString`, …) and `prototype` would find what every object already has — or, for
// `__proto__`, reach Object.prototype itself — so they are refused with a message, and the
// spec's own maps keyed by those names are made without a prototype.

const RESERVED: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export function isReservedName(name: string): boolean {
  return RESERVED.has(name);
}

/** The message for a spec that uses one: what it is, and what to do. */
export function reservedNameMessage(kind: string, name: string): string {
  return `"${name}" cannot be ${kind}: it is a name every JavaScript object already has (reserved in Coursedock); choose another`;
}

/** A map from names to values that has no prototype: `'constructor' in it` is false until set. */
export function nullRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

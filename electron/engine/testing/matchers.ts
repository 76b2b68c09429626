// Vitest's asymmetric matchers (`expect.stringMatching` and friends) are typed `any`, so every
// object a test builds around one is `any` too and the type checker stops looking. These wrappers
// return `unknown` — what a matcher is to the code around it — and keep the checks on.
import { expect } from 'vitest';

/** A string matching `pattern` (`expect.stringMatching`). */
export const stringMatching = (pattern: string | RegExp): unknown => expect.stringMatching(pattern);

/** A string containing `text` (`expect.stringContaining`). */
export const stringContaining = (text: string): unknown => expect.stringContaining(text);

/** Any value made by `constructor`, e.g. `String` or `Number` (`expect.any`). */
export const anyInstanceOf = (constructor: unknown): unknown => expect.any(constructor);

/** An array holding at least `items` (`expect.arrayContaining`). */
export const arrayContaining = (items: unknown[]): unknown => expect.arrayContaining(items);

/** An object holding at least the properties of `shape` (`expect.objectContaining`). */
export const objectContaining = (shape: Record<string, unknown>): unknown => expect.objectContaining(shape);

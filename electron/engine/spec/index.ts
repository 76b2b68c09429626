// Public API of the course-spec loader.
export { loadSpec, type LoadSpecOptions } from './load-spec.js';
export { readDeclaredVariables } from './read-variables.js';
export { SpecError, formatProblem } from './spec-error.js';
export { interpolate, type InterpolationResult, type Lookup } from './interpolate.js';
export type * from './types.js';

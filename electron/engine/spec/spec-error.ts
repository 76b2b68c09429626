import type { SpecProblem } from './types.js';

/** `file:line:column: path: message` — the form editors and terminals turn into links. */
export function formatProblem(problem: SpecProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

/** Thrown by the loader with every problem it found, so an author can fix them in one go. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  readonly problems: SpecProblem[];

  constructor(problems: SpecProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.problems = problems;
  }
}

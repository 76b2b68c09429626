import { SpecError } from './spec-error.js';
import { formatPath, type Anchor, type KeyPath, type Locator } from './locate.js';
import type { SpecProblem } from './types.js';

/** What the normalizers use to complain; locations are resolved from the key path. */
export interface Reporter {
  error(path: KeyPath, message: string, anchor?: Anchor): void;
  warn(path: KeyPath, message: string, anchor?: Anchor): void;
  /** Errors already said about `path`: later errors at it or inside it are consequences, not news. */
  settle?(path: KeyPath): void;
}

export class ProblemCollector implements Reporter {
  readonly errors: SpecProblem[] = [];
  readonly warnings: SpecProblem[] = [];
  private readonly seen = new Set<string>();
  private readonly settled = new Set<string>();
  private readonly locator: Locator;

  constructor(locator: Locator) {
    this.locator = locator;
  }

  error(path: KeyPath, message: string, anchor?: Anchor): void {
    for (let length = path.length; length > 0 && this.settled.size > 0; length--) {
      if (this.settled.has(formatPath(path.slice(0, length)))) return;
    }
    this.add(this.errors, { ...this.locator.locate(path, anchor), message });
  }

  settle(path: KeyPath): void {
    this.settled.add(formatPath(path));
  }

  warn(path: KeyPath, message: string, anchor?: Anchor): void {
    // Said per key: three services sharing an anchored `extra_hosts` each ignore it, and the
    // panel lists each (an error, once fixed at its line, is fixed for all: said once).
    this.add(this.warnings, { ...this.locator.locate(path, anchor), message }, true);
  }

  /** For problems that already carry a position (YAML syntax errors). */
  addError(problem: SpecProblem): void {
    this.add(this.errors, problem);
  }

  addWarning(problem: SpecProblem): void {
    this.add(this.warnings, problem);
  }

  throwIfErrors(): void {
    if (this.errors.length > 0) this.fail();
  }

  /** Stops loading: throws the problems found so far (call after reporting at least one). */
  fail(): never {
    throw new SpecError(sortProblems(this.errors));
  }

  private add(list: SpecProblem[], problem: SpecProblem, perPath = false): void {
    // An anchored value reached through several aliases would otherwise repeat its problem.
    const id = `${problem.line}:${problem.column}:${problem.message}${perPath ? `:${problem.path}` : ''}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    list.push(problem);
  }
}

export function sortProblems(problems: SpecProblem[]): SpecProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

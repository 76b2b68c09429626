// Pre-flight checks before services start (up, start, restart, reinstall, reset): host problems
// the engine would otherwise meet halfway, as raw errors (`EEXIST: file already exists, mkdir`)
// or as a service that starts but cannot work, are said first in words with their fix.
// gather.ts reads this computer, rules.ts decides; this module is the gate Environment calls:
// warnings are passed on, errors stop the operation before anything is created or removed.
import type Dockerode from 'dockerode';
import type { CourseSpec } from '../spec/types.js';
import { gatherPreflightFacts, type GatherOptions } from './gather.js';
import { evaluatePreflight, findingText, type PreflightFinding } from './rules.js';

export { evaluatePreflight, findingText } from './rules.js';
export type { PreflightFinding } from './rules.js';

/** The operation was refused before it touched anything; `findings` are the errors. */
export class PreflightError extends Error {
  constructor(
    readonly findings: PreflightFinding[],
    private readonly titles: Record<string, string> = {},
  ) {
    super(findings.map(findingText).join(' '));
    this.name = 'PreflightError';
  }

  /** The words for one service: its own problems, or why it was not started along with them. */
  forService(service: string): Error {
    const own = this.findings.filter((f) => f.service === service);
    if (own.length) return new Error(own.map(findingText).join(' '));
    const title = this.titles[service] ?? service;
    return new Error(`${title} was not started: the pre-flight check found a problem. ${this.message}`);
  }
}

/** For an operation's per-service failure: pre-flight errors in that service's words. */
export function preflightErrorFor(err: unknown, service: string): unknown {
  return err instanceof PreflightError ? err.forService(service) : err;
}

/**
 * Checks the services about to start; reports each warning through `warn` and throws a
 * PreflightError when something must be fixed first.
 */
export async function preflightGate(
  docker: Dockerode | undefined,
  spec: CourseSpec,
  services: string[],
  options: GatherOptions & { warn: (finding: PreflightFinding) => void },
): Promise<void> {
  const findings = evaluatePreflight(await gatherPreflightFacts(docker, spec, services, options));
  for (const f of findings) if (f.level === 'warning') options.warn(f);
  const errors = findings.filter((f) => f.level === 'error');
  if (errors.length) {
    const titles = Object.fromEntries(Object.values(spec.services).map((s) => [s.name, s.meta.title]));
    throw new PreflightError(errors, titles);
  }
}

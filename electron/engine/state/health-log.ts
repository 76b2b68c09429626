// Why a container is unhealthy, in words. Docker keeps the output of the last few health probes
// in the container's state (State.Health.Log); a course's probes print one sentence saying what
// is wrong (e.g. "The notebook server cannot list your notebooks folder …"). This reads the
// last failing probe's message so the state can show it, instead of a bare "unhealthy".

/** Docker's State.Health, as inspect returns it (the fields we read). */
export interface DockerHealth {
  Status?: string;
  FailingStreak?: number;
  Log?: Array<{ Start?: string; End?: string; ExitCode?: number; Output?: string }> | null;
}

const MAX_LENGTH = 500;

/**
 * The message of the last failing probe, cleaned up (one paragraph, at most 500 characters),
 * or undefined when no probe failed or the failing one printed nothing useful.
 */
export function lastHealthFailure(health: DockerHealth | undefined): string | undefined {
  const log = health?.Log ?? [];
  for (const entry of [...log].reverse()) {
    if (entry.ExitCode === 0) continue;
    return describeProbeOutput(entry.Output, entry.ExitCode);
  }
  return undefined;
}

function describeProbeOutput(output: string | undefined, exitCode: number | undefined): string | undefined {
  const text = (output ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  // Docker's own words when the probe itself could not finish.
  const timeout = /^Health check exceeded timeout \(([^)]+)\)/i.exec(text);
  if (timeout) return `The health check did not answer within ${timeout[1]}.`;
  if (!text) return exitCode === undefined ? undefined : `The health check failed (exit code ${exitCode}) without saying why.`;
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

/** The sentence a service's state shows while it is unhealthy. */
export function unhealthyReason(failure: string | undefined): string {
  return failure ? `Not healthy: ${failure}` : 'Not healthy: its health check fails.';
}

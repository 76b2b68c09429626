// While a service starts: run its own healthcheck (after its web UI answers, for a web UI)
// until it passes, then say so. This is the one loop with a timer in the engine, and it is
// bounded on purpose: it runs only between a container's start and its first verdict (the
// caller aborts it as soon as the container is ready, stops, or Docker gives a verdict of its
// own), because Docker's health status cannot be pushed sooner (API 1.41 has no
// start_interval) and a server's readiness is not an event Docker reports. A probe is run when
// the container prints something (servers say "ready" in their output) or after a short,
// growing delay (probeDelayMs), whichever comes first; never two at once.
import type Dockerode from 'dockerode';
import { execHealthcheck } from './exec-probe.js';
import { httpAnswers } from './http-probe.js';
import { execVerdict, probeDelayMs, type ReadinessPlan } from './rules.js';

export interface StartProbeInput {
  docker: Dockerode;
  containerId: string;
  plan: ReadinessPlan;
  /** The host port the web UI is published on now (plan.web), if any. */
  webHostPort?: () => number | undefined;
  signal: AbortSignal;
  /** Told once the first probe has given its answer (a fresh process waits for it, once). */
  onFirstAnswer?: () => void;
  /** Stop probing after this long: by then Docker's own checks have decided (probeWindowMs). */
  windowMs: number;
}

/** Least time between two probes, however chatty the container's output. */
const MIN_GAP_MS = 50;

/**
 * Resolves 'passed' once the healthcheck passes, 'fallback' when exec is impossible or the
 * window is over (Docker's own status decides then), 'aborted' when the caller stopped waiting.
 */
export async function probeUntilReady(input: StartProbeInput): Promise<'passed' | 'fallback' | 'aborted'> {
  const { docker, containerId, plan, signal } = input;
  if (!plan.exec) return 'fallback';
  const output = await followOutput(docker, containerId, signal);
  const deadline = Date.now() + input.windowMs;
  // A call, not the field: the signal may be aborted while an await is pending, which a check of
  // `signal.aborted` made before it would hide from the compiler.
  const stopped = () => signal.aborted;
  try {
    for (let attempt = 0; !stopped() && Date.now() < deadline; attempt++) {
      const port = plan.web ? input.webHostPort?.() : undefined;
      const listening = port === undefined || !plan.web ? true : await httpAnswers(port, plan.web.path);
      if (stopped()) break;
      if (listening) {
        const verdict = execVerdict(await execHealthcheck(docker, containerId, plan.exec, plan.execTimeoutMs));
        if (verdict !== 'not-yet') return verdict;
      }
      input.onFirstAnswer?.();
      await output.next(probeDelayMs(attempt));
    }
    return signal.aborted ? 'aborted' : 'fallback';
  } finally {
    input.onFirstAnswer?.();
    output.stop();
  }
}

export interface OutputTrigger {
  /** Resolves after `delayMs`, or sooner when the container prints something (or on abort). */
  next(delayMs: number): Promise<void>;
  stop(): void;
}

/**
 * Wakes a probe loop on new container output (the container's log stream, from now on), at
 * most once per `minGapMs` however chatty the output.
 */
export async function followOutput(docker: Dockerode, containerId: string, signal: AbortSignal, minGapMs = MIN_GAP_MS): Promise<OutputTrigger> {
  let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  let wake: (() => void) | undefined;
  let printed = false;
  try {
    stream = await docker.getContainer(containerId).logs({ follow: true, stdout: true, stderr: true, tail: 0 });
    stream.on('data', () => {
      printed = true;
      wake?.();
    });
    stream.on('error', () => undefined);
  } catch {
    // No output stream (e.g. a log driver that cannot be read): the delays alone drive the probes.
  }
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  return {
    next: async (delayMs) => {
      await new Promise<void>((resolve) => setTimeout(resolve, minGapMs));
      if (printed || signal.aborted) {
        printed = false;
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, delayMs - minGapMs));
        function done(): void {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
      printed = false;
    },
    stop: () => {
      signal.removeEventListener('abort', onAbort);
      stream?.destroy?.();
    },
  };
}

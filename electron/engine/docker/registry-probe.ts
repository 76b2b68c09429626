// Whether an image could be downloaded now, without downloading it: Docker's distribution
// endpoint (`GET /distribution/<ref>/json`) asks the image's registry for its manifest only.
// Used when an environment opens, so a service whose image cannot be had here is said to be
// not available before anyone presses Start (availability/), instead of after a failed pull.
import type Dockerode from 'dockerode';
import { describeError } from './connect.js';

export type PullProbe = { ok: true } | { ok: false; error: string };

/** Asks the registry about `ref`; gives up after `timeoutMs` (a registry that hangs is no answer). */
export function probePull(docker: Dockerode, ref: string, timeoutMs = 15_000): Promise<PullProbe> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, error: `the image registry did not answer within ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
    docker.modem.dial(
      {
        path: `/distribution/${ref}/json`,
        method: 'GET',
        statusCodes: { 200: true, 401: 'unauthorized', 403: 'forbidden', 404: 'no such image', 500: 'server error' },
      },
      (err: unknown) => {
        clearTimeout(timer);
        resolve(err ? { ok: false, error: describeError(err) } : { ok: true });
      },
    );
  });
}

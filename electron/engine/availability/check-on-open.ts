// When an environment opens: each service whose image is not here, has no build context and
// cannot be downloaded is marked *Not available*, with the reason and when it was last tried,
// before anyone presses Start. A failure remembered from an earlier run (pull-failures.ts) is
// shown at once while the registry is asked again in the background; with nothing remembered
// the registry is asked before the state is read (a quick manifest request, no download).
import type Dockerode from 'dockerode';
import { imageId } from '../docker/images.js';
import { probePull } from '../docker/registry-probe.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { CourseSpec } from '../spec/types.js';
import { availabilityWithoutRegistry, cannotBeHadReason, notAvailableText } from './image-availability.js';
import { forgetPullFailure, lastPullFailure, rememberPullFailure } from './pull-failures.js';

export interface AvailabilityTarget {
  /** Marks the service not available with words, or (undefined) available again. */
  mark(service: string, reason: string | undefined): void;
}

export interface CheckOptions {
  /** Longest wait for a registry's answer. */
  registryTimeoutMs?: number;
  now?: () => Date;
}

/** Checks every service; resolves once each is decided (remembered failures: once shown). */
export async function checkImagesOnOpen(
  docker: Dockerode,
  spec: CourseSpec,
  store: SettingsStore,
  target: AvailabilityTarget,
  options: CheckOptions = {},
): Promise<void> {
  const now = options.now ?? (() => new Date());
  await Promise.all(
    Object.values(spec.services).map(async (svc) => {
      const present = (await imageId(docker, svc.image)) !== undefined;
      const verdict = availabilityWithoutRegistry(svc, present);
      if (verdict.kind === 'available') return;
      if (verdict.kind === 'unavailable') { target.mark(svc.name, verdict.reason); return; }
      const ask = async () => {
        const answer = await probePull(docker, svc.image, options.registryTimeoutMs);
        if (answer.ok) {
          forgetPullFailure(store, spec.project, svc.name);
          target.mark(svc.name, undefined); return;
        }
        const failure = { image: svc.image, at: now().toISOString(), reason: cannotBeHadReason(svc.image, answer.error) };
        rememberPullFailure(store, spec.project, svc.name, failure);
        target.mark(svc.name, notAvailableText(failure));
      };
      const remembered = lastPullFailure(store, spec.project, svc.name, svc.image);
      if (!remembered) return ask();
      target.mark(svc.name, notAvailableText(remembered));
      void ask().catch(() => undefined);
    }),
  );
}

// Every missing image fetched or built (what the setup script runs before the first start),
// without creating containers: the image half of each service's step, in its queue. An image
// that cannot be had is reported, not fatal.
import type Dockerode from 'dockerode';
import { readActualState } from '../docker/containers.js';
import { ensureImage } from '../docker/images.js';
import { describeError } from '../describe-error.js';
import type { OperationResult, ServiceOutcome } from '../environment.js';
import { planService } from '../plan/plan-service.js';
import type { ExecutorHost } from './plan-executor.js';

export async function prepareImages(host: ExecutorHost, docker: Dockerode): Promise<OperationResult> {
  const actual = await readActualState(docker, host.spec);
  const outcomes = await Promise.all(
    Object.values(host.spec.services).map(async (svc): Promise<ServiceOutcome> => {
      const step = planService(host.spec, actual, svc.name, []).image;
      if (step === 'present') return { service: svc.name, ok: true };
      try {
        await host.operate(svc.name, 'up', async () => {
          host.phase(svc.name, 'up', step === 'build' ? 'building the image' : 'downloading the image', step === 'build' ? 'building' : 'pulling');
          let building = step === 'build';
          const { warning } = await ensureImage(docker, svc, step, (p) => {
            // A failed download falls back to a build: say building, not downloading.
            if (p.kind === 'build' && !building) {
              building = true;
              host.phase(svc.name, 'up', 'building the image', 'building');
            }
            host.tracker.setProgress(svc.name, p);
          });
          if (warning) host.notice('warning', warning, svc.name);
        });
        return { service: svc.name, ok: true };
      } catch (err) {
        return { service: svc.name, ok: false, error: describeError(err) };
      }
    }),
  );
  return { ok: outcomes.every((o) => o.ok), services: outcomes };
}

// Planning one service just before its turn in its queue, against the state of that moment.
import type { CourseSpec } from '../spec/types.js';
import type { ActualState } from './actual.js';
import { containerConfig } from './container-config.js';
import { LABEL } from './labels.js';
import { builtImageStale, decideContainer, decideImage, STALE_BUILD_REASON, type ContainerStep, type ServiceStep } from './decisions.js';
import type { ResolvedPort } from './resolved-port.js';

export function planService(
  spec: CourseSpec,
  actual: ActualState,
  name: string,
  ports: ResolvedPort[],
  options: { force?: boolean; refreshImage?: boolean } = {},
): ServiceStep {
  const svc = spec.services[name];
  if (!svc) throw new Error(`unknown service "${name}"`);
  const config = containerConfig(spec, svc, ports);
  const hash = config.Labels?.[LABEL.configHash] ?? '';
  const mine = actual.containers.filter((c) => !c.oneoff && c.service === name);
  // Prefer an up-to-date container, then a running one, then the first made.
  const rank = (c: (typeof mine)[number]): number =>
    (c.configHash === hash ? 0 : 2) + (c.state === 'running' ? 0 : 1);
  const keep = [...mine].sort((a, b) => rank(a) - rank(b) || a.number - b.number)[0];
  const imageId = actual.images[svc.image];
  const refresh = options.refreshImage ?? false;
  const stale = builtImageStale(svc, actual.imageBuilds?.[svc.image], actual.contextHashes?.[name]);
  const image = decideImage(svc, imageId !== undefined, refresh, stale);
  return {
    service: name,
    image,
    ...(stale && !refresh && image === 'build' ? { imageReason: STALE_BUILD_REASON } : {}),
    container: staleContainer(decideContainer(keep, config, imageId, options.force ?? false), stale && image === 'build'),
    removeDuplicates: mine.filter((c) => c !== keep).map((c) => c.id),
    waitFor: Object.entries(svc.dependsOn).map(([service, condition]) => ({ service, condition })),
    config,
  };
}

/** A container of an image about to be rebuilt will be recreated (re-decided after the build). */
function staleContainer(step: ContainerStep, rebuilding: boolean): ContainerStep {
  if (!rebuilding || (step.kind !== 'keep' && step.kind !== 'start')) return step;
  return { kind: 'recreate', containerId: step.containerId, reason: 'image rebuilt' };
}

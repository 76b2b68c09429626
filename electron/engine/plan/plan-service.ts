// Planning one service just before its turn in its queue, against the state of that moment.
import type { CourseSpec } from '../spec/types.js';
import type { ActualState } from './actual.js';
import { containerConfig } from './container-config.js';
import { LABEL } from './labels.js';
import { decideContainer, decideImage, type ServiceStep } from './decisions.js';
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
  return {
    service: name,
    image: decideImage(svc, imageId !== undefined, options.refreshImage ?? false),
    container: decideContainer(keep, config, imageId, options.force ?? false),
    removeDuplicates: mine.filter((c) => c !== keep).map((c) => c.id),
    waitFor: Object.entries(svc.dependsOn).map(([service, condition]) => ({ service, condition })),
    config,
  };
}

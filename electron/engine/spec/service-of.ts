// A service of a loaded spec by the name, for code whose names come from the spec itself or were
// checked against it already (a backup's entries after checkBackup, the services of a plan). A
// name that is not there is a mistake in Coursedock, said in words rather than as a TypeError on
// `undefined` somewhere further on.
import type { CourseSpec, ServiceSpec } from './types.js';

export function serviceOf(spec: Pick<CourseSpec, 'project' | 'services'>, name: string): ServiceSpec {
  const svc = spec.services[name];
  if (!svc) throw new Error(`The environment ${spec.project} has no service "${name}".`);
  return svc;
}

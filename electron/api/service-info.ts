// How one service of a spec is described to the panel (titles, web UI, connection details
// without the password). The laptop session and a classroom student's desk describe their
// services the same way; only which volumes a reset removes and which dependencies count differ.
import type { ServiceSpec } from '../engine/spec/types.js';
import type { EnvironmentInfo } from './contract.js';

type ServiceInfo = EnvironmentInfo['services'][number];

export function serviceInfo(s: ServiceSpec, where: Pick<ServiceInfo, 'resetVolumes' | 'dependsOn'>): ServiceInfo {
  const c = s.meta.connection;
  return {
    name: s.name,
    title: s.meta.title,
    ...(s.meta.description ? { description: s.meta.description } : {}),
    ...(s.meta.icon ? { icon: s.meta.icon } : {}),
    hasWebUi: s.meta.web !== undefined,
    ...(s.meta.web?.announcesReady ? { webAnnouncesReady: true } : {}),
    ...(c
      ? {
          connection: {
            kind: c.kind,
            port: c.port,
            ...(c.user ? { user: c.user } : {}),
            ...(c.database ? { database: c.database } : {}),
            ...(c.envVars ? { envVars: c.envVars } : {}),
            hasPassword: c.password !== undefined,
          },
        }
      : {}),
    ...where,
  };
}

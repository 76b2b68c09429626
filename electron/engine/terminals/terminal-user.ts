// Who a service's terminal runs as. A terminal as root in the notebook container leaves
// root-owned files in the student's notebooks folder on Linux, while the notebook server itself
// runs as the student's uid; so a terminal runs as the user the service runs as: the spec's
// `user:`, else the course's student user (its `host-uid` variable) for a service that mounts
// the student's folder, else the image's own user. Root is a separate, explicit choice.
// Pure: the Environment supplies the spec and the variable values.
import { studentDataMounts } from '../operations/data-location.js';
import type { CourseSpec } from '../spec/types.js';

export interface TerminalUser {
  /** Docker exec `User` (absent: the image's user). */
  user?: string;
  /** Where the shell starts: the student's folder in the container, when it runs as the student. */
  workingDir?: string;
  /** In words, for the panel: "uid 1000, the owner of your notebooks folder". */
  runsAs: string;
}

export function terminalUser(spec: CourseSpec, service: string, variables: Record<string, string>, options: { asRoot?: boolean } = {}): TerminalUser {
  if (options.asRoot) return { user: '0', runsAs: 'root' };
  const svc = Object.hasOwn(spec.services, service) ? spec.services[service] : undefined;
  if (!svc) throw new Error(`No service "${service}".`);
  if (svc.user) return { user: svc.user, runsAs: svc.user === '0' || svc.user === 'root' ? 'root' : `user ${svc.user}, as the service runs` };
  const uid = spec.meta.variables
    .map((v) => (v.kind === 'host-uid' && Object.hasOwn(variables, v.name) ? variables[v.name] : undefined))
    .find((value): value is string => value !== undefined && /^\d+$/.test(value));
  const studentFolder = studentDataMounts(spec, variables).find((m) => m.service.name === service && m.location.kind === 'bind' && m.variable);
  if (uid !== undefined && studentFolder) {
    return {
      user: uid,
      workingDir: studentFolder.mount.target,
      runsAs: uid === '0' ? 'root (your folder belongs to root)' : `uid ${uid}, the owner of your ${/notebook/i.test(studentFolder.variable ?? '') ? 'notebooks folder' : 'folder'}`,
    };
  }
  return { runsAs: "the image's user" };
}

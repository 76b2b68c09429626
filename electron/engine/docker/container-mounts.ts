// Where a project's existing containers keep their mounted data, as Docker reports it: lets the
// engine adopt the place of student data for an environment created before it remembered such
// places (or whose record was lost), instead of following whatever this run's settings say.
import type Dockerode from 'dockerode';
import type { DataLocation } from '../operations/data-location.js';
import { LABEL, projectFilter } from '../plan/labels.js';
import type { ListedContainer } from './api-records.js';

/** service → container path → the bind folder or volume name mounted there. */
export async function mountsInUse(docker: Dockerode, project: string): Promise<Record<string, Record<string, DataLocation>>> {
  const out: Record<string, Record<string, DataLocation>> = {};
  const listed: ListedContainer[] = await docker.listContainers({ all: true, filters: projectFilter(project) });
  for (const c of listed) {
    const service = c.Labels[LABEL.service];
    if (!service || c.Labels[LABEL.oneoff] === 'True' || Object.hasOwn(out, service)) continue;
    const mounts: Record<string, DataLocation> = {};
    for (const m of c.Mounts) {
      if (!m.Destination) continue;
      if (m.Type === 'bind' && m.Source) mounts[m.Destination] = { kind: 'bind', source: m.Source };
      else if (m.Type === 'volume' && m.Name) mounts[m.Destination] = { kind: 'volume', source: m.Name };
    }
    out[service] = mounts;
  }
  return out;
}

// "The container name … is already in use": a container Coursedock did not make (another
// program, an old `docker run --name`, a copy of the course made by hand) holds the name our
// container must have. It is renamed aside — never deleted, its data and state untouched — so
// ours can be created, and both names are reported.
import type Dockerode from 'dockerode';
import { LABEL } from '../plan/labels.js';
import type { InspectedContainer } from '../docker/api-records.js';

export interface MovedAside {
  /** The name it had (ours now). */
  name: string;
  /** Its new name. */
  movedTo: string;
  id: string;
  image: string;
}

/** The new name for a foreign container: its name with a suffix that says why. */
export const asideName = (name: string, stamp: string): string => `${name}-not-coursedock-${stamp}`;

/**
 * Renames the container holding `name` aside when it is not one of the project's own (whose
 * name clash the planner would have handled). Returns undefined when nothing foreign is there.
 */
export async function moveForeignContainerAside(docker: Dockerode, name: string, project: string): Promise<MovedAside | undefined> {
  let info: InspectedContainer;
  try {
    info = await docker.getContainer(name).inspect();
  } catch {
    return undefined;
  }
  const labels = info.Config.Labels ?? {};
  if (labels[LABEL.project] === project) return undefined;
  const movedTo = asideName(name, Date.now().toString(36));
  await docker.getContainer(info.Id).rename({ name: movedTo });
  return { name, movedTo, id: info.Id, image: info.Config.Image };
}

export function movedAsideWords(m: MovedAside, serviceTitle: string): string {
  return `The name ${m.name} was taken by a container Coursedock did not make (image ${m.image}). It was renamed to ${m.movedTo} — kept, not deleted: remove it yourself if you do not need it — and ${serviceTitle}'s container was created as ${m.name}.`;
}

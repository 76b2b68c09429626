// The volumes Docker lists. The engine answers `"Volumes": null` when none match (dockerode types
// it as an array), so every caller needs the same `?? []`: it lives here, with an honest type.
import type Dockerode from 'dockerode';

export async function listVolumes(docker: Dockerode, options?: Dockerode.VolumeListOptions): Promise<Dockerode.VolumeInspectInfo[]> {
  const answer: { Volumes: Dockerode.VolumeInspectInfo[] | null } = await docker.listVolumes(options);
  return answer.Volumes ?? [];
}

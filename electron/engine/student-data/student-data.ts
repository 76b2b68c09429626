// Every place a service keeps student data, as the Overview shows it: named volumes and
// bind-mounted folders the course declares as student data (x-coursedock.student-data; every
// writable one when it declares none), with where they are on this computer and how big they
// are. The student's notebooks folder is the most precious of them, so it is listed like a
// volume, never hidden as "no data volumes". Which mounts count is decided once, in
// operations/data-location.ts (studentDataMounts); this only describes and measures them.
import type Dockerode from 'dockerode';
import { studentDataMounts } from '../operations/data-location.js';
import type { CourseSpec } from '../spec/types.js';
import { volumeSizes } from '../docker/volume-sizes.js';
import { folderSize } from './folder-size.js';

export interface StudentDataPlace {
  /** A folder on this computer (bind mount) or a Docker named volume. */
  kind: 'folder' | 'volume';
  /** Where the service sees it, e.g. /home/student/notebooks. */
  target: string;
  /** Absolute folder path on this computer (folder) or the Docker volume name (volume). */
  location: string;
  /** Bytes held; absent when unknown (not created yet, or Docker did not say). */
  bytes?: number;
  /** The size is a lower bound: the folder has more files than are counted. */
  bytesAtLeast?: boolean;
  /** The folder does not exist yet (made at the service's first start). */
  missing?: boolean;
  /** What Reset does to it, in words. */
  survives: string;
}

/** The places of one service, without sizes: pure. */
export function studentDataPlaces(spec: CourseSpec, variables: Record<string, string>, service: string): StudentDataPlace[] {
  return studentDataMounts(spec, variables)
    .filter((m) => m.service.name === service)
    .map((m) =>
      m.location.kind === 'bind'
        ? { kind: 'folder', target: m.mount.target, location: m.location.source, survives: 'Kept by every action, Reset included: it is your folder.' }
        : { kind: 'volume', target: m.mount.target, location: m.location.source, survives: 'Survives Stop, Restart and Reinstall; only Reset deletes it.' },
    );
}

/** The places with their sizes: folders counted on disk, volumes as Docker counts them. */
export async function measuredPlaces(docker: Dockerode | undefined, places: StudentDataPlace[]): Promise<StudentDataPlace[]> {
  const volumes = places.filter((p) => p.kind === 'volume').map((p) => p.location);
  const sizes = docker && volumes.length ? await volumeSizes(docker, volumes).catch(() => new Map<string, number>()) : new Map<string, number>();
  return Promise.all(
    places.map(async (p) => {
      if (p.kind === 'volume') {
        const bytes = sizes.get(p.location);
        return bytes === undefined ? p : { ...p, bytes };
      }
      const size = await folderSize(p.location);
      if (!size) return { ...p, missing: true };
      return { ...p, bytes: size.bytes, ...(size.truncated ? { bytesAtLeast: true } : {}) };
    }),
  );
}

// "The named volumes of these services" in one place: the volumes `up` makes, the volumes a reset
// deletes and the plan's volumes to create all start from it. External volumes are left out:
// they belong to someone else, so Coursedock neither creates nor deletes them.
import type { CourseSpec, VolumeSpec } from '../spec/types.js';

/** The spec's non-external named volumes the services mount, each once, in mount order. */
export function namedVolumesOf(spec: CourseSpec, services: readonly string[]): VolumeSpec[] {
  const found = new Map<string, VolumeSpec>();
  for (const name of services) {
    for (const m of spec.services[name]?.mounts ?? []) {
      if (m.type !== 'volume' || m.source === undefined) continue;
      const vol = spec.volumes[m.source];
      if (vol && !vol.external && !found.has(vol.key)) found.set(vol.key, vol);
    }
  }
  return [...found.values()];
}

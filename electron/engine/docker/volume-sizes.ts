// How much a named volume holds, as Docker itself counts it (`docker system df -v`): the panel
// shows the size of a student's data without starting a container to measure it. Docker
// reports -1 for a volume it has not measured; that is "unknown" here.
import type Dockerode from 'dockerode';

interface DfVolume {
  Name?: string;
  UsageData?: { Size?: number } | null;
}

/** Volume name → bytes, for the names asked (absent: Docker did not say). */
export async function volumeSizes(docker: Dockerode, names: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!names.length) return out;
  const df = (await docker.df()) as { Volumes?: DfVolume[] | null };
  const wanted = new Set(names);
  for (const v of df.Volumes ?? []) {
    const size = v.UsageData?.Size;
    if (v.Name && wanted.has(v.Name) && typeof size === 'number' && size >= 0) out.set(v.Name, size);
  }
  return out;
}

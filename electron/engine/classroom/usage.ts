// CPU and memory of one running container, for the tutor's table. One non-streaming stats
// call (Docker samples twice, about a second apart, so precpu is filled); a container that is
// gone, or runs on another node of the Swarm, simply has no figures.
import type Dockerode from 'dockerode';

interface StatsSample {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; stats?: { inactive_file?: number; total_inactive_file?: number; cache?: number } };
}

/** CPU % (100 = one core) and memory in use (page cache excluded, as `docker stats` shows it). */
export function usageFromStats(s: StatsSample): { cpuPercent: number; memoryBytes: number } {
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  const cores = s.cpu_stats?.online_cpus ?? 1;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cores * 100 : 0;
  const m = s.memory_stats ?? {};
  const cache = m.stats?.inactive_file ?? m.stats?.total_inactive_file ?? m.stats?.cache ?? 0;
  return { cpuPercent: Math.round(cpuPercent * 10) / 10, memoryBytes: Math.max(0, (m.usage ?? 0) - cache) };
}

export async function readContainerUsage(docker: Dockerode, id: string): Promise<{ cpuPercent: number; memoryBytes: number } | undefined> {
  try {
    const stats = (await docker.getContainer(id).stats({ stream: false })) as StatsSample;
    return usageFromStats(stats);
  } catch {
    return undefined;
  }
}

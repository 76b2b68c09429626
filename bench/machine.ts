// What a running course costs the whole computer, read from Linux itself: /proc/stat (every
// core's busy time), a container's CPU cgroup, a process's /proc/<pid>/stat. For benchmarks;
// the numbers are shares of one core (100 = one core busy the whole time).
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * Busy, stolen and total jiffies of all cores so far. Busy is the machine's own work (user,
 * nice, system, irq, softirq); steal, time a virtual machine's cores waited while its host ran
 * other guests, is counted apart: it is neither this machine's work nor something a laptop has.
 */
function cpuTimes(): { busy: number; steal: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!; // "cpu  user nice system idle iowait irq softirq steal ..."
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = v;
  return { busy: user + nice + system + irq + softirq, steal, total: v.reduce((a, b) => a + b, 0) };
}

export interface MachineSample {
  /** Share of one core the whole machine was busy with its own work, on average over the window. */
  percentOfCore: number;
  /** Share of one core stolen by the host (virtual machines only), not in percentOfCore. */
  stealPercentOfCore: number;
  seconds: number;
}

/** The whole machine's busy time over the next `seconds`, as a share of one core. */
export async function machineBusy(seconds: number): Promise<MachineSample> {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = cpuTimes();
  const cores = (b.total - a.total) / TICKS_PER_SECOND / seconds; // jiffies of all cores per second
  const share = (jiffies: number) => (100 * cores * jiffies) / (b.total - a.total);
  return { percentOfCore: share(b.busy - a.busy), stealPercentOfCore: share(b.steal - a.steal), seconds };
}

/** CPU seconds a container has used so far (cgroup v1 cpuacct or v2 cpu.stat; 0 when unknown). */
export function cgroupCpuSeconds(containerId: string): number {
  const candidates = [
    [`/sys/fs/cgroup/cpuacct/docker/${containerId}/cpuacct.usage`, 1e9],
    [`/sys/fs/cgroup/cpu,cpuacct/docker/${containerId}/cpuacct.usage`, 1e9],
    [`/sys/fs/cgroup/system.slice/docker-${containerId}.scope/cpu.stat`, 1e6],
    [`/sys/fs/cgroup/docker/${containerId}/cpu.stat`, 1e6],
  ] as const;
  for (const [file, unit] of candidates) {
    try {
      const text = readFileSync(file, 'utf8');
      const value = file.endsWith('cpu.stat') ? Number(/usage_usec (\d+)/.exec(text)?.[1]) : Number(text.trim());
      if (Number.isFinite(value)) return value / unit;
    } catch {
      /* not this layout */
    }
  }
  return 0;
}

/** CPU seconds (user + system) used so far by every process whose command name is one of `names`. */
export function processCpuSeconds(names: string[]): number {
  let sum = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!names.includes(comm)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      /* gone meanwhile */
    }
  }
  return sum;
}

/** "1.23 1.10 0.98" (1, 5, 15 minutes). */
export const loadAverage = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

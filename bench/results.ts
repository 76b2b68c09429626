// The benchmark's results as one Markdown page (bench/results/latest.md): the machine, the load
// it was under, and one row per number issue #16 asks for, with its goal and whether it is met.
// The README's benchmark table is copied from this page.

export const PARTS = ['ready', 'reinstall', 'idle', 'machine', 'terminal', 'logs', 'cli'] as const;

export interface Row {
  part: string;
  measure: string;
  coursedock?: number | string;
  /** docker-compose (or `docker logs`), measured in the same run. */
  peer?: number | string;
  /** Coursedock / peer. */
  ratio?: number;
  goal?: string;
  met?: boolean;
  runs?: number;
  /** The 1-minute load average at the part's start → end (or while measured). */
  load?: string;
}

export interface RunInfo {
  date: Date;
  seconds: number;
  machine: string;
  runs: number;
  loadAtStart: string;
  loadAtEnd: string;
}

/** Above this 1-minute load average (per core), the numbers say more about the other work than about us. */
const BUSY_LOAD_PER_CORE = 0.5;

export function cell(v: number | string | boolean | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'yes' : '**no**';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1);
  return v;
}

export function markdownTable(rows: Row[]): string {
  const head = ['measure', 'Coursedock', 'docker-compose', 'ratio', 'goal', 'met', 'load (1 min)'];
  const lines = rows.map((r) => [r.measure, cell(r.coursedock), cell(r.peer), r.ratio === undefined ? '' : `${cell(r.ratio)}×`, cell(r.goal), r.goal ? cell(r.met) : '', cell(r.load)]);
  return [head, head.map(() => '---'), ...lines].map((l) => `| ${l.join(' | ')} |`).join('\n');
}

export function renderResults(rows: Row[], info: RunInfo, cores = 2): string {
  const loads = [info.loadAtStart, info.loadAtEnd, ...rows.map((r) => r.load ?? '')].join(' ').match(/\d+(\.\d+)?/g)?.map(Number) ?? [];
  const busy = Math.max(0, ...loads) > BUSY_LOAD_PER_CORE * cores;
  const goals = rows.filter((r) => r.goal);
  return [
    `# npm run bench — ${info.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${info.machine}. ${info.runs} runs per timing (medians), CLI timings median of their runs; ${info.seconds} s in all.`,
    `Load average (1, 5, 15 min): ${info.loadAtStart} at the start, ${info.loadAtEnd} at the end.`,
    busy
      ? `**Taken on a loaded machine** (1-minute load average above ${BUSY_LOAD_PER_CORE * cores} on ${cores} cores at some point): wall times and the whole-machine CPU mostly measure the other work; ratios measured side by side are the more telling numbers.`
      : 'Taken on a quiet machine.',
    '',
    markdownTable(rows),
    '',
    `Goals met: ${goals.filter((r) => r.met).length} of ${goals.length}. Ratio = Coursedock / peer: below 1 is faster for times, above 1 is better for throughput.`,
    '',
  ].join('\n');
}

// How long loading a course spec takes: the tm351 spec as shipped, and the same spec mutated
// line by line (deleted, duplicated, swapped, re-indented lines, as spec-fuzz.test.ts does),
// which mostly ends in a SpecError with problems. The fuzz test checks only that every outcome
// is clean; the time it takes is judged here, where a number can be read against the machine.
// Run: npx tsx bench/spec-load.bench.ts   (SPEC_RUNS=2000, SPEC_SEED=351). Prints a table.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSpec } from '../electron/engine/spec/load-spec.js';
import { SpecError } from '../electron/engine/spec/spec-error.js';
import { median, now, percentile, REPO, table } from './lib.js';

const RUNS = Number(process.env.SPEC_RUNS ?? 2000);
let seed = Number(process.env.SPEC_SEED ?? 351);
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = (n: number) => Math.floor(random() * n);

const TEXT = readFileSync(path.join(REPO, 'compose-specs/tm351/compose.yml'), 'utf8');
const LINES = TEXT.split('\n');
// Every ${VAR} the spec names, so the unmutated spec loads.
const ENV = Object.fromEntries([...TEXT.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => [m[1]!, m[1] === 'NOTEBOOK_UID' ? '1000' : m[1]!.endsWith('_DIR') ? '/home/student/nb' : 'x']));

function mutated(): string {
  const lines = [...LINES];
  for (let edits = 1 + pick(4); edits > 0 && lines.length; edits--) {
    const at = pick(lines.length);
    const line = lines[at]!;
    switch (pick(4)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, line);
        break;
      case 2: {
        const other = pick(lines.length);
        lines[at] = lines[other]!;
        lines[other] = line;
        break;
      }
      default: {
        const by = pick(9) - 4;
        lines[at] = by >= 0 ? ' '.repeat(by) + line : line.slice(Math.min(-by, line.search(/\S|$/)));
      }
    }
  }
  return lines.join('\n');
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-spec-'));
for (const d of ['notebook', 'postgres', 'starter-notebooks']) mkdirSync(path.join(dir, d));
const file = path.join(dir, 'compose.yml');

function timeLoad(text: string): { ms: number; ok: boolean } {
  const t0 = now();
  let ok = true;
  try {
    loadSpec(file, { env: ENV, text });
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    ok = false;
  }
  return { ms: now() - t0, ok };
}

try {
  for (let i = 0; i < 20; i++) timeLoad(TEXT); // warm-up
  const shipped = Array.from({ length: Math.min(RUNS, 500) }, () => timeLoad(TEXT));
  const fuzzed = Array.from({ length: RUNS }, () => timeLoad(mutated()));
  const row = (what: string, xs: Array<{ ms: number; ok: boolean }>) => {
    const ms = xs.map((x) => x.ms);
    return {
      spec: what,
      runs: xs.length,
      loaded: xs.filter((x) => x.ok).length,
      'median (ms)': median(ms),
      'p95 (ms)': percentile(ms, 95),
      'max (ms)': Math.max(...ms),
    };
  };
  console.log(`\nloadSpec — ${new Date().toISOString()} — ${os.cpus().length} cores, seed ${process.env.SPEC_SEED ?? 351}\n`);
  console.log(table([row('tm351 as shipped', shipped), row('tm351, 1–4 random line edits', fuzzed)]));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Recorded probes (fixtures/*.json): computers of each OS replayed for the unit tests, and for
// the browser shell when COURSEDOCK_ONBOARDING_FIXTURE names one (the e2e screenshots of every
// onboarding screen). A fixture is `{ recorded: "<what computer>", probes: HostProbes }`.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostProbes } from './probes.js';

export const FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface RecordedProbes {
  name: string;
  recorded: string;
  probes: HostProbes;
}

/** A fixture by name (file name without .json) or by path. */
export function loadRecordedProbes(nameOrPath: string): RecordedProbes {
  const file = nameOrPath.includes('/') || nameOrPath.endsWith('.json') ? nameOrPath : path.join(FIXTURES_DIR, `${nameOrPath}.json`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { recorded: string; probes: HostProbes };
  return { name: path.basename(file, '.json'), recorded: data.recorded, probes: data.probes };
}

export function recordedFixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

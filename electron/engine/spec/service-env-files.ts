// A service's `env_file:` (a path, a list of paths, or `{path, required, format}` entries) →
// the variables it gives the container, later files over earlier ones; `environment:` wins over
// all of them (normalize-service.ts). Paths are relative to the spec's folder; a missing file is
// an error unless `required: false` (then skipped, as Compose does).
import fs from 'node:fs';
import path from 'node:path';
import { readDotenv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import type { KeyPath } from './locate.js';
import type { ProblemSink } from './project-env.js';
import type { Reporter } from './report.js';
import { nullRecord } from './reserved-names.js';
import type { EnvFileRaw } from './schema.js';

export function readServiceEnvFiles(
  raw: EnvFileRaw | undefined,
  at: KeyPath,
  dir: string,
  lookup: Lookup,
  report: Reporter,
  sink: ProblemSink | undefined,
): Record<string, string> {
  const out = nullRecord<string>();
  if (raw === undefined || raw === null) return out;
  const entries = typeof raw === 'string' ? [raw] : raw;
  entries.forEach((entry, index) => {
    const where = typeof raw === 'string' ? at : [...at, index];
    const long = typeof entry === 'string' ? { path: entry } : entry;
    if (long.format !== undefined && long.format !== 'raw') {
      report.error([...where, 'format'], `unknown env_file format "${long.format}" (only \`raw\`, or leave it out)`);
      return;
    }
    const file = path.resolve(dir, long.path);
    const parsed = long.format === 'raw' ? readRaw(file) : readDotenv(file, lookup);
    if (!parsed) {
      if (long.required === false) return;
      report.error(where, `env file "${long.path}" does not exist (looked for ${file}); add \`required: false\` if it is optional`);
      return;
    }
    for (const p of parsed.errors) sink?.addError({ file, path: '', ...p });
    for (const p of parsed.warnings) sink?.addWarning({ file, path: '', ...p });
    Object.assign(out, parsed.values);
  });
  return out;
}

/** `format: raw`: every `KEY=value` line taken literally (no quotes, comments or variables). */
function readRaw(file: string): ReturnType<typeof readDotenv> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const values = nullRecord<string>();
  text.split(/\r?\n/).forEach((line) => {
    const eq = line.indexOf('=');
    if (eq > 0 && !line.startsWith('#')) values[line.slice(0, eq).trim()] = line.slice(eq + 1);
  });
  return { values, lines: {}, errors: [], warnings: [] };
}

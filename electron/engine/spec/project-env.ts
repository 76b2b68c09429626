// The variables a Compose file is interpolated with, in Compose's order of precedence: the
// shell's environment (LoadSpecOptions.env, where the engine also puts the values it generates)
// over the env files (`--env-file`, else `.env` in the spec's folder), over the defaults that
// x-coursedock.variables declares. Env-file problems are reported at the env file's own line.
import fs from 'node:fs';
import path from 'node:path';
import { readDotenv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import type { SpecProblem, VariableDecl } from './types.js';

export interface ProblemSink {
  addError(problem: SpecProblem): void;
  addWarning(problem: SpecProblem): void;
}

export interface ProjectEnvironment {
  lookup: Lookup;
  /** The env files that were read (absolute), in order. */
  files: string[];
}

export function projectEnvironment(
  dir: string,
  shell: Record<string, string | undefined>,
  envFiles: readonly string[] | undefined,
  declared: readonly VariableDecl[],
  sink: ProblemSink,
): ProjectEnvironment {
  const fromShell: Lookup = (name) => (Object.hasOwn(shell, name) ? shell[name] : undefined);
  const fromFiles: Record<string, string> = Object.create(null) as Record<string, string>;
  const explicit = envFiles !== undefined && envFiles.length > 0;
  const candidates = explicit ? envFiles.map((f) => path.resolve(dir, f)) : [path.join(dir, '.env')];
  const files: string[] = [];
  for (const file of candidates) {
    if (!explicit && !isFile(file)) continue;
    const parsed = readDotenv(file, (name) => fromShell(name) ?? fromFiles[name]);
    if (!parsed) {
      sink.addError({ file, line: 1, column: 1, path: '', message: `env file ${file} does not exist (given with --env-file)` });
      continue;
    }
    files.push(file);
    for (const p of parsed.errors) sink.addError({ file, path: '', ...p });
    for (const p of parsed.warnings) sink.addWarning({ file, path: '', ...p });
    Object.assign(fromFiles, parsed.values);
  }
  const defaults = new Map(declared.flatMap((v) => (v.default === undefined ? [] : [[v.name, v.default] as const])));
  // hasOwn: a variable named `constructor` must not find Object.prototype's.
  const lookup: Lookup = (name) => fromShell(name) ?? (Object.hasOwn(fromFiles, name) ? fromFiles[name] : undefined) ?? defaults.get(name);
  return { lookup, files };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

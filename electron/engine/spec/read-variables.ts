// The engine needs x-coursedock.variables (what to generate or ask for) before it can supply
// the values that a full load interpolates; this reads just those, uninterpolated.
import path from 'node:path';
import { checkEach, variableRule } from './check-keys.js';
import { normalizeVariables } from './normalize-variables.js';
import { parseYaml } from './parse-yaml.js';
import { readSpecFile } from './read-spec-file.js';
import type { Reporter } from './report.js';
import { isPlainObject, toPlain, type Plain } from './to-plain.js';
import type { VariableDecl } from './types.js';

export function readDeclaredVariables(file: string, text?: string): VariableDecl[] {
  const resolved = path.resolve(file);
  const parsed = parseYaml(resolved, text ?? readSpecFile(resolved));
  parsed.problems.throwIfErrors();
  const plain = toPlain({ doc: parsed.doc, sourceMap: parsed.sourceMap, report: parsed.problems, onlyTopKeys: ['x-coursedock'] });
  parsed.problems.throwIfErrors();
  const variables = declaredVariables(plain, parsed.problems);
  parsed.problems.throwIfErrors();
  return variables;
}

/** Variables of an uninterpolated plain spec; reports problems in that section only. */
export function declaredVariables(plain: Plain, report: Reporter): VariableDecl[] {
  const meta = isPlainObject(plain) ? plain['x-coursedock'] : undefined;
  if (!isPlainObject(meta)) return [];
  const at = ['x-coursedock', 'variables'];
  const raw = meta.variables;
  return normalizeVariables(raw === undefined ? undefined : checkEach(raw, variableRule, at, report), at, report);
}

// x-coursedock.variables → VariableDecl[] (never interpolated: they describe the inputs).
import type { KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import { isReservedName, reservedNameMessage } from './reserved-names.js';
import { variableSchema } from './schema.js';
import type { VariableDecl } from './types.js';
import { validate } from './zod-issues.js';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function normalizeVariables(raw: unknown, path: KeyPath, report: Reporter): VariableDecl[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    report.error(path, 'expected a mapping of variable names to {kind, default, description}');
    return [];
  }
  const out: VariableDecl[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (!VARIABLE_NAME.test(name)) {
      report.error([...path, name], `invalid variable name "${name}" (letters, digits and _, not starting with a digit)`, 'key');
      continue;
    }
    if (isReservedName(name)) {
      report.error([...path, name], reservedNameMessage('a variable name', name), 'key');
      continue;
    }
    const parsed = validate(variableSchema, value, [...path, name], report);
    if (!parsed) continue;
    const decl: VariableDecl = { name, kind: parsed.kind };
    if (parsed.default !== undefined) decl.default = parsed.default;
    if (parsed.description !== undefined) decl.description = parsed.description;
    out.push(decl);
  }
  return out;
}

// Zod issues → problems at the YAML line of the offending value, in words a course author
// understands ("expected a list, got a mapping" rather than zod's type names).
import type { z } from 'zod';
import type { KeyPath, PathSegment } from './locate.js';
import type { Reporter } from './report.js';

type Issue = z.core.$ZodIssue;

/** Validates `value` and reports issues under `base`; returns the parsed value or undefined. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, base: KeyPath, report: Reporter): z.output<T> | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) reportIssue(issue, base, report);
  return undefined;
}

function reportIssue(issue: Issue, base: KeyPath, report: Reporter): void {
  const path = [...base, ...issue.path.map(toSegment)];
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) report.error([...path, key], `unknown key \`${key}\``, 'key');
    return;
  }
  if (issue.code === 'invalid_union') {
    // The branch whose type matched (its issues are all inside the value) explains the
    // problem better than "expected a string or a mapping".
    const matched = issue.errors.filter((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
    if (matched.length === 1) {
      for (const inner of matched[0] ?? []) reportIssue(inner, path, report);
      return;
    }
  }
  report.error(path, describeIssue(issue));
}

function toSegment(key: PropertyKey): PathSegment {
  return typeof key === 'number' ? key : String(key);
}

export function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `expected ${typeName(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'invalid_union': {
      const expected = unionExpectations(issue.errors);
      return expected.length ? `expected ${joinOr(expected)}, got ${describeValue(issue.input)}` : issue.message;
    }
    case 'invalid_value':
      return `expected ${joinOr(issue.values.map((v) => `\`${String(v)}\``))}, got ${describeValue(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
      return issue.message;
    default:
      return issue.message;
  }
}

/** What each branch of a failed union wanted at the union's own level. */
function unionExpectations(branches: readonly (readonly Issue[])[]): string[] {
  const out: string[] = [];
  for (const issues of branches) {
    for (const issue of issues) {
      if (issue.path.length > 0) continue;
      const text =
        issue.code === 'invalid_type'
          ? typeName(issue.expected)
          : issue.code === 'invalid_value'
            ? joinOr(issue.values.map((v) => `\`${String(v)}\``))
            : undefined;
      // boolLike's branches say "true or false" and "`true` or `false`": say it once.
      if (text && !out.some((seen) => seen.replace(/`/g, '') === text.replace(/`/g, ''))) out.push(text);
    }
  }
  return out;
}

function typeName(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'an empty value';
    default:
      return expected;
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return `a ${typeof value}`;
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

// How the command line says what is wrong or worth knowing in a course's spec: `validate`
// prints every error and warning with file:line:column and key, and `plan`, `up` and `status`
// print the warnings (keys Coursedock ignores, ports moved to 127.0.0.1, …) before their work.
import { SpecError, formatProblem } from '../engine/spec/index.js';
import type { CourseInfo } from '../engine/engine.js';
import type { CourseSpec, SpecProblem } from '../engine/spec/index.js';

export interface ValidateOutcome {
  /** Exit code: 1 only when the spec has errors (warnings never fail). */
  code: number;
  lines: string[];
}

/** `coursedock validate`: load the spec (no Docker needed) and say everything at once. */
export function validateReport(load: () => CourseSpec): ValidateOutcome {
  let spec: CourseSpec;
  try {
    spec = load();
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    const file = error.problems[0]?.file;
    return {
      code: 1,
      lines: [`${file ? `${file}: ` : ''}${count(error.problems.length, 'error')} — the course cannot open until they are fixed`, ...error.problems.map((p) => `✗ ${formatProblem(p)}`)],
    };
  }
  const services = Object.keys(spec.services);
  return {
    code: 0,
    lines: [
      `${spec.file}: valid — ${count(services.length, 'service')} (${services.join(', ')}), ${count(spec.warnings.length, 'warning')}`,
      ...warningLines(spec.warnings),
    ],
  };
}

/** `coursedock open`: the file is added only when it loads; its warnings are said either way. */
export function openReport(add: () => { course: CourseInfo; spec: CourseSpec }): ValidateOutcome {
  let course: CourseInfo | undefined;
  const checked = validateReport(() => {
    const added = add();
    course = added.course;
    return added.spec;
  });
  if (!course) return { code: checked.code, lines: [...checked.lines, 'Not added to the course list: fix the errors above, then run open again.'] };
  return {
    code: 0,
    lines: [
      `Added “${course.title}” to the course list as "${course.id}" (${course.file}).`,
      ...checked.lines.slice(1),
      `Start it with: coursedock up ${course.id}   (or choose it in the panel)`,
    ],
  };
}

/** One `! file:line:column: key: message` line per warning. */
export function warningLines(warnings: readonly SpecProblem[]): string[] {
  return warnings.map((w) => `! ${formatProblem(w)}`);
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

// Check results as text: the CLI's lines and the support bundle's checks.txt.
import type { CheckReport, CheckResult } from './types.js';

const MARK: Record<CheckResult['status'], string> = { pass: '✓', fail: '✗', skipped: '–', warn: '!' };

/** One line per check (✓ pass, ✗ fail, – skipped, ! warning), the hint indented under it, then a summary. */
export function formatCheckReport(report: CheckReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    lines.push(`${MARK[r.status]} ${r.title}${r.status === 'skipped' ? ' (skipped)' : r.status === 'warn' ? ' (warning)' : ''}`);
    lines.push(`    ${r.detail}`);
    if (r.hint && r.status !== 'pass') lines.push(`    → ${r.hint}`);
    if (r.repair && r.status === 'fail') lines.push(`    fix (check --fix): ${r.repair.willDo}`);
  }
  const { pass, fail, skipped, warn } = report.counts;
  lines.push('');
  lines.push(
    `${pass} passed, ${fail} failed${warn ? `, ${warn} ${warn === 1 ? 'warning' : 'warnings'}` : ''}${skipped ? `, ${skipped} skipped (not available on this computer)` : ''} in ${(report.durationMs / 1000).toFixed(1)} s.`,
  );
  return lines.join('\n');
}

// Which findings of the Electron security scan (electronegativity) are accepted, and why: read
// from the table in docs/security.md, so the reason a finding stays is written where readers
// look for it, and the scan fails on any finding that table does not justify — or on a row that
// justifies nothing any more. Pure functions; scripts/electron-scan.ts runs the scanner.

export const DOC_SECTION = '## Electron security scan (electronegativity)';

/** One row of the table: this check may report this file, for this reason. */
export interface Justification {
  check: string;
  file: string;
  reason: string;
}

/** What the scanner reported (the parts we judge by; lines move, so they are shown, not matched). */
export interface ScanFinding {
  check: string;
  file: string;
  line: number;
  severity: string;
  description: string;
}

export interface Judgement {
  justified: Array<ScanFinding & { reason: string }>;
  unjustified: ScanFinding[];
  /** Rows that match no finding: the code changed, so the row must go (the doc must stay true). */
  stale: Justification[];
}

/** The rows of the justification table in the doc's scan section (`| \`CHECK\` | \`file\` | why |`). */
export function readJustifications(markdown: string): Justification[] {
  const start = markdown.indexOf(`\n${DOC_SECTION}\n`);
  if (start < 0) throw new Error(`docs/security.md has no "${DOC_SECTION}" section: the scan reads its justifications there.`);
  const rest = markdown.slice(start + DOC_SECTION.length + 2);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const rows: Justification[] = [];
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line.trim());
    if (!m) continue;
    const [, check = '', file = '', rawReason = ''] = m;
    const reason = rawReason.trim();
    if (!reason) throw new Error(`docs/security.md justifies ${check} in ${file} with no reason.`);
    rows.push({ check, file, reason });
  }
  return rows;
}

const key = (check: string, file: string) => `${check}\u0000${file}`;

export function judge(findings: ScanFinding[], justifications: Justification[]): Judgement {
  const reasons = new Map(justifications.map((j) => [key(j.check, j.file), j.reason]));
  const used = new Set<string>();
  const out: Judgement = { justified: [], unjustified: [], stale: [] };
  for (const f of findings) {
    const k = key(f.check, f.file);
    const reason = reasons.get(k);
    if (reason === undefined) out.unjustified.push(f);
    else {
      used.add(k);
      out.justified.push({ ...f, reason });
    }
  }
  out.stale = justifications.filter((j) => !used.has(key(j.check, j.file)));
  return out;
}

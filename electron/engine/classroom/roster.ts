// The class list a tutor brings: a CSV of student id and display name, one student a line.
// Every problem is reported at once with its line number, so a tutor fixes the file in one go;
// ids become parts of Docker object names, so they are held to a safe, short shape here.
import type { Student } from './types.js';

export const STUDENT_ID = /^[a-z0-9][a-z0-9-]{0,30}$/;

export interface RosterProblem {
  line: number;
  message: string;
}

export class RosterError extends Error {
  constructor(
    readonly file: string,
    readonly problems: RosterProblem[],
  ) {
    super(`${file}: ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} in the roster\n` +
      problems.map((p) => `  line ${p.line}: ${p.message}`).join('\n'));
    this.name = 'RosterError';
  }
}

/** Splits one CSV line (RFC 4180 quoting: "a, b" and "" inside quotes). Undefined: unclosed quote. */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(wasQuoted ? field : field.trim());
      field = '';
      wasQuoted = false;
    } else if (!(wasQuoted && /\s/.test(ch))) field += ch;
  }
  if (quoted) return undefined;
  fields.push(wasQuoted ? field : field.trim());
  return fields;
}

const HEADER_ID = /^(student[ _-]?)?id$/i;

/** What is wrong with an id, in words, or undefined when it is fine. */
export function studentIdProblem(id: string): string | undefined {
  if (id === '') return 'the student id is empty';
  if (STUDENT_ID.test(id)) return undefined;
  const hint = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 31);
  const suggestion = hint && STUDENT_ID.test(hint) ? ` (e.g. "${hint}")` : '';
  return `student id "${id}" must be 1–31 lowercase letters, digits or "-", starting with a letter or digit${suggestion}`;
}

/**
 * The students of a roster CSV: `id,name` per line; a first line `id,name` (or `student id,…`)
 * is a header; blank lines and lines starting with `#` are skipped; a missing name is the id.
 * Throws RosterError listing every problem (bad id, too many columns, duplicates, no students).
 */
export function parseRoster(csvText: string, file = 'roster.csv'): Student[] {
  const problems: RosterProblem[] = [];
  const students: Student[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = csvText.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let seenContent = false;
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '' || text.trimStart().startsWith('#')) return;
    const fields = splitCsvLine(text);
    if (!fields) return void problems.push({ line, message: 'a quote (") is not closed' });
    const isFirst = !seenContent;
    seenContent = true;
    const [id = '', name = ''] = fields;
    if (isFirst && HEADER_ID.test(id)) return;
    if (fields.slice(2).some((f) => f !== '')) {
      return void problems.push({ line, message: `expected 2 columns (student id, display name), found ${fields.length}` });
    }
    const idProblem = studentIdProblem(id);
    if (idProblem) return void problems.push({ line, message: idProblem });
    const earlier = firstLineOf.get(id);
    if (earlier !== undefined) return void problems.push({ line, message: `student id "${id}" is already on line ${earlier}` });
    firstLineOf.set(id, line);
    students.push({ id, name: name || id });
  });
  if (problems.length === 0 && students.length === 0) problems.push({ line: 1, message: 'the roster lists no students' });
  if (problems.length > 0) throw new RosterError(file, problems);
  return students;
}

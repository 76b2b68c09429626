// Access codes for a classroom: one per student and one for the tutor. A code is what a student
// types (or follows as a link) to reach their own environment through the front door, so it is
// random (12 characters from an alphabet without look-alikes: 60 bits), shown once when it is
// made or rotated (as a printable sheet or a CSV), and kept only as a salted HMAC-SHA-256 in
// `<data folder>/classroom/<course>/codes.json` (mode 0600). Codes carry enough entropy that a
// fast keyed hash is the right tool: signing in is one lookup, not a scan of slow hashes.
// Rotating a code makes the old one useless at once (the front door re-checks the book).
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../settings/file-lock.js';
import { dataDir } from '../settings/settings-store.js';
import type { Student } from './types.js';

/** No 0/O, 1/I/L, U: nothing a student can misread on a printed sheet. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;

export type Principal = { kind: 'student'; id: string } | { kind: 'tutor' };

export interface CodeEntry {
  /** HMAC-SHA-256 (hex) of the normalised code under the book's salt. */
  hash: string;
  /** ISO time the code was made: a sheet printed before then is out of date. */
  issuedAt: string;
}

export interface CodeBook {
  version: 1;
  course: string;
  /** Random, per classroom: the same code in two classrooms hashes differently. */
  salt: string;
  tutor?: CodeEntry;
  students: Record<string, CodeEntry>;
}

/** A code as made, to print or export once (the book keeps only its hash). */
export interface IssuedCode {
  role: 'student' | 'tutor';
  /** The student's id; `tutor` for the tutor's code. */
  id: string;
  name: string;
  code: string;
}


export function newCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += CODE_ALPHABET.charAt(randomInt(CODE_ALPHABET.length));
    groups.push(group);
  }
  return groups.join('-');
}

/** What a student typed, as the code it means: case, spaces and dashes do not matter. */
export function normalizeCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]+/g, '');
}

export function hashCode(salt: string, code: string): string {
  return createHmac('sha256', salt).update(normalizeCode(code)).digest('hex');
}

export function emptyBook(course: string): CodeBook {
  return { version: 1, course, salt: randomBytes(24).toString('base64url'), students: Object.create(null) as Record<string, CodeEntry> };
}

const sameHash = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Who a typed code belongs to, or undefined. Every entry is compared, so timing tells nothing. */
export function whoHas(book: CodeBook, typed: string): Principal | undefined {
  const code = normalizeCode(typed);
  if (code.length !== GROUPS * GROUP_LENGTH || Array.from(code).some((c) => !CODE_ALPHABET.includes(c))) return undefined;
  const hash = hashCode(book.salt, code);
  let found: Principal | undefined;
  if (book.tutor && sameHash(book.tutor.hash, hash)) found = { kind: 'tutor' };
  for (const [id, entry] of Object.entries(book.students)) if (sameHash(entry.hash, hash) && !found) found = { kind: 'student', id };
  return found;
}

/** The hash a principal's code has now (sessions remember it: a rotation ends them). */
export function currentHash(book: CodeBook, who: Principal): string | undefined {
  return who.kind === 'tutor' ? book.tutor?.hash : Object.hasOwn(book.students, who.id) ? book.students[who.id]?.hash : undefined;
}

export interface IssueOptions {
  /** Make new codes for these student ids even if they have one ('all': every student). */
  rotate?: string[] | 'all';
  /** Make a new tutor code even if there is one. */
  rotateTutor?: boolean;
  now?: () => Date;
}

/**
 * Codes for every student of the roster who has none (and the tutor), plus the rotated ones.
 * Returns the new book and the codes made, to print now: they cannot be shown again later.
 * Students no longer on the roster lose their code.
 */
export function issueCodes(book: CodeBook, roster: Student[], options: IssueOptions = {}): { book: CodeBook; issued: IssuedCode[] } {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const rotate = options.rotate ?? [];
  for (const id of rotate === 'all' ? [] : rotate) {
    if (!roster.some((s) => s.id === id)) throw new Error(`No student "${id}" on the roster: nothing to rotate.`);
  }
  const students = Object.create(null) as Record<string, CodeEntry>;
  const issued: IssuedCode[] = [];
  const used = new Set<string>();
  const fresh = (): string => {
    // Two equal codes in one classroom would sign one student in as another: never.
    for (;;) {
      const code = newCode();
      const hash = hashCode(book.salt, code);
      if (!used.has(hash) && !Object.values(book.students).some((e) => e.hash === hash) && book.tutor?.hash !== hash) {
        used.add(hash);
        return code;
      }
    }
  };
  for (const s of roster) {
    const kept = Object.hasOwn(book.students, s.id) ? book.students[s.id] : undefined;
    if (kept && rotate !== 'all' && !rotate.includes(s.id)) {
      students[s.id] = kept;
      continue;
    }
    const code = fresh();
    students[s.id] = { hash: hashCode(book.salt, code), issuedAt: now };
    issued.push({ role: 'student', id: s.id, name: s.name, code });
  }
  let tutor = book.tutor;
  if (!tutor || options.rotateTutor) {
    const code = fresh();
    tutor = { hash: hashCode(book.salt, code), issuedAt: now };
    issued.unshift({ role: 'tutor', id: 'tutor', name: 'Tutor', code });
  }
  return { book: { ...book, tutor, students }, issued };
}

/** The link that signs in with a code (the front door takes `?code=` once, then a cookie). */
export function signInLink(baseUrl: string, code: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('code', code);
  return url.href;
}

const csvField = (v: string): string => {
  // A leading = + - @ would be a formula in a spreadsheet: quoted and prefixed.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function codesCsv(issued: IssuedCode[], baseUrl?: string): string {
  const header = ['role', 'id', 'name', 'code', ...(baseUrl ? ['link'] : [])];
  const rows = issued.map((c) => [c.role, c.id, c.name, c.code, ...(baseUrl ? [signInLink(baseUrl, c.code)] : [])]);
  return `${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}

const html = (v: string): string =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A printable page: one slip per person, to cut and hand out. */
export function codesSheet(issued: IssuedCode[], title: string, baseUrl?: string): string {
  const slips = issued
    .map(
      (c) => `  <section class="slip">
    <p class="who">${html(c.name)} <small>(${html(c.role === 'tutor' ? 'tutor' : c.id)})</small></p>
    <p class="code">${html(c.code)}</p>
    ${baseUrl ? `<p class="link">${html(signInLink(baseUrl, c.code))}</p>` : ''}
  </section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${html(title)}: access codes</title>
<style>
  body { font-family: sans-serif; margin: 1cm; }
  .slip { border: 1px dashed #888; padding: 0.5cm; margin-bottom: 0.4cm; break-inside: avoid; }
  .code { font: bold 20pt monospace; letter-spacing: 0.1em; margin: 0.2cm 0; }
  .link { font: 9pt monospace; word-break: break-all; }
</style>
</head>
<body>
<h1>${html(title)}: access codes</h1>
<p>Each code opens one person's environment. Keep yours to yourself; ask your tutor for a new one if it leaks.</p>
${slips}
</body>
</html>
`;
}

export function codeBookFile(course: string, home: string = dataDir()): string {
  return path.join(home, 'classroom', course, 'codes.json');
}

function isBook(v: unknown): v is CodeBook {
  const b = v as Partial<CodeBook> | null;
  return !!b && b.version === 1 && typeof b.course === 'string' && typeof b.salt === 'string' && !!b.students && typeof b.students === 'object';
}

/** The code book on disk: read on each check (another process may have rotated a code). */
export class CodeStore {
  constructor(readonly file: string, readonly course: string) {}

  static forCourse(course: string, home?: string): CodeStore {
    return new CodeStore(codeBookFile(course, home), course);
  }

  private cached: { stamp: string; book: CodeBook } | undefined;

  read(): CodeBook | undefined {
    if (!existsSync(this.file)) return undefined;
    // Read again only when the file changed (the front door checks the book on every request).
    const st = statSync(this.file);
    const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    if (this.cached?.stamp === stamp) return this.cached.book;
    const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
    if (!isBook(parsed)) throw new Error(`${this.file} is not a Coursedock code book.`);
    const students = Object.create(null) as Record<string, CodeEntry>;
    for (const [id, e] of Object.entries(parsed.students)) students[id] = e;
    const book = { ...parsed, students };
    this.cached = { stamp, book };
    return book;
  }

  /** Makes the missing and rotated codes under the file's lock; returns the codes made. */
  issue(roster: Student[], options: IssueOptions = {}): IssuedCode[] {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    return withFileLock(`${this.file}.lock`, () => {
      const { book, issued } = issueCodes(this.read() ?? emptyBook(this.course), roster, options);
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(book, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
      return issued;
    });
  }

  whoHas(typed: string): Principal | undefined {
    const book = this.read();
    return book ? whoHas(book, typed) : undefined;
  }

  /** Whether `hash` is still the principal's code (false once rotated or removed). */
  stillValid(who: Principal, hash: string): boolean {
    const book = this.read();
    const now = book && currentHash(book, who);
    return !!now && sameHash(now, hash);
  }

  hashOf(who: Principal): string | undefined {
    const book = this.read();
    return book && currentHash(book, who);
  }
}

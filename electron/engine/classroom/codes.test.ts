import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CODE_ALPHABET,
  CodeStore,
  codesCsv,
  codesSheet,
  emptyBook,
  hashCode,
  issueCodes,
  newCode,
  normalizeCode,
  signInLink,
  whoHas,
} from './codes.js';

const roster = [
  { id: 'ada', name: 'Ada Lovelace' },
  { id: 'bob', name: 'Bob "the" Builder' },
];

describe('access codes', () => {
  it('are 12 characters from an alphabet without look-alikes, in three groups', () => {
    for (let i = 0; i < 200; i++) {
      const code = newCode();
      expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      expect(Array.from(code.replace(/-/g, '')).every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    }
    expect(CODE_ALPHABET).not.toMatch(/[01ILOU]/);
  });

  it('are typed in any case, with or without dashes and spaces', () => {
    expect(normalizeCode(' abcd-efgh jkmn ')).toBe('ABCDEFGHJKMN');
    const book = emptyBook('c');
    expect(hashCode(book.salt, 'abcd-efgh-jkmn')).toBe(hashCode(book.salt, 'ABCDEFGHJKMN'));
  });

  it('are made for every student and the tutor, kept only as salted hashes, and find their owner', () => {
    const { book, issued } = issueCodes(emptyBook('c'), roster);
    expect(issued.map((c) => c.id)).toEqual(['tutor', 'ada', 'bob']);
    const json = JSON.stringify(book);
    for (const c of issued) expect(json).not.toContain(normalizeCode(c.code));
    expect(whoHas(book, issued[0]!.code)).toEqual({ kind: 'tutor' });
    expect(whoHas(book, issued[1]!.code.toLowerCase())).toEqual({ kind: 'student', id: 'ada' });
    expect(whoHas(book, issued[2]!.code)).toEqual({ kind: 'student', id: 'bob' });
    expect(whoHas(book, 'AAAA-AAAA-AAAA')).toBeUndefined();
    expect(whoHas(book, '')).toBeUndefined();
    expect(whoHas(book, 'x'.repeat(5000))).toBeUndefined();
  });

  it('hash differently in two classrooms (salt per book)', () => {
    expect(hashCode(emptyBook('a').salt, 'ABCD-EFGH-JKMN')).not.toBe(hashCode(emptyBook('a').salt, 'ABCD-EFGH-JKMN'));
  });

  it('are made only for who has none; a rotation replaces one code and the old one stops working', () => {
    const first = issueCodes(emptyBook('c'), roster);
    const again = issueCodes(first.book, roster);
    expect(again.issued).toEqual([]);
    expect(again.book.students).toEqual(first.book.students);

    const rotated = issueCodes(first.book, roster, { rotate: ['ada'] });
    expect(rotated.issued.map((c) => c.id)).toEqual(['ada']);
    const oldAda = first.issued.find((c) => c.id === 'ada')!.code;
    expect(whoHas(rotated.book, oldAda)).toBeUndefined();
    expect(whoHas(rotated.book, rotated.issued[0]!.code)).toEqual({ kind: 'student', id: 'ada' });
    expect(rotated.book.students.bob).toEqual(first.book.students.bob);

    const tutor = issueCodes(first.book, roster, { rotateTutor: true });
    expect(tutor.issued.map((c) => c.id)).toEqual(['tutor']);
    expect(whoHas(tutor.book, first.issued[0]!.code)).toBeUndefined();

    expect(issueCodes(first.book, roster, { rotate: 'all' }).issued).toHaveLength(2);
    expect(() => issueCodes(first.book, roster, { rotate: ['zed'] })).toThrow(/No student "zed"/);
  });

  it('of students who left the roster are dropped', () => {
    const first = issueCodes(emptyBook('c'), roster);
    const next = issueCodes(first.book, [roster[0]!]);
    expect(Object.keys(next.book.students)).toEqual(['ada']);
    expect(whoHas(next.book, first.issued.find((c) => c.id === 'bob')!.code)).toBeUndefined();
  });

  it('export as CSV (quoted, no spreadsheet formulas) and as a printable sheet (escaped), with sign-in links', () => {
    const issued = [
      { role: 'student' as const, id: 'ada', name: 'Ada, "A"', code: 'ABCD-EFGH-JKMN' },
      { role: 'student' as const, id: 'eve', name: '=HYPERLINK("x")', code: 'PQRS-TVWX-YZ23' },
    ];
    const csv = codesCsv(issued, 'http://127.0.0.1:8360/');
    expect(csv.split('\n')[0]).toBe('role,id,name,code,link');
    expect(csv).toContain('student,ada,"Ada, ""A""",ABCD-EFGH-JKMN,http://127.0.0.1:8360/?code=ABCD-EFGH-JKMN');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const sheet = codesSheet([{ role: 'student', id: 'x', name: '<script>alert(1)</script>', code: 'ABCD-EFGH-JKMN' }], 'TM351', 'http://h/');
    expect(sheet).not.toContain('<script>alert');
    expect(sheet).toContain('&lt;script&gt;');
    expect(sheet).toContain('ABCD-EFGH-JKMN');
    expect(signInLink('http://127.0.0.1:9/?x=1', 'AB')).toBe('http://127.0.0.1:9/?x=1&code=AB');
  });
});

describe('CodeStore', () => {
  let home: string | undefined;
  afterEach(() => {
    if (home) rmSync(home, { recursive: true, force: true });
    home = undefined;
  });

  it('keeps the book in the data folder, mode 0600, and sees another process rotate a code', () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'codes-'));
    const store = CodeStore.forCourse('tm351', home);
    expect(store.file).toBe(path.join(home, 'classroom', 'tm351', 'codes.json'));
    expect(store.read()).toBeUndefined();
    const issued = store.issue(roster);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    const ada = issued.find((c) => c.id === 'ada')!;
    for (const c of issued) expect(readFileSync(store.file, 'utf8')).not.toContain(normalizeCode(c.code));
    const who = store.whoHas(ada.code)!;
    expect(who).toEqual({ kind: 'student', id: 'ada' });
    const hash = store.hashOf(who)!;
    expect(store.stillValid(who, hash)).toBe(true);

    const other = CodeStore.forCourse('tm351', home);
    other.issue(roster, { rotate: ['ada'] });
    expect(store.stillValid(who, hash)).toBe(false);
    expect(store.whoHas(ada.code)).toBeUndefined();
    expect(store.issue(roster)).toEqual([]);
  });
});

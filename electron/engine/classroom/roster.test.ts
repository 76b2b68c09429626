import { describe, expect, it } from 'vitest';
import { RosterError, parseRoster, splitCsvLine } from './roster.js';

function problemsOf(text: string): Array<{ line: number; message: string }> {
  try {
    parseRoster(text, 'class.csv');
  } catch (err) {
    expect(err).toBeInstanceOf(RosterError);
    return (err as RosterError).problems;
  }
  throw new Error('expected a RosterError');
}

describe('parseRoster', () => {
  it('reads id and display name per line, with or without a header', () => {
    const students = [
      { id: 'alice', name: 'Alice Smith' },
      { id: 'bob-2', name: 'Bob Jones' },
    ];
    expect(parseRoster('alice,Alice Smith\nbob-2,Bob Jones\n')).toEqual(students);
    expect(parseRoster('id,name\r\nalice,Alice Smith\r\nbob-2,Bob Jones\r\n')).toEqual(students);
    expect(parseRoster('\uFEFFStudent ID, Display name\n\n# late joiners\nalice , Alice Smith\nbob-2,Bob Jones')).toEqual(students);
  });

  it('takes quoted names with commas and quotes, and the id when the name is missing', () => {
    expect(parseRoster('a1,"Smith, Jane ""JJ"""\nb2\nc3,')).toEqual([
      { id: 'a1', name: 'Smith, Jane "JJ"' },
      { id: 'b2', name: 'b2' },
      { id: 'c3', name: 'c3' },
    ]);
  });

  it('reports every problem with its line number', () => {
    const problems = problemsOf('id,name\nalice,A\nAlice,Upper\nbob,B,extra\nalice,Again\n-x,Dash\n"open,quote\nthis-id-is-far-too-long-to-fit-in-names,Long\n');
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(problems[0]?.message).toContain('"Alice"');
    expect(problems[0]?.message).toContain('e.g. "alice"');
    expect(problems[1]?.message).toContain('expected 2 columns');
    expect(problems[2]?.message).toBe('student id "alice" is already on line 2');
    expect(problems[4]?.message).toContain('quote');
    expect(problems[5]?.message).toContain('1–31');
  });

  it('refuses a roster with no students, and says which file', () => {
    expect(problemsOf('id,name\n\n')).toEqual([{ line: 1, message: 'the roster lists no students' }]);
    expect(() => parseRoster('', 'class.csv')).toThrow(/^class\.csv: a problem in the roster/);
  });
});

describe('splitCsvLine', () => {
  it('splits on commas outside quotes and trims unquoted fields', () => {
    expect(splitCsvLine(' a , "b, c" ,d')).toEqual(['a', 'b, c', 'd']);
    expect(splitCsvLine('"x')).toBeUndefined();
  });
});

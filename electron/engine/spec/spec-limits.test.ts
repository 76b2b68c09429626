// Limits and encodings (spec-limits.ts, read-spec-file.ts, parse-yaml.ts), and "every problem
// at once": what a course team sees when a file is too big, not UTF-8, several documents, or
// wrong in several stages at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from './load-spec.js';
import { readSpecFile } from './read-spec-file.js';
import { SpecError } from './spec-error.js';
import { MAX_SERVICES, MAX_SPEC_BYTES, countServicesCheaply } from './spec-limits.js';
import { lineOf, problemsOf, spec } from './test-helpers.js';
import type { SpecProblem } from './types.js';
import { stringMatching } from '../testing/matchers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function specFile(content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-limits-'));
  dirs.push(dir);
  const file = path.join(dir, 'compose.yml');
  fs.writeFileSync(file, content);
  return file;
}

function problemsReading(file: string): SpecProblem[] {
  try {
    loadSpec(file, { env: {} });
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('expected the spec to fail');
}

const services = (n: number) => 'services:\n' + Array.from({ length: n }, (_, i) => `  s${i}:\n    image: busybox\n`).join('');

describe('size', () => {
  it('a file over 1 MB is refused from its size alone, with the limit named', () => {
    const file = specFile(`${services(1)}# ${'x'.repeat(MAX_SPEC_BYTES)}\n`);
    expect(problemsReading(file)).toEqual([
      { file, line: 1, column: 1, path: '', message: stringMatching(/^the spec is 1\.0 MB; Coursedock opens specs up to 1 MB \(the limit on a spec's size\)$/) },
    ]);
  });

  it('text handed to the loader is measured in bytes too', () => {
    const text = `${services(1)}# ${'é'.repeat(MAX_SPEC_BYTES / 2)}\n`;
    expect(text.length).toBeLessThan(MAX_SPEC_BYTES);
    expect(problemsOf(text)[0]?.message).toMatch(/the limit on a spec's size/);
  });
});

describe('number of services', () => {
  it(`over ${MAX_SERVICES} services is refused at \`services:\`, counted before parsing`, () => {
    const text = spec(services(MAX_SERVICES + 1));
    expect(countServicesCheaply(text)).toEqual({ count: MAX_SERVICES + 1, offset: text.indexOf('services:') });
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'services:'), path: 'services', message: `the spec has ${MAX_SERVICES + 1} services; Coursedock opens specs with at most ${MAX_SERVICES} services (the limit on services)` }),
    ]);
  });

  it('flow style, which the cheap count does not see, is counted in the parsed document', () => {
    const text = spec(`services: {${Array.from({ length: MAX_SERVICES + 2 }, (_, i) => `s${i}: {image: x}`).join(', ')}}\n`);
    expect(countServicesCheaply(text).count).toBe(0);
    expect(problemsOf(text).map((p) => p.message)).toEqual([expect.stringMatching(new RegExp(`^the spec has ${MAX_SERVICES + 2} services`))]);
  });

  it('exactly the limit is fine; nested keys and comments are not services', () => {
    const text = spec(services(3).replace('  s1:\n', '  # a comment\n  s1:\n    labels:\n      a: b\n'));
    expect(countServicesCheaply(text).count).toBe(3);
    expect(countServicesCheaply(spec(services(MAX_SERVICES))).count).toBe(MAX_SERVICES);
  });

  it('Windows line endings count the same', () => {
    expect(countServicesCheaply(spec(services(MAX_SERVICES + 1)).replace(/\n/g, '\r\n')).count).toBe(MAX_SERVICES + 1);
  });

  it('a v1 file (services at the top level) is counted by its top-level keys', () => {
    expect(countServicesCheaply('version: "1"\nweb:\n  image: x\ndb:\n  image: y\nx-extra: 1\n').count).toBe(2);
  });
});

describe('encoding', () => {
  it('bytes that are not UTF-8 are an error at their line, column and key, never a silent U+FFFD', () => {
    const file = specFile(Buffer.concat([Buffer.from(spec('services:\n  db:\n    image: postgres\n    environment:\n      PASSWORD: s')), Buffer.from([0xe9]), Buffer.from('cret\n')]));
    const problems = problemsReading(file);
    expect(problems).toEqual([
      {
        file,
        line: 7,
        column: 18,
        path: 'services.db.environment.PASSWORD',
        message: 'byte 0xe9 is not UTF-8 text: read as is, this line would say "PASSWORD: s�cret". Save the spec as UTF-8 (an editor\'s "encoding" menu), then retype the character',
      },
    ]);
  });

  it('lists each bad place (up to ten), and says how many there are', () => {
    const latin1 = Buffer.from(Array.from({ length: 12 }, (_, i) => `k${i}: caf\xe9\n`).join(''), 'latin1');
    const problems = (() => {
      try {
        readSpecFile(specFile(latin1));
      } catch (error) {
        return (error as SpecError).problems;
      }
      return [];
    })();
    expect(problems.map((p) => [p.line, p.column, p.path])).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, 8, `k${i}`]));
    expect(problems[0]?.message).toMatch(/\(12 places in all; the first 10 are listed\)$/);
  });

  it('valid multi-byte text (é, emoji) passes untouched', () => {
    const file = specFile(spec('services:\n  db:\n    image: postgres\n    labels:\n      who: "José 🐘"\n'));
    expect(loadSpec(file, { env: {} }).services.db?.labels.who).toBe('José 🐘');
  });
});

describe('what a Compose file must be', () => {
  it('several YAML documents get a message in our words at the second one', () => {
    const text = spec('services:\n  web:\n    image: nginx\n---\nservices:\n  db:\n    image: postgres\n');
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, '---'), message: stringMatching(/^a second YAML document starts here \(after a `---` line\): a Compose file is one document/) }),
    ]);
  });

  it('a leading `---` is one document', () => {
    expect(() => loadSpec('/specs/c/compose.yml', { env: {}, text: `---\n${spec('services:\n  web:\n    image: nginx\n')}` })).not.toThrow();
  });

  it('`- FOO BAR` in an environment list is an error, not a dropped variable', () => {
    const text = spec('services:\n  web:\n    image: nginx\n    environment:\n      - FOO BAR\n      - GOOD=1\n');
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'FOO BAR'), path: 'services.web.environment[0]', message: '"FOO BAR" is not KEY=value: a name cannot hold spaces (did you mean FOO=BAR?)' }),
    ]);
  });
});

describe('every problem at once', () => {
  it('a variable error does not hide the other stages\' problems, and does not repeat as a follow-on error', () => {
    const text = spec(
      'services:\n  web:\n    image: nginx\n    ports: ["${WEB_PORT:?set WEB_PORT in .env}:80"]\n    restart: sometimes\n  db:\n    image: postgres\n    depends_on: [cache]\n',
    );
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [lineOf(text, 'WEB_PORT'), 'services.web.ports[0]'],
      [lineOf(text, 'restart:'), 'services.web.restart'],
      [lineOf(text, 'depends_on'), expect.stringMatching(/^services\.db\.depends_on/)],
    ]);
    expect(problems[0]?.message).toMatch(/set WEB_PORT in \.env/);
  });
});

import { describe, expect, it } from 'vitest';
import { SpecError } from '../engine/spec/index.js';
import type { CourseSpec } from '../engine/spec/index.js';
import { openReport, validateReport } from './spec-report.js';

const problem = (line: number, message: string) => ({ file: '/c/compose.yml', line, column: 5, path: 'services.web.ports[0]', message });

describe('coursedock validate', () => {
  it('lists every error with file:line:column and key, and exits 1', () => {
    const outcome = validateReport(() => {
      throw new SpecError([problem(4, 'first'), problem(9, 'second')]);
    });
    expect(outcome.code).toBe(1);
    expect(outcome.lines).toEqual([
      '/c/compose.yml: 2 errors — the course cannot open until they are fixed',
      '✗ /c/compose.yml:4:5: services.web.ports[0]: first',
      '✗ /c/compose.yml:9:5: services.web.ports[0]: second',
    ]);
  });

  it('exits 0 with warnings, and prints each of them', () => {
    const spec = { file: '/c/compose.yml', services: { web: {}, db: {} }, warnings: [problem(4, 'published on 127.0.0.1 instead')] } as unknown as CourseSpec;
    const outcome = validateReport(() => spec);
    expect(outcome.code).toBe(0);
    expect(outcome.lines).toEqual([
      '/c/compose.yml: valid — 2 services (web, db), 1 warning',
      '! /c/compose.yml:4:5: services.web.ports[0]: published on 127.0.0.1 instead',
    ]);
  });

  it('lets other failures through (a missing course is not a spec problem)', () => {
    expect(() => validateReport(() => { throw new Error('No course "x"'); })).toThrow('No course "x"');
  });
});

describe('coursedock open', () => {
  const course = { id: 'shop', title: 'shop', file: '/p/shop/compose.yaml' };
  it('says where the course was added, its warnings, and how to start it', () => {
    const spec = { file: course.file, services: { web: {} }, warnings: [problem(4, 'ignored')] } as unknown as CourseSpec;
    expect(openReport(() => ({ course, spec }))).toEqual({
      code: 0,
      lines: [
        'Added “shop” to the course list as "shop" (/p/shop/compose.yaml).',
        '! /c/compose.yml:4:5: services.web.ports[0]: ignored',
        'Start it with: coursedock up shop   (or choose it in the panel)',
      ],
    });
  });

  it('adds nothing when the spec has errors, and says so', () => {
    const outcome = openReport(() => {
      throw new SpecError([problem(4, 'broken')]);
    });
    expect(outcome.code).toBe(1);
    expect(outcome.lines.at(-1)).toBe('Not added to the course list: fix the errors above, then run open again.');
  });
});

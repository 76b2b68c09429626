// Property: whatever the text, loadSpec returns a CourseSpec or throws a SpecError whose every
// problem has a file, a line ≥ 1 and a message — never another exception, never a hang (a hang
// runs into the test's timeout, generous: 600 loads of tm351, which grew with OpenRefine and the
// replica-set profile, on a busy 2-core machine). How fast specs load is measured in bench/spec-load.bench.ts.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from './load-spec.js';
import { SpecError } from './spec-error.js';
import { TM351_ENV, TM351_TEXT, tm351Dir } from './test-helpers.js';
import type { SpecProblem } from './types.js';

const DIR = tm351Dir();
const FILE = path.join(DIR, 'compose.yml');
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
const LINES = TM351_TEXT.split('\n');
const outcomes = { loaded: 0, failed: 0 };

// Plain checks rather than expect(): this runs for every problem of thousands of specs.
function checkProblem(problem: SpecProblem): void {
  const valid =
    problem.file === FILE &&
    Number.isInteger(problem.line) &&
    problem.line >= 1 &&
    Number.isInteger(problem.column) &&
    problem.column >= 1 &&
    typeof problem.path === 'string' &&
    typeof problem.message === 'string' &&
    problem.message.length > 0;
  if (!valid) throw new Error(`malformed problem: ${JSON.stringify(problem)}`);
}

function loadsOrFailsCleanly(text: string, env: Record<string, string | undefined> = TM351_ENV): void {
  try {
    const spec = loadSpec(FILE, { env, text });
    if (typeof spec.project !== 'string' || typeof spec.services !== 'object') throw new Error('not a CourseSpec');
    spec.warnings.forEach(checkProblem);
    outcomes.loaded++;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    if (error.problems.length === 0) throw new Error('SpecError without problems');
    error.problems.forEach(checkProblem);
    outcomes.failed++;
  }
}

const YAML_CHARS = [...Array.from(':-[]{}"\'$&*!#|>?,%@` \t\n\\~<=.0123456789azAZ_/'), '${', '$$', '<<', '---', '\u00e9', '\uFEFF'];

const TRICKY_VALUES = [
  'null', '~', '[]', '{}', '""', "''", '*nope', '&a x', '!!binary aGk=', '!custom x', '99999', '-1', '0', '1.5',
  '1e400', '.inf', '.nan', '0x10', 'true', 'yes', 'no', '"${X"', '"${}"', '$', '"$$"', '${NOTEBOOK_TOKEN:?gone}',
  '[a, [b, {c: d}]]', '{target: 80, published: "1-2"}', '"0.0.0.0:80:80"', '"127.0.0.1::80/sctp"', '|\n  block',
  '>-\n  folded', '"a:b:c:d"', 'x:/y:ro,z', '{<<: *x}', '[*a, *b]', '"\\u0000"', '__proto__', 'constructor',
];

const lineEdit = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);

type LineEdit = typeof lineEdit extends fc.Arbitrary<infer T> ? T : never;

function applyLineEdits(edits: readonly LineEdit[]): string {
  const lines = [...LINES];
  for (const edit of edits) {
    if (lines.length === 0) break;
    const at = edit.at % lines.length;
    const line = lines[at] ?? '';
    if (edit.op === 'delete') lines.splice(at, 1);
    else if (edit.op === 'duplicate') lines.splice(at, 0, line);
    else if (edit.op === 'swap') {
      const other = edit.with % lines.length;
      lines[at] = lines[other] ?? '';
      lines[other] = line;
    } else lines[at] = edit.by >= 0 ? ' '.repeat(edit.by) + line : line.slice(Math.min(-edit.by, line.search(/\S|$/)));
  }
  return lines.join('\n');
}

const charEdit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'insert', 'delete'),
  text: fc.oneof(fc.constantFrom(...YAML_CHARS), fc.string({ maxLength: 3 })),
});

describe('loadSpec on mutated and generated specs', () => {
  it('survives line edits (delete, duplicate, swap, re-indent)', () => {
    fc.assert(
      fc.property(fc.array(lineEdit, { minLength: 1, maxLength: 4 }), (edits) => loadsOrFailsCleanly(applyLineEdits(edits))),
      { numRuns: 600 },
    );
  }, 120_000);

  it('survives character edits', () => {
    fc.assert(
      fc.property(fc.array(charEdit, { minLength: 1, maxLength: 5 }), (edits) => {
        let text = TM351_TEXT;
        for (const edit of edits) {
          const at = edit.at % (text.length + 1);
          const cut = edit.op === 'insert' ? 0 : 1;
          text = text.slice(0, at) + (edit.op === 'delete' ? '' : edit.text) + text.slice(at + cut);
        }
        loadsOrFailsCleanly(text);
      }),
      { numRuns: 600 },
    );
  }, 120_000);

  it('survives random YAML values in random places', () => {
    const valueLines = LINES.map((line, index) => [line, index] as const).filter(([line]) => /^\s*(- |[\w-]+:)/.test(line));
    const randomValue = fc.oneof(
      fc.constantFrom(...TRICKY_VALUES),
      fc.jsonValue({ maxDepth: 2 }).map((value) => stringify(value, { flow: true }).trim()),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), randomValue), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (replacements, withEnv) => {
          const lines = [...LINES];
          for (const [pick, value] of replacements) {
            const [line, index] = valueLines[pick % valueLines.length] ?? ['', 0];
            const match = /^(\s*(?:- |[\w-]+:\s*))/.exec(line);
            lines[index] = `${match?.[1] ?? ''}${match?.[1]?.endsWith(':') ? ' ' : ''}${value.replace(/\n/g, '\n' + ' '.repeat(8))}`;
          }
          loadsOrFailsCleanly(lines.join('\n'), withEnv ? TM351_ENV : { NOTEBOOK_TOKEN: 'x', MONGO_PASSWORD: 'm', MONGO_ADMIN_PASSWORD: 'a' });
        },
      ),
      { numRuns: 600 },
    );
  }, 120_000);

  it('survives generated Compose-like documents', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom(...TRICKY_VALUES));
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }));
    const serviceKeys = ['image', 'build', 'ports', 'volumes', 'environment', 'depends_on', 'healthcheck', 'command', 'labels',
      'restart', 'shm_size', 'networks', 'imagee', 'x-extra', 'user', 'tty'];
    const service = fc.dictionary(fc.constantFrom(...serviceKeys), value, { maxKeys: 6 });
    const doc = fc.record({
      'x-coursedock': fc.oneof(fc.constant({ title: 'T' }), fc.dictionary(fc.constantFrom('title', 'services', 'variables', 'student-data', 'bogus'), value)),
      services: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'bad name', '__proto__'), service, { maxKeys: 3 }),
      volumes: fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom('a', 'data', 'x y'), value, { maxKeys: 2 })),
    });
    fc.assert(fc.property(doc, (spec) => loadsOrFailsCleanly(stringify(spec))), { numRuns: 300 });
  }, 120_000);

  it('reached both outcomes', () => {
    expect(outcomes.loaded).toBeGreaterThan(50);
    expect(outcomes.failed).toBeGreaterThan(50);
  });
});

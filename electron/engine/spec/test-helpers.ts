// Shared by the spec tests (not a test file itself).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadSpec, type LoadSpecOptions } from './load-spec.js';
import { SpecError } from './spec-error.js';
import type { CourseSpec, SpecProblem } from './types.js';

export const FAKE_FILE = '/specs/course/compose.yml';

export const TM351_TEXT = fs.readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../compose-specs/tm351/compose.yml'),
  'utf8',
);

export const TM351_ENV = {
  NOTEBOOK_TOKEN: 'secret-token',
  NOTEBOOKS_DIR: '/home/student/nb',
  NOTEBOOK_UID: '1001',
  MONGO_PASSWORD: 'mongo-secret',
  MONGO_ADMIN_PASSWORD: 'mongo-admin-secret',
};

/** A temp folder holding the tm351 build contexts (notebook/, postgres/, openrefine/) and starter-notebooks/. */
export function tm351Dir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coursedock-spec-'));
  fs.mkdirSync(path.join(dir, 'notebook'));
  fs.mkdirSync(path.join(dir, 'postgres'));
  fs.mkdirSync(path.join(dir, 'openrefine'));
  fs.mkdirSync(path.join(dir, 'starter-notebooks'));
  fs.mkdirSync(path.join(dir, 'mongo', 'initdb'), { recursive: true });
  return dir;
}

/** A spec with the x-coursedock title and the given body (services etc.), as YAML text. */
export function spec(body: string): string {
  return `x-coursedock:\n  title: Test course\n${body}`;
}

export function load(text: string, options: Partial<LoadSpecOptions> = {}): CourseSpec {
  return loadSpec(FAKE_FILE, { env: {}, ...options, text });
}

/** The problems of a spec that must fail. */
export function problemsOf(text: string, options: Partial<LoadSpecOptions> = {}): SpecProblem[] {
  try {
    load(text, options);
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('expected the spec to fail');
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`no line contains ${needle}`);
  return index + 1;
}

/** Asserts exactly one problem, at the line containing `needle`, whose message matches. */
export function expectOneProblem(text: string, needle: string, message: RegExp, options: Partial<LoadSpecOptions> = {}): SpecProblem {
  const problems = problemsOf(text, options);
  expect(problems).toHaveLength(1);
  const [problem] = problems;
  expect(problem).toMatchObject({ file: FAKE_FILE, line: lineOf(text, needle) });
  expect(problem?.message).toMatch(message);
  return problem as SpecProblem;
}

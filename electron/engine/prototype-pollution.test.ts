// A course folder named `__proto__` (or `constructor`) goes through the engine's open, the spec
// loader and the settings store — the path that used to write the course's token into
// Object.prototype. The outcome is a clear message naming the fix, and nothing is polluted;
// a course whose services and variables merely sit beside such names opens normally.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiSession } from '../api/api-session.js';
import { Engine } from './engine.js';
import { SpecError } from './spec/index.js';
import { offlineEngine } from './testing/offline-engine.js';
import { stringMatching } from './testing/matchers.js';

const SPEC = `x-coursedock:
  title: Prototype course
  variables:
    NOTEBOOK_TOKEN:
      kind: token
services:
  notebook:
    image: busybox:latest
    environment:
      TOKEN: \${NOTEBOOK_TOKEN}
`;

let root: string;
let engine: Engine;
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'variables', 'NOTEBOOK_TOKEN', 'ports', 'notebook']) expect(probe[key], key).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
}

function course(folder: string): void {
  const dir = path.join(root, 'specs', folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'compose.yml'), SPEC);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-proto-'));
  engine = offlineEngine(root);
});

afterEach(() => {
  engine.close();
  rmSync(root, { recursive: true, force: true });
  expectNoPollution();
});

describe('a course folder named like Object.prototype', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('%s: open says what to rename, and nothing is polluted', async (folder) => {
    course(folder);
    const error = await engine.open(folder).then(
      () => expect.unreachable('opened'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toMatch(new RegExp(`"${folder}" cannot be a project name: .*rename the course folder`));
    expect((error as SpecError).message).toContain(path.join(root, 'specs', folder, 'compose.yml'));
    expectNoPollution();
    // Listing courses and reading settings afterwards still work.
    expect(engine.listCourses().map((c) => c.id)).toEqual([folder]);
    expect(engine.store.get('dockerEndpoint')).toBeUndefined();
    const saved = JSON.parse(readFileSync(path.join(root, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(saved)).toBe(Object.prototype);
  });

  it('the same through the API: a spec-error in words, and the session keeps answering', async () => {
    course('__proto__');
    const session = new ApiSession(engine, () => undefined);
    try {
      await expect(session.call('env.open', { course: '__proto__' })).rejects.toMatchObject({
        error: { code: 'spec-error', message: stringMatching(/"__proto__" cannot be a project name/) },
      });
      await expect(session.call('courses.list', {})).resolves.toEqual([expect.objectContaining({ id: '__proto__' })]);
      await expect(session.call('env.state', { project: 'constructor' })).rejects.toMatchObject({ error: { code: 'invalid-input' } });
      expectNoPollution();
    } finally {
      session.dispose();
    }
  });

  it('a course beside them opens, with its services found only by their own names', async () => {
    course('proto');
    const env = await engine.open('proto');
    expect(env.project).toBe('proto');
    expect(Object.keys(env.spec.services)).toEqual(['notebook']);
    expect('constructor' in env.spec.services).toBe(false);
    expect(() => env.state('constructor')).toThrow(/constructor/);
    expect(() => env.state('toString')).toThrow(/toString/);
    expect(env.spec.services.notebook!.environment.TOKEN).toMatch(/^[0-9a-f]{48}$/);
    expectNoPollution();
  });
});

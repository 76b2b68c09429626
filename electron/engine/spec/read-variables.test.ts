import { describe, expect, it } from 'vitest';
import { readDeclaredVariables } from './read-variables.js';
import { SpecError } from './spec-error.js';
import { FAKE_FILE, TM351_TEXT } from './test-helpers.js';

describe('readDeclaredVariables', () => {
  it('reads the tm351 variables without interpolating anything', () => {
    expect(readDeclaredVariables(FAKE_FILE, TM351_TEXT)).toEqual([
      { name: 'NOTEBOOK_TOKEN', kind: 'token', description: 'Access token of the notebook server, random per install.' },
      {
        name: 'NOTEBOOKS_DIR',
        kind: 'folder',
        default: '~/Coursedock/tm351/notebooks',
        description: 'Folder on this computer that holds your notebooks.',
      },
      {
        name: 'NOTEBOOK_UID',
        kind: 'host-uid',
        default: '1000',
        description: 'User id the notebook server runs as (the owner of your notebooks folder).',
      },
      { name: 'MONGO_PASSWORD', kind: 'token', description: 'Password of your MongoDB login (student), random per install.' },
      {
        name: 'MONGO_ADMIN_PASSWORD',
        kind: 'token',
        description: "Password of MongoDB's administrator, used only to create your login; random per install, never shown.",
      },
    ]);
  });

  it('keeps ${…} in defaults and stringifies numbers', () => {
    const text = 'x-coursedock:\n  variables:\n    A:\n      kind: value\n      default: ${HOME}/x\n    B: {kind: host-uid, default: 1000, x-note: ignored}\n';
    expect(readDeclaredVariables(FAKE_FILE, text)).toEqual([
      { name: 'A', kind: 'value', default: '${HOME}/x' },
      { name: 'B', kind: 'host-uid', default: '1000' },
    ]);
  });

  it('returns nothing when there are no variables', () => {
    expect(readDeclaredVariables(FAKE_FILE, 'services: {}\n')).toEqual([]);
    expect(readDeclaredVariables(FAKE_FILE, 'x-coursedock:\n  title: T\n  variables:\n')).toEqual([]);
  });

  it('reports bad declarations with lines', () => {
    const text = 'x-coursedock:\n  variables:\n    A:\n      kind: secret\n    B:\n      kind: token\n      defualt: x\n    1BAD: {kind: value}\n';
    try {
      readDeclaredVariables(FAKE_FILE, text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems.map((p) => [p.line, p.path, p.message])).toEqual([
        [4, 'x-coursedock.variables.A.kind', 'expected `token`, `folder`, `host-uid` or `value`, got "secret"'],
        [7, 'x-coursedock.variables.B.defualt', 'unknown key `defualt` in x-coursedock.variables.B; did you mean `default`?'],
        [8, 'x-coursedock.variables.1BAD', expect.stringMatching(/invalid variable name "1BAD"/)],
      ]);
    }
  });

  it('reports YAML errors', () => {
    expect(() => readDeclaredVariables(FAKE_FILE, 'x-coursedock: [\n')).toThrow(SpecError);
  });
});

// Names JavaScript objects already have (`__proto__`, `constructor`, `prototype`, `toString`, …)
// as project, service, volume and variable names are refused with their line; the maps the
// loader builds from spec names have no prototype, so an environment variable or a dependency
// with such a name is kept as written and finds nothing inherited.
import { describe, expect, it } from 'vitest';
import { load, problemsOf, spec } from './test-helpers.js';
import { isReservedName, nullRecord } from './reserved-names.js';
import { stringMatching } from '../testing/matchers.js';

const service = (name: string) => spec(`services:\n  ${name}:\n    image: x:1\n`);

describe('reserved names', () => {
  it('knows Object.prototype names and prototype, and nothing else', () => {
    for (const n of ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__']) {
      expect(isReservedName(n), n).toBe(true);
    }
    for (const n of ['notebook', 'postgres', 'proto', 'Constructor', 'tostring', 'proto__']) expect(isReservedName(n), n).toBe(false);
    const record = nullRecord<number>();
    expect('constructor' in record).toBe(false);
    record.__proto__ = 1;
    expect(Object.keys(record)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])('refuses the service name %s at its line', (name) => {
    const problems = problemsOf(service(name));
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, path: `services.${name}`, message: stringMatching(new RegExp(`"${name}" cannot be a service name: .*reserved`)) }),
    ]);
  });

  it('refuses __proto__ as a key wherever it is written (the YAML reader drops it before anything sees it)', () => {
    const text = service('__proto__');
    const problems = problemsOf(text);
    // Reported with everything else (here: the services map it emptied).
    expect(problems.find((p) => /__proto__/.test(p.message))).toMatchObject({ line: 4 });
    expect(({} as Record<string, unknown>).image).toBeUndefined();
  });

  it('refuses a reserved variable name at its line', () => {
    const text = spec(['  variables:', '    constructor:', '      kind: value', '      default: x', 'services:', '  app:', '    image: x:1'].join('\n'));
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: 4, path: 'x-coursedock.variables.constructor', message: stringMatching(/"constructor" cannot be a variable name/) }),
    ]);
  });

  it('refuses a reserved volume name at its line', () => {
    const text = spec(['services:', '  app:', '    image: x:1', 'volumes:', '  prototype: {}'].join('\n'));
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: 7, path: 'volumes.prototype', message: stringMatching(/"prototype" cannot be a volume name/) }),
    ]);
  });

  it('refuses a reserved project name, given or taken from the folder, with the fix', () => {
    expect(problemsOf(service('app'), { project: 'constructor' })[0]?.message).toMatch(
      /"constructor" cannot be a project name: .* rename the course folder/,
    );
    // `__proto__` as given: refused; as a folder name Compose's rule makes it `proto__`.
    expect(problemsOf(service('app'), { project: '__proto__' })[0]?.message).toMatch(/"__proto__" cannot be a project name/);
  });

  it('keeps environment keys and dependencies named like Object.prototype members as plain entries', () => {
    const text = spec(
      [
        'services:',
        '  db:',
        '    image: x:1',
        '  app:',
        '    image: x:1',
        '    depends_on: [db]',
        '    environment:',
        '      - __proto__=polluted',
        '      - constructor=c',
        '    labels:',
        '      toString: t',
      ].join('\n'),
    );
    const loaded = load(text);
    const app = loaded.services.app!;
    expect(Object.entries(app.environment)).toEqual([
      ['__proto__', 'polluted'],
      ['constructor', 'c'],
    ]);
    expect(app.labels).toHaveProperty('toString', 't');
    expect('constructor' in loaded.services).toBe(false);
    expect('toString' in loaded.volumes).toBe(false);
    expect('constructor' in app.dependsOn).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('a dependency on a reserved name is reported as not a service, never followed into Object.prototype', () => {
    const text = spec('services:\n  app:\n    image: x:1\n    depends_on: [constructor, __proto__]\n');
    const messages = problemsOf(text).map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/depends on "constructor", which is not a service/), expect.stringMatching(/depends on "__proto__", which is not a service/)]),
    );
  });
});

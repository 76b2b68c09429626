// x-coursedock.checks and x-coursedock.starter-notebooks in the loader: the shipped tm351 spec,
// defaults, and the errors a course team gets for a wrong entry (with their line).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/index.js';
import { lineOf, load, problemsOf, spec } from '../spec/test-helpers.js';
import { REPO_ROOT } from '../testing/course-copy.js';

const services = 'services:\n  db:\n    image: postgres\n  web:\n    image: nginx\n    volumes: ["./nb:/home/nb"]\n';

describe('x-coursedock.checks', () => {
  it('loads the tm351 checks with their kinds, in order', () => {
    const tm351 = loadSpec(path.join(REPO_ROOT, 'compose-specs/tm351/compose.yml'), {
      env: { NOTEBOOK_TOKEN: 't0ken', NOTEBOOKS_DIR: '/tmp/nb', NOTEBOOK_UID: '1234', MONGO_PASSWORD: 'm0ngo', MONGO_ADMIN_PASSWORD: 'adm1n' },
    });
    expect(tm351.meta.checks?.map((c) => [c.id, c.kind])).toEqual([
      ['python-modules', 'python-modules'],
      ['notebook-extras', 'image-extras'],
      ['notebook-postgres', 'connect'],
      ['notebook-mongo', 'connect'],
      ['data-anscombe', 'sql'],
      ['data-elements', 'sql'],
      ['notebooks-writable', 'writable'],
      ['disk-space', 'disk-space'],
      ['ports', 'port'],
    ]);
    expect(tm351.meta.checks?.[1]).toMatchObject({ service: 'notebook', user: '1234' });
    expect(tm351.meta.checks?.[2]).toMatchObject({ service: 'notebook', target: 'postgres', port: 5432, login: 'postgres', urlEnv: 'DATABASE_URL', user: '1234' });
    expect(tm351.meta.checks?.[4]).toMatchObject({ service: 'postgres', query: 'select count(*) from anscombe', atLeast: 44 });
    expect(tm351.meta.checks?.[7]).toMatchObject({ minFreeBytes: 2 * 1024 ** 3 });
    expect(tm351.meta.starterNotebooks).toEqual({
      source: path.join(REPO_ROOT, 'compose-specs/tm351/starter-notebooks'),
      service: 'notebook',
      target: '/home/student/notebooks',
    });
    expect(tm351.warnings).toEqual([]);
  });

  it('gives ids and titles by default, and keeps given hints', () => {
    const s = load(
      spec(`  checks:\n    - {kind: connect, service: web, target: db, port: "5432"}\n    - {kind: port}\n    - {kind: sql, service: db, query: select 1, hint: Reset it.}\n    - {kind: image-extras, service: web}\n${services}`),
    );
    expect(s.meta.checks).toEqual([
      { kind: 'connect', id: 'connect-web-db', title: 'web reaches db:5432', service: 'web', target: 'db', port: 5432 },
      { kind: 'port', id: 'port', title: 'Published ports answer' },
      { kind: 'sql', id: 'sql-db', title: 'Query in db: select 1', hint: 'Reset it.', service: 'db', query: 'select 1' },
      { kind: 'image-extras', id: 'image-extras-web', title: 'Optional extras of the web image', service: 'web' },
    ]);
  });

  it('no checks declared: an empty list', () => {
    expect(load(spec(services)).meta.checks).toEqual([]);
  });

  it.each([
    ['    - {kind: conect, service: web, target: db, port: 1}\n', 'conect', /unknown check kind "conect".*did you mean `?connect/],
    ['    - {service: web}\n', '- {service', /a check needs a `kind`/],
    ['    - {kind: sql, service: dbb, query: x}\n', 'dbb', /"dbb" is not a service in this spec.*db/],
    ['    - {kind: connect, service: web, target: db, port: 70000}\n', '70000', /out of range/],
    ['    - {kind: python-modules, service: web, modules: ["not a module"]}\n', 'not a module', /Python module name/],
    ['    - {kind: disk-space, min-free: lots}\n', 'lots', /"lots" is not a size/],
    ['    - {kind: writable, service: web, path: relative}\n', 'relative', /absolute container path/],
    ['    - {kind: port, servce: web}\n', 'servce', /unknown key `servce`/],
    ['    - {kind: image-extras, service: wbe}\n', 'wbe', /"wbe" is not a service in this spec/],
  ])('reports a wrong entry at its line: %s', (entry, needle, message) => {
    const text = spec(`  checks:\n${entry}${services}`);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(lineOf(text, needle));
    expect(problems[0]!.message).toMatch(message);
  });

  it('two checks with the same id are an error', () => {
    const text = spec(`  checks:\n    - {kind: port}\n    - {kind: port}\n${services}`);
    expect(problemsOf(text).map((p) => p.message)).toEqual([expect.stringMatching(/two checks have the id "port"/)]);
  });
});

describe('x-coursedock.starter-notebooks', () => {
  it('needs a bind mount of its service at the target', () => {
    const text = spec(`  starter-notebooks: {source: nb, service: web, target: /home/elsewhere}\n${services}`);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/web has no folder from this computer mounted at \/home\/elsewhere \(its bind mounts: \/home\/nb\)/);
  });

  it('names a service of the spec', () => {
    const text = spec(`  starter-notebooks: {source: nb, service: webb, target: /home/nb}\n${services}`);
    expect(problemsOf(text).map((p) => p.message)).toEqual([expect.stringMatching(/"webb" is not a service.*web/)]);
  });

  it('a missing source folder is a warning, not an error', () => {
    const s = load(spec(`  starter-notebooks: {source: nowhere, service: web, target: /home/nb}\n${services}`));
    expect(s.meta.starterNotebooks).toEqual({ source: '/specs/course/nowhere', service: 'web', target: '/home/nb' });
    expect(s.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/"nowhere" is not a folder next to the spec/),
      // The (fake) course folder has no nb/ either: said too (spec/cross-checks.ts).
      expect.stringMatching(/^\/specs\/course\/nb does not exist: it is created/),
    ]);
  });
});

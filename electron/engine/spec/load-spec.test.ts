import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from './load-spec.js';
import { SpecError } from './spec-error.js';
import {
  FAKE_FILE,
  TM351_ENV,
  TM351_TEXT,
  expectOneProblem,
  lineOf,
  load,
  problemsOf,
  spec,
  tm351Dir,
} from './test-helpers.js';
import { stringMatching } from '../testing/matchers.js';

describe('the tm351 spec', () => {
  const dir = tm351Dir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const loaded = loadSpec(path.join(dir, 'compose.yml'), { env: TM351_ENV, text: TM351_TEXT });

  it('loads with the course metadata and variables', () => {
    expect(loaded.file).toBe(path.join(dir, 'compose.yml'));
    expect(loaded.dir).toBe(dir);
    expect(loaded.project).toBe(path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, ''));
    expect(loaded.meta.title).toBe('TM351 Data management and analysis');
    expect(loaded.meta.studentData).toEqual(['NOTEBOOKS_DIR', 'pgdata', 'mongodata', 'openrefinedata']);
    expect(loaded.meta.variables.map((v) => [v.name, v.kind, v.default])).toEqual([
      ['NOTEBOOK_TOKEN', 'token', undefined],
      ['NOTEBOOKS_DIR', 'folder', '~/Coursedock/tm351/notebooks'],
      ['NOTEBOOK_UID', 'host-uid', '1000'],
      ['MONGO_PASSWORD', 'token', undefined],
      ['MONGO_ADMIN_PASSWORD', 'token', undefined],
    ]);
    expect(loaded.warnings).toEqual([]);
    expect(Object.keys(loaded.services)).toEqual(['notebook', 'postgres', 'mongo', 'openrefine']);
  });

  it('normalizes the notebook service', () => {
    const notebook = loaded.services.notebook;
    expect(notebook).toMatchObject({
      name: 'notebook',
      image: 'coursedock/tm351-notebook:1',
      imageDeclared: true,
      build: { context: path.join(dir, 'notebook'), dockerfile: 'Dockerfile', args: {} },
      pullPolicy: 'missing',
      ports: [{ target: 8888, published: 8351, hostIp: '127.0.0.1', protocol: 'tcp' }],
      mounts: [{ type: 'bind', source: '/home/student/nb', target: '/home/student/notebooks', readOnly: false, createHostPath: true }],
      dependsOn: { postgres: 'service_healthy' },
      healthcheck: { intervalMs: 60000, timeoutMs: 3000, retries: 2, startPeriodMs: 60000 },
      meta: { title: 'Jupyter Notebook', icon: 'notebook', web: { port: 8888, path: '/p/tm351/notebook/tree?token=secret-token' } },
      location: { line: lineOf(TM351_TEXT, '/tm351-notebook:1') - 1, column: 3, path: 'services.notebook' },
    });
    expect(notebook?.environment.JUPYTER_TOKEN).toBe('secret-token');
    expect(notebook?.environment.NB_UID).toBe('1001');
    expect(notebook?.environment.PGPORT).toBe('5432');
    expect(notebook?.healthcheck?.test[0]).toBe('CMD');
  });

  it('normalizes postgres and mongo', () => {
    expect(loaded.services.postgres).toMatchObject({
      mounts: [{ type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false }],
      healthcheck: { test: ['CMD', 'postgres-healthcheck'], intervalMs: 60000, retries: 2, startPeriodMs: 120000 },
      meta: { connection: { kind: 'postgres', port: 5432, user: 'testuser', password: 'testpass', database: 'testdb' } },
    });
    expect(loaded.services.mongo).toMatchObject({
      image: 'mongo:7',
      imageDeclared: true,
      dependsOn: {},
      environment: { MONGO_INITDB_ROOT_PASSWORD: 'mongo-admin-secret', MONGO_STUDENT_USER: 'student', MONGO_STUDENT_PASSWORD: 'mongo-secret' },
      meta: { connection: { kind: 'mongodb', port: 27017, user: 'student', password: 'mongo-secret', database: 'tm351' } },
    });
    expect(loaded.services.mongo?.build).toBeUndefined();
    expect(loaded.volumes).toEqual({
      pgdata: { key: 'pgdata', dockerName: `${loaded.project}_pgdata`, external: false, labels: {} },
      mongodata: { key: 'mongodata', dockerName: `${loaded.project}_mongodata`, external: false, labels: {} },
      openrefinedata: { key: 'openrefinedata', dockerName: `${loaded.project}_openrefinedata`, external: false, labels: {} },
      // The replica-set activity's (profile replica-set, off here): declared, created only when planned.
      ...Object.fromEntries(
        [1, 2, 3].map((n) => [`mongo-rs${n}-data`, { key: `mongo-rs${n}-data`, dockerName: `${loaded.project}_mongo-rs${n}-data`, external: false, labels: {} }]),
      ),
    });
  });

  it('uses declared defaults for variables the engine did not supply, and the given project', () => {
    const home = '/home/someone';
    const spec2 = loadSpec(path.join(dir, 'compose.yml'), {
      env: { NOTEBOOK_TOKEN: 't', MONGO_PASSWORD: 'm', MONGO_ADMIN_PASSWORD: 'a', HOME: home },
      text: TM351_TEXT,
      project: 'tm351',
    });
    expect(spec2.project).toBe('tm351');
    expect(spec2.volumes.pgdata?.dockerName).toBe('tm351_pgdata');
    expect(spec2.services.notebook?.mounts[0]).toMatchObject({ source: path.join(home, 'Coursedock/tm351/notebooks') });
    expect(spec2.services.notebook?.environment.NB_UID).toBe('1000');
  });

  it('takes the web path prefix from COURSEDOCK_PROJECT when the engine supplies it', () => {
    const spec3 = loadSpec(path.join(dir, 'compose.yml'), { env: { ...TM351_ENV, COURSEDOCK_PROJECT: 'tm351-b' }, text: TM351_TEXT });
    expect(spec3.services.notebook?.meta.web?.path).toBe('/p/tm351-b/notebook/tree?token=secret-token');
    expect(spec3.services.notebook?.environment.NOTEBOOK_BASE_URL).toBe('/p/tm351-b/notebook/');
  });

  it('loads the real file from disk, with its build contexts', () => {
    const file = fileURLToPath(new URL('../../../compose-specs/tm351/compose.yml', import.meta.url));
    const real = loadSpec(file, { env: TM351_ENV });
    expect(real.project).toBe('tm351');
    expect(real.services.postgres?.build?.context).toBe(path.join(path.dirname(file), 'postgres'));
    expect(real.warnings).toEqual([]);
  });

  it('reports the missing build contexts when the folders do not exist', () => {
    const problems = problemsOf(TM351_TEXT, { env: TM351_ENV });
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [lineOf(TM351_TEXT, 'context: ./notebook'), 'services.notebook.build.context'],
      [lineOf(TM351_TEXT, 'context: ./postgres'), 'services.postgres.build.context'],
      [lineOf(TM351_TEXT, 'context: ./openrefine'), 'services.openrefine.build.context'],
    ]);
    expect(problems[0]?.message).toMatch(/build context "\.\/notebook" is not a folder/);
  });
});

describe('broken specs name file, line and problem', () => {
  it('bad YAML: an unclosed quote or bracket is reported where it was opened', () => {
    const quote = spec('services:\n  web:\n    image: "nginx\n    ports: [80]\n');
    const problem = expectOneProblem(quote, 'image: "nginx', /Missing closing "quote/);
    expect(problem).toMatchObject({ column: 12, path: 'services.web.image' });
    const bracket = spec('services:\n  web:\n    image: nginx\n    ports: [80\n');
    expect(expectOneProblem(bracket, 'ports: [80', /end with a ]/).path).toBe('services.web.ports[0]');
  });

  it('bad YAML: tabs, duplicate keys, several documents', () => {
    expectOneProblem(spec('services:\n  web:\n    image: nginx\n\tports: []\n'), '\tports', /Tabs are not allowed/);
    expectOneProblem(spec('services:\n  web:\n    image: nginx\n    image: httpd\n'), 'image: httpd', /unique/);
    expectOneProblem(spec('services:\n  web:\n    image: nginx\n---\nmore: 1\n'), '---', /a second YAML document starts here .*a Compose file is one document/);
  });

  it('an unknown key, with a suggestion', () => {
    const text = spec('services:\n  notebook:\n    imagee: jupyter/base\n');
    const problems = problemsOf(text);
    expect(problems.map((p) => p.message)).toContain(
      'unknown key `imagee` in services.notebook; did you mean `image`?',
    );
    const unknown = problems.find((p) => p.message.startsWith('unknown key'));
    expect(unknown).toMatchObject({ line: 5, column: 5, path: 'services.notebook.imagee' });
    // …and the service then has neither image nor build.
    expect(problems.some((p) => /needs `image:` or `build:`/.test(p.message))).toBe(true);
  });

  it('an unknown top-level key', () => {
    const text = spec('servics:\n  web:\n    image: nginx\n');
    expect(problemsOf(text)).toEqual([
      { file: FAKE_FILE, line: 1, column: 1, path: 'services', message: 'is required' },
      { file: FAKE_FILE, line: 3, column: 1, path: 'servics', message: 'unknown key `servics` at the top level; did you mean `services`?' },
    ]);
  });

  it('a port out of range', () => {
    const text = spec('services:\n  web:\n    image: nginx\n    ports:\n      - "99999:80"\n');
    const problem = expectOneProblem(text, '99999:80', /port 99999 is out of range \(1-65535\)/);
    expect(problem.path).toBe('services.web.ports[0]');
    expect(problem.column).toBe(9);
  });

  it('a port that is not a number', () => {
    expectOneProblem(spec('services:\n  web:\n    image: nginx\n    ports: ["8080:80", abc]\n'), 'abc', /invalid port "abc"/);
    expectOneProblem(spec('services:\n  web:\n    image: nginx\n    ports: [{target: 80, published: x}]\n'), 'published: x', /invalid port "x"/);
    expectOneProblem(spec('services:\n  web:\n    image: nginx\n    ports:\n      - 70000\n'), '70000', /out of range/);
  });

  it('a port range', () => {
    expectOneProblem(
      spec('services:\n  web:\n    image: nginx\n    ports:\n      - "8000-8010:8000-8010"\n'),
      '8000-8010',
      /port ranges .* are not supported/,
    );
  });

  it('a non-loopback or empty host address, short and long: published on 127.0.0.1 with a warning', () => {
    const shortText = spec('services:\n  web:\n    image: nginx\n    ports:\n      - "0.0.0.0:8080:80"\n      - ":2283:2283"\n');
    const short = load(shortText);
    expect(short.services.web?.ports.map((p) => [p.hostIp, p.published])).toEqual([['127.0.0.1', 8080], ['127.0.0.1', 2283]]);
    expect(short.warnings.map((w) => [w.line, w.path, w.message])).toEqual([
      [lineOf(shortText, '0.0.0.0'), 'services.web.ports[0]', expect.stringMatching(/^host address "0\.0\.0\.0" is not this computer only: Coursedock publishes the port on 127\.0\.0\.1 instead/)],
      [lineOf(shortText, ':2283:2283'), 'services.web.ports[1]', expect.stringMatching(/^an empty host address \(in Compose: every network interface\) .* on 127\.0\.0\.1 instead/)],
    ]);
    const long = load(spec('services:\n  web:\n    image: nginx\n    ports:\n      - target: 80\n        host_ip: 192.168.1.2\n'));
    expect(long.services.web?.ports[0]?.hostIp).toBe('127.0.0.1');
    expect(long.warnings.map((w) => w.path)).toEqual(['services.web.ports[0].host_ip']);
  });

  it('a service with neither image nor build', () => {
    const text = spec('services:\n  web:\n    ports: ["8080:80"]\n');
    const problem = expectOneProblem(text, '  web:', /service "web" needs `image:` or `build:`/);
    expect(problem).toMatchObject({ path: 'services.web', column: 3 });
  });

  it('a dependency cycle', () => {
    const text = spec(
      'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on:\n      c:\n        condition: service_started\n  c:\n    image: x\n    depends_on: [a]\n',
    );
    // Reported at the entry that closes the cycle.
    const problem = expectOneProblem(text, 'depends_on: [a]', /dependency cycle: a -> b -> c -> a/);
    expect(problem.path).toBe('services.c.depends_on[0]');
  });

  it('a service that depends on itself', () => {
    const text = spec('services:\n  a:\n    image: x\n    depends_on:\n      - a\n');
    expectOneProblem(text, '      - a', /dependency cycle: a -> a/);
  });

  it('an unknown depends_on target', () => {
    const text = spec('services:\n  web:\n    image: x\n    depends_on: [postgress]\n  postgres:\n    image: postgres\n');
    expectOneProblem(text, 'postgress', /depends on "postgress", which is not a service in this spec; did you mean `postgres`\?/);
  });

  it('an unset variable is the empty string with a warning at its line (as Compose)', () => {
    const text = spec('services:\n  web:\n    image: nginx\n    environment:\n      TOKEN: ${TOKEN}\n      AGAIN: x${TOKEN}\n');
    const loaded = load(text);
    expect(loaded.services.web?.environment).toEqual({ TOKEN: '', AGAIN: 'x' });
    expect(loaded.warnings).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'TOKEN: ${TOKEN}'),
        column: 14,
        path: 'services.web.environment.TOKEN',
        message: 'variable TOKEN is not set: using an empty string (set it in the environment or in .env next to the spec)',
      }),
    ]);
    expect(load(text, { env: { TOKEN: 'abc' } }).services.web?.environment.TOKEN).toBe('abc');
  });

  it('a required variable with a message', () => {
    const text = spec('services:\n  web:\n    image: nginx:${TAG:?set TAG to the image version}\n');
    expectOneProblem(text, 'image: nginx', /variable TAG is not set: set TAG to the image version/);
  });

  it('a malformed ${', () => {
    expectOneProblem(spec('services:\n  web:\n    image: "nginx:${TAG"\n'), 'image:', /unterminated `\$\{`/);
    expectOneProblem(spec('services:\n  web:\n    image: "nginx:${}"\n'), 'image:', /malformed/);
    expectOneProblem(spec('services:\n  web:\n    image: "nginx:${TAG:x}"\n'), 'image:', /malformed/);
  });

  it('interpolates values only, inside x-coursedock too, but not variable declarations', () => {
    const text =
      'x-coursedock:\n  title: ${TITLE}\n  variables:\n    V:\n      kind: value\n      default: $$not-${interpolated\n' +
      'services:\n  web:\n    image: nginx\n    labels:\n      ${KEY}: cost is $$5\n';
    const loaded = load(text, { env: { TITLE: 'A course' } });
    expect(loaded.meta.title).toBe('A course');
    expect(loaded.meta.variables[0]?.default).toBe('$$not-${interpolated');
    expect(loaded.services.web?.labels).toEqual({ '${KEY}': 'cost is $5' });
  });

  it('collects many problems at once, sorted by line', () => {
    const text = spec(
      'services:\n  a:\n    image: x\n    ports: ["99999:1"]\n    depends_on: [nope]\n  b:\n    ports: [abc]\n    volumes: ["undeclared:/data"]\n',
    );
    const problems = problemsOf(text);
    expect(problems.map((p) => p.line)).toEqual([6, 7, 8, 9, 10]);
    const error = (() => {
      try {
        load(text);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message.split('\n')[0]).toBe(
      `${FAKE_FILE}:6:13: services.a.ports[0]: port 99999 is out of range (1-65535)`,
    );
  });

  it('more problems: volumes, types, meta for a missing service (a missing title is the folder name)', () => {
    const text =
      'x-coursedock:\n  services:\n    ghost:\n      title: Nope\nservices:\n  web:\n    image: nginx\n    restart: sometimes\n' +
      '    healthcheck:\n      test: ["echo", "hi"]\n      interval: 5 seconds\n    shm_size: lots\n    tty: maybe\n    volumes:\n      - data:/x:rx\n      - relative/target:data\n';
    const problems = problemsOf(text);
    const at = (needle: string) => problems.filter((p) => p.line === lineOf(text, needle)).map((p) => p.message);
    expect(at('x-coursedock:')).toEqual([]);
    expect(at('ghost:')[0]).toMatch(/metadata for "ghost", which is not a service/);
    expect(at('tty: maybe')).toEqual(['expected true or false, got "maybe"']);
    // tty fails zod for the whole service, so its other fields are not normalized; fix and retry.
    const fixedText = text.replace('    tty: maybe\n', '');
    const fixed = problemsOf(fixedText);
    const fixedAt = (needle: string) => fixed.filter((p) => p.line === lineOf(fixedText, needle)).map((p) => p.message);
    expect(fixedAt('restart:')[0]).toMatch(/unknown restart policy "sometimes"/);
    expect(fixedAt('test: ["echo"')[0]).toMatch(/must start with "CMD" or "CMD-SHELL"/);
    expect(fixedAt('interval:')[0]).toMatch(/invalid duration "5 seconds"/);
    expect(fixedAt('shm_size:')[0]).toMatch(/invalid size "lots"/);
    expect(fixedAt('data:/x:rx')[0]).toMatch(/unknown volume option "rx"/);
    expect(fixedAt('relative/target:data')[0]).toMatch(/must be an absolute path/);
  });

  it('a wrong type names what was expected', () => {
    const text = spec(
      'services:\n  web:\n    image: nginx\n    ports: "8080:80"\n    environment: ["=x"]\n    command: {a: 1}\n    init: 3\n' +
        '    volumes:\n      - type: npipe\n        target: /x\n      - type: bind\n        source: /x\n',
    );
    expect(problemsOf(text).map((p) => [p.line, p.path, p.message])).toEqual([
      [lineOf(text, 'ports:'), 'services.web.ports', 'expected a list, got "8080:80"'],
      [lineOf(text, 'command:'), 'services.web.command', 'expected a string, a list or an empty value, got a mapping'],
      [lineOf(text, 'init:'), 'services.web.init', 'expected true or false, got 3'],
      [lineOf(text, 'npipe'), 'services.web.volumes[0].type', 'expected `volume`, `bind` or `tmpfs`, got "npipe"'],
      [lineOf(text, 'type: bind'), 'services.web.volumes[1].target', 'is required'],
    ]);
    const fixed = text.replace(/ {4}ports.*\n {4}environment/, '    environment').replace(/ {4}command.*\n {4}init: 3\n/, '').replace(/type: npipe/, 'type: tmpfs');
    expect(problemsOf(fixed.replace('        source: /x\n', '        source: /tmp\n        target: /y\n')).map((p) => p.message)).toEqual([
      'expected KEY=value, got "=x"',
    ]);
  });

  it('services are required and must not be empty; the file must be a mapping', () => {
    expect(problemsOf(spec('volumes: {}\n'))[0]).toMatchObject({ path: 'services', message: 'is required' });
    expect(problemsOf(spec('services: {}\n'))[0]?.message).toBe('a spec needs at least one service');
    expect(problemsOf('')[0]?.message).toBe('the spec is empty');
    expect(problemsOf('- a\n- b\n')[0]?.message).toMatch(/must be a mapping/);
  });

  it('a missing file is a SpecError too', () => {
    const missing = path.join(os.tmpdir(), 'coursedock-no-such-dir', 'compose.yml');
    expect(() => loadSpec(missing, { env: {} })).toThrow(SpecError);
  });
});

describe('warnings', () => {
  it('valid Compose keys that are not supported are warnings with their lines', () => {
    const text =
      'version: "3.9"\nname: demo\n' +
      spec(
        'services:\n  web:\n    image: nginx\n    container_name: web1\n    privileged: true\n    networks: [front]\n' +
          '    build:\n      context: /\n      cache_from: [x]\n    x-note: extension fields are fine\n' +
          '    healthcheck:\n      test: true-ish\n      start_interval: 1s\n' +
          'networks:\n  front: {}\nsecrets: {}\nx-anchors:\n  anything: goes\n',
      );
    const loaded = load(text);
    expect(loaded.warnings.map((w) => [w.line, w.column, w.path])).toEqual([
      [1, 1, 'version'],
      [lineOf(text, 'container_name'), 5, 'services.web.container_name'],
      [lineOf(text, 'privileged'), 5, 'services.web.privileged'],
      [lineOf(text, 'cache_from'), 7, 'services.web.build.cache_from'],
      [lineOf(text, 'start_interval'), 7, 'services.web.healthcheck.start_interval'],
    ]);
    // Supported since: the project name, networks and secrets.
    expect(loaded.project).toBe('demo');
    expect(loaded.services.web?.networks).toEqual({ front: { aliases: [] } });
    expect(loaded.warnings[0]?.message).toBe('`version` is obsolete in Compose and is ignored');
    expect(loaded.warnings[1]?.message).toBe('`container_name` is a Compose key that Coursedock does not support yet; it is ignored');
    expect(loaded.services.web?.build?.context).toBe('/');
    expect(loaded.services.web?.image).toBe('nginx');
  });

  it('a student-data entry that names nothing is a warning', () => {
    const text = 'x-coursedock:\n  title: T\n  student-data: [pgdata, typo]\nservices:\n  db:\n    image: postgres\n    volumes: [pgdata:/var/lib/postgresql/data]\nvolumes:\n  pgdata:\n';
    const loaded = load(text);
    expect(loaded.warnings).toEqual([
      expect.objectContaining({ line: 3, path: 'x-coursedock.student-data[1]', message: stringMatching(/"typo" is not a volume/) }),
    ]);
  });
});

describe('normalization details', () => {
  it('derives the image from the project when only build is given', () => {
    const text = spec('services:\n  Notebook:\n    build: /\n');
    const loaded = load(text, { project: 'tm351' });
    expect(loaded.services.Notebook).toMatchObject({ image: 'tm351-notebook', imageDeclared: false, build: { context: '/' } });
  });

  it('derives the project from the spec folder', () => {
    const text = spec('services:\n  web:\n    image: nginx\n');
    expect(loadSpec('/specs/My Course.v2/compose.yml', { env: {}, text }).project).toBe('mycoursev2');
  });

  it('resolves bind sources: ~, relative and absolute', () => {
    const text = spec('services:\n  web:\n    image: nginx\n    volumes:\n      - ~/nb:/a\n      - ./data:/b:ro\n      - ../up:/c\n      - /abs/x:/d\n      - /anon\n');
    const mounts = load(text, { env: { HOME: '/home/me' } }).services.web?.mounts;
    expect(mounts).toEqual([
      { type: 'bind', source: '/home/me/nb', target: '/a', readOnly: false, createHostPath: true },
      { type: 'bind', source: '/specs/course/data', target: '/b', readOnly: true, createHostPath: true },
      { type: 'bind', source: '/specs/up', target: '/c', readOnly: false, createHostPath: true },
      { type: 'bind', source: '/abs/x', target: '/d', readOnly: false, createHostPath: true },
      { type: 'volume', target: '/anon', readOnly: false },
    ]);
  });

  it('an undeclared named volume is an error', () => {
    const text = spec('services:\n  db:\n    image: postgres\n    volumes: ["pgdta:/data"]\nvolumes:\n  pgdata:\n');
    expectOneProblem(text, 'pgdta', /volume "pgdta" is not declared in the top-level `volumes:` section; did you mean `pgdata`\?/);
  });

  it('names volumes: project prefix, name:, external', () => {
    const text = spec('services:\n  db:\n    image: postgres\nvolumes:\n  a:\n  b: {}\n  c:\n    name: shared\n  d:\n    external: true\n  e:\n    external: true\n    name: other\n    labels: [k=v]\n');
    const volumes = load(text, { project: 'p' }).volumes;
    expect(Object.values(volumes).map((v) => [v.key, v.dockerName, v.external])).toEqual([
      ['a', 'p_a', false],
      ['b', 'p_b', false],
      ['c', 'shared', false],
      ['d', 'd', true],
      ['e', 'other', true],
    ]);
    expect(volumes.e?.labels).toEqual({ k: 'v' });
  });

  it('parses commands, sizes, durations and the rest', () => {
    const text = spec(
      'services:\n  web:\n    image: nginx\n    pull_policy: if_not_present\n    command: python -c "print(\'a b\')" \'x y\' z\\ w\n' +
        '    entrypoint: [/bin/sh, -c]\n    shm_size: 64m\n    stop_grace_period: 1m30s\n    restart: unless-stopped\n' +
        '    user: 1000\n    working_dir: /work\n    hostname: box\n    init: true\n    tty: "true"\n    stdin_open: false\n' +
        '    environment: [A=1, B=x=y, HOME_DIR]\n    labels: {a: 1, b: true}\n    healthcheck:\n      test: curl -f http://localhost\n      timeout: 500ms\n      retries: ${RETRIES}\n',
    );
    const web = load(text, { env: { HOME_DIR: '/h', RETRIES: '3' } }).services.web;
    expect(web).toMatchObject({
      pullPolicy: 'missing',
      command: ['python', '-c', "print('a b')", 'x y', 'z w'],
      entrypoint: ['/bin/sh', '-c'],
      shmSizeBytes: 64 * 1024 * 1024,
      stopGracePeriodMs: 90_000,
      restart: 'unless-stopped',
      user: '1000',
      workingDir: '/work',
      hostname: 'box',
      init: true,
      tty: true,
      stdinOpen: false,
      environment: { A: '1', B: 'x=y', HOME_DIR: '/h' },
      labels: { a: '1', b: 'true' },
      healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost'], timeoutMs: 500, retries: 3 },
    });
  });

  it('disables a healthcheck and supports build args and anchors with merge keys', () => {
    const text =
      'x-coursedock:\n  title: T\nx-base: &base\n  image: nginx\n  environment:\n    SHARED: "1"\n' +
      'services:\n  a:\n    <<: *base\n    healthcheck:\n      disable: true\n  b:\n    <<: *base\n    image: httpd\n    build:\n      context: /\n      dockerfile: Containerfile\n      target: dev\n      args:\n        V: 2\n        FROM_ENV:\n';
    const loaded = load(text, { env: { FROM_ENV: 'e' } });
    expect(loaded.services.a).toMatchObject({ image: 'nginx', environment: { SHARED: '1' }, healthcheck: { test: ['NONE'] } });
    expect(loaded.services.b).toMatchObject({
      image: 'httpd',
      build: { context: '/', dockerfile: 'Containerfile', target: 'dev', args: { V: '2', FROM_ENV: 'e' } },
    });
  });

  it('reports a problem inside merged content at the anchor line', () => {
    const text = 'x-coursedock:\n  title: T\nx-base: &base\n  ports: ["1:99999"]\nservices:\n  a:\n    image: x\n    <<: *base\n';
    expectOneProblem(text, '1:99999', /out of range/);
  });

  it('service metadata: defaults and checks', () => {
    const text =
      'x-coursedock:\n  title: T\n  services:\n    db:\n      connection:\n        kind: postgres\n        port: "5432"\n        password: 1234\n        env-vars: {url: DATABASE_URL}\n    web:\n      web: {port: 80}\n' +
      'services:\n  db:\n    image: postgres\n  web:\n    image: nginx\n  other:\n    image: x\n';
    const loaded = load(text);
    expect(loaded.services.db?.meta).toEqual({
      title: 'db',
      connection: { kind: 'postgres', port: 5432, password: '1234', envVars: { url: 'DATABASE_URL' } },
    });
    expect(loaded.services.web?.meta).toEqual({ title: 'web', web: { port: 80, path: '/' } });
    expect(loaded.services.other?.meta).toEqual({ title: 'other' });
  });
});

describe('the Docker socket is never given to a container', () => {
  it.each([
    '/var/run/docker.sock:/var/run/docker.sock',
    '/run/docker.sock:/tmp/d.sock',
    '/var/run:/host-run',
    '~/.docker/run/docker.sock:/d.sock',
  ])('refuses the bind mount %s with its line', (mount) => {
    const text = `x-coursedock:\n  title: T\nservices:\n  ui:\n    image: x:1\n    volumes:\n      - ${mount}\n`;
    const err = (() => {
      try {
        loadSpec('/specs/c/compose.yml', { env: {}, text });
      } catch (e) {
        return e as SpecError;
      }
      throw new Error('loaded');
    })();
    expect(err.problems[0]).toMatchObject({ line: 7, message: stringMatching(/Docker socket/) });
  });
});

// Compose's own loading rules, one construct at a time: .env and --env-file, env_file, unset
// variables, extends (same and other file), anchors and merge keys, profiles, secrets and
// configs, networks, external in every syntax, deploy.resources, the schema, and x-coursedock
// being optional.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec, type LoadSpecOptions } from './load-spec.js';
import { SpecError } from './spec-error.js';
import { lineOf } from './test-helpers.js';
import type { CourseSpec, SpecProblem } from './types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A course folder holding `files` (compose.yml among them); returns its compose.yml path. */
function course(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coursedock-compose-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return path.join(dir, 'compose.yml');
}

function load(file: string, options: Partial<LoadSpecOptions> = {}): CourseSpec {
  return loadSpec(file, { env: { HOME: path.dirname(file) }, secretsDir: path.join(path.dirname(file), '.secrets'), ...options });
}

function problems(file: string, options: Partial<LoadSpecOptions> = {}): SpecProblem[] {
  try {
    load(file, options);
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('expected the spec to fail');
}

describe('a plain Compose file (no x-coursedock)', () => {
  it('opens: titled after the folder, services after their names, a web UI from an HTTP port', () => {
    const file = course({ 'compose.yml': 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n  db:\n    image: postgres\n    ports: ["5432:5432"]\n' });
    const spec = load(file);
    expect(spec.meta.title).toBe(path.basename(path.dirname(file)));
    expect(spec.services.web?.meta).toEqual({ title: 'web', web: { port: 80, path: '/' } });
    expect(spec.services.db?.meta).toEqual({ title: 'db' });
    expect(spec.warnings).toEqual([]);
  });

  it('takes its title from `name:`, and its project too', () => {
    const spec = load(course({ 'compose.yml': 'name: my-app\nservices:\n  web:\n    image: nginx\n' }));
    expect(spec.meta.title).toBe('my-app');
    expect(spec.project).toBe('my-app');
  });
});

describe('.env, --env-file and variables', () => {
  it('reads .env next to the file; the shell wins; unset is empty with one warning', () => {
    const file = course({
      '.env': '# comment\nTAG=1.25\nexport GREETING="hello\\nworld"\nRAW=\'$NOT_EXPANDED\'\nDERIVED=${TAG}-x # a comment\n',
      'compose.yml': 'services:\n  web:\n    image: nginx:${TAG}\n    environment:\n      G: ${GREETING}\n      R: ${RAW}\n      D: ${DERIVED}\n      S: ${SHELL_ONLY}\n      U: ${UNSET}\n      L: cost 5$\n',
    });
    const spec = load(file, { env: { SHELL_ONLY: 'from shell', TAG: '1.27' } });
    expect(spec.services.web?.image).toBe('nginx:1.27');
    expect(spec.services.web?.environment).toEqual({ G: 'hello\nworld', R: '$NOT_EXPANDED', D: '1.25-x', S: 'from shell', U: '', L: 'cost 5$' });
    expect(spec.warnings.map((w) => [w.line, w.message])).toEqual([[9, expect.stringMatching(/^variable UNSET is not set: using an empty string/)]]);
  });

  it('--env-file replaces .env; a missing one is an error naming it', () => {
    const file = course({ '.env': 'TAG=from-dotenv\n', 'other.env': 'TAG=from-other\n', 'compose.yml': 'services:\n  web:\n    image: nginx:${TAG}\n' });
    expect(load(file, { envFiles: ['other.env'] }).services.web?.image).toBe('nginx:from-other');
    const [problem] = problems(file, { envFiles: ['missing.env'] });
    expect(problem?.message).toMatch(/env file .*missing\.env does not exist/);
  });

  it('declared x-coursedock defaults are the last resort; ${VAR:?msg} stays an error', () => {
    const file = course({
      '.env': 'B=from-dotenv\n',
      'compose.yml': 'x-coursedock:\n  variables:\n    A: {kind: value, default: from-default}\n    B: {kind: value, default: from-default}\nservices:\n  web:\n    image: nginx\n    environment: ["A=${A}", "B=${B}"]\n    command: echo ${NEED:?set NEED}\n',
    });
    const [problem] = problems(file);
    expect(problem).toMatchObject({ line: 9, message: 'variable NEED is not set: set NEED' });
    const spec = load(file, { env: { NEED: 'x' } });
    expect(spec.services.web?.environment).toEqual({ A: 'from-default', B: 'from-dotenv' });
  });

  it('an env file problem is reported at the env file line', () => {
    const file = course({ '.env': 'GOOD=1\nnot a line\n', 'compose.yml': 'services:\n  web:\n    image: nginx\n' });
    const [problem] = problems(file);
    expect(problem).toMatchObject({ file: path.join(path.dirname(file), '.env'), line: 2 });
  });
});

describe('env_file', () => {
  it('every form; environment: wins; required: false skips a missing file', () => {
    const file = course({
      'a.env': 'A=1\nSHARED=from-a\n',
      'b.env': 'B=2\nSHARED=from-b\nREF=${HOST_VALUE}\n',
      'compose.yml':
        'services:\n  one:\n    image: x\n    env_file: a.env\n  two:\n    image: x\n    env_file: [a.env, b.env]\n    environment: {B: over}\n' +
        '  three:\n    image: x\n    env_file:\n      - path: ./b.env\n      - path: ./optional.env\n        required: false\n',
    });
    const spec = load(file, { env: { HOST_VALUE: 'h' } });
    expect(spec.services.one?.environment).toEqual({ A: '1', SHARED: 'from-a' });
    expect(spec.services.two?.environment).toEqual({ A: '1', B: 'over', SHARED: 'from-b', REF: 'h' });
    expect(spec.services.three?.environment).toEqual({ B: '2', SHARED: 'from-b', REF: 'h' });
  });

  it('a missing required env file is an error at its line', () => {
    const file = course({ 'compose.yml': 'services:\n  web:\n    image: x\n    env_file: [nope.env]\n' });
    const [problem] = problems(file);
    expect(problem).toMatchObject({ line: 4, path: 'services.web.env_file[0]' });
    expect(problem?.message).toMatch(/env file "nope.env" does not exist.*required: false/);
  });
});

describe('extends, anchors and merge keys', () => {
  it('same file: mappings merged, sequences appended, volumes by target, command replaced', () => {
    const text =
      'x-common: &common\n  restart: always\n  labels: {team: data}\nservices:\n' +
      '  base:\n    <<: *common\n    image: python:3\n    environment: {A: "1", B: "1"}\n    ports: ["8000"]\n    volumes: ["/tmp/a:/data", "/tmp/b:/cache"]\n    command: base\n' +
      '  worker:\n    extends: base\n    environment: [B=2, C=3]\n    ports: ["8001"]\n    volumes: ["/tmp/c:/data"]\n    command: [work]\n' +
      '  deeper:\n    extends: {service: worker}\n    image: python:3.12\n';
    const spec = load(course({ 'compose.yml': text }));
    const worker = spec.services.worker;
    expect(worker).toMatchObject({ image: 'python:3', restart: 'always', labels: { team: 'data' }, command: ['work'] });
    expect(worker?.environment).toEqual({ A: '1', B: '2', C: '3' });
    expect(worker?.ports.map((p) => p.target)).toEqual([8000, 8001]);
    expect(worker?.mounts.map((m) => [m.target, m.type === 'bind' ? m.source : ''])).toEqual([['/cache', '/tmp/b'], ['/data', '/tmp/c']]);
    expect(spec.services.deeper).toMatchObject({ image: 'python:3.12', command: ['work'], environment: { A: '1', B: '2', C: '3' } });
  });

  it('another file: its relative paths are its own folder', () => {
    const file = course({
      'common/base.yml': 'services:\n  app:\n    build: ./app\n    env_file: app.env\n    environment: {FROM: base}\n',
      'common/app.env': 'IN_FILE=yes\n',
      'common/app/Dockerfile': 'FROM scratch\n',
      'compose.yml': 'services:\n  web:\n    extends:\n      file: common/base.yml\n      service: app\n    environment: {OWN: "1"}\n',
    });
    const spec = load(file);
    expect(spec.services.web?.build?.context).toBe(path.join(path.dirname(file), 'common', 'app'));
    expect(spec.services.web?.environment).toEqual({ IN_FILE: 'yes', FROM: 'base', OWN: '1' });
  });

  it('an unknown base and a cycle are errors at the extends line', () => {
    const text = 'services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: x\n    extends: a\n  c:\n    extends: ghost\n';
    const found = problems(course({ 'compose.yml': text }));
    expect(found.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/extends cycle: a -> b -> a/), expect.stringMatching(/extends "ghost", which is not a service in this file/)]));
    expect(found.find((p) => /ghost/.test(p.message))?.line).toBe(lineOf(text, 'extends: ghost'));
  });
});

describe('profiles', () => {
  const text =
    'services:\n  web:\n    image: x\n  debug:\n    image: x\n    profiles: [debug]\n  metrics:\n    image: x\n    profiles: [monitoring, all]\n' +
    '  probe:\n    image: x\n    profiles: [monitoring]\n    depends_on: [metrics]\n';

  it('services of inactive profiles are not planned', () => {
    const spec = load(course({ 'compose.yml': text }));
    expect(Object.keys(spec.services)).toEqual(['web']);
    expect(spec.inactiveServices).toEqual({ debug: ['debug'], metrics: ['monitoring', 'all'], probe: ['monitoring'] });
  });

  it('--profile and COMPOSE_PROFILES (also from .env) activate them; * activates all', () => {
    expect(Object.keys(load(course({ 'compose.yml': text }), { profiles: ['monitoring'] }).services)).toEqual(['web', 'metrics', 'probe']);
    expect(Object.keys(load(course({ 'compose.yml': text }), { env: { COMPOSE_PROFILES: 'debug' } }).services)).toEqual(['web', 'debug']);
    expect(Object.keys(load(course({ 'compose.yml': text, '.env': 'COMPOSE_PROFILES=debug,monitoring\n' })).services)).toHaveLength(4);
    expect(load(course({ 'compose.yml': text }), { profiles: ['*'] }).activeProfiles).toEqual(['*']);
  });

  it('an active service depending on an inactive one is an error naming the profile', () => {
    const broken = 'services:\n  web:\n    image: x\n    depends_on: [db]\n  db:\n    image: x\n    profiles: [db]\n';
    const [problem] = problems(course({ 'compose.yml': broken }));
    expect(problem?.message).toMatch(/web depends on db, which runs only with the profile "db": activate it \(--profile db\)/);
  });

  it('a dependency on an inactive service that says required: false is dropped, the others kept', () => {
    const text =
      'services:\n  web:\n    image: x\n    depends_on:\n      db: {condition: service_started, required: false}\n      cache: {condition: service_healthy}\n' +
      '  db:\n    image: x\n    profiles: [db]\n  cache:\n    image: x\n';
    const spec = load(course({ 'compose.yml': text }));
    expect(spec.services.web?.dependsOn).toEqual({ cache: 'service_healthy' });
    expect(load(course({ 'compose.yml': text }), { profiles: ['db'] }).services.web?.dependsOn).toEqual({ db: 'service_started', cache: 'service_healthy' });
  });
});

describe('secrets and configs', () => {
  it('are read-only mounts at /run/secrets/<name> and /<name> (or their target)', () => {
    const file = course({
      'db_password.txt': 's3cret\n',
      'app.conf': 'x=1\n',
      'compose.yml':
        'services:\n  db:\n    image: postgres\n    environment: {POSTGRES_PASSWORD_FILE: /run/secrets/db_password}\n    secrets: [db_password, {source: api_key, target: key}]\n    configs: [app_conf, {source: inline, target: /etc/inline.conf}]\n' +
        'secrets:\n  db_password:\n    file: ./db_password.txt\n  api_key:\n    environment: API_KEY\nconfigs:\n  app_conf:\n    file: app.conf\n  inline:\n    content: hello ${WHO}\n',
    });
    const dir = path.dirname(file);
    const spec = load(file, { env: { HOME: dir, API_KEY: 'k-123', WHO: 'you' } });
    const mounts = spec.services.db?.mounts ?? [];
    expect(mounts).toEqual([
      { type: 'bind', source: path.join(dir, 'db_password.txt'), target: '/run/secrets/db_password', readOnly: true, createHostPath: false },
      { type: 'bind', source: path.join(dir, '.secrets', 'secrets-api_key'), target: '/run/secrets/key', readOnly: true, createHostPath: false },
      { type: 'bind', source: path.join(dir, 'app.conf'), target: '/app_conf', readOnly: true, createHostPath: false },
      { type: 'bind', source: path.join(dir, '.secrets', 'configs-inline'), target: '/etc/inline.conf', readOnly: true, createHostPath: false },
    ]);
    expect(fs.readFileSync(path.join(dir, '.secrets', 'secrets-api_key'), 'utf8')).toBe('k-123');
    expect(fs.readFileSync(path.join(dir, '.secrets', 'configs-inline'), 'utf8')).toBe('hello you');
  });

  it('an undeclared secret, a missing file and a Swarm-only external secret are errors', () => {
    const text =
      'services:\n  db:\n    image: x\n    secrets: [nope, gone, swarm]\nsecrets:\n  gone:\n    file: ./gone.txt\n  swarm:\n    external: true\n';
    const found = problems(course({ 'compose.yml': text })).map((p) => p.message);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/secret "nope" is not declared/),
        expect.stringMatching(/"\.\/gone\.txt" does not exist/),
        expect.stringMatching(/external secrets exist only in Docker Swarm/),
      ]),
    );
  });

  it('a secret file is judged like a bind source (no /etc/shadow without an opt-in)', () => {
    const found = problems(course({ 'compose.yml': 'services:\n  db:\n    image: x\n    secrets: [s]\nsecrets:\n  s:\n    file: /etc/shadow\n' }));
    expect(found[0]?.message).toMatch(/a course may not bind-mount it/);
  });
});

describe('networks, external, resources', () => {
  it('networks with aliases and internal; a service with none is on the default network', () => {
    const text =
      'services:\n  api:\n    image: x\n    networks:\n      back:\n        aliases: [api.internal]\n      default:\n  web:\n    image: x\n' +
      'networks:\n  back:\n    internal: true\n  shared:\n    external: true\n    name: shared-net\n  old:\n    external:\n      name: legacy-net\n';
    const spec = load(course({ 'compose.yml': text }), { project: 'p' });
    expect(spec.services.api?.networks).toEqual({ back: { aliases: ['api.internal'] }, default: { aliases: [] } });
    expect(spec.services.web?.networks).toBeUndefined();
    expect(spec.networks).toEqual({
      back: { key: 'back', dockerName: 'p_back', external: false, internal: true, labels: {} },
      shared: { key: 'shared', dockerName: 'shared-net', external: true, internal: false, labels: {} },
      old: { key: 'old', dockerName: 'legacy-net', external: true, internal: false, labels: {} },
    });
    expect(spec.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/old syntax: write `external: true` and `name: …`/)]);
  });

  it('external volumes in every syntax', () => {
    const text = 'services:\n  db:\n    image: x\n    volumes: [va:/a, vb:/b, vc:/c]\nvolumes:\n  va:\n    external: true\n  vb:\n    external: true\n    name: real-b\n  vc:\n    external: {name: real-c}\n';
    const spec = load(course({ 'compose.yml': text }));
    expect(Object.values(spec.volumes).map((v) => [v.dockerName, v.external])).toEqual([['va', true], ['real-b', true], ['real-c', true]]);
  });

  it('an undeclared network is an error with a suggestion', () => {
    const [problem] = problems(course({ 'compose.yml': 'services:\n  a:\n    image: x\n    networks: [bak]\nnetworks:\n  back: {}\n' }));
    expect(problem?.message).toMatch(/network "bak" is not declared.*did you mean `back`/);
  });

  it('deploy.resources limits and reservations; the older cpus / mem_limit too', () => {
    const text =
      'services:\n  a:\n    image: x\n    deploy:\n      resources:\n        limits: {cpus: "0.5", memory: 512M}\n        reservations: {cpus: 0.25, memory: 128m}\n' +
      '  b:\n    image: x\n    cpus: 1.5\n    mem_limit: 1g\n';
    const spec = load(course({ 'compose.yml': text }));
    expect(spec.services.a?.resources).toEqual({ limits: { cpus: 0.5, memoryBytes: 512 * 1024 ** 2 }, reservations: { cpus: 0.25, memoryBytes: 128 * 1024 ** 2 } });
    expect(spec.services.b?.resources).toEqual({ limits: { cpus: 1.5, memoryBytes: 1024 ** 3 } });
  });
});

describe('the Compose Specification schema', () => {
  it('reports what our rules do not check (a wrong type in a key we ignore), at its line', () => {
    const text = 'services:\n  web:\n    image: nginx\n    cap_add: 5\n    logging:\n      driver: [json]\n';
    const found = problems(course({ 'compose.yml': text }));
    expect(found.map((p) => [p.line, p.path, p.message])).toEqual([
      [4, 'services.web.cap_add', 'not valid Compose: must be a list'],
      [6, 'services.web.logging.driver', 'not valid Compose: must be a string'],
    ]);
  });

  it('accepts interpolated numbers and booleans (Compose casts them), and says a problem once', () => {
    const file = course({ 'compose.yml': 'services:\n  web:\n    image: nginx\n    ports: [{target: "${PORT}", published: "8080"}]\n    init: "${INIT}"\n    restart: sometimes\n' });
    const found = problems(file, { env: { PORT: '80', INIT: 'true' } });
    expect(found.map((p) => p.message)).toEqual([expect.stringMatching(/unknown restart policy "sometimes"/)]);
  });
});

describe('Compose v1 files', () => {
  const V1 =
    'web:\n  build: ./web\n  dockerfile: Dockerfile.dev\n  links:\n    - db\n    - cache:redis\n  volumes_from:\n    - data\n  ports:\n    - "8080:80"\n' +
    'db:\n  image: postgres:9.6\n  volumes_from:\n    - data:ro\n  net: bridge\ncache:\n  image: redis\ndata:\n  image: busybox\n  volumes:\n    - /var/lib/postgresql/data\n';

  it('is read as if its services were under services:, with one warning per converted construct', () => {
    const file = course({ 'compose.yml': V1, 'web/Dockerfile.dev': 'FROM scratch\n' });
    const spec = load(file, { project: 'old' });
    expect(Object.keys(spec.services)).toEqual(['web', 'db', 'cache', 'data']);
    const web = spec.services.web;
    expect(web?.build).toMatchObject({ context: path.join(path.dirname(file), 'web'), dockerfile: 'Dockerfile.dev' });
    expect(web?.dependsOn).toEqual({ db: 'service_started', cache: 'service_started' });
    expect(spec.services.cache?.networks).toEqual({ default: { aliases: ['redis'] } });
    // The data container's anonymous volume is now a named volume both services mount.
    expect(spec.volumes['data-var-lib-postgresql-data']).toMatchObject({ dockerName: 'old_data-var-lib-postgresql-data' });
    const shared = { type: 'volume', source: 'data-var-lib-postgresql-data', target: '/var/lib/postgresql/data' };
    expect(spec.services.data?.mounts).toEqual([{ ...shared, readOnly: false }]);
    expect(web?.mounts).toEqual([{ ...shared, readOnly: false }]);
    expect(spec.services.db?.mounts).toEqual([{ ...shared, readOnly: true }]);
    const words = spec.warnings.map((w) => `${w.line}: ${w.message}`);
    expect(words).toEqual([
      expect.stringMatching(/^1: this is a Compose v1 file \(services at the top level\): read as if web, db, cache, data were under `services:`/),
      expect.stringMatching(/^3: `dockerfile:` \(Compose v1\) read as `build.dockerfile`/),
      expect.stringMatching(/^5: `links: db` converted: db is reachable by its name, and web starts after db/),
      expect.stringMatching(/^6: `links: cache:redis` converted: "redis" is a network alias of cache, and web starts after cache/),
      expect.stringMatching(/^8: `volumes_from: data` converted: web mounts data's volumes \(its anonymous \/var\/lib\/postgresql\/data → volume data-var-lib-postgresql-data/),
      expect.stringMatching(/^14: `volumes_from: data:ro` converted: db mounts data's volumes read-only$/),
      expect.stringMatching(/^15: `net: bridge` \(Compose v1\) is ignored/),
    ]);
  });

  it('what cannot be converted is refused with one message naming the v1 construct and the change', () => {
    const found = problems(course({ 'compose.yml': 'web:\n  image: nginx\n  net: host\n' }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 3, path: 'services.web.net' });
    expect(found[0]?.message).toMatch(/this Compose v1 file uses `net: host`.*remove `net` and publish the ports the service needs under `ports:`/);
  });

  it('log_driver and log_opt are dropped, each with a warning', () => {
    const spec = load(course({ 'compose.yml': 'web:\n  image: nginx\n  log_driver: syslog\n  log_opt:\n    tag: web\n' }));
    expect(spec.services.web?.image).toBe('nginx');
    expect(spec.warnings.map((w) => `${w.line}: ${w.message}`)).toEqual([
      expect.stringMatching(/^1: this is a Compose v1 file/),
      "3: `log_driver` (Compose v1) is ignored: Coursedock keeps Docker's default logging",
      "4: `log_opt` (Compose v1) is ignored: Coursedock keeps Docker's default logging",
    ]);
  });

  it('links and volumes_from in a newer file are converted the same way', () => {
    const text = 'services:\n  web:\n    image: nginx\n    links: ["db:database"]\n  db:\n    image: postgres\n';
    const spec = load(course({ 'compose.yml': text }));
    expect(spec.services.db?.networks).toEqual({ default: { aliases: ['database'] } });
    expect(spec.warnings).toHaveLength(1);
  });
});

// The corpus (README.md here): Compose files written the way real projects write them. Each
// loads with exactly the warnings listed (key path + what it says), and nothing in a service is
// dropped silently: every key a service writes is either applied (checked below against the
// normalized spec) or named by a warning.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSpec, type LoadSpecOptions } from '../load-spec.js';
import { SpecError } from '../spec-error.js';
import type { CourseSpec } from '../types.js';
import { stringMatching } from '../../testing/matchers.js';

const CORPUS = path.dirname(fileURLToPath(import.meta.url));
const HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-corpus-home-'));
afterAll(() => fs.rmSync(HOME, { recursive: true, force: true }));

/** Service keys the loader turns into something (each is checked where it can be). */
const APPLIED = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'volumes', 'depends_on', 'healthcheck',
  'restart', 'user', 'working_dir', 'hostname', 'labels', 'shm_size', 'init', 'tty', 'stdin_open', 'stop_grace_period',
  'pull_policy', 'profiles', 'extends', 'secrets', 'configs', 'networks', 'deploy', 'links', 'volumes_from',
]);

interface Case {
  folder: string;
  file?: string;
  options?: Partial<LoadSpecOptions>;
  services: string[];
  inactive?: string[];
  /** [key path, what the warning says], in the order of the file. */
  warnings: Array<[string, RegExp]>;
  check?: (spec: CourseSpec) => void;
}

function load(c: Case): CourseSpec {
  const file = path.join(CORPUS, c.folder, c.file ?? 'compose.yaml');
  try {
    return loadSpec(file, { env: { HOME }, secretsDir: path.join(HOME, 'secrets'), ...c.options });
  } catch (error) {
    if (error instanceof SpecError) throw new Error(`${c.folder} did not load:\n${error.message}`);
    throw error;
  }
}

type RawService = Record<string, unknown>;

/** The services as written (anchors merged), v1 files' top-level ones included. */
function rawServices(c: Case): Record<string, RawService> {
  const doc = parse(fs.readFileSync(path.join(CORPUS, c.folder, c.file ?? 'compose.yaml'), 'utf8'), { merge: true }) as Record<string, unknown>;
  const services = doc.services as Record<string, RawService> | undefined;
  if (services) return services;
  return Object.fromEntries(Object.entries(doc).filter(([k, v]) => !k.startsWith('x-') && k !== 'version' && typeof v === 'object')) as Record<string, RawService>;
}

const envKeys = (raw: unknown): string[] =>
  Array.isArray(raw) ? raw.map((e) => String(e).split('=')[0]!) : Object.keys((raw as Record<string, unknown> | undefined) ?? {});

/** Every key a service writes is applied or warned about; what is applied is there. */
function expectNothingDropped(c: Case, spec: CourseSpec): void {
  const warned = (prefix: string) => spec.warnings.some((w) => w.path === prefix || w.path.startsWith(`${prefix}.`) || w.path.startsWith(`${prefix}[`));
  for (const [name, raw] of Object.entries(rawServices(c))) {
    if (c.inactive?.includes(name)) continue;
    const service = spec.services[name];
    expect(service, `${c.folder}: service ${name}`).toBeDefined();
    if (!service) continue;
    for (const key of Object.keys(raw)) {
      const at = `services.${name}.${key}`;
      expect(APPLIED.has(key) || warned(at), `${c.folder}: ${at} is neither applied nor warned about`).toBe(true);
    }
    for (const key of envKeys(raw.environment)) {
      expect(Object.keys(service.environment), `${c.folder}: ${name} environment`).toContain(key);
    }
    if (Array.isArray(raw.ports)) expect(service.ports, `${c.folder}: ${name} ports`).toHaveLength(raw.ports.length);
    if (Array.isArray(raw.volumes)) expect(service.mounts.length, `${c.folder}: ${name} mounts`).toBeGreaterThanOrEqual(raw.volumes.length);
    for (const key of envKeys(raw.depends_on)) expect(Object.keys(service.dependsOn), `${c.folder}: ${name} depends_on`).toContain(key.split(':')[0]);
    if (raw.command !== undefined) expect(service.command, `${c.folder}: ${name} command`).toBeDefined();
    if (raw.entrypoint !== undefined) expect(service.entrypoint, `${c.folder}: ${name} entrypoint`).toBeDefined();
    if (raw.healthcheck !== undefined) expect(service.healthcheck, `${c.folder}: ${name} healthcheck`).toBeDefined();
    if (raw.restart !== undefined) expect(service.restart, `${c.folder}: ${name} restart`).toBe(typeof raw.restart === 'string' ? raw.restart : JSON.stringify(raw.restart));
    for (const grant of [...((raw.secrets as unknown[] | undefined) ?? []), ...((raw.configs as unknown[] | undefined) ?? [])]) {
      const target = typeof grant === 'string' ? `/run/secrets/${grant}` : String((grant as { target?: string }).target);
      expect(service.mounts.map((m) => m.target), `${c.folder}: ${name} secret/config`).toContain(target);
    }
    const networks = Array.isArray(raw.networks) ? raw.networks : Object.keys((raw.networks as object | undefined) ?? {});
    for (const n of networks) expect(Object.keys(service.networks ?? {}), `${c.folder}: ${name} networks`).toContain(n);
  }
}

const CASES: Case[] = [
  {
    folder: 'shop',
    services: ['web', 'api', 'db'],
    warnings: [
      ['services.web.container_name', /`container_name` .* ignored/],
      ['services.web.ports[0]', /^an empty host address .* 127\.0\.0\.1 instead/],
      ['services.api.environment.SENTRY_DSN', /^variable SENTRY_DSN is not set: using an empty string/],
      ['services.api.expose', /`expose` .* ignored/],
    ],
    check: (spec) => {
      expect(spec.project).toBe('shop');
      expect(spec.services.api?.image).toBe('registry.example/shop-api:2.0');
      expect(spec.services.api?.environment).toMatchObject({
        DATABASE_URL: 'postgres://shop:change-me@db:5432/shop',
        SENTRY_DSN: '',
        SESSION_SECRET: 'abc123',
        MAIL_FROM: 'Shop <shop@example.org>',
        FEATURE_FLAGS: 'search,cart',
      });
      expect(spec.services.db?.environment.POSTGRES_PASSWORD).toBe('change-me');
      expect(spec.services.db?.healthcheck?.test).toEqual(['CMD-SHELL', 'pg_isready -U ${POSTGRES_USER} -d ${POSTGRES_DB}']);
      expect(spec.services.web?.ports).toEqual([{ target: 80, published: 8080, hostIp: '127.0.0.1', protocol: 'tcp' }]);
      expect(spec.services.web?.dependsOn).toEqual({ api: 'service_healthy' });
    },
  },
  {
    folder: 'monitoring',
    services: ['prometheus', 'grafana', 'node-exporter'],
    inactive: ['alertmanager', 'loki'],
    warnings: [
      ['services.prometheus.logging', /`logging` .* ignored/],
      ['services.grafana.ports[0]', /^host address "0\.0\.0\.0" .* 127\.0\.0\.1 instead/],
      ['services.grafana.logging', /`logging` .* ignored/],
    ],
    check: (spec) => {
      expect(spec.inactiveServices).toEqual({ alertmanager: ['alerts'], loki: ['logs'] });
      expect(spec.networks?.backend).toMatchObject({ internal: true });
      expect(spec.services.prometheus?.mounts).toContainEqual(expect.objectContaining({ type: 'bind', source: path.join(CORPUS, 'monitoring/prometheus/prometheus.yml'), target: '/etc/prometheus/prometheus.yml', readOnly: true }));
      expect(spec.services.grafana?.environment.GF_SECURITY_ADMIN_PASSWORD).toBe('admin');
    },
  },
  {
    folder: 'monitoring',
    options: { profiles: ['alerts'] },
    services: ['prometheus', 'grafana', 'node-exporter', 'alertmanager'],
    inactive: ['loki'],
    warnings: [
      ['services.prometheus.logging', /`logging` .* ignored/],
      ['services.grafana.ports[0]', /^host address "0\.0\.0\.0"/],
      ['services.grafana.logging', /`logging` .* ignored/],
    ],
  },
  {
    folder: 'scheduler',
    services: ['postgres', 'redis', 'webserver', 'scheduler', 'worker', 'worker-high', 'init'],
    inactive: ['flower'],
    warnings: [],
    check: (spec) => {
      const web = spec.services.webserver!;
      expect(web.image).toBe('registry.example/scheduler:2.9');
      expect(web.user).toBe('50000:0');
      expect(web.environment.SCHEDULER__CORE__EXECUTOR).toBe('CeleryExecutor');
      expect(web.dependsOn).toEqual({ redis: 'service_healthy', postgres: 'service_healthy', init: 'service_completed_successfully' });
      expect(web.mounts).toEqual([expect.objectContaining({ type: 'bind', source: path.join(CORPUS, 'scheduler/dags'), target: '/opt/scheduler/dags' })]);
      // extends from workers.yml, then extends of that in this file: restart and healthcheck inherited.
      expect(spec.services.worker).toMatchObject({ command: ['celery', 'worker'], restart: 'always' });
      expect(spec.services['worker-high']).toMatchObject({ command: ['celery', 'worker', '--queues', 'high'], restart: 'always' });
      expect(spec.services['worker-high']?.dependsOn).toEqual({ init: 'service_completed_successfully' });
      expect(spec.services['worker-high']?.healthcheck?.test).toEqual(['CMD-SHELL', 'celery inspect ping -d celery@${HOSTNAME}']);
      // The init service's merged environment adds its own key to the anchor's.
      expect(spec.services.init?.environment).toMatchObject({ _SCHEDULER_DB_MIGRATE: 'true', SCHEDULER__CORE__LOAD_EXAMPLES: 'false' });
      expect(spec.services.init?.user).toBe('0:0');
    },
  },
  {
    folder: 'replica-set',
    services: ['mongo1', 'mongo2', 'mongo3', 'mongo-init'],
    // The three members share the anchored `extra_hosts`: each is said to ignore it, at the anchor's line.
    warnings: [
      ['services.mongo1.extra_hosts', /`extra_hosts` .* ignored/],
      ['services.mongo2.extra_hosts', /`extra_hosts` .* ignored/],
      ['services.mongo3.extra_hosts', /`extra_hosts` .* ignored/],
    ],
    check: (spec) => {
      for (const m of ['mongo1', 'mongo2', 'mongo3']) {
        expect(spec.services[m]?.mounts).toContainEqual(expect.objectContaining({ source: path.join(CORPUS, 'replica-set/keyfile'), target: '/run/secrets/mongo_keyfile', readOnly: true }));
      }
      expect(spec.services['mongo-init']?.dependsOn).toEqual({ mongo1: 'service_healthy', mongo2: 'service_healthy', mongo3: 'service_healthy' });
      expect(spec.services['mongo-init']?.command?.[0]).toMatch(/rs\.initiate.*echo "replica set \$\{RS_NAME:-rs0\} ready"\n?$/s);
      expect(spec.services.mongo2?.ports).toEqual([{ target: 27017, published: 27018, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    },
  },
  {
    folder: 'old-course',
    file: 'docker-compose.yml',
    services: ['notebook', 'db', 'notebookdata'],
    warnings: [
      ['', /^this is a Compose v1 file \(services at the top level\)/],
      ['services.notebook.links[0]', /^`links: db:database` converted: "database" is a network alias of db/],
      ['services.notebook.volumes_from[0]', /^`volumes_from: notebookdata` converted: notebook mounts notebookdata's volumes/],
    ],
    check: (spec) => {
      expect(spec.services.notebook?.dependsOn).toMatchObject({ db: 'service_started' });
      expect(spec.services.notebook?.environment).toEqual({ PGHOST: 'database', PGUSER: 'student' });
      const shared = spec.services.notebookdata?.mounts.find((m) => m.target === '/home/jovyan/work');
      expect(shared).toMatchObject({ type: 'volume' });
      expect(spec.services.notebook?.mounts).toContainEqual(shared);
    },
  },
  {
    folder: 'photos',
    services: ['server', 'machine-learning', 'redis', 'database'],
    warnings: [
      ['services.server.volumes[0]', new RegExp(`^${path.join(CORPUS, 'photos/library')} does not exist: it is created as an empty folder when server starts`)],
      ['services.server.ports[0]', /^an empty host address .* 127\.0\.0\.1 instead/],
      ['services.database.volumes[0]', /photos\/postgres does not exist: it is created as an empty folder when database starts/],
      ['volumes.model-cache.external', /^`external: \{name: …\}` is the old syntax/],
    ],
    check: (spec) => {
      expect(spec.project).toBe('photos');
      expect(spec.services.server?.image).toBe('ghcr.example/photos-server:v1.106');
      // env_file: .env gives every variable of .env to the service too.
      expect(spec.services['machine-learning']?.environment).toMatchObject({ UPLOAD_LOCATION: './library', DB_PASSWORD: 'postgres' });
      expect(spec.services['machine-learning']?.resources?.limits?.memoryBytes).toBe(4 * 1024 ** 3);
      expect(spec.volumes['model-cache']).toMatchObject({ external: true, dockerName: 'photos_model_cache' });
      expect(spec.services.database?.healthcheck?.test).toEqual(['NONE']);
    },
  },
  {
    folder: 'notebook-pair',
    services: ['db', 'client'],
    warnings: [
      ['services.db.ports[0]', /^an empty host address .* 127\.0\.0\.1 instead/],
      ['services.client.environment.COURSE_GREETING', /^variable COURSE_GREETING is not set: using an empty string/],
    ],
    check: (spec) => {
      expect(spec.meta.title).toBe('notebook-pair');
      expect(spec.services.db?.environment).toEqual({ POSTGRES_USER: 'student', POSTGRES_PASSWORD: 'pair-secret', POSTGRES_DB: 'pairs' });
      expect(spec.services.db?.ports).toEqual([{ target: 5432, published: 5432, hostIp: '127.0.0.1', protocol: 'tcp' }]);
      expect(spec.services.client?.environment.DATABASE_URL).toBe('postgres://student@db:5432/pairs');
    },
  },
];

describe('the Compose corpus', () => {
  it('holds every folder the README lists', () => {
    const folders = fs.readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(new Set(CASES.map((c) => c.folder))).toEqual(new Set(folders));
  });

  for (const c of CASES) {
    const label = `${c.folder}${c.options?.profiles ? ` (--profile ${c.options.profiles.join(',')})` : ''}`;
    it(`${label}: loads with its ${c.warnings.length} expected warnings, nothing dropped silently`, () => {
      const spec = load(c);
      expect(Object.keys(spec.services)).toEqual(c.services);
      expect(Object.keys(spec.inactiveServices ?? {})).toEqual(c.inactive ?? []);
      expect(spec.warnings.map((w) => [w.path, w.message])).toEqual(c.warnings.map(([p, m]) => [p, stringMatching(m)]));
      for (const w of spec.warnings) expect(w.line, `${w.path}: a warning names its line`).toBeGreaterThan(0);
      expectNothingDropped(c, spec);
      c.check?.(spec);
    });
  }
});

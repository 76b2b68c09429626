// The tm351 spec's OpenRefine service and its replica-set activity (Compose profile
// `replica-set`), loaded from the real compose.yml and planned, without Docker. The replica set
// cannot run here (MongoDB's image cannot be had on this machine), so its spec, plan and panel
// description are what is checked; its runtime test is in replica-set.docker.test.ts (skipped).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceInfo } from '../../api/service-info.js';
import { planUp } from '../plan/plan-up.js';
import type { ActualState } from '../plan/actual.js';
import { profileViews } from '../profile-choice.js';
import { loadSpec } from '../spec/load-spec.js';
import { TM351_ENV, TM351_TEXT, tm351Dir } from '../spec/test-helpers.js';

const DIR = tm351Dir();
const FILE = path.join(DIR, 'compose.yml');
fs.writeFileSync(FILE, TM351_TEXT);
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

const load = (profiles: string[] = []) => loadSpec(FILE, { env: TM351_ENV, project: 'tm351', profiles, profilesExact: true });
const empty: ActualState = { containers: [], images: {}, networkExists: false, volumes: new Set() };
const MEMBERS = ['mongo-rs1', 'mongo-rs2', 'mongo-rs3'];

describe('OpenRefine in tm351', () => {
  const spec = load();
  const svc = spec.services.openrefine!;

  it('is built from its own context on debian:bookworm-slim with Debian\'s openrefine', () => {
    expect(svc.build?.context).toBe(path.join(DIR, 'openrefine'));
    const dockerfile = fs.readFileSync(new URL('../../../compose-specs/tm351/openrefine/Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/^FROM debian:bookworm-slim$/m);
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends openrefine/);
  });

  it('publishes its web UI on 127.0.0.1, keeps its projects in a named volume, and has a rare healthcheck', () => {
    expect(svc.ports.map((p) => [p.hostIp, p.target])).toEqual([['127.0.0.1', 3333]]);
    expect(svc.meta.web).toEqual({ port: 3333, path: '/' });
    expect(svc.mounts).toEqual([expect.objectContaining({ type: 'volume', source: 'openrefinedata', target: '/var/lib/openrefine' })]);
    expect(spec.meta.studentData).toContain('openrefinedata');
    expect(svc.healthcheck).toMatchObject({ test: ['CMD', 'openrefine-healthcheck'], intervalMs: 60_000, retries: 2 });
    expect(svc.healthcheck!.startPeriodMs).toBeGreaterThan(0);
  });

  it('is described to the panel as a service with a web UI of its own, like the notebook', () => {
    const info = serviceInfo(svc, { resetVolumes: ['tm351_openrefinedata'], dependsOn: [] });
    expect(info).toMatchObject({ name: 'openrefine', title: 'OpenRefine', hasWebUi: true });
    expect(serviceInfo(spec.services.notebook!, { resetVolumes: [], dependsOn: [] }).hasWebUi).toBe(true);
  });
});

describe('the replica-set activity (profile replica-set)', () => {
  it('is off by default: none of its services is planned, and the panel offers the switch', () => {
    const spec = load();
    for (const s of [...MEMBERS, 'mongo-rs-init']) expect(spec.services[s]).toBeUndefined();
    expect(profileViews(spec)).toEqual([{ name: 'replica-set', active: false, services: ['mongo-rs-init', ...MEMBERS] }]);
  });

  it('switched on: three mongod --replSet members, each with its own volume and port on 127.0.0.1', () => {
    const spec = load(['replica-set']);
    expect(profileViews(spec)).toEqual([{ name: 'replica-set', active: true, services: ['mongo-rs-init', ...MEMBERS] }]);
    const volumes = MEMBERS.map((m) => {
      const svc = spec.services[m]!;
      expect(svc.profiles).toEqual(['replica-set']);
      expect(svc.command).toEqual(['mongod', '--replSet', 'rs0', '--bind_ip_all', '--port', '27017']);
      expect(svc.ports).toEqual([expect.objectContaining({ hostIp: '127.0.0.1', target: 27017 })]);
      expect(svc.healthcheck?.intervalMs).toBe(60_000);
      const [mount] = svc.mounts;
      expect(mount).toMatchObject({ type: 'volume', target: '/data/db' });
      return mount!.type === 'volume' ? mount!.source : undefined;
    });
    expect(new Set(volumes).size).toBe(3);
    expect(new Set(MEMBERS.map((m) => spec.services[m]!.ports[0]!.published)).size).toBe(3);
  });

  it('a one-shot init waits for the three members to be healthy and initiates rs0 idempotently', () => {
    const init = load(['replica-set']).services['mongo-rs-init']!;
    expect(init.restart).toBe('no');
    expect(init.dependsOn).toEqual(Object.fromEntries(MEMBERS.map((m) => [m, 'service_healthy'])));
    const script = init.command!.join(' ');
    expect(script).toMatch(/--host mongo-rs1:27017/);
    expect(script).toMatch(/try \{ rs\.status\(\)/);
    for (const m of MEMBERS) expect(script).toContain(`host: '${m}:27017'`);
  });

  it('gives the replica-set URL as connection details, and the notebook has it', () => {
    const spec = load(['replica-set']);
    const url = 'mongodb://mongo-rs1:27017,mongo-rs2:27017,mongo-rs3:27017/tm351?replicaSet=rs0';
    expect(spec.services['mongo-rs1']!.meta.connection).toMatchObject({ kind: 'mongodb', port: 27017, database: 'tm351', envVars: { MONGO_RS_URL: url } });
    expect(spec.services.notebook!.environment.MONGO_RS_URL).toBe(url);
    const info = serviceInfo(spec.services['mongo-rs1']!, { resetVolumes: [], dependsOn: [] });
    expect(info.connection).toMatchObject({ kind: 'mongodb', envVars: { MONGO_RS_URL: url }, hasPassword: false });
  });

  it('plans the members before the init, each member\'s volume created', () => {
    const spec = load(['replica-set']);
    const plan = planUp(spec, empty, {}, { services: ['mongo-rs-init'] });
    expect(plan.services.map((s) => s.service)).toEqual([...MEMBERS, 'mongo-rs-init']);
    expect(plan.services.every((s) => s.image === 'pull' && s.container.kind === 'create')).toBe(true);
    expect(plan.services.at(-1)!.waitFor).toEqual(MEMBERS.map((service) => ({ service, condition: 'service_healthy' })));
    expect(plan.createVolumes).toEqual(expect.arrayContaining(['tm351_mongo-rs1-data', 'tm351_mongo-rs2-data', 'tm351_mongo-rs3-data']));
  });
});

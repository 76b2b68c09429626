import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readSetting, type SettingsStore } from '../settings/settings-store.js';
import { loadSpec, readDeclaredVariables } from '../spec/index.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { serviceFixture, specFixture } from '../testing/spec-fixture.js';
import { CLASSROOM_LABEL, studentNetworkName } from './names.js';
import {
  CLASSROOM_MAX_HEALTH_INTERVAL_MS,
  DEFAULT_RESOURCES,
  resourceRequirements,
  serviceRole,
  studentNetworkSpec,
  studentVolumesOf,
  swarmServiceSpec,
} from './swarm-spec.js';
import { studentVariables } from './variables.js';

function memoryStore(): SettingsStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: (k) => data.get(k),
    set: (k, v) => void data.set(k, v),
    delete: (k) => {
      for (const key of [...data.keys()]) if (key === k || key.startsWith(`${k}.`)) data.delete(key);
    },
  };
}

const TM351 = path.join(REPO_ROOT, 'compose-specs/tm351/compose.yml');

function tm351For(studentId: string, store = memoryStore()) {
  const vars = studentVariables(readDeclaredVariables(TM351), store, 'tm351', studentId);
  const spec = loadSpec(TM351, { env: { HOME: '/home/tutor', ...vars.values }, project: 'tm351' });
  return { spec, vars, store };
}

describe('swarmServiceSpec on the tm351 course', () => {
  const { spec, vars, store } = tm351For('ann');
  const notebook = swarmServiceSpec({ course: 'tm351', studentId: 'ann', spec, service: spec.services.notebook!, folderVolumes: vars.folderVolumes, replicas: 1 });
  const postgres = swarmServiceSpec({ course: 'tm351', studentId: 'ann', spec, service: spec.services.postgres!, folderVolumes: vars.folderVolumes, replicas: 0, nodeId: 'node-1' });
  const container = notebook.TaskTemplate && 'ContainerSpec' in notebook.TaskTemplate ? notebook.TaskTemplate.ContainerSpec! : {};

  it('names and labels the service as docker stack deploy does, per student', () => {
    expect(notebook.Name).toBe('tm351-ann_notebook');
    expect(notebook.Labels).toMatchObject({
      'com.docker.stack.namespace': 'tm351-ann',
      [CLASSROOM_LABEL.classroom]: 'tm351',
      [CLASSROOM_LABEL.student]: 'ann',
      [CLASSROOM_LABEL.service]: 'notebook',
    });
    expect(container.Labels?.['com.docker.stack.namespace']).toBe('tm351-ann');
  });

  it("gives the student's own token and web path, and the image's entrypoint untouched", () => {
    const token = readSetting(store, 'classrooms.tm351.students.ann.variables.NOTEBOOK_TOKEN', z.string());
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(container.Env).toContain(`JUPYTER_TOKEN=${token}`);
    expect(container.Env).toContain('NOTEBOOK_BASE_URL=/p/tm351-ann/notebook/');
    expect(container.Env).toContain('NB_UID=1000');
    expect(container.Command).toBeUndefined();
    expect(container.Args).toBeUndefined();
    expect(container.HealthCheck?.Test).toEqual(['CMD', 'notebook-healthcheck']);
    expect(container.HealthCheck?.StartPeriod).toBe(60_000_000_000);
  });

  it('turns the notebooks folder into a per-student volume and keeps named volumes per student', () => {
    expect(container.Mounts).toEqual([
      expect.objectContaining({ Type: 'volume', Source: 'tm351-ann_notebooks_dir', Target: '/home/student/notebooks', ReadOnly: false }),
    ]);
    expect(container.Mounts?.[0]?.VolumeOptions?.Labels).toMatchObject({ [CLASSROOM_LABEL.student]: 'ann', [CLASSROOM_LABEL.volume]: 'notebooks_dir' });
    const pg = postgres.TaskTemplate && 'ContainerSpec' in postgres.TaskTemplate ? postgres.TaskTemplate.ContainerSpec : undefined;
    expect(pg?.Mounts?.map((m) => m.Source)).toEqual(['tm351-ann_pgdata']);
    expect(studentVolumesOf({ course: 'tm351', studentId: 'ann', spec, service: spec.services.postgres!, folderVolumes: vars.folderVolumes })).toEqual([
      { key: 'pgdata', name: 'tm351-ann_pgdata', target: '/var/lib/postgresql/data' },
    ]);
  });

  it('joins only the student network under the spec name, publishes no port, and scales 1 or 0', () => {
    expect(notebook.TaskTemplate?.Networks).toEqual([{ Target: studentNetworkName('tm351', 'ann'), Aliases: ['notebook'] }]);
    expect(notebook.EndpointSpec).toEqual({ Mode: 'dnsrr', Ports: [] });
    expect(notebook.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(postgres.Mode).toEqual({ Replicated: { Replicas: 0 } });
    expect(notebook.UpdateConfig?.Order).toBe('stop-first');
  });

  it('pins to the node holding the volumes once known', () => {
    expect(notebook.TaskTemplate?.Placement).toEqual({});
    expect(postgres.TaskTemplate?.Placement).toEqual({ Constraints: ['node.id==node-1'] });
  });

  it('applies role defaults for limits and reservations', () => {
    expect(serviceRole(spec.services.notebook!)).toBe('notebook');
    expect(serviceRole(spec.services.postgres!)).toBe('database');
    expect(notebook.TaskTemplate?.Resources).toEqual({
      Limits: { NanoCPUs: DEFAULT_RESOURCES.notebook.limits.nanoCpus, MemoryBytes: DEFAULT_RESOURCES.notebook.limits.memoryBytes },
      Reservations: { NanoCPUs: DEFAULT_RESOURCES.notebook.reservations.nanoCpus, MemoryBytes: DEFAULT_RESOURCES.notebook.reservations.memoryBytes },
    });
  });

  it("another student's spec shares nothing: names, volumes, network and token differ", () => {
    const bob = tm351For('bob', store);
    const bobNb = swarmServiceSpec({ course: 'tm351', studentId: 'bob', spec: bob.spec, service: bob.spec.services.notebook!, folderVolumes: bob.vars.folderVolumes, replicas: 1 });
    const bobContainer = bobNb.TaskTemplate && 'ContainerSpec' in bobNb.TaskTemplate ? bobNb.TaskTemplate.ContainerSpec! : {};
    expect(bobNb.Name).toBe('tm351-bob_notebook');
    expect(bobContainer.Mounts?.[0]?.Source).toBe('tm351-bob_notebooks_dir');
    expect(bobNb.TaskTemplate?.Networks?.[0]?.Target).toBe('tm351-bob_default');
    const tokenOf = (env: string[] | undefined) => env?.find((e) => e.startsWith('JUPYTER_TOKEN='));
    expect(tokenOf(bobContainer.Env)).not.toBe(tokenOf(container.Env));
    // Kept: asking again for ann gives ann's token again.
    expect(`JUPYTER_TOKEN=${tm351For('ann', store).spec.services.notebook!.environment.JUPYTER_TOKEN}`).toBe(tokenOf(container.Env));
  });
});

describe('resources', () => {
  it('takes deploy.resources over the defaults, field by field', () => {
    const db = serviceFixture('db', {
      meta: { title: 'db', connection: { kind: 'postgres', port: 5432 } },
      resources: { limits: { cpus: 0.5, memoryBytes: 768 * 1024 * 1024 }, reservations: { memoryBytes: 64 * 1024 * 1024 } },
    });
    const r = resourceRequirements(db);
    expect(r.limits).toEqual({ nanoCpus: 500_000_000, memoryBytes: 768 * 1024 * 1024 });
    expect(r.reservations).toEqual({ nanoCpus: DEFAULT_RESOURCES.database.reservations.nanoCpus, memoryBytes: 64 * 1024 * 1024 });
    expect(resourceRequirements(serviceFixture('x')).limits).toEqual(DEFAULT_RESOURCES.other.limits);
  });

  it('reads deploy.resources through the spec loader', () => {
    const text = [
      'services:',
      '  nb:',
      '    image: x:1',
      '    deploy:',
      '      resources:',
      '        limits: { cpus: "1.5", memory: 1g }',
      '        reservations: { memory: 300m }',
    ].join('\n');
    const spec = loadSpec('/specs/res/compose.yml', { env: {}, text });
    const out = swarmServiceSpec({ course: 'res', studentId: 'a', spec, service: spec.services.nb!, folderVolumes: {}, replicas: 1 });
    expect(out.TaskTemplate?.Resources).toEqual({
      Limits: { NanoCPUs: 1_500_000_000, MemoryBytes: 1024 ** 3 },
      Reservations: { NanoCPUs: undefined, MemoryBytes: 300 * 1024 ** 2 },
    });
  });
});

describe('health checks', () => {
  const hcOf = (healthcheck: ReturnType<typeof serviceFixture>['healthcheck']) => {
    const svc = serviceFixture('tool', { healthcheck });
    const out = swarmServiceSpec({ course: 'c', studentId: 's1', spec: specFixture([svc]), service: svc, folderVolumes: {}, replicas: 1 });
    return out.TaskTemplate && 'ContainerSpec' in out.TaskTemplate ? out.TaskTemplate.ContainerSpec!.HealthCheck : undefined;
  };
  const s = 1_000_000_000;

  it("caps a long interval, keeping the spec's test, timeout, retries and start period", () => {
    expect(CLASSROOM_MAX_HEALTH_INTERVAL_MS).toBeLessThanOrEqual(5_000);
    expect(hcOf({ test: ['CMD', 'check'], intervalMs: 30_000, timeoutMs: 3_000, retries: 2, startPeriodMs: 120_000 })).toEqual({
      Test: ['CMD', 'check'],
      Interval: CLASSROOM_MAX_HEALTH_INTERVAL_MS * 1_000_000,
      Timeout: 3 * s,
      Retries: 2,
      StartPeriod: 120 * s,
    });
  });

  it("caps Docker's 30 s default when the spec gives no interval, and keeps a shorter one", () => {
    expect(hcOf({ test: ['CMD', 'check'] })?.Interval).toBe(CLASSROOM_MAX_HEALTH_INTERVAL_MS * 1_000_000);
    expect(hcOf({ test: ['CMD', 'check'], intervalMs: 2_000 })?.Interval).toBe(2 * s);
  });

  it('leaves a disabled check and a service without one alone', () => {
    expect(hcOf({ test: ['NONE'] })).toEqual({ Test: ['NONE'] });
    expect(hcOf(undefined)).toBeUndefined();
  });

  it('caps the tm351 services, whose spec checks every 60 s', () => {
    const { spec, vars } = tm351For('bea');
    for (const name of ['notebook', 'postgres']) {
      const out = swarmServiceSpec({ course: 'tm351', studentId: 'bea', spec, service: spec.services[name]!, folderVolumes: vars.folderVolumes, replicas: 1 });
      const hc = out.TaskTemplate && 'ContainerSpec' in out.TaskTemplate ? out.TaskTemplate.ContainerSpec!.HealthCheck : undefined;
      expect(spec.services[name]!.healthcheck?.intervalMs).toBe(60_000);
      expect(hc?.Interval).toBe(CLASSROOM_MAX_HEALTH_INTERVAL_MS * 1_000_000);
      expect(hc?.StartPeriod).toBe(msToNsOf(spec.services[name]!.healthcheck?.startPeriodMs));
    }
  });
});

const msToNsOf = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms * 1_000_000);

describe('other mounts and the network', () => {
  it('keeps course-file binds and tmpfs as they are, and an external volume shared', () => {
    const svc = serviceFixture('tool', {
      mounts: [
        { type: 'bind', source: '/course/init', target: '/init', readOnly: true, createHostPath: false },
        { type: 'tmpfs', target: '/scratch' },
        { type: 'volume', source: 'shared', target: '/shared', readOnly: true },
      ],
      command: ['run', '--fast'],
      entrypoint: ['/bin/tool'],
    });
    const spec = specFixture([svc], { volumes: { shared: { key: 'shared', dockerName: 'course-shared', external: true, labels: {} } } });
    const out = swarmServiceSpec({ course: 'c', studentId: 's1', spec, service: svc, folderVolumes: {}, replicas: 1 });
    const cs = out.TaskTemplate && 'ContainerSpec' in out.TaskTemplate ? out.TaskTemplate.ContainerSpec! : {};
    expect(cs.Mounts).toEqual([
      { Type: 'bind', Source: '/course/init', Target: '/init', ReadOnly: true },
      { Type: 'tmpfs', Source: '', Target: '/scratch' },
      { Type: 'volume', Source: 'course-shared', Target: '/shared', ReadOnly: true },
    ]);
    expect(cs.Command).toEqual(['/bin/tool']);
    expect(cs.Args).toEqual(['run', '--fast']);
    expect(studentVolumesOf({ course: 'c', studentId: 's1', spec, service: svc, folderVolumes: {} })).toEqual([]);
  });

  it('makes an attachable overlay per student, labelled like a stack network', () => {
    expect(studentNetworkSpec('tm351', 'ann')).toMatchObject({
      Name: 'tm351-ann_default',
      Driver: 'overlay',
      Attachable: true,
      Labels: { 'com.docker.stack.namespace': 'tm351-ann', [CLASSROOM_LABEL.student]: 'ann' },
    });
  });
});

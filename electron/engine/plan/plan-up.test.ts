import { describe, expect, it } from 'vitest';
import { serviceFixture, specFixture } from '../testing/spec-fixture.js';
import type { ActualContainer, ActualState } from './actual.js';
import { containerConfig } from './container-config.js';
import { decideImage } from './decisions.js';
import { LABEL } from './labels.js';
import type { ResolvedPort } from './resolved-port.js';
import { dependencyOrder, planUp } from './plan-up.js';

const db = serviceFixture('db', {
  build: { context: '/specs/c/db', dockerfile: 'Dockerfile', args: {} },
  ports: [{ target: 5432, published: 5432, hostIp: '127.0.0.1', protocol: 'tcp' }],
  mounts: [{ type: 'volume', source: 'data', target: '/var/lib/db', readOnly: false }],
});
const web = serviceFixture('web', { dependsOn: { db: 'service_healthy' }, environment: { A: '1' } });
const job = serviceFixture('job', { dependsOn: { web: 'service_started' } });
const spec = specFixture([job, web, db], {
  volumes: { data: { key: 'data', dockerName: 'c_data', external: false, labels: {} } },
});
const ports = { db: [{ target: 5432, protocol: 'tcp' as const, hostIp: '127.0.0.1', hostPort: 5432, requested: 5432 }] };
/** The same ports looked up by any service's name (none for a service without any). */
const portsByService: Record<string, ResolvedPort[] | undefined> = ports;

const empty: ActualState = { containers: [], images: {}, networkExists: false, volumes: new Set() };

function container(service: string, over: Partial<ActualContainer> = {}): ActualContainer {
  const svc = spec.services[service];
  const hash = svc ? containerConfig(spec, svc, portsByService[service] ?? []).Labels![LABEL.configHash]! : 'none';
  return {
    id: `${service}-id`,
    name: `c-${service}-1`,
    service,
    number: 1,
    oneoff: false,
    configHash: hash,
    imageId: `sha256:${service}`,
    state: 'running',
    hostPorts: {},
    ...over,
  };
}

const withImages: ActualState = {
  ...empty,
  images: { 'img/db:1': 'sha256:db', 'img/web:1': 'sha256:web', 'img/job:1': 'sha256:job' },
  networkExists: true,
  volumes: new Set(['c_data']),
};

describe('planUp', () => {
  it('orders services after their dependencies', () => {
    expect(dependencyOrder(spec)).toEqual(['db', 'web', 'job']);
    expect(dependencyOrder(spec, ['web'])).toEqual(['db', 'web']);
  });

  it('creates everything on an empty engine: network, volumes, images, containers', () => {
    const plan = planUp(spec, empty, ports);
    expect(plan.createNetwork).toBe(true);
    expect(plan.createVolumes).toEqual(['c_data']);
    expect(plan.services.map((s) => [s.service, s.image, s.container.kind])).toEqual([
      ['db', 'pull-or-build', 'create'],
      ['web', 'pull', 'create'],
      ['job', 'pull', 'create'],
    ]);
    expect(plan.services[1]!.waitFor).toEqual([{ service: 'db', condition: 'service_healthy' }]);
  });

  it('keeps running up-to-date containers and starts stopped ones', () => {
    const actual = { ...withImages, containers: [container('db'), container('web', { state: 'exited' })] };
    const plan = planUp(spec, actual, ports);
    expect(plan.createNetwork).toBe(false);
    expect(plan.createVolumes).toEqual([]);
    expect(plan.services.map((s) => s.container.kind)).toEqual(['keep', 'start', 'create']);
    expect(plan.services.every((s) => s.image === 'present')).toBe(true);
  });

  it('recreates only the service whose configuration changed', () => {
    const changed = specFixture([job, serviceFixture('web', { ...web, environment: { A: '2' } }), db], {
      volumes: spec.volumes,
    });
    const actual = { ...withImages, containers: [container('db'), container('web'), container('job')] };
    const plan = planUp(changed, actual, ports);
    expect(plan.services.map((s) => s.container.kind)).toEqual(['keep', 'recreate', 'keep']);
    const web2 = plan.services[1]!.container;
    expect(web2.kind === 'recreate' && web2.reason).toBe('configuration changed');
  });

  it('recreates when the image changed or a different host port was chosen', () => {
    const actual = {
      ...withImages,
      images: { ...withImages.images, 'img/web:1': 'sha256:new' },
      containers: [container('db'), container('web'), container('job')],
    };
    const plan = planUp(spec, actual, { db: [{ ...ports.db[0]!, hostPort: 5433 }] });
    expect(plan.services.map((s) => s.container.kind)).toEqual(['recreate', 'recreate', 'keep']);
  });

  it('forces a recreate and a fresh image for a reinstall', () => {
    const actual = { ...withImages, containers: [container('db'), container('web'), container('job')] };
    const plan = planUp(spec, actual, ports, { services: ['db'], forceRecreate: ['db'], refreshImages: ['db'] });
    expect(plan.services).toHaveLength(1);
    expect(plan.services[0]!.container.kind).toBe('recreate');
    expect(plan.services[0]!.image).toBe('pull-or-build');
  });

  it('removes duplicates left by a crash, keeping the running up-to-date one', () => {
    const actual = {
      ...withImages,
      containers: [
        container('db', { id: 'old', number: 2, state: 'exited', configHash: 'stale' }),
        container('db', { id: 'good' }),
      ],
    };
    const step = planUp(spec, actual, ports, { services: ['db'] }).services[0]!;
    expect(step.container).toEqual({ kind: 'keep', containerId: 'good' });
    expect(step.removeDuplicates).toEqual(['old']);
  });

  it('lists orphans and ignores one-off containers', () => {
    const actual = {
      ...withImages,
      containers: [container('db', { id: 'run', oneoff: true }), container('gone', { id: 'orphan', configHash: 'x' })],
    };
    const plan = planUp(spec, actual, ports);
    expect(plan.orphans.map((c) => c.id)).toEqual(['orphan']);
    expect(plan.services[0]!.container.kind).toBe('create');
  });

  it('chooses how to get an image from the pull policy', () => {
    const built = serviceFixture('b', { build: { context: '/x', dockerfile: 'Dockerfile', args: {} } });
    const undeclared = { ...built, imageDeclared: false };
    expect(decideImage(built, true, false)).toBe('present');
    expect(decideImage(built, false, false)).toBe('pull-or-build');
    expect(decideImage(undeclared, false, false)).toBe('build');
    expect(decideImage({ ...built, pullPolicy: 'build' }, true, false)).toBe('build');
    expect(decideImage({ ...web, pullPolicy: 'never' }, false, false)).toBe('unavailable');
    expect(decideImage({ ...web, pullPolicy: 'always' }, true, false)).toBe('pull');
    expect(decideImage(web, true, true)).toBe('pull');
  });
});

describe('containerConfig', () => {
  const cfg = containerConfig(spec, db, ports.db);

  it('carries Compose labels and name so docker-compose sees the container', () => {
    expect(cfg.name).toBe('c-db-1');
    expect(cfg.Labels).toMatchObject({
      [LABEL.project]: 'c',
      [LABEL.service]: 'db',
      [LABEL.number]: '1',
      [LABEL.oneoff]: 'False',
    });
    expect(cfg.Labels![LABEL.configHash]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('publishes on loopback, mounts the named volume, joins the project network with an alias', () => {
    expect(cfg.HostConfig!.PortBindings).toEqual({ '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '5432' }] });
    expect(cfg.HostConfig!.Mounts).toEqual([{ Type: 'volume', Source: 'c_data', Target: '/var/lib/db', ReadOnly: false }]);
    expect(cfg.NetworkingConfig!.EndpointsConfig!['c_default']!.Aliases).toEqual(['db']);
  });

  it('hashes what Docker runs, not titles or where the spec lives', () => {
    const retitled = { ...db, meta: { title: 'Another title' } };
    const moved = { ...spec, dir: '/elsewhere', file: '/elsewhere/compose.yml' };
    expect(containerConfig(moved, retitled, ports.db).Labels![LABEL.configHash]).toBe(cfg.Labels![LABEL.configHash]);
    const env = { ...db, environment: { X: '1' } };
    expect(containerConfig(spec, env, ports.db).Labels![LABEL.configHash]).not.toBe(cfg.Labels![LABEL.configHash]);
  });
});

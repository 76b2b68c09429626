// The planner rebuilds an image we built when its build context changed since: the image's
// context-hash label differs from the context's hash now, or it has none. Registry images and
// up-to-date builds are left alone.
import { describe, expect, it } from 'vitest';
import { serviceFixture, specFixture } from '../testing/spec-fixture.js';
import type { ActualContainer, ActualState } from './actual.js';
import { containerConfig } from './container-config.js';
import { builtImageStale, decideImage, STALE_BUILD_REASON } from './decisions.js';
import { LABEL } from './labels.js';
import { planUp } from './plan-up.js';

const db = serviceFixture('db', { build: { context: '/specs/c/db', dockerfile: 'Dockerfile', args: {} } });
const web = serviceFixture('web', { dependsOn: { db: 'service_healthy' } });
const spec = specFixture([web, db]);

function container(service: 'db' | 'web'): ActualContainer {
  return {
    id: `${service}-id`,
    name: `c-${service}-1`,
    service,
    number: 1,
    oneoff: false,
    configHash: containerConfig(spec, spec.services[service]!, []).Labels![LABEL.configHash]!,
    imageId: `sha256:${service}`,
    state: 'running',
    hostPorts: {},
  };
}

function actual(dbImage: { builtFor?: string; contextHash?: string }, webImage = {}): ActualState {
  return {
    containers: [container('db'), container('web')],
    images: { 'img/db:1': 'sha256:db', 'img/web:1': 'sha256:web' },
    imageBuilds: { 'img/db:1': dbImage, 'img/web:1': webImage },
    contextHashes: { db: 'sha256:now' },
    networkExists: true,
    volumes: new Set(),
  };
}

const steps = (a: ActualState) =>
  planUp(spec, a, {}).services.map((s) => [s.service, s.image, s.container.kind, s.imageReason]);

describe('a built image whose build context changed', () => {
  it('is rebuilt, and its container recreated, when the context hash label differs', () => {
    expect(steps(actual({ builtFor: 'db', contextHash: 'sha256:before' }))).toEqual([
      ['db', 'build', 'recreate', STALE_BUILD_REASON],
      ['web', 'present', 'keep', undefined],
    ]);
    expect(STALE_BUILD_REASON).toBe("the course's build files changed — rebuild");
  });

  it('is rebuilt when we built it before images carried the label', () => {
    expect(steps(actual({ builtFor: 'db' }))[0]).toEqual(['db', 'build', 'recreate', STALE_BUILD_REASON]);
  });

  it('is kept when the label matches the context now', () => {
    expect(steps(actual({ builtFor: 'db', contextHash: 'sha256:now' }))[0]).toEqual(['db', 'present', 'keep', undefined]);
  });

  it('is kept when it came from a registry (no label of ours), even with a build context', () => {
    expect(steps(actual({}))[0]).toEqual(['db', 'present', 'keep', undefined]);
  });

  it('is kept when the context could not be hashed, or the service has no build context', () => {
    const unhashed = { ...actual({ builtFor: 'db', contextHash: 'sha256:before' }), contextHashes: {} };
    expect(steps(unhashed)[0]).toEqual(['db', 'present', 'keep', undefined]);
    expect(builtImageStale(web, { builtFor: 'web', contextHash: 'x' }, 'y')).toBe(false);
  });

  it('follows the pull policy: never keeps the image, a missing image is still fetched first', () => {
    expect(decideImage(serviceFixture('db', { ...db, pullPolicy: 'never' }), true, false, true)).toBe('present');
    expect(decideImage(db, true, false, true)).toBe('build');
    expect(decideImage(db, false, false, false)).toBe('pull-or-build');
    expect(decideImage(db, true, false, false)).toBe('present');
  });
});

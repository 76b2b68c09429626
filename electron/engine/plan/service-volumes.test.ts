import { describe, expect, it } from 'vitest';
import { serviceFixture, specFixture } from '../testing/spec-fixture.js';
import { namedVolumesOf } from './service-volumes.js';

const vol = (key: string, external = false) => ({ key, dockerName: external ? key : `c_${key}`, external, labels: {} });

const spec = specFixture(
  [
    serviceFixture('db', {
      mounts: [
        { type: 'volume', source: 'data', target: '/var/lib/db', readOnly: false },
        { type: 'volume', target: '/anon', readOnly: false },
        { type: 'bind', source: '/home/s/nb', target: '/nb', readOnly: false, createHostPath: true },
        { type: 'volume', source: 'shared', target: '/shared', readOnly: false },
      ],
    }),
    serviceFixture('app', {
      mounts: [
        { type: 'volume', source: 'shared', target: '/shared', readOnly: false },
        { type: 'volume', source: 'theirs', target: '/theirs', readOnly: false },
      ],
    }),
  ],
  { volumes: { data: vol('data'), shared: vol('shared'), theirs: vol('theirs', true) } },
);

describe('namedVolumesOf', () => {
  it('lists the named, non-external volumes the services mount, each once', () => {
    expect(namedVolumesOf(spec, ['db']).map((v) => v.dockerName)).toEqual(['c_data', 'c_shared']);
    expect(namedVolumesOf(spec, ['db', 'app']).map((v) => v.key)).toEqual(['data', 'shared']);
    expect(namedVolumesOf(spec, ['app']).map((v) => v.key)).toEqual(['shared']);
  });

  it('is empty for no services and for a service not in the spec', () => {
    expect(namedVolumesOf(spec, [])).toEqual([]);
    expect(namedVolumesOf(spec, ['nope'])).toEqual([]);
  });
});

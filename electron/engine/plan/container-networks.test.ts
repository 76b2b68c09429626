// What a service's networks, aliases and resource limits become in the container-create body,
// and that a service using none of them is created exactly as before (same config hash).
import { describe, expect, it } from 'vitest';
import { serviceFixture, specFixture } from '../testing/spec-fixture.js';
import { containerConfig, serviceEndpoints, stableStringify } from './container-config.js';
import { LABEL } from './labels.js';

const plain = serviceFixture('web');
const spec = specFixture([plain], {
  networks: {
    back: { key: 'back', dockerName: 'c_back', external: false, internal: true, labels: {} },
    shared: { key: 'shared', dockerName: 'shared-net', external: true, internal: false, labels: {} },
  },
});

describe('networks in the create body', () => {
  it('a service that names no network joins the default one under its name, as before', () => {
    const body = containerConfig(spec, plain, []);
    expect(body.HostConfig?.NetworkMode).toBe('c_default');
    expect(body.NetworkingConfig?.EndpointsConfig).toEqual({ c_default: { Aliases: ['web'] } });
    // Nothing new enters the hashed body of a service without networks or limits.
    expect(Object.keys(JSON.parse(stableStringify(body.HostConfig)) as object).sort()).toEqual(['Mounts', 'NetworkMode', 'PortBindings', 'RestartPolicy']);
  });

  it('named networks by their Docker names, each with the service name and its aliases; the first is the create network', () => {
    const api = serviceFixture('api', { networks: { back: { aliases: ['api.internal'] }, shared: { aliases: [] }, default: { aliases: [] } } });
    expect(serviceEndpoints(spec, api)).toEqual({
      mode: 'c_back',
      config: { c_back: { Aliases: ['api', 'api.internal'] }, 'shared-net': { Aliases: ['api'] }, c_default: { Aliases: ['api'] } },
    });
    const other = containerConfig(spec, { ...api, networks: { back: { aliases: ['other'] } } }, []);
    expect(other.Labels?.[LABEL.configHash]).not.toBe(containerConfig(spec, api, []).Labels?.[LABEL.configHash]);
  });

  it('resource limits and reservations', () => {
    const limited = serviceFixture('job', { resources: { limits: { cpus: 0.5, memoryBytes: 512 * 1024 ** 2 }, reservations: { memoryBytes: 128 * 1024 ** 2 } } });
    const body = containerConfig(spec, limited, []);
    expect(body.HostConfig).toMatchObject({ NanoCpus: 500_000_000, Memory: 512 * 1024 ** 2, MemoryReservation: 128 * 1024 ** 2 });
  });
});

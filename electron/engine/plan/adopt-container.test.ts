// decideContainer's adoption rule: a container docker-compose made (no managed-by label, a
// config hash of that tool's own) is kept or started, not recreated, while it runs the
// service's image; one of ours whose hash differs is still recreated.
import { describe, expect, it } from 'vitest';
import type { ActualContainer } from './actual.js';
import { decideContainer } from './decisions.js';
import { LABEL } from './labels.js';

const config = { Image: 'img', Labels: { [LABEL.configHash]: 'ours' } };
const container = (over: Partial<ActualContainer>): ActualContainer => ({
  id: 'c1', name: 'p_db_1', service: 'db', number: 1, oneoff: false, configHash: 'compose-v1-hash',
  imageId: 'sha256:img', state: 'running', hostPorts: {}, ...over,
});

describe('adopting containers made by docker-compose', () => {
  it('keeps a running one and starts a stopped one, marked adopted', () => {
    expect(decideContainer(container({ foreign: true }), config, 'sha256:img', false)).toEqual({ kind: 'keep', containerId: 'c1', adopted: true });
    expect(decideContainer(container({ foreign: true, state: 'exited' }), config, 'sha256:img', false)).toEqual({ kind: 'start', containerId: 'c1', adopted: true });
  });

  it('recreates it when the image changed or a reinstall is asked for', () => {
    expect(decideContainer(container({ foreign: true }), config, 'sha256:new', false)).toMatchObject({ kind: 'recreate', reason: 'image changed' });
    expect(decideContainer(container({ foreign: true }), config, 'sha256:img', true)).toMatchObject({ kind: 'recreate', reason: 'reinstall requested' });
  });

  it('still recreates one of ours whose configuration changed', () => {
    expect(decideContainer(container({ foreign: false }), config, 'sha256:img', false)).toMatchObject({ kind: 'recreate', reason: 'configuration changed' });
    expect(decideContainer(container({ foreign: false, configHash: 'ours' }), config, 'sha256:img', false)).toEqual({ kind: 'keep', containerId: 'c1' });
  });
});

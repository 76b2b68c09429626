// A small valid manifest for the unit tests.
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from './manifest.js';

export function sampleManifest(over: Partial<Manifest> = {}): Manifest {
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    name: 'sample',
    createdAt: '2026-11-25T10:15:30.000Z',
    project: 'tm351',
    service: 'notebook',
    image: { ref: 'coursedock/tm351-notebook:1', id: 'sha256:aaaaaaaaaaaaaaaa', created: '2026-11-25T09:00:00Z' },
    os: { id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)', architecture: 'amd64' },
    packages: {
      debian: { bash: '5.2.15-2+b2', jq: '1.6-2.1+deb12u3', libjq1: '1.6-2.1+deb12u3', 'python3-pip': '23.0.1+dfsg-1', 'python3-pandas': '1.5.3+dfsg-2' },
      python: { pandas: '1.5.3', pip: '23.0.1', requests: '2.31.0', 'coursedock-hello': '0.1.0' },
      npm: {},
    },
    python: {
      version: '3.11.2',
      lister: 'pip',
      notFromDebian: {
        requests: { scope: 'system', location: '/usr/local/lib/python3.11/dist-packages' },
        'coursedock-hello': { scope: 'user', location: '/home/student/.local/lib/python3.11/site-packages', url: 'file:///tmp/pkg' },
      },
    },
    ...over,
  };
}

import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../engine/state/service-state.js';
import { statusJson, statusTable } from './format.js';

const notebook: ServiceState = {
  service: 'notebook',
  status: 'healthy',
  ports: [{ hostIp: '127.0.0.1', hostPort: 8351, target: 8888, protocol: 'tcp' }],
  webUrl: 'http://127.0.0.1:8351/p/tm351/notebook/tree',
};

describe('status output', () => {
  it('the table shows the token-free address', () => {
    expect(statusTable([notebook], { notebook: 'Jupyter Notebook' })).toContain('notebook: open http://127.0.0.1:8351/p/tm351/notebook/tree');
  });

  it('--json carries the token, as the README says', () => {
    expect(statusJson([notebook], () => 's3cret')[0]!.url).toBe('http://127.0.0.1:8351/p/tm351/notebook/tree?token=s3cret');
    expect(statusJson([notebook])[0]!.url).toBe('http://127.0.0.1:8351/p/tm351/notebook/tree');
  });
});

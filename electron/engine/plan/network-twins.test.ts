import { describe, expect, it } from 'vitest';
import { decideNetworkTwins, twinRepairMessage, type NetworkTwin } from './network-twins.js';

const net = (id: string, containers: string[], created: string): NetworkTwin => ({ id, name: 'p_default', containers, created });

describe('decideNetworkTwins', () => {
  it('keeps nothing when there is no network', () => {
    expect(decideNetworkTwins([])).toEqual({ remove: [] });
  });

  it('keeps the one with containers attached and removes the empty twin', () => {
    const used = net('b', ['c1'], '2026-01-02');
    const empty = net('a', [], '2026-01-01');
    expect(decideNetworkTwins([empty, used])).toEqual({ keep: used, remove: [empty] });
  });

  it('keeps the oldest when none (or all equally) is in use', () => {
    const older = net('x', [], '2026-01-01');
    const newer = net('y', [], '2026-01-03');
    expect(decideNetworkTwins([newer, older]).keep).toBe(older);
  });

  it('says what it did in words', () => {
    expect(twinRepairMessage('p_default', [net('a', [], '')], 0)).toMatch(/^Found two networks named p_default .*removed the other\.$/);
    expect(twinRepairMessage('p_default', [net('a', ['c'], ''), net('b', [], '')], 1)).toMatch(/3 networks.*moving 1 container/);
  });
});

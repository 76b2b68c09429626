import { describe, expect, it } from 'vitest';
import { judgeStaleness } from './stale-services.js';

const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 12, 0, s)).toISOString();
const now = Date.UTC(2030, 0, 1, 12, 0, 0);

describe('stale health after sleep', () => {
  it('a healthcheck that ran within three intervals is current', () => {
    expect(judgeStaleness({ running: true, health: 'healthy', lastCheckEnd: at(-20), intervalNs: 10e9 }, now)).toEqual({ stale: false });
  });
  it('no result for far longer than the interval is stale, said in seconds', () => {
    expect(judgeStaleness({ running: true, health: 'healthy', lastCheckEnd: new Date(now - 600_000).toISOString(), intervalNs: 10e9 }, now)).toEqual({
      stale: true,
      reason: 'its health was last checked 600 s ago (expected every 10 s)',
    });
  });
  it('a stopped container or one without a healthcheck is never stale', () => {
    expect(judgeStaleness({ running: false, health: 'healthy', lastCheckEnd: at(-3000) }, now).stale).toBe(false);
    expect(judgeStaleness({ running: true, startedAt: at(-3000) }, now).stale).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { ServiceQueues } from './service-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('ServiceQueues', () => {
  it('runs one operation at a time per service, in order, and services side by side', async () => {
    const q = new ServiceQueues();
    const log: string[] = [];
    const op = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([q.run('db', op('db1')), q.run('db', op('db2')), q.run('nb', op('nb1'))]);
    expect(results).toEqual(['db1', 'db2', 'nb1']);
    expect(log.indexOf('db1 end')).toBeLessThan(log.indexOf('db2 start'));
    expect(log.indexOf('nb1 start')).toBeLessThan(log.indexOf('db1 end'));
    expect(q.busy('db')).toBe(false);
  });

  it('goes on after a failed operation and reports the failure to its caller only', async () => {
    const q = new ServiceQueues();
    const failed = q.run('db', () => Promise.reject(new Error('boom')));
    const next = q.run('db', () => Promise.resolve('ok'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    await q.idle();
    expect(q.busy('db')).toBe(false);
  });
});

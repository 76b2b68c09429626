import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../state/service-state.js';
import { bringBackMessage, decideBringBack, emptyDesiredState, listInWords, recordWant, type StoredDesiredState } from './desired-state.js';

const state = (service: string, status: ServiceState['status'], over: Partial<ServiceState> = {}): ServiceState => ({
  service,
  status,
  ports: [],
  ...over,
});
const order = ['postgres', 'mongo', 'notebook'];

describe('desired state', () => {
  it('records what the student asked for; a later request wins', () => {
    let d = recordWant(emptyDesiredState(), ['postgres', 'notebook'], 'running', 1);
    d = recordWant(d, ['postgres'], 'stopped', 2);
    expect(d.services).toEqual({ postgres: { want: 'stopped', at: 2 }, notebook: { want: 'running', at: 1 } });
  });

  it('drops malformed and prototype entries read from disk', () => {
    const fromDisk = JSON.parse('{"services":{"__proto__":{"want":"running","at":1},"x":{"want":"maybe"},"y":{"want":"running","at":3}}}') as StoredDesiredState;
    const d = recordWant(fromDisk, [], 'running', 9);
    expect(Object.keys(d.services)).toEqual(['y']);
    expect(({} as Record<string, unknown>).want).toBeUndefined();
  });

  it('brings back what was wanted running and is down, in dependency order, never what the student stopped', () => {
    const d = recordWant(recordWant(emptyDesiredState(), ['notebook', 'postgres', 'mongo'], 'running', 1), ['mongo'], 'stopped', 2);
    const states = [state('notebook', 'exited', { exitCode: 137 }), state('postgres', 'stopped'), state('mongo', 'stopped')];
    expect(decideBringBack(d, states, order).start).toEqual(['postgres', 'notebook']);
  });

  it('leaves alone what runs, what is being operated on, what cannot run here, and what was never asked for', () => {
    const d = recordWant(emptyDesiredState(), ['notebook', 'postgres', 'mongo'], 'running', 1);
    const states = [
      state('postgres', 'healthy'),
      state('notebook', 'stopped', { operation: { kind: 'start', phase: 'starting', startedAt: 1 } }),
      state('mongo', 'missing', { unavailable: true }),
    ];
    expect(decideBringBack(d, states, order).start).toEqual([]);
    expect(decideBringBack(emptyDesiredState(), [state('postgres', 'stopped')], order).start).toEqual([]);
  });

  it('says what came back in words', () => {
    expect(listInWords(['A', 'B', 'C'])).toBe('A, B and C');
    expect(bringBackMessage('docker-restarted', ['PostgreSQL', 'Notebook'], [])).toEqual({
      level: 'info',
      message: 'Brought back PostgreSQL and Notebook after Docker restarted.',
    });
    expect(bringBackMessage('app-started', ['PostgreSQL'], ['MongoDB'])).toEqual({
      level: 'warning',
      message: 'Brought back PostgreSQL, which you had running. Could not bring back MongoDB: see its error.',
    });
    expect(bringBackMessage('app-started', [], [])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { viewFromInspect } from '../docker/containers.js';
import { lastHealthFailure, unhealthyReason } from './health-log.js';
import { statusFromContainer, type ContainerView } from './service-state.js';

const probe = (ExitCode: number, Output: string) => ({ Start: 's', End: 'e', ExitCode, Output });
const FOLDER = 'The notebook server cannot list your notebooks folder (/home/student/notebooks) as user student (uid 1000): Permission denied. Give that user read and write access…';

describe('lastHealthFailure', () => {
  it('is the last failing probe, multi-line output joined', () => {
    expect(lastHealthFailure({ Status: 'unhealthy', Log: [probe(1, 'old reason\n'), probe(1, `${FOLDER}\n`)] })).toBe(FOLDER);
    expect(lastHealthFailure({ Log: [probe(1, 'line one\n  line two \n')] })).toBe('line one line two');
    expect(lastHealthFailure({ Log: [probe(1, 'the reason'), probe(0, '')] })).toBe('the reason');
  });
  it("says Docker's timeout in words; says when the probe said nothing", () => {
    expect(lastHealthFailure({ Log: [probe(-1, 'Health check exceeded timeout (3s)')] })).toBe('The health check did not answer within 3s.');
    expect(lastHealthFailure({ Log: [probe(2, '  \n')] })).toBe('The health check failed (exit code 2) without saying why.');
  });
  it('nothing when every probe passed or there is no log', () => {
    expect(lastHealthFailure({ Log: [probe(0, 'ok')] })).toBeUndefined();
    expect(lastHealthFailure(undefined)).toBeUndefined();
    expect(lastHealthFailure({ Status: 'starting', Log: null })).toBeUndefined();
  });
  it('keeps long output to 500 characters', () => {
    expect(lastHealthFailure({ Log: [probe(1, 'x'.repeat(2000))] })!.length).toBe(501);
  });
});

describe('an unhealthy service says why', () => {
  const view = (over: Partial<ContainerView>): ContainerView => ({ id: 'c', status: 'running', exitCode: 0, ports: [], ...over });
  it('the state carries the probe words as its error', () => {
    expect(statusFromContainer(view({ health: 'unhealthy', healthFailure: FOLDER }))).toEqual({
      status: 'unhealthy',
      health: 'unhealthy',
      error: `Not healthy: ${FOLDER}`,
    });
    expect(statusFromContainer(view({ health: 'unhealthy' })).error).toBe(unhealthyReason(undefined));
    expect(statusFromContainer(view({ health: 'healthy', healthFailure: 'stale' }))).toEqual({ status: 'healthy', health: 'healthy' });
  });

  it("inspect output: the failure is read only while Docker says unhealthy", () => {
    const info = (Status: string) =>
      ({
        Id: 'c',
        State: { Status: 'running', Running: true, ExitCode: 0, StartedAt: 't', Health: { Status, FailingStreak: 3, Log: [probe(1, FOLDER)] } },
        NetworkSettings: { Ports: {} },
        HostConfig: {},
      }) as never;
    expect(viewFromInspect(info('unhealthy')).healthFailure).toBe(FOLDER);
    expect(viewFromInspect(info('starting')).healthFailure).toBeUndefined();
  });
});

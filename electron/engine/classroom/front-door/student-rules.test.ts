// Every contract method, called by student A naming student B's project, is refused before any
// handler runs; the samples table is keyed by MethodName, so a new contract method does not
// compile until it has a sample here (and a rule in STUDENT_RULES).
import { describe, expect, it, vi } from 'vitest';
import { inputs, methodNames, type MethodInput, type MethodName } from '../../../api/contract.js';
import { NOT_YOURS, STUDENT_RULES, checkStudentCall, projectsNamed } from './student-rules.js';
import { StudentSession } from './student-session.js';
import type { StudentDesk } from './student-desk.js';
import { objectContaining, stringMatching } from '../../testing/matchers.js';

const A = 'tm351-ada';
const B = 'tm351-bob';
const svc = (project: string) => ({ project, service: 'notebook' });

/** An input for each method; methods that name a project name `project`. */
const SAMPLES: { [M in MethodName]: (project: string) => MethodInput<M> } = {
  'docker.status': () => ({}),
  'docker.retry': () => ({}),
  'courses.list': () => ({}),
  'env.open': () => ({ course: 'tm351' }),
  'env.state': (project) => ({ project }),
  'env.up': (project) => ({ project }),
  'env.down': (project) => ({ project }),
  'env.check': (project) => ({ project }),
  'env.supportBundle': (project) => ({ project }),
  'env.fix': (project) => ({ project, check: 'ports' }),
  'env.profiles': (project) => ({ project, profiles: [] }),
  'onboarding.state': () => ({}),
  'onboarding.start': () => ({ engine: 'docker' }),
  'service.start': svc,
  'service.stop': svc,
  'service.restart': svc,
  'service.reinstall': svc,
  'service.reset': (project) => ({ ...svc(project), confirm: true }),
  'service.revealSecret': (project) => ({ project, service: 'postgres', field: 'password' }),
  'service.confirmDataLocation': (project) => ({ ...svc(project), choice: 'keep' }),
  'service.webView': svc,
  'service.openWork': svc,
  'service.saveNotebookWindows': svc,
  'service.data': svc,
  'service.openDataFolder': (project) => ({ ...svc(project), target: '/home/student/notebooks' }),
  'logs.subscribe': (project) => ({ ...svc(project), tail: 10 }),
  'logs.unsubscribe': () => ({ subscription: 'sub-1' }),
  'terminal.open': (project) => ({ ...svc(project), cols: 80, rows: 24 }),
  'terminal.input': () => ({ terminal: 't-1', data: 'ls\n' }),
  'terminal.resize': () => ({ terminal: 't-1', cols: 80, rows: 24 }),
  'terminal.close': () => ({ terminal: 't-1' }),
  'snapshot.capture': svc,
  'snapshot.list': (project) => ({ project }),
  'snapshot.drift': svc,
  'snapshot.reference': svc,
  'snapshot.recreate': (project) => ({ ...svc(project), snapshot: 'a.json' }),
  'settings.get': () => ({}),
  'settings.set': (project) => ({ portPin: { project, service: 'postgres', port: '5432/tcp', hostPort: 5433 } }),
  'backup.list': (project) => ({ project }),
  'backup.take': (project) => ({ project }),
  'backup.restore': (project) => ({ project, backup: 'b1' }),
  'backup.delete': (project) => ({ project, backup: 'b1' }),
  'backup.reveal': (project) => ({ project }),
  'backup.progress': (project) => ({ project }),
  'backup.settings': () => ({}),
  'courses.installBundle': () => ({ path: '/tmp/course.coursedock' }),
  'courses.installProgress': () => ({}),
  'courses.chooseBundleFile': () => ({}),
};

function fakeDesk(project = A) {
  const calls: string[] = [];
  const result = () => Promise.resolve({ ok: true, services: [] });
  const record =
    (name: string, value: () => unknown = result) =>
    (...args: unknown[]) => {
      calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(',')})`);
      return value() as never;
    };
  const desk: StudentDesk = {
    studentId: 'ada',
    project,
    info: () => ({ project, course: 'tm351', title: 'TM351', file: '/x', services: [], variables: [], warnings: [], states: [] }),
    states: () => Promise.resolve([]),
    up: record('up'),
    down: record('down'),
    start: record('start'),
    stop: record('stop'),
    restart: record('restart'),
    reinstall: record('reinstall'),
    reset: record('reset'),
    password: record('password', () => 'testpass'),
    webTarget: record('webTarget', () => 'no page'),
    openTerminal: record('openTerminal', () => Promise.reject(new Error('no terminal here'))),
    logs: record('logs', () => Promise.reject(new Error('no logs here'))),
  };
  return { desk, calls };
}

function session(desk: StudentDesk) {
  const webView = vi.fn(() => Promise.resolve({ url: 'http://127.0.0.1:1/p/x/?coursedock_ticket=t' }));
  const s = new StudentSession(desk, () => undefined, { webView, dockerStatus: () => ({ state: 'connected' }) as never, pollMs: 0 });
  return { s, webView };
}

describe('student rules: every contract method', () => {
  it('has a rule and a sample (the table covers the contract, nothing more)', () => {
    expect(Object.keys(STUDENT_RULES).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(SAMPLES).sort()).toEqual([...methodNames].sort());
  });

  it.each(methodNames)('%s naming another student’s project is refused, and the desk is never touched', async (method) => {
    const { desk, calls } = fakeDesk();
    const { s, webView } = session(desk);
    // A method whose input has no project field gets one slipped in: it must be refused too.
    const sample = SAMPLES[method](B) as object;
    const input = projectsNamed(sample).length ? sample : { ...sample, project: B };
    const err = await s.call(method, input).catch((e: unknown) => e);
    expect(err).toMatchObject({ error: { code: 'invalid-input' } });
    if (STUDENT_RULES[method].kind === 'own-project') expect((err as Error).message).toBe(NOT_YOURS);
    expect(calls).toEqual([]);
    expect(webView).not.toHaveBeenCalled();
    s.dispose();
  });

  it.each(methodNames.filter((m) => STUDENT_RULES[m].kind !== 'own-project'))(
    '%s names no project: its input refuses a project field',
    (method) => {
      if (STUDENT_RULES[method].kind === 'refused') { expect(() => checkStudentCall(method, SAMPLES[method](A), A)).toThrow(); return; }
      const withProject = { ...(SAMPLES[method](A) as object), project: B };
      expect(inputs[method].safeParse(withProject).success).toBe(false);
      expect(() => checkStudentCall(method, withProject, A)).toThrow();
    },
  );

  it.each(methodNames.filter((m) => STUDENT_RULES[m].kind === 'own-project'))('%s naming the student’s own project passes the check', (method) => {
    expect(checkStudentCall(method, SAMPLES[method](A), A).method).toBe(method);
  });
});

describe('student session', () => {
  it('runs the student’s own operations on their desk, counting each call as activity', async () => {
    const { desk, calls } = fakeDesk();
    const onActivity = vi.fn();
    const s = new StudentSession(desk, () => undefined, { webView: () => Promise.resolve({ url: 'u' }), dockerStatus: () => ({ state: 'connected' }) as never, onActivity, pollMs: 0 });
    await s.call('service.stop', svc(A));
    await s.call('service.reset', { ...svc(A), confirm: true });
    await s.call('env.up', { project: A });
    expect(calls).toEqual(['stop("notebook")', 'reset("notebook")', 'up()']);
    expect(onActivity).toHaveBeenCalledTimes(3);
    await expect(s.call('service.revealSecret', { project: A, service: 'notebook', field: 'token' })).rejects.toThrow(/no token/);
    await expect(s.call('terminal.open', { host: true })).rejects.toThrow(/not offered/);
    s.dispose();
  });

  it('opens the desk’s course whatever course is asked, and lists only it', async () => {
    const { desk } = fakeDesk();
    const { s } = session(desk);
    await expect(s.call('env.open', { course: 'some-other-course' })).resolves.toMatchObject({ project: A });
    await expect(s.call('courses.list', {})).resolves.toEqual([{ id: 'tm351', title: 'TM351', file: '/x' }]);
    s.dispose();
  });

  it('tells the student, once, why their stack was started again (culling), after their panel opened', async () => {
    vi.useFakeTimers();
    try {
      const { desk } = fakeDesk();
      const events: Array<{ event: string; payload: unknown }> = [];
      let pending: string | undefined = 'Your environment was stopped after 60 minutes without activity.';
      const s = new StudentSession(desk, (event, payload) => void events.push({ event, payload }), {
        webView: () => Promise.resolve({ url: 'u' }),
        dockerStatus: () => ({ state: 'connected' }) as never,
        pollMs: 0,
        welcome: () => {
          const m = pending;
          pending = undefined;
          return m;
        },
      });
      await s.pushStates();
      expect(events).toEqual([]);
      await s.call('env.open', { course: 'tm351' });
      await vi.advanceTimersByTimeAsync(500);
      expect(events).toEqual([{ event: 'env.notice', payload: { project: A, notice: objectContaining({ level: 'info', message: stringMatching(/stopped after 60 minutes/) }) } }]);
      await s.pushStates();
      expect(events).toHaveLength(1);
      s.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses terminals and log subscriptions it did not open', async () => {
    const { desk } = fakeDesk();
    const { s } = session(desk);
    await expect(s.call('terminal.input', { terminal: 'someone-elses', data: 'x' })).rejects.toThrow(/not one of yours/);
    await expect(s.call('logs.unsubscribe', { subscription: 'someone-elses' })).rejects.toThrow(/not one of yours/);
    s.dispose();
  });
});

// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClient, type FakeClient } from '../../test/fake-client.js';
import { renderWith } from '../../test/render.js';
import { notebook, postgres, state } from '../../test/fixtures.js';
import { ClientProvider } from '../../hooks/client-context.js';
import { INPUT_QUEUE_CAP, TerminalManager, type TermHandle } from './terminal-manager.js';
import { TerminalsProvider } from './TerminalsProvider.js';
import { TerminalTab } from './TerminalTab.js';

afterEach(cleanup);

/** An emulator stand-in: records what was written, lets the test type and set its size. */
class FakeTerm implements TermHandle {
  static all: FakeTerm[] = [];
  written = '';
  opens = 0;
  disposed = false;
  cols = 80;
  rows = 24;
  private dataCb: ((d: string) => void) | undefined;
  constructor() {
    FakeTerm.all.push(this);
  }
  open() {
    this.opens++;
  }
  write(d: string) {
    this.written += d;
  }
  fit() {
    return { cols: this.cols, rows: this.rows };
  }
  onData(cb: (d: string) => void) {
    this.dataCb = cb;
  }
  type(d: string) {
    this.dataCb?.(d);
  }
  focus() {}
  dispose() {
    this.disposed = true;
  }
}

const tick = () => act(() => new Promise<void>((r) => setTimeout(r, 0)));

let client: FakeClient;
let n = 0;
beforeEach(() => {
  FakeTerm.all = [];
  n = 0;
  client = fakeClient();
  client.handle('terminal.open', (input) => {
    if ('host' in input) throw Object.assign(new Error('Refused: start the panel with --host-shell.'), { code: 'invalid-input' });
    return { terminal: `srv-${++n}`, title: 'bash in notebook' };
  });
  client.handle('terminal.input', () => ({ ok: true }));
  client.handle('terminal.resize', () => ({ ok: true }));
  client.handle('terminal.close', () => ({ ok: true }));
});

describe('TerminalManager', () => {
  it('opens with the fitted size on first attach, sends input, writes output', async () => {
    const m = new TerminalManager(client, () => new FakeTerm());
    const key = m.create({ project: 'tm351', service: 'notebook' }, 'Notebook');
    expect(m.getSnapshot()[0]).toMatchObject({ key, owner: 'notebook', status: 'opening' });
    const term = FakeTerm.all[0]!;
    term.cols = 100;
    term.rows = 30;
    m.attach(key, document.createElement('div'));
    await tick();
    expect(client.callsOf('terminal.open')).toEqual([{ project: 'tm351', service: 'notebook', cols: 100, rows: 30 }]);
    expect(m.getSnapshot()[0]).toMatchObject({ status: 'open', title: 'bash in notebook' });
    term.type('ls\r');
    expect(client.callsOf('terminal.input')).toEqual([{ terminal: 'srv-1', data: 'ls\r' }]);
    client.emit('terminal.data', { terminal: 'srv-1', data: 'hello' });
    client.emit('terminal.data', { terminal: 'other', data: 'not mine' });
    expect(term.written).toBe('hello');
  });

  it('keeps output that arrives before the open call answers', async () => {
    let answer!: (v: { terminal: string; title: string }) => void;
    client.handle('terminal.open', () => new Promise((r) => (answer = r)));
    const m = new TerminalManager(client, () => new FakeTerm());
    const key = m.create({ project: 'tm351', service: 'notebook' }, 'Notebook');
    m.attach(key, document.createElement('div'));
    client.emit('terminal.data', { terminal: 'srv-9', data: '$ ' });
    await act(() => {
      answer({ terminal: 'srv-9', title: 't' });
      return Promise.resolve();
    });
    expect(FakeTerm.all[0]!.written).toBe('$ ');
  });

  describe('input typed while a shell is opening', () => {
    /** terminal.open answers only when the test says so. */
    function heldOpen() {
      const answers: Array<() => void> = [];
      let n = 0;
      client.handle('terminal.open', () => new Promise((r) => answers.push(() => r({ terminal: `srv-${++n}`, title: 't' }))));
      return {
        answer: () =>
          act(() => {
            answers.shift()!();
            return Promise.resolve();
          }),
      };
    }
    const inputs = () => client.callsOf('terminal.input');

    it('is queued before the first open answers and delivered before later keys', async () => {
      const open = heldOpen();
      const m = new TerminalManager(client, () => new FakeTerm());
      m.attach(m.create({ project: 'tm351', service: 'notebook' }, 'Notebook'), document.createElement('div'));
      const term = FakeTerm.all[0]!;
      term.type('e');
      term.type('cho 1\r');
      expect(inputs()).toEqual([]);
      await open.answer();
      term.type('echo 2\r');
      expect(inputs()).toEqual([
        { terminal: 'srv-1', data: 'echo 1\r' },
        { terminal: 'srv-1', data: 'echo 2\r' },
      ]);
    });

    it('is queued while Enter reopens an exited shell, typed keys and pasted text alike, in order', async () => {
      const open = heldOpen();
      const m = new TerminalManager(client, () => new FakeTerm());
      m.attach(m.create({ project: 'tm351', service: 'notebook' }, 'Notebook'), document.createElement('div'));
      await open.answer();
      client.emit('terminal.exit', { terminal: 'srv-1', code: 0, reason: 'exited' });
      const term = FakeTerm.all[0]!;
      term.type('ignored');
      // Enter and what follows it in one chunk (a paste, or keys faster than a frame).
      term.type('\recho a');
      expect(m.getSnapshot()[0]!.status).toBe('opening');
      term.type('gain\r');
      term.type('ls\r');
      expect(inputs()).toEqual([]);
      await open.answer();
      term.type('pwd\r');
      expect(inputs()).toEqual([
        { terminal: 'srv-2', data: 'echo again\rls\r' },
        { terminal: 'srv-2', data: 'pwd\r' },
      ]);
      expect(client.callsOf('terminal.open')).toHaveLength(2);
    });

    it('is bounded: past the cap the rest is dropped and the terminal says so, once', async () => {
      const open = heldOpen();
      const m = new TerminalManager(client, () => new FakeTerm());
      m.attach(m.create({ project: 'tm351', service: 'notebook' }, 'Notebook'), document.createElement('div'));
      const term = FakeTerm.all[0]!;
      const chunk = 'a'.repeat(40 * 1024);
      term.type(chunk);
      term.type(chunk.replace(/a/g, 'b'));
      term.type('c'); // after an overflow nothing more is kept: it would arrive without what came before
      expect((term.written.match(/the rest was dropped/g) ?? []).length).toBe(1);
      expect(term.written).toContain('more than 64 KiB typed while the shell was opening');
      await open.answer();
      const [delivered] = inputs() as Array<{ data: string }>;
      expect(inputs()).toHaveLength(1);
      expect(delivered!.data).toHaveLength(INPUT_QUEUE_CAP);
      expect(delivered!.data).toBe(chunk + 'b'.repeat(INPUT_QUEUE_CAP - chunk.length));
      // Open now: input flows straight through again, whatever its size.
      term.type('d');
      expect(inputs()).toHaveLength(2);
      expect(inputs()[1]).toEqual({ terminal: 'srv-1', data: 'd' });
    });

    it('never splits a character made of two UTF-16 units at the cap', async () => {
      const open = heldOpen();
      const m = new TerminalManager(client, () => new FakeTerm());
      m.attach(m.create({ project: 'tm351', service: 'notebook' }, 'Notebook'), document.createElement('div'));
      const term = FakeTerm.all[0]!;
      term.type('a'.repeat(INPUT_QUEUE_CAP - 1) + '😀');
      await open.answer();
      expect((inputs()[0] as { data: string }).data).toBe('a'.repeat(INPUT_QUEUE_CAP - 1));
    });

    it('is dropped when the shell cannot be opened, not sent to the next one', async () => {
      let refuse = true;
      client.handle('terminal.open', () => {
        if (refuse) throw Object.assign(new Error('notebook is not running'), { code: 'invalid-input' });
        return { terminal: 'srv-7', title: 't' };
      });
      const m = new TerminalManager(client, () => new FakeTerm());
      const key = m.create({ project: 'tm351', service: 'notebook' }, 'Notebook');
      m.attach(key, document.createElement('div'));
      FakeTerm.all[0]!.type('rm -rf build\r');
      await tick();
      expect(m.getSnapshot()[0]!.status).toBe('failed');
      refuse = false;
      m.restart(key);
      await tick();
      expect(m.getSnapshot()[0]!.status).toBe('open');
      expect(inputs()).toEqual([]);
    });
  });

  it('resizes only when the fitted size changes', async () => {
    const m = new TerminalManager(client, () => new FakeTerm());
    const key = m.create({ project: 'tm351', service: 'notebook' }, 'Notebook');
    m.attach(key, document.createElement('div'));
    await tick();
    m.fit(key);
    expect(client.callsOf('terminal.resize')).toEqual([]);
    FakeTerm.all[0]!.cols = 132;
    m.fit(key);
    m.fit(key);
    expect(client.callsOf('terminal.resize')).toEqual([{ terminal: 'srv-1', cols: 132, rows: 24 }]);
  });

  it('shows the exit line, and Enter opens a new shell in the same emulator', async () => {
    const m = new TerminalManager(client, () => new FakeTerm());
    const key = m.create({ project: 'tm351', service: 'notebook' }, 'Notebook');
    m.attach(key, document.createElement('div'));
    await tick();
    client.emit('terminal.exit', { terminal: 'srv-1', code: 0, reason: 'exited' });
    const term = FakeTerm.all[0]!;
    expect(term.written).toContain('[the shell exited (code 0)] — press Enter to open a new one');
    expect(m.getSnapshot()[0]!.status).toBe('exited');
    term.type('x');
    expect(client.callsOf('terminal.input')).toEqual([]);
    term.type('\r');
    await tick();
    expect(client.callsOf('terminal.open')).toHaveLength(2);
    expect(m.getSnapshot()[0]!.status).toBe('open');
    term.type('a');
    expect(client.callsOf('terminal.input')).toEqual([{ terminal: 'srv-2', data: 'a' }]);
    expect(FakeTerm.all).toHaveLength(1);
  });

  it('re-attaches the same emulator instead of creating another', async () => {
    const m = new TerminalManager(client, () => new FakeTerm());
    const key = m.create({ project: 'tm351', service: 'notebook' }, 'Notebook');
    const a = document.createElement('div');
    const b = document.createElement('div');
    m.attach(key, a);
    await tick();
    const el = a.firstElementChild;
    m.detach(key, a);
    expect(a.children).toHaveLength(0);
    m.attach(key, b);
    expect(b.firstElementChild).toBe(el);
    expect(FakeTerm.all).toHaveLength(1);
    expect(FakeTerm.all[0]!.opens).toBe(1);
    expect(client.callsOf('terminal.open')).toHaveLength(1);
  });

  it('closes: terminal.close, emulator disposed, session gone', async () => {
    const m = new TerminalManager(client, () => new FakeTerm());
    const key = m.create({ project: 'tm351', service: 'notebook' }, 'Notebook');
    m.attach(key, document.createElement('div'));
    await tick();
    await m.close(key);
    expect(client.callsOf('terminal.close')).toEqual([{ terminal: 'srv-1' }]);
    expect(FakeTerm.all[0]!.disposed).toBe(true);
    expect(m.getSnapshot()).toEqual([]);
  });

  it('a refused host shell is recorded with the reason, not kept as a session', async () => {
    client.fail('terminal.open', { code: 'invalid-input', message: 'Start the panel with --host-shell to allow it.' });
    const m = new TerminalManager(client, () => new FakeTerm());
    await m.probeHost();
    expect(m.hostRefusal).toMatch(/--host-shell/);
    expect(client.callsOf('terminal.open')).toEqual([{ host: true, cols: 80, rows: 24 }]);
  });

  it('a lost connection ends open shells with a message', async () => {
    const m = new TerminalManager(client, () => new FakeTerm());
    const key = m.create({ project: 'tm351', service: 'notebook' }, 'Notebook');
    m.attach(key, document.createElement('div'));
    await tick();
    client.setConnection('closed');
    expect(m.getSnapshot()[0]!.status).toBe('exited');
    expect(FakeTerm.all[0]!.written).toContain('connection to Coursedock was lost');
  });
});

describe('TerminalTab', () => {
  const running = (svc: string) => state(svc, { status: 'healthy', containerId: `c-${svc}` });
  const tree = (svc = notebook, st = running(svc.name)) => (
    <TerminalsProvider createTerm={() => new FakeTerm()}>
      <TerminalTab project="tm351" service={svc} state={st} />
    </TerminalsProvider>
  );

  it('opens a shell on the first visit of a running service, and another with +', async () => {
    renderWith(client, tree());
    await tick();
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Jupyter Notebook']);
    fireEvent.click(screen.getByRole('button', { name: 'New terminal in Jupyter Notebook' }));
    await tick();
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Jupyter Notebook', 'Jupyter Notebook 2']);
    expect(screen.getAllByRole('tab')[1]!.getAttribute('aria-selected')).toBe('true');
    // The host entry is disabled, with the engine's reason.
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'This computer' }).disabled).toBe(true);
    expect(screen.getByTestId('host-refusal').textContent).toMatch(/--host-shell/);
  });

  it('keeps sessions when the tab is left and shown again (same emulator)', async () => {
    const { rerender } = render(
      <ClientProvider client={client}>
        <TerminalsProvider createTerm={() => new FakeTerm()}>
          <TerminalTab project="tm351" service={notebook} state={running('notebook')} />
        </TerminalsProvider>
      </ClientProvider>,
    );
    await tick();
    expect(FakeTerm.all).toHaveLength(1);
    rerender(
      <ClientProvider client={client}>
        <TerminalsProvider createTerm={() => new FakeTerm()}>
          <TerminalTab project="tm351" service={postgres} state={running('postgres')} />
        </TerminalsProvider>
      </ClientProvider>,
    );
    await tick();
    rerender(
      <ClientProvider client={client}>
        <TerminalsProvider createTerm={() => new FakeTerm()}>
          <TerminalTab project="tm351" service={notebook} state={running('notebook')} />
        </TerminalsProvider>
      </ClientProvider>,
    );
    await tick();
    expect(FakeTerm.all).toHaveLength(2); // one for notebook, one for postgres: none recreated
    expect(FakeTerm.all[0]!.opens).toBe(1);
    expect(client.callsOf('terminal.close')).toEqual([]);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Jupyter Notebook']);
  });

  it('says who the shell runs as; "Open as root" is the explicit second choice', async () => {
    client.handle('terminal.open', (input) =>
      'asRoot' in input && input.asRoot
        ? { terminal: `srv-${++n}`, title: 'Jupyter Notebook', runsAs: 'root' }
        : { terminal: `srv-${++n}`, title: 'Jupyter Notebook', runsAs: 'uid 1000, the owner of your notebooks folder' },
    );
    renderWith(client, tree());
    await tick();
    const serviceOpens = () => client.callsOf('terminal.open').filter((i) => !(i as { host?: true }).host);
    expect(serviceOpens()[0]).not.toHaveProperty('asRoot');
    expect(screen.getByTestId('terminal-runs-as').textContent).toBe('This shell runs as uid 1000, the owner of your notebooks folder.');
    fireEvent.click(screen.getByRole('button', { name: 'Open as root' }));
    await tick();
    expect(serviceOpens()[1]).toMatchObject({ project: 'tm351', service: 'notebook', asRoot: true });
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Jupyter Notebook', 'Jupyter Notebook (root) 2']);
    expect(screen.getByTestId('terminal-runs-as').textContent).toMatch(/^This shell runs as root: files it makes in your folders belong to root\.$/);
  });

  it('says so when the service is not running instead of an empty box', async () => {
    renderWith(client, tree(postgres, state('postgres', { status: 'stopped' })));
    await tick();
    expect(screen.getByText(/PostgreSQL is not running\. Start it to open a terminal/)).toBeTruthy();
    expect(client.callsOf('terminal.open').filter((i) => !(i as { host?: true }).host)).toEqual([]);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'New terminal in PostgreSQL' }).disabled).toBe(true);
  });
});

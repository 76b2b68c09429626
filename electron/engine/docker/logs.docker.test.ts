// Following a container's output on the real engine: a running container is followed through an
// attach joined to the last lines of its log (logs.ts, live-join.ts). Every line once, in order,
// none lost at the join, in a flood too; the follow ends when the container stops; a log driver
// that cannot be read still shows the live output; a stopped container shows its past and ends.
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { followLogs, type LogLine } from './logs.js';

const docker = new Dockerode();
const IMAGE = 'debian:bookworm-slim';
const made: string[] = [];

async function run(script: string, extra: Partial<Dockerode.ContainerCreateOptions> = {}): Promise<Dockerode.Container> {
  const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sh', '-c', script], Labels: { 'org.coursedock.test': 'logs' }, ...extra });
  made.push(c.id);
  await c.start();
  return c;
}

/** Waits until `lines` satisfies `ok` (the lines arrive through Docker's streams). */
async function until(lines: LogLine[], ok: (l: LogLine[]) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !ok(lines); i++) await new Promise((r) => setTimeout(r, 50));
  if (!ok(lines)) throw new Error(`timed out waiting for ${what}; got ${lines.length} lines`);
}

const numbers = (lines: LogLine[]) => lines.filter((l) => l.stream === 'stdout').map((l) => Number(l.text));

afterAll(async () => {
  for (const id of made) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
});

describe('followLogs on the real engine', () => {
  /** Follows `c` three times, each until `count` lines: the numbers it writes come consecutive (none twice, none lost at the join). */
  async function joinsThreeTimes(c: Dockerode.Container, tail: number, count: number): Promise<void> {
    await new Promise((r) => setTimeout(r, 1000));
    for (let round = 0; round < 3; round++) {
      const lines: LogLine[] = [];
      const handle = await followLogs(docker, c.id, { tail, follow: true }, (l) => lines.push(l));
      await until(lines, (l) => l.length >= count, `${count} lines`);
      handle.stop();
      await handle.done;
      const got = numbers(lines);
      expect(got.length).toBeGreaterThanOrEqual(count);
      const at = got.findIndex((n, i) => i > 0 && n !== got[i - 1]! + 1);
      // On a break, the numbers around it tell a gap from a repeat.
      expect(at < 0 ? 'consecutive' : `round ${round}, line ${at}: ${got.slice(Math.max(0, at - 3), at + 3).join(', ')}`).toBe('consecutive');
    }
  }

  it('joins the last lines to the live output of a busy container: each line once, none missing', async () => {
    // 200 lines a second: the join happens while lines are being written.
    await joinsThreeTimes(await run('i=0; while [ $i -lt 100000 ]; do i=$((i+1)); echo $i; sleep 0.005; done'), 50, 300);
  });

  it('joins them in a flood too, where the log writer lags the live output', async () => {
    // As fast as the shell can write: the log file may be thousands of lines behind the attach.
    await joinsThreeTimes(await run('i=0; while :; do i=$((i+1)); echo $i; done'), 200, 5000);
  });

  it('keeps stdout and stderr apart and ends, with every line, when the container stops', async () => {
    const c = await run('sleep 1; seq 1 20000; echo oops >&2; sleep 1; echo last');
    const lines: LogLine[] = [];
    const handle = await followLogs(docker, c.id, { tail: 10, follow: true }, (l) => lines.push(l));
    await handle.done; // the container exits by itself
    expect(numbers(lines.filter((l) => l.text !== 'last'))).toEqual(Array.from({ length: 20000 }, (_, i) => i + 1));
    expect(lines.filter((l) => l.stream === 'stderr')).toEqual([{ stream: 'stderr', text: 'oops' }]);
    expect(lines.at(-1)).toEqual({ stream: 'stdout', text: 'last' });
  });

  it('ends when the container is stopped from outside', async () => {
    const c = await run('trap "exit 0" TERM; echo up; while :; do sleep 0.1; done');
    const lines: LogLine[] = [];
    const handle = await followLogs(docker, c.id, { tail: 10, follow: true }, (l) => lines.push(l));
    await until(lines, (l) => l.length >= 1, 'the first line');
    await c.stop({ t: 5 });
    await handle.done;
    expect(lines).toEqual([{ stream: 'stdout', text: 'up' }]);
  });

  it('shows the live output of a container whose log cannot be read (log driver none)', async () => {
    const c = await run('i=0; while :; do i=$((i+1)); echo line $i; sleep 0.05; done', { HostConfig: { LogConfig: { Type: 'none', Config: {} } } });
    const lines: LogLine[] = [];
    const handle = await followLogs(docker, c.id, { tail: 10, follow: true }, (l) => lines.push(l));
    await until(lines, (l) => l.length >= 3, 'three live lines');
    handle.stop();
    await handle.done;
    expect(lines[0]!.text).toMatch(/^line \d+$/);
  });

  it('shows every line of a container that stops just as it is followed (whichever way the race goes)', async () => {
    for (let i = 0; i < 5; i++) {
      const c = await run('seq 1 30; sleep 0.05');
      const lines: LogLine[] = [];
      const handle = await followLogs(docker, c.id, { tail: 100, follow: true }, (l) => lines.push(l));
      await handle.done;
      expect(numbers(lines)).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
    }
  });

  it('shows the past of a stopped container and ends at once', async () => {
    const c = await run('seq 1 30');
    await c.wait();
    const lines: LogLine[] = [];
    const handle = await followLogs(docker, c.id, { tail: 5, follow: true }, (l) => lines.push(l));
    await handle.done;
    expect(numbers(lines)).toEqual([26, 27, 28, 29, 30]);
  });

  it('reads a container with a terminal (no multiplexing) as plain lines', async () => {
    const c = await run('echo one; echo two; sleep 30', { Tty: true });
    const lines: LogLine[] = [];
    const handle = await followLogs(docker, c.id, { tail: 10, follow: true }, (l) => lines.push(l));
    await until(lines, (l) => l.length >= 2, 'two lines');
    handle.stop();
    await handle.done;
    expect(lines.map((l) => l.text)).toEqual(['one', 'two']);
  });
});

// Two Coursedock processes changing one project at once, on the real engine: rounds of two
// concurrent commands (CLI + CLI, and CLI + browser shell) picked at random from a seed. The
// project lock makes them queue (the second one says whose work it waits for), so Docker never
// ends up with two default networks or two containers of one service, every command ends in
// success or in words, and the student's data stays. CONCURRENCY_ROUNDS / CONCURRENCY_SEED
// adjust it; PostgreSQL alone keeps each round light.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL, networkName } from './plan/labels.js';
import { copyCourse, type CourseCopy } from './testing/course-copy.js';
import { runCli, ShellProcess, type CliRun } from './testing/processes.js';
import { psql, removeProject } from './testing/test-engine.js';

const docker = new Dockerode();
const ROUNDS = Number(process.env.CONCURRENCY_ROUNDS ?? 20);
const OPS = ['up', 'down', 'reinstall', 'restart'] as const;
type Op = (typeof OPS)[number];

let copy: CourseCopy;
let shell: ShellProcess | undefined;

async function pgPort(): Promise<number> {
  const [c] = await docker.listContainers({ filters: { label: [`${LABEL.project}=${copy.project}`, `${LABEL.service}=postgres`] } });
  const port = c?.Ports.find((p) => p.PrivatePort === 5432)?.PublicPort;
  if (!port) throw new Error('PostgreSQL publishes no port');
  return port;
}

/** Never two default networks, never two containers of one service. */
async function expectOneOfEach(context: string): Promise<void> {
  const nets = (await docker.listNetworks({ filters: { name: [networkName(copy.project)] } })).filter((n) => n.Name === networkName(copy.project));
  expect(nets.length, `${context}: networks`).toBeLessThanOrEqual(1);
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${copy.project}`] } });
  const services = containers.map((c) => c.Labels[LABEL.service]);
  expect(new Set(services).size, `${context}: containers ${services.join(',')}`).toBe(services.length);
}

const sentinelFile = () => path.join(copy.notebooksDir, 'sentinel.txt');

function cliArgs(op: Op): string[] {
  return op === 'down' ? ['down', copy.project] : [op, copy.project, 'postgres'];
}

/** What a command ended with: ok, or the words it said. */
interface Ending {
  who: string;
  op: Op;
  ok: boolean;
  words: string;
}

async function viaCli(op: Op): Promise<Ending> {
  const r: CliRun = await runCli(copy, cliArgs(op));
  const said = r.stderr.split('\n').filter((l) => /^[✗!]/.test(l)).join('\n');
  return { who: 'cli', op, ok: r.code === 0, words: r.code === 0 ? r.stderr : said };
}

async function viaShell(op: Op): Promise<Ending> {
  const ref = { project: copy.project, service: 'postgres' };
  try {
    const r = await (op === 'up'
      ? shell!.call<{ ok: boolean; services: Array<{ ok: boolean; error?: string }> }>('env.up', ref)
      : op === 'down'
        ? shell!.call<{ ok: boolean; services: Array<{ ok: boolean; error?: string }> }>('env.down', { project: copy.project })
        : shell!.call<{ ok: boolean; services: Array<{ ok: boolean; error?: string }> }>(`service.${op}`, ref));
    return { who: 'shell', op, ok: r.ok, words: r.services.map((s) => s.error ?? '').join(' ') };
  } catch (err) {
    return { who: 'shell', op, ok: false, words: (err as Error).message };
  }
}

beforeAll(async () => {
  copy = copyCourse('tm351', 'cdc');
  const first = await runCli(copy, ['up', copy.project, 'postgres', '--quiet']);
  expect(first.code, first.stderr).toBe(0);
  psql(await pgPort(), "create table sentinel(v text); insert into sentinel values ('kept')");
  mkdirSync(copy.notebooksDir, { recursive: true });
  writeFileSync(sentinelFile(), 'my work');
  shell = await ShellProcess.start(copy, copy.project);
  await shell.call('env.open', { course: copy.project });
});

afterAll(async () => {
  await shell?.stop();
  await removeProject(copy.project);
  copy.cleanup();
});

describe('two processes on one project', () => {
  it(`${ROUNDS} rounds of random concurrent operations: one network, one container per service, data kept`, async () => {
    let seed = Number(process.env.CONCURRENCY_SEED ?? 12);
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = (): Op => OPS[Math.floor(random() * OPS.length)]!;
    const log: string[] = [];
    let waits = 0;
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      const withShell = round % 2 === 1;
      const [a, b] = [pick(), pick()];
      const endings = await Promise.all([viaCli(a), withShell ? viaShell(b) : viaCli(b)]);
      log.push(`${round}: cli ${a} + ${withShell ? 'shell' : 'cli'} ${b} → ${endings.map((e) => (e.ok ? 'ok' : 'failed')).join(', ')}`);
      console.log(`${log[log.length - 1]} (${Math.round((Date.now() - started) / 1000)} s)`);
      for (const e of endings) {
        // Under the lock each command succeeds; had one failed, it must have said why in words.
        expect(e.ok, `${log.join('\n')}\n${e.who} ${e.op}: ${e.words}`).toBe(true);
        if (/Waiting for the (command line|browser shell)'s/.test(e.words)) waits++;
      }
      await expectOneOfEach(log.join('\n'));
      expect(readFileSync(sentinelFile(), 'utf8')).toBe('my work');
    }
    const up = await runCli(copy, ['up', copy.project, 'postgres', '--quiet']);
    expect(up.code, up.stderr).toBe(0);
    expect(psql(await pgPort(), 'select v from sentinel')).toBe('kept');
    await expectOneOfEach('at the end');
    console.log(`${ROUNDS} rounds in ${Math.round((Date.now() - started) / 1000)} s; ${waits} commands said whose work they waited for`);
    // Rounds overlap in time, so the command line waits (and says so) in at least one of them.
    expect(waits).toBeGreaterThan(0);
  }, ROUNDS * 45_000 + 60_000);
});

// Coursedock's speed, measured side by side with docker-compose (Compose v1) on the same spec
// and the same images, in one run: `npm run bench`. Prints tables; asserts nothing.
// Knobs: BENCH_RUNS (default 3), BENCH_IDLE_SECONDS (60), SPAM_LINES (300000), BENCH_ONLY
// (comma list of: ready,reinstall,idle,logs,terminal).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { isPortFree } from '../electron/engine/operations/host-ports.js';
import { copyCourse, type CourseCopy } from '../electron/engine/testing/course-copy.js';
import { removeProject } from '../electron/engine/testing/test-engine.js';
import { cpuSeconds, median, now, percentile, REPO, ShellClient, startServe, table, waitUntil } from './lib.js';

const run = promisify(execFile);
const docker = new Dockerode();
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const only = new Set((process.env.BENCH_ONLY ?? 'ready,reinstall,idle,logs,terminal').split(','));
const results: Array<Record<string, string | number>> = [];
const s = (ms: number) => ms / 1000;

async function freePort(from: number, taken: Set<number>): Promise<number> {
  for (let p = from; ; p++) if (!taken.has(p) && (await isPortFree('127.0.0.1', p, 'tcp'))) return (taken.add(p), p);
}

const claimed = new Set<number>();

/**
 * A copy of the course for one tool, its published ports moved to free ones: docker-compose
 * cannot auto-correct a busy port, and both tools must run the very same spec.
 */
async function benchCopy(prefix: string): Promise<CourseCopy> {
  const c = copyCourse('tm351', prefix);
  const nb = await freePort(18351, claimed);
  const pg = await freePort(15432, claimed);
  const text = readFileSync(c.file, 'utf8')
    .replace('"127.0.0.1:8351:8888"', `"127.0.0.1:${nb}:8888"`)
    .replace('"127.0.0.1:5432:5432"', `"127.0.0.1:${pg}:5432"`);
  writeFileSync(c.file, text);
  return c;
}

/** The variables Coursedock supplies, for docker-compose to read the same spec. */
const composeEnv = (c: CourseCopy) => ({
  ...process.env,
  NOTEBOOK_TOKEN: 'bench',
  MONGO_PASSWORD: 'bench-mongo',
  MONGO_ADMIN_PASSWORD: 'bench-mongo-admin',
  NOTEBOOKS_DIR: c.notebooksDir,
  NOTEBOOK_UID: String(process.getuid?.() ?? 1000),
  COURSEDOCK_PROJECT: c.project,
});

/** The container of a service, by Compose labels (Compose v1 names them project_service_1). */
async function containerOf(project: string, service: string): Promise<string> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${service}`] },
  });
  if (!list[0]) throw new Error(`no ${service} container in ${project}`);
  return list[0].Id;
}

async function hostPort(container: string, target: number): Promise<number> {
  const info = await docker.getContainer(container).inspect();
  return Number(info.NetworkSettings.Ports[`${target}/tcp`]?.[0]?.HostPort);
}

/** The same readiness wait for both tools: every service healthy and the notebook answering. */
async function ready(project: string): Promise<void> {
  await waitUntil(
    async () => {
      try {
        for (const service of ['postgres', 'notebook']) {
          const c = await docker.getContainer(await containerOf(project, service)).inspect();
          if ((c.State as { Health?: { Status: string } }).Health?.Status !== 'healthy') return false;
        }
        const port = await hostPort(await containerOf(project, 'notebook'), 8888);
        return (await fetch(`http://127.0.0.1:${port}/p/${project}/notebook/api`)).ok;
      } catch {
        return false;
      }
    },
    300_000,
    `${project} ready`,
  );
}

async function stopAll(project: string): Promise<void> {
  const list = await docker.listContainers({ filters: { label: [`com.docker.compose.project=${project}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).stop({ t: 10 })));
}

/** The CLI as a student's script would run it; a failure is printed, then the wait tells. */
const coursedock = (c: CourseCopy, ...args: string[]) =>
  run(process.execPath, [path.join(REPO, 'bin/coursedock.js'), ...args, '--quiet'], { env: { ...process.env, ...c.env } }).catch(
    (e: { stdout?: string; stderr?: string }) => {
      if (!/mongo/.test(e.stdout ?? '')) console.error(`coursedock ${args.join(' ')} failed:\n${e.stdout}${e.stderr}`);
    },
  );
const compose = (c: CourseCopy, ...args: string[]) =>
  run('docker-compose', ['-f', c.file, '-p', c.project, ...args], { env: composeEnv(c) });

async function timeToReady(): Promise<void> {
  const cd = await benchCopy('benchcd');
  const dc = await benchCopy('benchdc');
  try {
    const times: Record<string, number[]> = { 'cd cold': [], 'dc cold': [], 'cd warm': [], 'dc warm': [] };
    for (let i = 0; i < RUNS; i++) {
      for (const [tool, c, up] of [
        ['cd', cd, () => coursedock(cd, 'up', cd.project, 'notebook')],
        ['dc', dc, () => compose(dc, 'up', '-d', 'notebook')],
      ] as const) {
        await removeProject(c.project);
        let t0 = now();
        await up();
        await ready(c.project);
        times[`${tool} cold`]!.push(now() - t0);
        await stopAll(c.project);
        t0 = now();
        await up();
        await ready(c.project);
        times[`${tool} warm`]!.push(now() - t0);
        await removeProject(c.project);
      }
    }
    for (const kind of ['cold', 'warm']) {
      const ours = median(times[`cd ${kind}`]!);
      const theirs = median(times[`dc ${kind}`]!);
      results.push({ measure: `time to ready, ${kind} (s)`, coursedock: s(ours), 'docker-compose': s(theirs), ratio: ours / theirs });
    }
  } finally {
    await removeProject(cd.project);
    await removeProject(dc.project);
    cd.cleanup();
    dc.cleanup();
  }
}

/** Reinstall postgres while the notebook runs: how long, and does the notebook keep answering? */
async function reinstall(): Promise<void> {
  const cd = await benchCopy('benchcd');
  const dc = await benchCopy('benchdc');
  const measure = async (c: CourseCopy, op: () => Promise<unknown>) => {
    const port = await hostPort(await containerOf(c.project, 'notebook'), 8888);
    let ok = 0;
    let failed = 0;
    let done = false;
    const probe = (async () => {
      while (!done) {
        try {
          (await fetch(`http://127.0.0.1:${port}/p/${c.project}/notebook/api`)).ok ? ok++ : failed++;
        } catch {
          failed++;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const t0 = now();
    await op();
    await ready(c.project);
    const ms = now() - t0;
    done = true;
    await probe;
    return { ms, availability: ok / Math.max(1, ok + failed) };
  };
  try {
    await coursedock(cd, 'up', cd.project, 'notebook');
    await ready(cd.project);
    await compose(dc, 'up', '-d', 'notebook');
    await ready(dc.project);
    const ours: number[] = [];
    const theirs: number[] = [];
    let availability = 1;
    for (let i = 0; i < RUNS; i++) {
      const a = await measure(cd, () => coursedock(cd, 'reinstall', cd.project, 'postgres'));
      ours.push(a.ms);
      availability = Math.min(availability, a.availability);
      const b = await measure(dc, () => compose(dc, 'up', '-d', '--force-recreate', '--no-deps', 'postgres'));
      theirs.push(b.ms);
    }
    results.push({
      measure: 'reinstall postgres, notebook running (s)',
      coursedock: s(median(ours)),
      'docker-compose': s(median(theirs)),
      ratio: median(ours) / median(theirs),
    });
    results.push({ measure: 'notebook answering during reinstall (%)', coursedock: availability * 100, 'docker-compose': '', ratio: '' });
  } finally {
    await removeProject(cd.project);
    await removeProject(dc.project);
    cd.cleanup();
    dc.cleanup();
  }
}

/** CPU the engine + browser shell use while nothing happens, with a panel connected. */
async function idleAndTerminal(): Promise<void> {
  const cd = await benchCopy('benchcd');
  const { child, url } = await startServe(cd.env);
  const client = await ShellClient.open(url);
  try {
    await client.call('env.open', { course: cd.project });
    await client.call('env.up', { project: cd.project, service: 'notebook' });
    if (only.has('idle')) {
      const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
      await new Promise((r) => setTimeout(r, 2000)); // let start-up work settle
      const before = cpuSeconds(child.pid!);
      await new Promise((r) => setTimeout(r, seconds * 1000));
      const used = cpuSeconds(child.pid!) - before;
      results.push({ measure: `idle CPU over ${seconds} s, panel connected (% of a core)`, coursedock: (100 * used) / seconds, 'docker-compose': '', ratio: '' });
    }
    if (only.has('terminal')) {
      const { terminal } = await client.call<{ terminal: string }>('terminal.open', { project: cd.project, service: 'notebook' });
      let output = '';
      const waiters: Array<() => void> = [];
      client.listeners.add((event, payload) => {
        if (event === 'terminal.data' && payload.terminal === terminal) {
          output += payload.data;
          waiters.splice(0).forEach((w) => w());
        }
      });
      await new Promise((r) => setTimeout(r, 1500)); // the prompt
      const samples: number[] = [];
      for (let i = 0; i < 200; i++) {
        const ch = String.fromCharCode(97 + (i % 26));
        const mark = output.length;
        const t0 = now();
        const echoed = new Promise<void>((resolve) => {
          const check = () => (output.slice(mark).includes(ch) ? resolve() : waiters.push(check));
          check();
        });
        await client.call('terminal.input', { terminal, data: ch });
        await echoed;
        samples.push(now() - t0);
      }
      results.push({
        measure: 'terminal keystroke echo via Docker exec (ms, median / p95)',
        coursedock: `${median(samples).toFixed(1)} / ${percentile(samples, 95).toFixed(1)}`,
        'docker-compose': '',
        ratio: '',
      });
      await client.call('terminal.close', { terminal });
    }
  } finally {
    client.close();
    child.kill('SIGTERM');
    await removeProject(cd.project);
    cd.cleanup();
  }
}

/** Lines per second from a container printing as fast as it can to a connected panel. */
async function logThroughput(): Promise<void> {
  const lines = Number(process.env.SPAM_LINES ?? 300_000);
  const home = mkdtempSync(path.join(os.tmpdir(), 'benchlogs-'));
  const env = { COURSEDOCK_HOME: home, COURSEDOCK_SPECS: path.join(REPO, 'bench/specs'), SPAM_LINES: String(lines) };
  const { child, url } = await startServe(env);
  const client = await ShellClient.open(url);
  try {
    await removeProject('logspam');
    await client.call('env.open', { course: 'logspam' });
    let count = 0;
    let first = 0;
    let last = 0;
    let subscription = '';
    const all = new Promise<void>((resolve) => {
      client.listeners.add((event, payload) => {
        if (event !== 'logs.lines' || payload.subscription !== subscription) return;
        if (!first) first = now();
        count += payload.lines.length;
        last = now();
        if (count >= lines) resolve();
      });
    });
    await client.call('env.up', { project: 'logspam' });
    ({ subscription } = await client.call<{ subscription: string }>('logs.subscribe', { project: 'logspam', service: 'spam', tail: 0 }));
    // Responsiveness: round trips of a cheap call while the flood is on.
    const rtts: number[] = [];
    let flooding = true;
    const pinger = (async () => {
      while (flooding) {
        const t0 = now();
        await client.call('docker.status');
        rtts.push(now() - t0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await all;
    flooding = false;
    await pinger;
    const ours = count / s(last - first);
    // The peer: the docker CLI reading the same container's whole log.
    const t0 = now();
    const { stdout } = await run('docker', ['logs', 'logspam-spam-1'], { maxBuffer: 1 << 30 });
    const theirs = stdout.split('\n').length / s(now() - t0);
    results.push({ measure: 'log lines per second to a connected panel', coursedock: Math.round(ours), 'docker-compose': `${Math.round(theirs)} (docker logs)`, ratio: ours / theirs });
    results.push({ measure: 'API round trip during the log flood (ms, median / max)', coursedock: `${median(rtts).toFixed(1)} / ${Math.max(...rtts).toFixed(1)}`, 'docker-compose': '', ratio: '' });
  } finally {
    client.close();
    child.kill('SIGTERM');
    await removeProject('logspam');
    rmSync(home, { recursive: true, force: true });
  }
}

const started = Date.now();
if (only.has('ready')) await timeToReady();
if (only.has('reinstall')) await reinstall();
if (only.has('idle') || only.has('terminal')) await idleAndTerminal();
if (only.has('logs')) await logThroughput();
const info = await docker.info();
console.log(`\nCoursedock benchmarks — ${new Date().toISOString()} — ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Docker ${info.ServerVersion}, ${RUNS} runs (medians)\n`);
console.log(table(results));
console.log(`\n(ratio = Coursedock / peer; below 1 is faster for times, above 1 is better for throughput) — ${Math.round((Date.now() - started) / 1000)} s`);

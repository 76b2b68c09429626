// Coursedock's speed, measured side by side with docker-compose (Compose v1) on the same spec
// and the same images, in one run: `npm run bench`. Prints tables; asserts nothing.
// Knobs: BENCH_RUNS (default 3), BENCH_IDLE_SECONDS (60), SPAM_LINES (300000), BENCH_ONLY
// (comma list of: ready,reinstall,idle,machine,logs,terminal).
// docker-compose runs the spec as it is (its healthchecks every 30 s, which Compose waits on),
// and, for reference, with the checks as often as before (postgres every 1 s, the notebook
// every 2 s: "docker-compose, fast checks"), the fairest peer for start-up times.
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
import { cgroupCpuSeconds, loadAverage, machineBusy, processCpuSeconds } from './machine.js';

const run = promisify(execFile);
const docker = new Dockerode();
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const only = new Set((process.env.BENCH_ONLY ?? 'ready,reinstall,idle,machine,logs,terminal').split(','));
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
  // Compose's override file with the healthchecks as often as before they were made quiet.
  writeFileSync(
    fastChecksFile(c),
    'services:\n  postgres:\n    healthcheck:\n      interval: 1s\n  notebook:\n    healthcheck:\n      interval: 2s\n',
  );
  return c;
}

const fastChecksFile = (c: CourseCopy) => path.join(c.dir, 'fast-checks.override.yml');

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

/** Runs the container's own healthcheck command (docker exec); true when it passes. */
async function checkPasses(container: string): Promise<boolean> {
  const info = await docker.getContainer(container).inspect();
  const test = info.Config.Healthcheck?.Test ?? [];
  const cmd = test[0] === 'CMD' ? test.slice(1) : test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : [];
  if (!info.State.Running || !cmd.length) return false;
  return run('docker', ['exec', container, ...cmd]).then(
    () => true,
    () => false,
  );
}

/**
 * The same readiness wait for both tools, independent of either: the notebook answers on its
 * published port, and then both services' own healthchecks pass (run with docker exec; Docker's
 * health status is not used, since it changes only every 30 s). Asked every 100 ms, the
 * notebook first (cheap), so the wait costs the machine little.
 */
async function ready(project: string): Promise<void> {
  await waitUntil(
    async () => {
      try {
        const notebook = await containerOf(project, 'notebook');
        const port = await hostPort(notebook, 8888);
        if (!(await fetch(`http://127.0.0.1:${port}/p/${project}/notebook/api`)).ok) return false;
        return (await checkPasses(await containerOf(project, 'postgres'))) && (await checkPasses(notebook));
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
/** docker-compose with the healthchecks as often as before (1 s / 2 s). */
const composeFast = (c: CourseCopy, ...args: string[]) =>
  run('docker-compose', ['-f', c.file, '-f', fastChecksFile(c), '-p', c.project, ...args], { env: composeEnv(c) });

async function timeToReady(): Promise<void> {
  const cd = await benchCopy('benchcd');
  const dc = await benchCopy('benchdc');
  const df = await benchCopy('benchdf');
  try {
    const times: Record<string, number[]> = { 'cd cold': [], 'dc cold': [], 'df cold': [], 'cd warm': [], 'dc warm': [], 'df warm': [] };
    for (let i = 0; i < RUNS; i++) {
      for (const [tool, c, up] of [
        ['cd', cd, () => coursedock(cd, 'up', cd.project, 'notebook')],
        ['dc', dc, () => compose(dc, 'up', '-d', 'notebook')],
        ['df', df, () => composeFast(df, 'up', '-d', 'notebook')],
      ] as const) {
        try {
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
        } catch (err) {
          // One tool's failed round is reported and left out; the others' still count.
          console.error(`${tool} round ${i + 1} failed: ${(err as Error).message}`);
        } finally {
          await removeProject(c.project);
        }
      }
    }
    for (const kind of ['cold', 'warm']) {
      const ours = median(times[`cd ${kind}`]!);
      const theirs = median(times[`dc ${kind}`]!);
      const fast = median(times[`df ${kind}`]!);
      results.push({ measure: `time to ready, ${kind} (s)`, coursedock: s(ours), 'docker-compose': s(theirs), ratio: ours / theirs });
      results.push({ measure: `time to ready, ${kind}, vs docker-compose with fast checks (s)`, coursedock: s(ours), 'docker-compose': s(fast), ratio: ours / fast });
    }
  } finally {
    for (const c of [cd, dc, df]) {
      await removeProject(c.project);
      c.cleanup();
    }
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
    let theirAvailability = 1;
    for (let i = 0; i < RUNS; i++) {
      const a = await measure(cd, () => coursedock(cd, 'reinstall', cd.project, 'postgres'));
      ours.push(a.ms);
      availability = Math.min(availability, a.availability);
      const b = await measure(dc, () => compose(dc, 'up', '-d', '--force-recreate', '--no-deps', 'postgres'));
      theirs.push(b.ms);
      theirAvailability = Math.min(theirAvailability, b.availability);
    }
    results.push({
      measure: 'reinstall postgres, notebook running (s)',
      coursedock: s(median(ours)),
      'docker-compose': s(median(theirs)),
      ratio: median(ours) / median(theirs),
    });
    results.push({ measure: 'notebook answering during reinstall (%)', coursedock: availability * 100, 'docker-compose': theirAvailability * 100, ratio: '' });
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
  let client: ShellClient | undefined;
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
  try {
    client = await ShellClient.open(url);
    await client.call('env.open', { course: cd.project });
    // The machine with nothing of ours running: what the rest of it costs meanwhile.
    const stopped = only.has('machine') ? await machineBusy(seconds) : undefined;
    await client.call('env.up', { project: cd.project, service: 'notebook' });
    if (only.has('idle') || only.has('machine')) {
      await new Promise((r) => setTimeout(r, 5000)); // let start-up work settle
      const ids = [await containerOf(cd.project, 'notebook'), await containerOf(cd.project, 'postgres')];
      const engine = ['dockerd', 'containerd', 'containerd-shim', 'containerd-shim-runc-v2', 'runc', 'docker-proxy'];
      const before = { serve: cpuSeconds(child.pid!), containers: ids.map(cgroupCpuSeconds), engine: processCpuSeconds(engine) };
      const machine = await machineBusy(seconds);
      const serve = cpuSeconds(child.pid!) - before.serve;
      const containers = ids.reduce((sum, id, i) => sum + cgroupCpuSeconds(id) - before.containers[i]!, 0);
      const engineUsed = processCpuSeconds(engine) - before.engine;
      const pct = (used: number) => (100 * used) / seconds;
      if (only.has('idle')) results.push({ measure: `idle CPU over ${seconds} s, panel connected (% of a core)`, coursedock: pct(serve), 'docker-compose': '', ratio: '' });
      if (only.has('machine')) {
        results.push({ measure: `whole machine over ${seconds} s, tm351 running and idle, /proc/stat (% of a core)`, coursedock: machine.percentOfCore, 'docker-compose': '', ratio: '' });
        results.push({ measure: `whole machine over ${seconds} s, services stopped (% of a core)`, coursedock: stopped!.percentOfCore, 'docker-compose': '', ratio: '' });
        results.push({ measure: `tm351's containers, idle (% of a core)`, coursedock: pct(containers), 'docker-compose': '', ratio: '' });
        results.push({ measure: `dockerd + containerd (shared with other work), meanwhile (% of a core)`, coursedock: pct(engineUsed), 'docker-compose': '', ratio: '' });
      }
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
    client?.close();
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
  let client: ShellClient | undefined;
  try {
    const shell = await ShellClient.open(url);
    client = shell;
    await removeProject('logspam');
    await shell.call('env.open', { course: 'logspam' });
    let count = 0;
    let first = 0;
    let last = 0;
    let subscription = '';
    const all = new Promise<void>((resolve) => {
      shell.listeners.add((event, payload) => {
        if (event !== 'logs.lines' || payload.subscription !== subscription) return;
        if (!first) first = now();
        count += payload.lines.length;
        last = now();
        if (count >= lines) resolve();
      });
    });
    await shell.call('env.up', { project: 'logspam' });
    ({ subscription } = await shell.call<{ subscription: string }>('logs.subscribe', { project: 'logspam', service: 'spam', tail: 0 }));
    // Responsiveness: round trips of a cheap call while the flood is on.
    const rtts: number[] = [];
    let flooding = true;
    const pinger = (async () => {
      while (flooding) {
        const t0 = now();
        await shell.call('docker.status');
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
    client?.close();
    child.kill('SIGTERM');
    await removeProject('logspam');
    rmSync(home, { recursive: true, force: true });
  }
}

const started = Date.now();
const startLoad = loadAverage();
if (only.has('ready')) await timeToReady();
if (only.has('reinstall')) await reinstall();
if (only.has('idle') || only.has('machine') || only.has('terminal')) await idleAndTerminal();
if (only.has('logs')) await logThroughput();
const info = await docker.info();
console.log(`\nCoursedock benchmarks — ${new Date().toISOString()} — ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Docker ${info.ServerVersion}, ${RUNS} runs (medians); load average at the end ${loadAverage()} (at the start ${startLoad})\n`);
console.log(table(results));
console.log(`\n(ratio = Coursedock / peer; below 1 is faster for times, above 1 is better for throughput) — ${Math.round((Date.now() - started) / 1000)} s`);

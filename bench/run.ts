// Coursedock's speed, measured side by side with docker-compose (Compose v1) on the same spec
// and the same images, in one run: `npm run bench`. Prints a table of every number issue #16's
// "Must show" asks for (with its goal and whether it is met) and writes it to
// bench/results/latest.md (+ latest.json), the source of the README's table. Asserts nothing.
//
// One command, safe to run again: every course copy has a project name of its own, the images
// are built once before anything is timed (a changed build context would otherwise be timed as
// a build), and whatever the run created is removed at the end, on Ctrl-C, and (left over by a
// run that was killed) at the start of the next run. A part that fails is reported in the table
// and the others still run. The machine's load average is recorded with every part: numbers
// taken while other work loads the machine are marked so.
//
// Knobs: BENCH_RUNS (default 3), BENCH_IDLE_SECONDS (60), SPAM_LINES (300000), CLI_RUNS (10),
// BENCH_ONLY (comma list of: ready,reinstall,idle,machine,terminal,logs,cli),
// BENCH_RESULTS (folder for latest.md/.json; default bench/results), BENCH_PORT_OFFSET (0).
// docker-compose runs the spec as it is (its healthchecks every 30 s, which Compose waits on),
// and, for reference, with the checks as often as before (postgres every 1 s, the notebook
// every 2 s: "docker-compose, fast checks"), the fairest peer for start-up times.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { z } from 'zod';
import { isPortFree } from '../electron/engine/operations/host-ports.js';
import { copyCourse, type CourseCopy } from '../electron/engine/testing/course-copy.js';
import { removeProject } from '../electron/engine/testing/test-engine.js';
import { timeCli } from './cli-startup.bench.js';
import { cpuSeconds, median, now, percentile, REPO, ShellClient, startServe, waitUntil } from './lib.js';
import { cgroupCpuSeconds, loadAverage, machineBusy, processCpuSeconds } from './machine.js';
import { PARTS, renderResults, type Row } from './results.js';

const run = promisify(execFile);
const docker = new Dockerode();
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const only = new Set((process.env.BENCH_ONLY ?? PARTS.join(',')).split(',').map((p) => p.trim()));
const rows: Row[] = [];
const s = (ms: number) => ms / 1000;

// ---- what this run created, removed whatever happens ----

const copies = new Set<CourseCopy>();
const children = new Set<{ kill(signal?: NodeJS.Signals): boolean }>();

async function dispose(c: CourseCopy): Promise<void> {
  await removeProject(c.project).catch(() => undefined);
  c.cleanup();
  copies.delete(c);
}

async function cleanUpAll(): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  children.clear();
  for (const c of [...copies]) await dispose(c);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: removing what the benchmark created…`);
    void cleanUpAll().finally(() => process.exit(130));
  });
}

/**
 * Leftovers of an earlier run that was killed: bench projects whose course copy (a folder under
 * the temp dir named like the project) is gone. A run going on beside this one keeps its folder,
 * so its projects are left alone.
 */
async function sweepLeftovers(): Promise<void> {
  const folders = new Set(readdirSync(os.tmpdir()).map((f) => f.toLowerCase()));
  const projects = new Set<string>();
  for (const c of await docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project'] } })) {
    const p = c.Labels['com.docker.compose.project'] ?? '';
    const m = /^(bench(?:cd|dc|df|prep))-tm351-(\w+)$/.exec(p);
    if (m && !folders.has(`${m[1]}-${m[2]}`)) projects.add(p);
  }
  for (const p of projects) {
    console.error(`removing ${p}, left over by an earlier benchmark run`);
    await removeProject(p);
  }
}

// ---- the course, the same for both tools ----

async function freePort(from: number, taken: Set<number>): Promise<number> {
  for (let p = from; ; p++) if (!taken.has(p) && (await isPortFree('127.0.0.1', p, 'tcp'))) return (taken.add(p), p);
}

const claimed = new Set<number>();
/** Where this run's published ports start (+18351, +15432): two runs side by side need apart ranges. */
const PORT_OFFSET = Number(process.env.BENCH_PORT_OFFSET ?? 0);

/**
 * A copy of the course for one tool, its published ports moved to free ones: docker-compose
 * cannot auto-correct a busy port, and both tools must run the very same spec.
 */
async function benchCopy(prefix: string): Promise<CourseCopy> {
  const c = copyCourse('tm351', prefix);
  copies.add(c);
  const nb = await freePort(18351 + PORT_OFFSET, claimed);
  const pg = await freePort(15432 + PORT_OFFSET, claimed);
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
  if (!list[0]) throw new Error(`no ${service} container`);
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
 * notebook first (cheap), so the wait costs the machine little. A timeout says what was still
 * missing.
 */
async function ready(project: string, timeoutMs = 300_000): Promise<void> {
  let missing = 'nothing asked yet';
  await waitUntil(
    async () => {
      try {
        const notebook = await containerOf(project, 'notebook');
        const port = await hostPort(notebook, 8888);
        if (!(await fetch(`http://127.0.0.1:${port}/p/${project}/notebook/api`).then((r) => r.ok, () => false))) return ((missing = `the notebook does not answer on port ${port}`), false);
        if (!(await checkPasses(await containerOf(project, 'postgres')))) return ((missing = "postgres's healthcheck does not pass"), false);
        if (!(await checkPasses(notebook))) return ((missing = "the notebook's healthcheck does not pass"), false);
        return true;
      } catch (err) {
        missing = (err as Error).message;
        return false;
      }
    },
    timeoutMs,
    `${project} ready`,
  ).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)} (${missing})`);
  });
}

async function stopAll(project: string): Promise<void> {
  const list = await docker.listContainers({ filters: { label: [`com.docker.compose.project=${project}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).stop({ t: 10 })));
}

/** What a failed execFile carries: the output of the command, when it ran at all. */
function failedOutput(err: unknown): { stdout: string; stderr: string } {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  if (typeof err !== 'object' || err === null) return { stdout: '', stderr: String(err) };
  return { stdout: 'stdout' in err ? text(err.stdout) : '', stderr: 'stderr' in err ? text(err.stderr) : '' };
}

/** The CLI as a student's script would run it; a failure is printed, then the wait tells. */
const coursedock = (c: CourseCopy, ...args: string[]) =>
  run(process.execPath, [path.join(REPO, 'bin/coursedock.js'), ...args, '--quiet'], { env: { ...process.env, ...c.env }, maxBuffer: 1 << 26 }).catch(
    (err: unknown) => {
      const e = failedOutput(err);
      if (!/mongo/i.test(e.stdout)) console.error(`coursedock ${args.join(' ')} failed:\n${e.stdout}${e.stderr}`);
    },
  );
const compose = (c: CourseCopy, ...args: string[]) =>
  run('docker-compose', ['-f', c.file, '-p', c.project, ...args], { env: composeEnv(c) });
/** docker-compose with the healthchecks as often as before (1 s / 2 s). */
const composeFast = (c: CourseCopy, ...args: string[]) =>
  run('docker-compose', ['-f', c.file, '-f', fastChecksFile(c), '-p', c.project, ...args], { env: composeEnv(c) });

/**
 * The course's images, fetched or built once before anything is timed: both tools then start
 * from the same images, and a build context changed since the last build is not timed as part
 * of a start.
 */
async function prepareImages(): Promise<void> {
  const c = await benchCopy('benchprep');
  try {
    const t0 = now();
    await run(process.execPath, [path.join(REPO, 'bin/coursedock.js'), 'build', c.project, '--quiet'], { env: { ...process.env, ...c.env }, maxBuffer: 1 << 26 }).catch(
      (err: unknown) => {
        const e = failedOutput(err);
        console.error(`coursedock build: ${e.stdout}${e.stderr}`.trim());
      },
    );
    console.error(`images ready (${s(now() - t0).toFixed(1)} s)`);
  } finally {
    await dispose(c);
  }
}

// ---- the parts ----

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
          console.error(`[bench] ready round ${i + 1}, ${tool}: cold ${s(times[`${tool} cold`]!.at(-1)!).toFixed(2)} s, warm ${s(now() - t0).toFixed(2)} s (load ${loadAverage()})`);
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
      rows.push({ part: 'ready', measure: `time to ready, ${kind} (s)`, coursedock: s(ours), peer: s(theirs), ratio: ours / theirs, goal: '≤ 0.7×', met: ours / theirs <= 0.7, runs: times[`cd ${kind}`]!.length });
      rows.push({ part: 'ready', measure: `time to ready, ${kind}, against docker-compose with fast checks (s)`, coursedock: s(ours), peer: s(fast), ratio: ours / fast, runs: times[`df ${kind}`]!.length });
    }
  } finally {
    for (const c of [cd, dc, df]) await dispose(c);
  }
}

/**
 * Reinstall postgres while the notebook runs: how long until both answer again, and does the
 * notebook keep answering meanwhile (asked every 50 ms)? Coursedock from the panel (the browser
 * shell's API, as the desktop app does it) and from the CLI (a fresh process that loads the
 * spec and connects first); docker-compose as `up -d --force-recreate --no-deps postgres`.
 */
async function reinstall(): Promise<void> {
  const cd = await benchCopy('benchcd');
  const dc = await benchCopy('benchdc');
  const serve = await startServe(cd.env);
  children.add(serve.child);
  let client: ShellClient | undefined;
  const measure = async (c: CourseCopy, op: () => Promise<unknown>) => {
    const port = await hostPort(await containerOf(c.project, 'notebook'), 8888);
    let ok = 0;
    let failed = 0;
    const done = new AbortController();
    const probe = (async () => {
      while (!done.signal.aborted) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/p/${c.project}/notebook/api`)).ok) ok++;
          else failed++;
        } catch {
          failed++;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const t0 = now();
    try {
      await op();
      await ready(c.project, 120_000);
    } finally {
      done.abort();
      await probe;
    }
    return { ms: now() - t0, availability: ok / Math.max(1, ok + failed) };
  };
  try {
    const shell = (client = await ShellClient.open(serve.url));
    await shell.call('env.open', { course: cd.project });
    await shell.call('env.up', { project: cd.project, service: 'notebook' });
    await ready(cd.project);
    await compose(dc, 'up', '-d', 'notebook');
    await ready(dc.project);
    const panel: number[] = [];
    const cli: number[] = [];
    const theirs: number[] = [];
    const availability = { panel: 1, cli: 1, theirs: 1 };
    for (let i = 0; i < RUNS; i++) {
      const a = await measure(cd, () => shell.call('service.reinstall', { project: cd.project, service: 'postgres' }));
      panel.push(a.ms);
      availability.panel = Math.min(availability.panel, a.availability);
      const b = await measure(cd, () => coursedock(cd, 'reinstall', cd.project, 'postgres'));
      cli.push(b.ms);
      availability.cli = Math.min(availability.cli, b.availability);
      const d = await measure(dc, () => compose(dc, 'up', '-d', '--force-recreate', '--no-deps', 'postgres'));
      theirs.push(d.ms);
      availability.theirs = Math.min(availability.theirs, d.availability);
    }
    const peer = median(theirs);
    rows.push({ part: 'reinstall', measure: 'reinstall postgres, notebook running, from the panel (s)', coursedock: s(median(panel)), peer: s(peer), ratio: median(panel) / peer, goal: '≤ 0.8×', met: median(panel) / peer <= 0.8, runs: RUNS });
    // For reference: a fresh process also starts Node, loads the spec and reads Docker first (~0.6 s).
    rows.push({ part: 'reinstall', measure: 'reinstall postgres, notebook running, from the CLI, for reference (s)', coursedock: s(median(cli)), peer: s(peer), ratio: median(cli) / peer, runs: RUNS });
    const least = Math.min(availability.panel, availability.cli);
    rows.push({ part: 'reinstall', measure: 'notebook answering during reinstall, worst run (%)', coursedock: least * 100, peer: availability.theirs * 100, goal: '100 %', met: least === 1, runs: RUNS });
  } finally {
    client?.close();
    serve.child.kill('SIGTERM');
    children.delete(serve.child);
    await dispose(cd);
    await dispose(dc);
  }
}

/** CPU the engine + browser shell use while nothing happens, with a panel connected; the whole machine; terminal echo. */
async function idleAndTerminal(): Promise<void> {
  const cd = await benchCopy('benchcd');
  const serve = await startServe(cd.env);
  children.add(serve.child);
  const { child } = serve;
  let client: ShellClient | undefined;
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
  try {
    client = await ShellClient.open(serve.url);
    await client.call('env.open', { course: cd.project });
    // The machine with nothing of ours running: what the rest of it costs meanwhile.
    const stoppedLoad = loadAverage();
    const stopped = only.has('machine') ? await machineBusy(seconds) : undefined;
    await client.call('env.up', { project: cd.project, service: 'notebook' });
    if (only.has('idle') || only.has('machine')) {
      await new Promise((r) => setTimeout(r, 5000)); // let start-up work settle
      // With daily backups switched on, the first is due as soon as the course runs: it streams a
      // dump through the browser shell, which is work, not idling. Waited for (at most 3 min).
      // Off (the default), nothing is scheduled and there is nothing to wait for.
      const { daily } = await client.call('backup.settings', {});
      if (daily) {
        const backupStarted = now();
        const backedUp = await waitUntil(
          async () => ((await client!.call('backup.list', { project: cd.project }).catch(() => ({ backups: [1] }))).backups.length > 0),
          180_000,
          'the first scheduled backup',
        ).then(
          () => true,
          () => false,
        );
        await new Promise((r) => setTimeout(r, 2000));
        rows.push({ part: 'idle', measure: `(before measuring idle: the first scheduled backup ${backedUp ? `done after ${s(now() - backupStarted).toFixed(0)} s` : 'not done within 3 min'})` });
      }
      const ids = [await containerOf(cd.project, 'notebook'), await containerOf(cd.project, 'postgres')];
      const engine = ['dockerd', 'containerd', 'containerd-shim', 'containerd-shim-runc-v2', 'runc', 'docker-proxy'];
      const before = { serve: cpuSeconds(child.pid!), containers: ids.map(cgroupCpuSeconds), engine: processCpuSeconds(engine) };
      const runningLoad = loadAverage();
      const machine = await machineBusy(seconds);
      const serveUsed = cpuSeconds(child.pid!) - before.serve;
      const containers = ids.reduce((sum, id, i) => sum + cgroupCpuSeconds(id) - before.containers[i]!, 0);
      const engineUsed = processCpuSeconds(engine) - before.engine;
      const pct = (used: number) => (100 * used) / seconds;
      if (only.has('idle')) {
        rows.push({ part: 'idle', measure: `idle CPU of Coursedock (browser shell + engine) over ${seconds} s, panel connected (% of a core)`, coursedock: pct(serveUsed), goal: '≤ 0.3', met: pct(serveUsed) <= 0.3 });
      }
      if (only.has('machine')) {
        const steal = (m: { stealPercentOfCore: number }) => `; the host's steal, not counted: ${m.stealPercentOfCore.toFixed(2)}`;
        rows.push({ part: 'machine', measure: `whole machine over ${seconds} s, tm351 running and idle, /proc/stat (% of a core${steal(machine)})`, coursedock: machine.percentOfCore, goal: '≤ 1.5', met: machine.percentOfCore <= 1.5, load: runningLoad });
        rows.push({ part: 'machine', measure: `whole machine over ${seconds} s, tm351 stopped, /proc/stat (% of a core${steal(stopped!)})`, coursedock: stopped!.percentOfCore, load: stoppedLoad });
        rows.push({ part: 'machine', measure: `tm351's containers (cgroups), idle, same ${seconds} s (% of a core)`, coursedock: pct(containers) });
        rows.push({ part: 'machine', measure: `dockerd + containerd + shims (shared with other work), same ${seconds} s (% of a core)`, coursedock: pct(engineUsed) });
      }
    }
    if (only.has('terminal')) {
      const { terminal } = await client.call('terminal.open', { project: cd.project, service: 'notebook' });
      let output = '';
      const waiters: Array<() => void> = [];
      client.listeners.add((e) => {
        if (e.event === 'terminal.data' && e.payload.terminal === terminal) {
          output += e.payload.data;
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
      const p95 = percentile(samples, 95);
      rows.push({ part: 'terminal', measure: 'terminal keystroke echo via Docker exec, p95 (ms; median in brackets)', coursedock: `${p95.toFixed(1)} (${median(samples).toFixed(1)})`, goal: '< 10', met: p95 < 10 });
      await client.call('terminal.close', { terminal });
    }
  } finally {
    client?.close();
    child.kill('SIGTERM');
    children.delete(child);
    await dispose(cd);
  }
}

/** Lines per second from a container printing as fast as it can to a connected panel. */
async function logThroughput(): Promise<void> {
  const lines = Number(process.env.SPAM_LINES ?? 300_000);
  const home = mkdtempSync(path.join(os.tmpdir(), 'benchlogs-'));
  const env = { COURSEDOCK_HOME: home, COURSEDOCK_SPECS: path.join(REPO, 'bench/specs'), SPAM_LINES: String(lines) };
  const serve = await startServe(env);
  children.add(serve.child);
  let client: ShellClient | undefined;
  try {
    const shell = await ShellClient.open(serve.url);
    client = shell;
    await removeProject('logspam');
    await shell.call('env.open', { course: 'logspam' });
    let count = 0;
    /** Lines the engine left out for a client reading too slowly (it sends the newest). */
    let skipped = 0;
    let first = 0;
    let last = 0;
    let subscription = '';
    const all = new Promise<void>((resolve) => {
      shell.listeners.add((e) => {
        if (e.event !== 'logs.lines' || e.payload.subscription !== subscription) return;
        if (!first) first = now();
        count += e.payload.lines.length;
        skipped += e.payload.skipped ?? 0;
        last = now();
        if (count + skipped >= lines) resolve();
      });
    });
    await shell.call('env.up', { project: 'logspam' });
    ({ subscription } = await shell.call('logs.subscribe', { project: 'logspam', service: 'spam', tail: 0 }));
    // Responsiveness: round trips of a cheap call while the flood is on.
    const rtts: number[] = [];
    const flooded = new AbortController();
    const pinger = (async () => {
      while (!flooded.signal.aborted) {
        const t0 = now();
        await shell.call('docker.status', {});
        rtts.push(now() - t0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await all;
    flooded.abort();
    await pinger;
    const ours = count / s(last - first);
    // The peer: the docker CLI reading the same container's whole log.
    const t0 = now();
    const { stdout } = await run('docker', ['logs', 'logspam-spam-1'], { maxBuffer: 1 << 30 });
    const theirs = stdout.split('\n').length / s(now() - t0);
    const left = skipped ? `; ${skipped} of ${lines} left out for a slow reader` : '';
    rows.push({ part: 'logs', measure: `log lines per second to a connected panel (peer: docker logs${left})`, coursedock: Math.round(ours), peer: Math.round(theirs), ratio: ours / theirs, goal: '≥ 1.2×', met: ours / theirs >= 1.2 });
    rows.push({ part: 'logs', measure: 'API round trip during the log flood (ms, median / max)', coursedock: `${median(rtts).toFixed(1)} / ${Math.max(...rtts).toFixed(1)}` });
  } finally {
    client?.close();
    serve.child.kill('SIGTERM');
    children.delete(serve.child);
    await removeProject('logspam');
    rmSync(home, { recursive: true, force: true });
  }
}

/** `coursedock --help` and `coursedock status tm351`: median of CLI_RUNS fresh processes. */
async function cliStartup(): Promise<void> {
  const c = await benchCopy('benchcd');
  try {
    // The same spec as tm351, in a settings folder of its own (the student's stays untouched).
    const timings = timeCli({ runs: Number(process.env.CLI_RUNS ?? 10), course: c.project, env: c.env });
    const goals: Record<string, number> = { '--help': 0.25, status: 0.6 };
    for (const t of timings) {
      const goal = goals[t.command.split(' ')[1]!]!;
      const label = t.command.replace(c.project, 'tm351');
      rows.push({ part: 'cli', measure: `\`${label}\`, median of ${process.env.CLI_RUNS ?? 10} (s)`, coursedock: t.seconds, goal: `≤ ${goal}`, met: t.seconds <= goal, runs: Number(process.env.CLI_RUNS ?? 10) });
      if (t.cpuSeconds !== undefined) rows.push({ part: 'cli', measure: `\`${label}\`, CPU time used (user + system), median (s)`, coursedock: t.cpuSeconds });
    }
  } finally {
    await dispose(c);
  }
}

// ---- the run ----

const parts: Record<(typeof PARTS)[number], () => Promise<void>> = {
  ready: timeToReady,
  reinstall,
  idle: idleAndTerminal,
  machine: idleAndTerminal,
  terminal: idleAndTerminal,
  logs: logThroughput,
  cli: cliStartup,
};

const started = new Date();
const startLoad = loadAverage();
const resultsDir = path.resolve(REPO, process.env.BENCH_RESULTS ?? 'bench/results');
// docker.info() is typed `any`: the one field read is checked.
const info = z.object({ ServerVersion: z.string() }).parse(await docker.info());

/** latest.md and latest.json, written after every part: a run cut short still leaves what it measured. */
function writeResults(partial: boolean): string {
  const text = renderResults(
    partial ? [...rows, { part: '', measure: '(run still going: the parts after these were not measured yet)' }] : rows,
    {
      date: started,
      seconds: Math.round((Date.now() - started.getTime()) / 1000),
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Docker ${info.ServerVersion}, ${os.type()} ${os.release()}`,
      runs: RUNS,
      loadAtStart: startLoad,
      loadAtEnd: loadAverage(),
    },
    os.cpus().length,
  );
  if (!existsSync(resultsDir)) mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'latest.md'), text);
  writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify({ date: started.toISOString(), loadAtStart: startLoad, loadAtEnd: loadAverage(), runs: RUNS, rows }, null, 1)}\n`);
  return text;
}
try {
  await sweepLeftovers();
  if (['ready', 'reinstall', 'idle', 'machine', 'terminal', 'cli'].some((p) => only.has(p))) await prepareImages();
  const done = new Set<() => Promise<void>>();
  for (const part of PARTS) {
    const fn = parts[part];
    if (!only.has(part) || done.has(fn)) continue;
    done.add(fn);
    const before = rows.length;
    const load = loadAverage();
    const t0 = now();
    console.error(`[bench] ${part}… (load average ${load})`);
    try {
      await fn();
    } catch (err) {
      rows.push({ part, measure: `${part}: FAILED — ${(err as Error).message.split('\n')[0]}` });
    }
    const during = `${load.split(' ')[0]} → ${loadAverage().split(' ')[0]}`;
    for (const r of rows.slice(before)) r.load ??= during;
    console.error(`[bench] ${part} done in ${s(now() - t0).toFixed(0)} s`);
    writeResults(true);
  }
} finally {
  await cleanUpAll();
}

const text = writeResults(false);
console.log(`\n${text}`);
console.log(`written: ${path.relative(REPO, path.join(resultsDir, 'latest.md'))}`);

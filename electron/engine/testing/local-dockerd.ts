// The tests that restart this machine's Docker engine (engine-restart, bring-back) share this:
// finding the local dockerd, saying why it may not be restarted here, stopping it and starting
// it again with its own command line the way scripts/ensure-docker.sh does. A start that dies
// with Docker 20.10's network-store panic (moby/moby#45057) is repaired and retried once.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import type { DockerStatus } from '../docker/docker-connection.js';
import type { Engine } from '../engine.js';
import { REPO_ROOT } from './course-copy.js';

const LOG = '/var/log/dockerd.log';

/** The running dockerd: its pid and command line, read from /proc (no pgrep needed). */
export function findDockerd(): { pid: number; argv: string[] } | undefined {
  if (!existsSync('/proc')) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'dockerd') continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return { pid: Number(entry), argv };
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** Whether a test may restart dockerd here, and if not, why (said in the skip). */
export function dockerdRestartability(): { ok: boolean; reason: string } {
  const no = (reason: string) => ({ ok: false, reason });
  if (process.platform !== 'linux') return no(`restarting the Docker engine is only automated on Linux (this is ${process.platform})`);
  if (process.getuid?.() !== 0) return no('restarting dockerd needs root (CI runs as root)');
  const host = process.env.DOCKER_HOST;
  if (host && host !== 'unix:///var/run/docker.sock') return no(`DOCKER_HOST=${host} is not this machine's dockerd`);
  if (!findDockerd()) return no('no dockerd process on this machine (Docker runs elsewhere, e.g. in a VM): nothing to restart');
  if (existsSync('/run/systemd/system')) return no('dockerd is kept by systemd here: restarting it by hand would fight systemd');
  return { ok: true, reason: 'restarts the local dockerd' };
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const dockerAnswers = (): Promise<boolean> =>
  new Dockerode()
    .ping()
    .then(() => true)
    .catch(() => false);

let lastArgv: string[] = ['dockerd'];

/** Stops the local dockerd (SIGTERM) and resolves once the process is gone. */
export async function stopDockerd(): Promise<void> {
  const dockerd = findDockerd();
  if (!dockerd) return;
  lastArgv = dockerd.argv.length ? dockerd.argv : ['dockerd'];
  process.kill(dockerd.pid, 'SIGTERM');
  // The old daemon must be gone (its pid file released) before a new one starts.
  await until(() => !existsSync(`/proc/${dockerd.pid}`), `dockerd ${dockerd.pid} has exited`);
}

function spawnDockerd(): number {
  const log = openSync(LOG, 'a');
  const child = spawn(lastArgv[0]!, lastArgv.slice(1), { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  return child.pid!;
}

/** Starts dockerd with the command line it had, and resolves once it answers. */
export async function startDockerd(): Promise<void> {
  const logStart = existsSync(LOG) ? statSync(LOG).size : 0;
  const pid = spawnDockerd();
  const alive = () => existsSync(`/proc/${pid}`);
  await until(async () => (await dockerAnswers()) || !alive(), 'dockerd answers');
  if (await dockerAnswers()) return;
  const said = readFileSync(LOG, 'utf8').slice(logStart);
  if (!said.includes('reservePools')) throw new Error(`dockerd did not start; see ${LOG}`);
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/repair-docker-network-store.ts')], { stdio: 'inherit' });
  spawnDockerd();
  await until(dockerAnswers, 'dockerd answers after the network store was repaired');
}

/** Resolves when the engine's view of Docker becomes `state`. */
export function statusBecomes(engine: Engine, state: DockerStatus['state'], timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (engine.connection.status().state === state) { resolve(); return; }
    const timer = setTimeout(() => reject(new Error(`Docker status did not become ${state}`)), timeoutMs);
    const on = (s: DockerStatus) => {
      if (s.state !== state) return;
      clearTimeout(timer);
      engine.connection.off('status', on);
      resolve();
    };
    engine.connection.on('status', on);
  });
}

// Onboarding's decision, a pure function of the probes: which container engines are on this
// computer, which of them is running, which one to offer to start (and how), what stands in
// the way (WSL 2 missing), and, when nothing is installed, the choices for this OS. Tested on
// recorded probes of each OS (fixtures/), so the Windows and macOS paths are checked here too.
import { INSTALL_CHOICES, type InstallChoice } from './install-choices.js';
import { commandKey, knownCommands, knownPaths, type HostOs, type HostProbes } from './probes.js';
import { prepareWslConfig, type PreparedWslConfig } from '../repairs/wslconfig.js';

export type EngineId =
  | 'docker-desktop'
  | 'rancher-desktop'
  | 'podman-machine'
  | 'podman-desktop'
  | 'colima'
  | 'orbstack'
  | 'docker-service'
  | 'rootless-docker'
  | 'rootless-podman';

/** How Coursedock starts an engine: a program (detached when it is an app or a long start). */
export interface StartAction {
  command: string[];
  /** Needs administrator rights: through the desktop's privilege prompt (pkexec) unless root. */
  privileged: boolean;
  /** Launch and let go (an app, or `colima start` which takes minutes); else wait for its exit. */
  detached: boolean;
  /** The same in words, and as a student could type it. */
  words: string;
}

export interface DetectedEngine {
  id: EngineId;
  name: string;
  state: 'running' | 'stopped' | 'needs-setup';
  /** What was seen, in words ("/usr/sbin/dockerd exists", "systemctl says inactive"). */
  evidence: string[];
  start?: StartAction;
  /** Why it cannot be started from here, or what to know before. */
  note?: string;
}

export interface Blocker {
  title: string;
  detail: string;
  /** What to run (as administrator), when it is a command. */
  command?: string;
}

export type Situation = 'installed-not-running' | 'starting' | 'nothing-installed' | 'blocked' | 'running-not-answering';

export interface OnboardingReport {
  os: HostOs;
  situation: Situation;
  headline: string;
  lead: string;
  engines: DetectedEngine[];
  /** The engine the panel offers to start (the first stopped one that can be started). */
  offer?: DetectedEngine;
  blockers: Blocker[];
  /** When nothing is installed: what to install, with requirements and links. */
  choices: InstallChoice[];
  /** Sockets whose appearance means an engine may now answer (watched, not polled). */
  watch: string[];
  /** Windows with WSL 2 using much memory: a .wslconfig ready to save. */
  wslconfig?: PreparedWslConfig;
}

const OS_WORDS: Record<HostOs, string> = { linux: 'Linux', macos: 'macOS', windows: 'Windows' };

export function detectEngines(p: HostProbes): OnboardingReport {
  const engines = p.os === 'windows' ? windowsEngines(p) : p.os === 'macos' ? macEngines(p) : linuxEngines(p);
  const blockers = p.os === 'windows' ? wslBlockers(p, engines) : [];
  const wslconfig = p.os === 'windows' ? wslConfigFor(p) : undefined;
  const watch = watchPaths(p);
  const base = { os: p.os, engines, blockers, watch, ...(wslconfig ? { wslconfig } : {}) };
  const running = engines.find((e) => e.state === 'running');
  const offer = engines.find((e) => e.state !== 'running' && e.start);

  const [firstEngine] = engines;
  if (!firstEngine) {
    return {
      ...base,
      situation: blockers.length ? 'blocked' : 'nothing-installed',
      headline: 'No Docker engine is installed',
      lead: `Coursedock runs your course in containers, and needs a container engine on this computer. Here are the choices for ${OS_WORDS[p.os]}; install one, start it, and Coursedock carries on by itself.`,
      choices: INSTALL_CHOICES[p.os],
    };
  }
  const [blocker] = blockers;
  if (blocker) {
    return {
      ...base,
      situation: 'blocked',
      headline: `${firstEngine.name} is installed, but ${blocker.title}`,
      lead: `Fix this first, then start ${firstEngine.name}; Coursedock carries on by itself once the engine answers.`,
      choices: [],
      ...(offer ? { offer } : {}),
    };
  }
  if (running) {
    return {
      ...base,
      situation: 'running-not-answering',
      headline: `${running.name} is running but does not answer yet`,
      lead: `${running.name} may still be starting (this can take a minute). If it stays like this, restart ${running.name}. Coursedock carries on by itself as soon as it answers.`,
      choices: [],
    };
  }
  const first = offer ?? firstEngine;
  return {
    ...base,
    situation: 'installed-not-running',
    headline: `${first.name} is installed but not running`,
    lead: offer
      ? `Start it and Coursedock carries on by itself as soon as it answers. ${offer.start?.privileged ? 'Starting it needs administrator rights: your computer asks for your password.' : ''}`.trim()
      : `${first.note ?? `Start ${first.name}.`} Coursedock carries on by itself as soon as it answers.`,
    choices: [],
    ...(offer ? { offer } : {}),
  };
}

// ---- per OS ------------------------------------------------------------------------------

const has = (p: HostProbes, paths: string[] | undefined): string | undefined => paths?.find((f) => p.files.includes(f));
const proc = (p: HostProbes, ...names: string[]): string | undefined =>
  names.find((n) => p.processes.some((x) => x.toLowerCase() === n.toLowerCase()));
const cmd = (p: HostProbes, argv: string[] | undefined) => (argv ? p.commands[commandKey(argv)] : undefined);

function app(id: EngineId, name: string, found: string, running: string | undefined, start: StartAction, note?: string): DetectedEngine {
  return {
    id,
    name,
    state: running ? 'running' : 'stopped',
    evidence: [`${found} exists`, running ? `${running} is running` : `${name} is not running`],
    start,
    ...(note ? { note } : {}),
  };
}

function podmanMachine(p: HostProbes, exe: string, os: HostOs): DetectedEngine {
  const out = cmd(p, knownCommands(os).podmanMachines);
  let machines: Array<{ Name?: string; Running?: boolean; Starting?: boolean }> = [];
  try {
    machines = out && out.code === 0 ? (JSON.parse(out.stdout || '[]') as typeof machines) : [];
  } catch {
    machines = [];
  }
  const evidence = [`${exe} exists`];
  const m = machines.find((x) => x.Running) ?? machines[0];
  if (!m) {
    evidence.push('no Podman machine is set up (podman machine list is empty)');
    return {
      id: 'podman-machine',
      name: 'Podman',
      state: 'needs-setup',
      evidence,
      start: { command: [exe, 'machine', 'init', '--now'], privileged: false, detached: true, words: 'podman machine init --now' },
      note: 'Podman needs its virtual machine set up once (it downloads about 1 GB).',
    };
  }
  evidence.push(`machine ${m.Name ?? 'default'} is ${m.Running ? 'running' : m.Starting ? 'starting' : 'stopped'}`);
  return {
    id: 'podman-machine',
    name: 'Podman',
    state: m.Running ? 'running' : 'stopped',
    evidence,
    start: { command: [exe, 'machine', 'start', ...(m.Name ? [m.Name.replace(/\*$/, '')] : [])], privileged: false, detached: true, words: `podman machine start${m.Name ? ` ${m.Name.replace(/\*$/, '')}` : ''}` },
  };
}

function windowsEngines(p: HostProbes): DetectedEngine[] {
  const k = knownPaths('windows', p.home, p.env);
  const out: DetectedEngine[] = [];
  const dd = has(p, k.dockerDesktop);
  if (dd) out.push(app('docker-desktop', 'Docker Desktop', dd, proc(p, 'com.docker.backend.exe', 'Docker Desktop.exe'), { command: [dd], privileged: false, detached: true, words: 'Start Docker Desktop from the Start menu' }));
  const rd = has(p, k.rancherDesktop);
  if (rd) out.push(app('rancher-desktop', 'Rancher Desktop', rd, proc(p, 'Rancher Desktop.exe'), { command: [rd], privileged: false, detached: true, words: 'Start Rancher Desktop from the Start menu' }));
  const pd = has(p, k.podmanDesktop);
  if (pd) out.push(app('podman-desktop', 'Podman Desktop', pd, proc(p, 'Podman Desktop.exe'), { command: [pd], privileged: false, detached: true, words: 'Start Podman Desktop from the Start menu' }));
  const pm = has(p, k.podman);
  if (pm) out.push(podmanMachine(p, pm, 'windows'));
  return out;
}

function macEngines(p: HostProbes): DetectedEngine[] {
  const k = knownPaths('macos', p.home, p.env);
  const out: DetectedEngine[] = [];
  const openApp = (name: string): StartAction => ({ command: ['open', '-a', name], privileged: false, detached: true, words: `open -a "${name}"` });
  const dd = has(p, k.dockerDesktop);
  if (dd) out.push(app('docker-desktop', 'Docker Desktop', dd, proc(p, 'com.docker.backend', 'Docker Desktop'), openApp('Docker')));
  const orb = has(p, k.orbstack);
  if (orb) out.push(app('orbstack', 'OrbStack', orb, proc(p, 'OrbStack'), openApp('OrbStack')));
  const rd = has(p, k.rancherDesktop);
  if (rd) out.push(app('rancher-desktop', 'Rancher Desktop', rd, proc(p, 'Rancher Desktop'), openApp('Rancher Desktop')));
  const colima = has(p, k.colima);
  if (colima) {
    const status = cmd(p, knownCommands('macos').colimaStatus);
    const running = status?.code === 0 && /running/i.test(`${status.stdout}${status.stderr ?? ''}`);
    out.push({
      id: 'colima',
      name: 'Colima',
      state: running ? 'running' : 'stopped',
      evidence: [`${colima} exists`, status ? `colima status: ${lastWords(status) || `exit code ${status.code}`}` : 'colima status did not run'],
      start: { command: [colima, 'start'], privileged: false, detached: true, words: 'colima start' },
      note: 'The first start downloads and sets up a small virtual machine (a few minutes).',
    });
  }
  const pd = has(p, k.podmanDesktop);
  if (pd) out.push(app('podman-desktop', 'Podman Desktop', pd, proc(p, 'Podman Desktop'), openApp('Podman Desktop')));
  const pm = has(p, k.podman);
  if (pm) out.push(podmanMachine(p, pm, 'macos'));
  return out;
}

function linuxEngines(p: HostProbes): DetectedEngine[] {
  const k = knownPaths('linux', p.home, p.env);
  const c = knownCommands('linux');
  const out: DetectedEngine[] = [];
  const systemd = !!has(p, k.systemd);
  const root = p.uid === 0;
  const sudo = root ? '' : 'sudo ';
  const dockerd = has(p, k.dockerd);
  if (dockerd) {
    const unit = has(p, k.dockerUnit);
    const init = has(p, k.initScript);
    const running = proc(p, 'dockerd');
    const evidence = [`${dockerd} exists (Docker Engine, e.g. the docker.io or docker-ce package)`];
    let start: StartAction;
    if (systemd && unit) {
      const active = cmd(p, c.systemctlDocker);
      evidence.push(`systemd manages it (${unit}); systemctl is-active docker: ${active ? lastWords(active) || `exit code ${active.code}` : 'not asked'}`);
      start = { command: ['systemctl', 'start', 'docker'], privileged: !root, detached: false, words: `${sudo}systemctl start docker` };
    } else if (init) {
      evidence.push(`no systemd here; the service script ${init} can start it`);
      start = { command: [init, 'start'], privileged: !root, detached: false, words: `${sudo}${init} start` };
    } else {
      evidence.push('no systemd and no service script here: dockerd is started by itself');
      start = { command: [dockerd], privileged: !root, detached: true, words: `${sudo}${dockerd}` };
    }
    evidence.push(running ? 'a dockerd process is running' : 'no dockerd process is running');
    out.push({ id: 'docker-service', name: 'Docker Engine', state: running ? 'running' : 'stopped', evidence, start });
  }
  const rootless = has(p, k.rootlessDocker) ?? has(p, k.rootlessDockerUnit);
  if (rootless && !root) {
    const active = cmd(p, c.systemctlUserDocker);
    const running = active?.code === 0 && /^active/m.test(active.stdout);
    out.push({
      id: 'rootless-docker',
      name: 'Docker (rootless)',
      state: running ? 'running' : 'stopped',
      evidence: [`${rootless} exists`, `systemctl --user is-active docker: ${active ? lastWords(active) || `exit code ${active.code}` : 'not asked'}`],
      start: { command: ['systemctl', '--user', 'start', 'docker'], privileged: false, detached: false, words: 'systemctl --user start docker' },
    });
  }
  const podman = has(p, k.podman);
  if (podman && !root) {
    const unit = has(p, k.podmanSocketUnit);
    const active = cmd(p, c.systemctlUserPodman);
    const running = active?.code === 0 && /^active/m.test(active.stdout);
    const socket = p.env.XDG_RUNTIME_DIR ? `${p.env.XDG_RUNTIME_DIR}/podman/podman.sock` : undefined;
    const base = {
      id: 'rootless-podman' as const,
      name: 'Podman (rootless)',
      evidence: [`${podman} exists`, unit ? `systemctl --user is-active podman.socket: ${active ? lastWords(active) || `exit code ${active.code}` : 'not asked'}` : 'no podman.socket user unit'],
    };
    out.push(
      unit
        ? {
            ...base,
            state: running ? 'running' : 'stopped',
            start: { command: ['systemctl', '--user', 'start', 'podman.socket'], privileged: false, detached: false, words: 'systemctl --user start podman.socket' },
            note: `Coursedock talks to Podman through its Docker-compatible socket${socket ? ` (${socket})` : ''}.`,
          }
        : {
            ...base,
            state: 'needs-setup',
            start: { command: [podman, 'system', 'service', '--time=0'], privileged: false, detached: true, words: 'podman system service --time=0 &' },
            note: 'Without systemd user units, Podman\'s API service is started by hand and lasts until you log out.',
          },
    );
  }
  const desktop = has(p, k.dockerDesktop);
  if (desktop) {
    out.push(app('docker-desktop', 'Docker Desktop', desktop, proc(p, 'com.docker.backend', 'Docker Desktop'), { command: ['systemctl', '--user', 'start', 'docker-desktop'], privileged: false, detached: false, words: 'systemctl --user start docker-desktop' }));
  }
  return out;
}

// ---- Windows: WSL 2 -----------------------------------------------------------------------

/** WSL 2 missing or defaulting to version 1 stops Docker Desktop, Rancher Desktop and Podman. */
function wslBlockers(p: HostProbes, engines: DetectedEngine[]): Blocker[] {
  const status = cmd(p, knownCommands('windows').wslStatus);
  // wsl.exe prints UTF-16 on older Windows: drop the NULs before reading it.
  const text = status ? `${status.stdout}\n${status.stderr ?? ''}`.replace(/\0/g, '') : '';
  const missing = !status || status.code === -1 || (status.code !== 0 && /not installed|wsl --install|is not recognized|not found/i.test(text));
  if (missing) {
    return [
      {
        title: 'WSL 2 is not installed',
        detail: `${engines.length ? `${engines.map((e) => e.name).join(' and ')} ${engines.length > 1 ? 'need' : 'needs'}` : 'Docker on Windows needs'} WSL 2 (the Windows Subsystem for Linux). Open PowerShell as administrator, run the command below, then restart the computer.`,
        command: 'wsl --install',
      },
    ];
  }
  if (/Default Version:\s*1\b/i.test(text)) {
    return [{ title: 'WSL is set to version 1', detail: 'Container engines need WSL 2. Open PowerShell and run the command below.', command: 'wsl --set-default-version 2' }];
  }
  return [];
}

/** A prepared .wslconfig when WSL 2's VM holds more than half the memory. */
function wslConfigFor(p: HostProbes): PreparedWslConfig | undefined {
  if (!p.memoryBytes || !p.wslMemoryBytes || p.wslMemoryBytes < p.memoryBytes / 2) return undefined;
  const k = knownPaths('windows', p.home, p.env);
  const file = k.wslconfig?.[0];
  if (!file) return undefined;
  return prepareWslConfig({ memoryBytes: p.memoryBytes, usedBytes: p.wslMemoryBytes, file, exists: !!has(p, k.wslconfig) });
}

function watchPaths(p: HostProbes): string[] {
  const k = knownPaths(p.os, p.home, p.env);
  return k.sockets ?? []; // Windows' named pipes cannot be watched: the slow retry covers them
}

function lastWords(o: { stdout: string; stderr?: string }): string {
  const line = `${o.stdout}\n${o.stderr ?? ''}`.replace(/\0/g, '').trim().split('\n').filter((l) => l.trim()).pop() ?? '';
  return line.trim().slice(0, 160);
}

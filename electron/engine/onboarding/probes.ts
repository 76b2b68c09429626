// What onboarding looks at on this computer, as plain data: which known files exist, which
// processes run, and what a few commands printed. `probePlan` says what to look at for an OS
// (pure); gather-probes.ts looks; detect.ts decides from the result alone. A recorded
// `HostProbes` (fixtures/*.json) therefore replays a Windows or macOS computer on any machine.
import path from 'node:path';

export type HostOs = 'linux' | 'macos' | 'windows';

export interface CommandOutput {
  /** Exit code; -1 when the program is not there or could not run. */
  code: number;
  stdout: string;
  stderr?: string;
}

export interface HostProbes {
  os: HostOs;
  home: string;
  /** The user running Coursedock (Linux, macOS): 0 is root. */
  uid?: number;
  /** XDG_RUNTIME_DIR (Linux), LOCALAPPDATA and ProgramFiles (Windows). */
  env: Partial<Record<'XDG_RUNTIME_DIR' | 'LOCALAPPDATA' | 'ProgramFiles', string>>;
  /** The planned paths that exist. */
  files: string[];
  /** Names of running processes (executable names, as the OS lists them). */
  processes: string[];
  /** Planned command line (joined by spaces) → what it printed. */
  commands: Record<string, CommandOutput>;
  /** Physical memory (for the prepared .wslconfig). */
  memoryBytes?: number;
  /** Memory used by WSL 2's VM (vmmem / VmmemWSL process), when it runs. */
  wslMemoryBytes?: number;
}

export interface ProbePlan {
  files: string[];
  commands: string[][];
}

/** Where each engine leaves a trace, per OS. detect.ts reads the same names. */
export function knownPaths(os: HostOs, home: string, env: HostProbes["env"]): Record<string, string[]> {
  if (os === 'windows') {
    const pf = env.ProgramFiles ?? 'C:\\Program Files';
    const local = env.LOCALAPPDATA ?? `${home}\\AppData\\Local`;
    const w = path.win32;
    return {
      dockerDesktop: [w.join(pf, 'Docker', 'Docker', 'Docker Desktop.exe')],
      rancherDesktop: [w.join(pf, 'Rancher Desktop', 'Rancher Desktop.exe'), w.join(local, 'Programs', 'Rancher Desktop', 'Rancher Desktop.exe')],
      podman: [w.join(pf, 'RedHat', 'Podman', 'podman.exe')],
      podmanDesktop: [w.join(local, 'Programs', 'Podman Desktop', 'Podman Desktop.exe')],
      wslconfig: [w.join(home, '.wslconfig')],
    };
  }
  if (os === 'macos') {
    return {
      dockerDesktop: ['/Applications/Docker.app'],
      rancherDesktop: ['/Applications/Rancher Desktop.app'],
      podman: ['/opt/homebrew/bin/podman', '/usr/local/bin/podman', '/opt/podman/bin/podman'],
      podmanDesktop: ['/Applications/Podman Desktop.app'],
      colima: ['/opt/homebrew/bin/colima', '/usr/local/bin/colima'],
      orbstack: ['/Applications/OrbStack.app'],
      sockets: [
        path.posix.join(home, '.docker/run/docker.sock'),
        path.posix.join(home, '.colima/default/docker.sock'),
        path.posix.join(home, '.rd/docker.sock'),
        path.posix.join(home, '.orbstack/run/docker.sock'),
      ],
    };
  }
  const runtime = env.XDG_RUNTIME_DIR;
  return {
    dockerd: ['/usr/bin/dockerd', '/usr/sbin/dockerd'],
    systemd: ['/run/systemd/system'],
    dockerUnit: ['/lib/systemd/system/docker.service', '/usr/lib/systemd/system/docker.service', '/etc/systemd/system/docker.service'],
    initScript: ['/etc/init.d/docker'],
    dockerSocket: ['/var/run/docker.sock'],
    rootlessDocker: ['/usr/bin/dockerd-rootless.sh', path.posix.join(home, 'bin/dockerd-rootless.sh')],
    rootlessDockerUnit: [path.posix.join(home, '.config/systemd/user/docker.service')],
    podman: ['/usr/bin/podman', '/usr/local/bin/podman'],
    podmanSocketUnit: ['/usr/lib/systemd/user/podman.socket', '/etc/systemd/user/podman.socket'],
    dockerDesktop: ['/opt/docker-desktop'],
    sockets: [
      '/var/run/docker.sock',
      ...(runtime ? [path.posix.join(runtime, 'docker.sock'), path.posix.join(runtime, 'podman/podman.sock')] : []),
      path.posix.join(home, '.docker/desktop/docker.sock'),
    ],
  };
}

/** The commands whose output tells engines' states (bounded in time when run). */
export function knownCommands(os: HostOs): Record<string, string[]> {
  if (os === 'windows') {
    return {
      wslStatus: ['wsl.exe', '--status'],
      wslList: ['wsl.exe', '--list', '--verbose'],
      podmanMachines: ['podman', 'machine', 'list', '--format', 'json'],
    };
  }
  if (os === 'macos') {
    return {
      podmanMachines: ['podman', 'machine', 'list', '--format', 'json'],
      colimaStatus: ['colima', 'status'],
    };
  }
  return {
    systemctlDocker: ['systemctl', 'is-active', 'docker'],
    systemctlUserDocker: ['systemctl', '--user', 'is-active', 'docker'],
    systemctlUserPodman: ['systemctl', '--user', 'is-active', 'podman.socket'],
  };
}

export const commandKey = (argv: string[]): string => argv.join(' ');

export function probePlan(os: HostOs, home: string, env: HostProbes['env']): ProbePlan {
  const files = Object.values(knownPaths(os, home, env)).flat();
  return { files: [...new Set(files)], commands: Object.values(knownCommands(os)) };
}

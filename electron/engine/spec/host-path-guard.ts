// Which host folders a course may bind-mount into a container. A course is downloaded content,
// so its spec must not hand a container the keys to the computer: the Docker socket (control of
// every container, root on the host) or any folder holding it, the system's own folders, the
// student's whole home or their credentials. Paths are judged after symlinks are resolved
// (`realpath`; for a source that does not exist yet, through its nearest existing parent), so a
// course folder holding a symlink to /var/run is seen for what it is.
//
// Two verdicts: `socket` (the Docker socket or a folder holding it) is never allowed — the panel
// is the control panel; `system` (host-critical folders) may be allowed for one mount when the
// spec names that path in `x-coursedock.services.<service>.allow-host-paths`, and the loader then
// warns (see README.md).
import fs from 'node:fs';
import path from 'node:path';

export interface HostPathVerdict {
  kind: 'socket' | 'system';
  /** The real path that was judged (after symlinks). */
  real: string;
  /** Why, in words: "the Docker socket", "/etc (system configuration)", … */
  what: string;
}

export interface GuardContext {
  home: string;
  /** Where the Docker socket lives on this computer (from DOCKER_HOST), besides the usual places. */
  extraSockets?: readonly string[];
}

const SOCKET_FILE = /(^|[\\/])(docker|podman)\.sock$|^[\\/]{2}\.[\\/]pipe[\\/]/i;

/**
 * The usual places of Docker's (and Podman's) socket on Linux and macOS. The system ones count
 * always; those in a home or a user's runtime folder only where a socket is there, so the
 * whole home is a (system) folder to ask about, not a socket holder, on a computer without one.
 */
function socketPlaces(home: string): string[] {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const personal = [
    `${home}/.docker/run/docker.sock`,
    `${home}/.docker/desktop/docker.sock`,
    `${home}/.colima/default/docker.sock`,
    `${home}/.rd/docker.sock`,
    ...(uid === undefined ? [] : [`/run/user/${uid}/docker.sock`, `/run/user/${uid}/podman/podman.sock`]),
  ];
  return ['/var/run/docker.sock', '/run/docker.sock', '/run/podman/podman.sock', '/var/run/podman/podman.sock', ...personal.filter((p) => fs.existsSync(p))];
}

/** Refused with everything inside them. */
const SYSTEM_TREES: ReadonlyArray<readonly [string, string]> = [
  ['/run', 'runtime state and sockets'],
  ['/var/run', 'runtime state and sockets'],
  ['/proc', "the kernel's process view"],
  ['/sys', "the kernel's device view"],
  ['/dev', 'devices'],
  ['/boot', 'the boot loader and kernel'],
  ['/etc', 'system configuration'],
  ['/usr', 'system programs'],
  ['/bin', 'system programs'],
  ['/sbin', 'system programs'],
  ['/lib', 'system libraries'],
  ['/lib32', 'system libraries'],
  ['/lib64', 'system libraries'],
  ['/libx32', 'system libraries'],
  ['/var/lib/docker', "Docker's own data"],
  ['/var/lib/containerd', "containerd's own data"],
  ['/var/lib/containers', "Podman's own data"],
  ['/private/etc', 'system configuration'],
  ['/private/var/run', 'runtime state and sockets'],
  ['/System', 'the operating system'],
];

/** Refused themselves (a folder inside may be fine: ~/Course/notebooks). */
const SYSTEM_FOLDERS: ReadonlyArray<readonly [string, string]> = [
  ['/', 'the whole computer'],
  ['/home', "every user's home"],
  ['/Users', "every user's home"],
  ['/root', "the administrator's home"],
  ['/var', 'system state'],
  ['/var/lib', 'system state'],
  ['/private', 'system state'],
  ['/private/var', 'system state'],
  ['/opt', 'installed software'],
  ['/srv', 'served data'],
  ['/mnt', 'mounted disks'],
  ['/media', 'mounted disks'],
];

const HOME_TREES: ReadonlyArray<readonly [string, string]> = [
  ['.docker', "Docker's credentials and socket"],
  ['.ssh', 'SSH keys'],
  ['.gnupg', 'GnuPG keys'],
  ['.aws', 'cloud credentials'],
  ['.kube', 'Kubernetes credentials'],
];

const trimmed = (p: string): string => (p.length > 1 ? p.replace(/[\\/]+$/, '') : p) || '/';

const within = (p: string, root: string): boolean => p === root || p.startsWith(root === '/' ? '/' : `${root}/`);

/**
 * The real path of `p`: symlinks resolved all the way; for a path that does not exist yet, the
 * real path of its nearest existing parent with the rest appended. Windows paths on another
 * system are returned as written.
 */
export function realpathNearest(p: string): string {
  if (!path.isAbsolute(p)) return p;
  let existing = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return trimmed(path.join(fs.realpathSync.native(existing), ...rest));
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return trimmed(p);
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/** The Docker socket named by a `unix://` DOCKER_HOST, if any. */
export function socketOfDockerHost(dockerHost: string | undefined): string[] {
  return dockerHost?.startsWith('unix://') ? [dockerHost.slice('unix://'.length)] : [];
}

/** Why binding `resolved` (an absolute host path) into a container is refused, or undefined. */
export function judgeHostPath(resolved: string, ctx: GuardContext): HostPathVerdict | undefined {
  const lexical = trimmed(resolved);
  const real = realpathNearest(lexical);
  const homes = [...new Set([trimmed(ctx.home), realpathNearest(trimmed(ctx.home))])];
  const sockets = [...socketPlaces(ctx.home), ...(ctx.extraSockets ?? [])];
  const socketPaths = new Set(sockets.flatMap((s) => [trimmed(s), realpathNearest(s)]));

  for (const p of new Set([lexical, real])) {
    if (SOCKET_FILE.test(p)) return { kind: 'socket', real, what: 'the Docker socket' };
    for (const s of socketPaths) {
      if (p === s) return { kind: 'socket', real, what: 'the Docker socket' };
      if (within(s, p)) return { kind: 'socket', real, what: `a folder holding the Docker socket (${s})` };
    }
  }
  for (const p of new Set([lexical, real])) {
    for (const [root, what] of SYSTEM_TREES) if (within(p, root)) return { kind: 'system', real, what: `${root} (${what})` };
    for (const [folder, what] of SYSTEM_FOLDERS) if (p === folder) return { kind: 'system', real, what: `${folder} (${what})` };
    for (const home of homes) {
      if (p === home) return { kind: 'system', real, what: `the whole home folder (${home})` };
      for (const [name, what] of HOME_TREES) {
        const root = `${home}/${name}`;
        if (within(p, root)) return { kind: 'system', real, what: `${root} (${what})` };
      }
      if (p === `${home}/.config`) return { kind: 'system', real, what: `${p} (every program's settings)` };
    }
    if (p.startsWith('/run/user/')) return { kind: 'system', real, what: `${p} (a user's runtime folder)` };
  }
  return undefined;
}

/** A service's `allow-host-paths`: the real paths it may bind although they are system folders. */
export interface HostPathAllowance {
  service: string;
  /** Real path → index of the entry in the list (for the "unused entry" warning). */
  allowed: ReadonlyMap<string, number>;
  /** Filled by the mounts that used an entry. */
  used: Set<string>;
  extraSockets: readonly string[];
}

/** Entries are resolved like bind sources (`~`, relative to the spec folder, symlinks). */
export function hostPathAllowance(
  service: string,
  entries: readonly string[],
  resolve: (entry: string) => string | undefined,
  extraSockets: readonly string[],
): HostPathAllowance {
  const allowed = new Map<string, number>();
  entries.forEach((entry, index) => {
    const resolved = resolve(entry);
    if (resolved !== undefined) allowed.set(realpathNearest(resolved), index);
  });
  return { service, allowed, used: new Set(), extraSockets };
}

// Pre-flight checks, the deciding half: from facts about this computer (gathered by gather.ts)
// to findings in words, each with its fix. Pure, so every rule is tested without a disk or Docker.
// A finding of level `error` stops the operation before anything is created or removed (a
// notebooks "folder" that is a file, a folder the service's user cannot use); a `warning` is
// said and the operation goes on (disk nearly full, a port another program holds).

export const MIN_FREE_BYTES = 1024 ** 3;

/** What is at a host path. For a missing one, the nearest existing ancestor. */
export type PathFact =
  | { kind: 'folder'; uid: number; gid: number; mode: number }
  | { kind: 'file' }
  | { kind: 'other' }
  | { kind: 'missing'; ancestor: string; ancestorKind: 'folder' | 'file' | 'other'; ancestorWritable: boolean };

/** One bind mount of a service about to start. */
export interface BindFact {
  service: string;
  serviceTitle: string;
  source: string;
  target: string;
  readOnly: boolean;
  /** Set when the source is a declared folder variable (the student's notebooks folder…). */
  folderVariable?: { name: string; description?: string };
  path: PathFact;
  /** The user the container runs as, when known and meaningful (Linux: numeric owners). */
  runsAs?: { uid: number; gid: number };
}

/** Free space on a filesystem something needs. */
export interface DiskFact {
  /** The path measured (Docker's data root, a bind source). */
  path: string;
  /** What lives there, in words: "Docker's images and volumes", "your notebooks folder". */
  what: string;
  freeBytes: number;
  totalBytes: number;
}

export type PortHolder =
  | { kind: 'free' }
  | { kind: 'ours' }
  | { kind: 'container'; name: string; project?: string; service?: string }
  | { kind: 'program' };

/** A host port a service asks for, and who holds it now. */
export interface PortFact {
  service: string;
  serviceTitle: string;
  hostIp: string;
  port: number;
  holder: PortHolder;
}

export type PreflightCheck =
  | 'folder-is-file'
  | 'folder-cannot-be-made'
  | 'folder-not-usable'
  | 'disk-nearly-full'
  | 'port-taken';

export interface PreflightFinding {
  level: 'error' | 'warning';
  check: PreflightCheck;
  service?: string;
  /** The path (or port) concerned, as the student would type it. */
  subject: string;
  /** What is wrong, in a sentence. */
  message: string;
  /** What to do, in a sentence. */
  fix: string;
}

const quote = (p: string): string => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

function folderName(b: BindFact): string {
  return b.folderVariable ? `Your folder for ${b.serviceTitle} (${b.source})` : `The folder ${b.source} (${b.target} in ${b.serviceTitle})`;
}

function chooseAnother(b: BindFact): string {
  return b.folderVariable
    ? `, or choose another folder in Settings (or set ${b.folderVariable.name})`
    : '';
}

/** rwx (or r-x for read-only) for `user` on a folder with these owner and mode bits. */
export function folderAllows(
  folder: { uid: number; gid: number; mode: number },
  user: { uid: number; gid: number },
  readOnly: boolean,
): boolean {
  if (user.uid === 0) return true;
  const need = readOnly ? 0o5 : 0o7; // r-x to list and enter; rwx to also create files
  const bits = user.uid === folder.uid ? (folder.mode >> 6) & 7 : user.gid === folder.gid ? (folder.mode >> 3) & 7 : folder.mode & 7;
  return (bits & need) === need;
}

/** `drwxr-x---` style, for the words. */
export function modeString(mode: number): string {
  const chars = 'rwxrwxrwx';
  let out = '';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? chars.charAt(i) : '-';
  return out;
}

export function bindFindings(b: BindFact): PreflightFinding[] {
  const base = { service: b.service, subject: b.source };
  const p = b.path;
  if (p.kind === 'file' || p.kind === 'other') {
    return [
      {
        ...base,
        level: 'error',
        check: 'folder-is-file',
        message: `${folderName(b)} is ${p.kind === 'file' ? 'a file' : 'not a folder'}, so ${b.serviceTitle} cannot use it. Nothing was created or removed.`,
        fix: `Move or rename ${quote(b.source)} (it may hold your work)${chooseAnother(b)}, then start again.`,
      },
    ];
  }
  if (p.kind === 'missing') {
    if (p.ancestorKind !== 'folder') {
      return [
        {
          ...base,
          level: 'error',
          check: 'folder-cannot-be-made',
          message: `${folderName(b)} cannot be made: ${p.ancestor} is a file, not a folder. Nothing was created or removed.`,
          fix: `Move or rename ${quote(p.ancestor)}${chooseAnother(b)}, then start again.`,
        },
      ];
    }
    if (!p.ancestorWritable) {
      return [
        {
          ...base,
          level: 'error',
          check: 'folder-cannot-be-made',
          message: `${folderName(b)} does not exist and cannot be made: you may not create folders in ${p.ancestor}.`,
          fix: `Create ${quote(b.source)} yourself (with permission to write in it)${chooseAnother(b)}, then start again.`,
        },
      ];
    }
    return [];
  }
  if (!b.runsAs || folderAllows(p, b.runsAs, b.readOnly)) return [];
  const { uid } = b.runsAs;
  const need = b.readOnly ? 'read' : 'read and write';
  const fix =
    uid === p.uid
      ? `Run: chmod u+${b.readOnly ? 'rx' : 'rwx'} ${quote(b.source)}`
      : `Run: sudo chown -R ${uid} ${quote(b.source)} && chmod u+${b.readOnly ? 'rx' : 'rwx'} ${quote(b.source)}`;
  return [
    {
      ...base,
      level: 'error',
      check: 'folder-not-usable',
      message: `${folderName(b)} cannot be used: ${b.serviceTitle} runs as user id ${uid}, and the folder (owner ${p.uid}, group ${p.gid}, permissions ${modeString(p.mode)}) does not let that user ${need} it.`,
      fix: `${fix}${chooseAnother(b)}, then start again.`,
    },
  ];
}

export function formatSize(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${gib.toFixed(1)} GB` : `${Math.max(0, Math.round(bytes / 1024 ** 2))} MB`;
}

export function diskFindings(d: DiskFact, minFreeBytes = MIN_FREE_BYTES): PreflightFinding[] {
  if (d.freeBytes >= minFreeBytes) return [];
  return [
    {
      level: 'warning',
      check: 'disk-nearly-full',
      subject: d.path,
      message: `The disk holding ${d.what} (${d.path}) is nearly full: ${formatSize(d.freeBytes)} free of ${formatSize(d.totalBytes)}; at least ${formatSize(minFreeBytes)} is needed to work safely.`,
      fix: 'Free some space: delete files you no longer need, empty the trash, or remove unused Docker images (docker image prune).',
    },
  ];
}

export function portFindings(p: PortFact): PreflightFinding[] {
  const h = p.holder;
  if (h.kind === 'free' || h.kind === 'ours') return [];
  const where = `${p.hostIp}:${p.port}`;
  const who =
    h.kind === 'container'
      ? `the Docker container ${h.name}${h.project ? ` (environment ${h.project}${h.service ? `, service ${h.service}` : ''})` : ''}`
      : 'another program on this computer (not Coursedock)';
  const fix =
    h.kind === 'container'
      ? h.project
        ? `To get ${p.port} back, stop that environment (coursedock down ${h.project}) and start ${p.serviceTitle} again.`
        : `To get ${p.port} back, stop that container (docker stop ${h.name}) and start ${p.serviceTitle} again.`
      : `To get ${p.port} back, close that program (on Linux, ss -ltnp 'sport = :${p.port}' names it) and start ${p.serviceTitle} again.`;
  return [
    {
      level: 'warning',
      check: 'port-taken',
      service: p.service,
      subject: where,
      message: `Port ${where}, which ${p.serviceTitle} asks for, is taken by ${who}: ${p.serviceTitle} uses a free port instead (the panel shows which).`,
      fix,
    },
  ];
}

export interface PreflightFacts {
  binds: BindFact[];
  disks: DiskFact[];
  ports: PortFact[];
}

/** Every finding, errors first. */
export function evaluatePreflight(facts: PreflightFacts, minFreeBytes = MIN_FREE_BYTES): PreflightFinding[] {
  const all = [
    ...facts.binds.flatMap(bindFindings),
    ...facts.disks.flatMap((d) => diskFindings(d, minFreeBytes)),
    ...facts.ports.flatMap(portFindings),
  ];
  return [...all.filter((f) => f.level === 'error'), ...all.filter((f) => f.level === 'warning')];
}

/** One line: the finding and its fix. */
export const findingText = (f: PreflightFinding): string => `${f.message} ${f.fix}`;

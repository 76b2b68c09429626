// Recreate: from a manifest, a Dockerfile (and a plain shell script for a Debian machine) that
// installs the same versions on the matching Debian/Ubuntu base. Pure: the archive's versions
// and the base image's packages are inputs (found in Docker by availability.ts).
// Whatever cannot be pinned is listed in a comment block and in `notPinned`, never dropped.
import type { PackageVersion } from './diff.js';
import type { Manifest } from './manifest.js';

const DEBIAN_CODENAMES: Record<string, string> = {
  '9': 'stretch',
  '10': 'buster',
  '11': 'bullseye',
  '12': 'bookworm',
  '13': 'trixie',
  '14': 'forky',
};

/** The codename of the manifest's OS release (VERSION_CODENAME, else from VERSION_ID). */
export function codenameOf(os: Manifest['os']): string | undefined {
  if (os.codename) return os.codename;
  const major = os.versionId?.split('.')[0];
  if (os.id === 'debian' && major) return DEBIAN_CODENAMES[major];
  return undefined;
}

/** The official base image matching a manifest's OS: debian:<codename>-slim, ubuntu:<codename>. */
export function baseImageFor(os: Manifest['os']): string {
  const codename = codenameOf(os);
  const label = os.prettyName ?? `${os.id} ${os.versionId ?? ''}`.trim();
  if (os.id === 'debian') {
    if (!codename) throw new Error(`Cannot tell which Debian release ${label} is (no VERSION_CODENAME, unknown VERSION_ID).`);
    return `debian:${codename}-slim`;
  }
  if (os.id === 'ubuntu') {
    if (!codename) throw new Error(`Cannot tell which Ubuntu release ${label} is (no VERSION_CODENAME).`);
    return `ubuntu:${codename}`;
  }
  throw new Error(`Cannot recreate a ${label} environment: only Debian and Ubuntu based images can be recreated (their packages come from dpkg).`);
}

export interface RecreateOptions {
  /** Overrides the base image chosen from the OS release. */
  baseImage?: string;
  /** Debian packages of the base image: those already there at the same version are not installed again. */
  basePackages?: Record<string, string>;
  /** Versions the archive offers per Debian package (apt-cache madison in the base image); absent: not checked. */
  available?: Record<string, string[]>;
  /** Why availability was not checked, when it was not (said in the output). */
  uncheckedReason?: string;
}

export interface UnpinnedPackage extends PackageVersion {
  /** The versions the archive has instead. */
  available: string[];
}

export interface RecreatePlan {
  baseImage: string;
  dockerfile: string;
  script: string;
  checked: boolean;
  debian: {
    /** Installed at exactly the manifest's version (by the Dockerfile: those not already in the base). */
    pinned: PackageVersion[];
    /** Already in the base image at the manifest's version. */
    inBase: PackageVersion[];
    /** The version is gone from the archive: the archive's version is installed instead. */
    unpinned: UnpinnedPackage[];
    /** Not in the archive at all: not installed. */
    missing: PackageVersion[];
    /** In the base image but not in the manifest: left as they are. */
    extraInBase: PackageVersion[];
  };
  python: {
    pinned: PackageVersion[];
    /** Installed from the URL they came from (a VCS commit, an archive). */
    fromUrl: Array<PackageVersion & { url: string }>;
    /** Installed by Debian packages (count). */
    fromDebian: number;
    notPinnable: Array<PackageVersion & { reason: string }>;
  };
  npm: { pinned: PackageVersion[] };
  node?: { version: string; from: 'debian' | 'nodejs.org' };
  /** Manifest entries refused because their name or version is not a valid one (kept out of shell commands). */
  invalid: string[];
  /** Every package that is not installed at its version, one line each: what the command prints. */
  notPinned: string[];
  notes: string[];
}

// Names and versions go into shell commands: only what the package systems allow gets in.
const DEB_NAME = /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?$/;
const DEB_VERSION = /^[A-Za-z0-9.+~:-]+$/;
const PY_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const PY_VERSION = /^[A-Za-z0-9.+!_-]+$/;
const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const NPM_VERSION = /^[0-9A-Za-z.+-]+$/;
const SAFE_URL = /^[A-Za-z0-9+.-]+:\/\/[^\s'"\\`$]+$/;

/** Quotes a word for sh when it holds anything beyond plain characters. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9._+:=@/~-]+$/.test(s) && !s.startsWith('~') ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').trim();

const sortedEntries = (r: Record<string, string>) =>
  Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Upstream part of a Debian version: no epoch, no Debian revision, no +dfsg-like suffix. */
const upstreamOf = (v: string) => v.replace(/^\d+:/, '').replace(/-[^-]*$/, '').replace(/[+~].*$/, '');

const NODE_ARCH: Record<string, string> = { amd64: 'x64', arm64: 'arm64', armhf: 'armv7l', ppc64el: 'ppc64le', s390x: 's390x' };

export function planRecreate(m: Manifest, options: RecreateOptions = {}): RecreatePlan {
  const baseImage = options.baseImage ?? baseImageFor(m.os);
  const base = options.basePackages;
  const available = options.available;
  const invalid: string[] = [];
  const notes: string[] = [];

  // ---- Debian -------------------------------------------------------------------------
  const debian: RecreatePlan['debian'] = { pinned: [], inBase: [], unpinned: [], missing: [], extraInBase: [] };
  /** Every valid package with how to get it, for the shell script (which knows no base). */
  const scriptPinned: PackageVersion[] = [];
  for (const [name, version] of sortedEntries(m.packages.debian)) {
    if (!DEB_NAME.test(name) || !DEB_VERSION.test(version)) {
      invalid.push(`Debian ${oneLine(name).slice(0, 80)} ${oneLine(version).slice(0, 80)}`);
      continue;
    }
    const inBase = base?.[name] === version;
    const offered = available?.[name.replace(/:.*$/, '')];
    if (available && !offered?.includes(version)) {
      if (inBase) {
        debian.inBase.push({ name, version });
        continue;
      }
      if (offered?.length) debian.unpinned.push({ name, version, available: offered });
      else debian.missing.push({ name, version });
      continue;
    }
    scriptPinned.push({ name, version });
    if (inBase) debian.inBase.push({ name, version });
    else debian.pinned.push({ name, version });
  }
  if (base) {
    for (const [name, version] of sortedEntries(base)) if (!(name in m.packages.debian)) debian.extraInBase.push({ name, version });
  }
  const foreignArchs = [...new Set(Object.keys(m.packages.debian).map((n) => n.split(':')[1]).filter((a): a is string => !!a))].filter(
    (a) => /^[a-z0-9-]+$/.test(a),
  );

  // ---- Python -------------------------------------------------------------------------
  const python: RecreatePlan['python'] = { pinned: [], fromUrl: [], fromDebian: 0, notPinnable: [] };
  const notFromDebian = m.python?.notFromDebian ?? {};
  let userInstalled = 0;
  for (const [name, version] of sortedEntries(m.packages.python)) {
    const origin = notFromDebian[name];
    if (!origin) {
      python.fromDebian++;
      continue;
    }
    if (!PY_NAME.test(name) || !PY_VERSION.test(version)) {
      invalid.push(`Python ${oneLine(name).slice(0, 80)} ${oneLine(version).slice(0, 80)}`);
      continue;
    }
    if (origin.scope === 'user') userInstalled++;
    const url = origin.url;
    if (url && url.startsWith('file:')) {
      python.notPinnable.push({ name, version, reason: `installed from a local path (${oneLine(url)}), which is on no package index` });
    } else if (url && !SAFE_URL.test(url)) {
      python.notPinnable.push({ name, version, reason: `installed from an unusual URL (${oneLine(url).slice(0, 120)})` });
    } else if (url) {
      python.fromUrl.push({ name, version, url });
    } else {
      python.pinned.push({ name, version });
    }
  }
  if (userInstalled) {
    notes.push(
      `${userInstalled} Python package(s) were in a user's ~/.local (pip install --user); they are installed system-wide (/usr/local).`,
    );
  }
  const pipSteps = python.pinned.length + python.fromUrl.length;
  if (pipSteps && !('python3-pip' in m.packages.debian) && !('pip' in notFromDebian)) {
    notes.push('The snapshot has pip-installed Python packages but no pip: install pip (python3-pip) before the pip step.');
  }

  // ---- Node.js and npm ----------------------------------------------------------------
  let node: RecreatePlan['node'];
  if (m.node) {
    const debNode = m.packages.debian.nodejs;
    const fromDebian = debNode !== undefined && upstreamOf(debNode) === m.node.replace(/^v/, '');
    if (fromDebian) node = { version: m.node, from: 'debian' };
    else if (/^v\d+\.\d+\.\d+$/.test(m.node)) node = { version: m.node, from: 'nodejs.org' };
    else invalid.push(`Node.js ${oneLine(m.node).slice(0, 40)}`);
  }
  const npm: RecreatePlan['npm'] = { pinned: [] };
  for (const [name, version] of sortedEntries(m.packages.npm)) {
    if (!NPM_NAME.test(name) || !NPM_VERSION.test(version)) {
      invalid.push(`npm ${oneLine(name).slice(0, 80)} ${oneLine(version).slice(0, 80)}`);
      continue;
    }
    npm.pinned.push({ name, version });
  }
  if (npm.pinned.length && !m.node) notes.push('The snapshot has global npm packages but no Node.js: install Node.js before the npm step.');

  // ---- what could not be pinned -------------------------------------------------------
  const notPinned: string[] = [
    ...debian.unpinned.map((p) => `Debian ${p.name} ${p.version}: that version is no longer in the archive; installs ${p.available.join(' or ')} instead`),
    ...debian.missing.map((p) => `Debian ${p.name} ${p.version}: not in the archive of ${baseImage}; not installed`),
    ...python.notPinnable.map((p) => `Python ${p.name} ${p.version}: ${p.reason}; not installed`),
    ...invalid.map((x) => `${x}: not a valid package name or version; not installed`),
  ];
  if (!available) {
    notes.push(
      `The archive was not checked for these versions${options.uncheckedReason ? ` (${options.uncheckedReason})` : ''}: the build stops at the first version no longer available.`,
    );
  }
  if (debian.extraInBase.length) {
    notes.push(
      `${debian.extraInBase.length} package(s) of ${baseImage} are not in the snapshot and are left as they are: ${debian.extraInBase
        .slice(0, 10)
        .map((p) => p.name)
        .join(', ')}${debian.extraInBase.length > 10 ? ' …' : ''}.`,
    );
  }

  const plan: Omit<RecreatePlan, 'dockerfile' | 'script'> = {
    baseImage,
    checked: available !== undefined,
    debian,
    python,
    npm,
    ...(node ? { node } : {}),
    invalid,
    notPinned,
    notes,
  };
  return {
    ...plan,
    dockerfile: dockerfileFor(m, plan, foreignArchs),
    script: scriptFor(m, plan, scriptPinned, foreignArchs),
  };
}

// ---- text -------------------------------------------------------------------------------

function header(m: Manifest, plan: Omit<RecreatePlan, 'dockerfile' | 'script'>, what: string): string[] {
  const lines = [
    `${what} the snapshot "${oneLine(m.name)}" of ${oneLine(m.project)}/${oneLine(m.service)}, taken ${m.createdAt}`,
    `from the image ${oneLine(m.image.ref)} (${oneLine(m.image.id)})${m.os.prettyName ? `, ${oneLine(m.os.prettyName)}` : ''}.`,
    `Generated by Coursedock. ${Object.keys(m.packages.debian).length} Debian, ${Object.keys(m.packages.python).length} Python and ${
      Object.keys(m.packages.npm).length
    } npm packages in the snapshot.`,
  ];
  if (plan.notPinned.length) {
    lines.push('', `NOT PINNED (${plan.notPinned.length}): these do not get the snapshot's version.`);
    for (const l of plan.notPinned) lines.push(`  - ${l}`);
    if (plan.debian.unpinned.length || plan.debian.missing.length) {
      lines.push('  Old Debian versions are kept at https://snapshot.debian.org/ (add it as an apt source to pin them).');
    }
  }
  if (plan.notes.length) {
    lines.push('');
    for (const n of plan.notes) lines.push(`Note: ${n}`);
  }
  return lines.map((l) => (l ? `# ${l}` : '#'));
}

/** `cmd \` + one word per line, for long install commands. */
function continued(first: string, words: string[], indent: string, last = ''): string[] {
  const lines = [`${first} \\`];
  words.forEach((w, i) => lines.push(`${indent}${w}${i === words.length - 1 ? last : ' \\'}`));
  return lines;
}

const debWord = (p: PackageVersion) => shellWord(`${p.name}=${p.version}`);
const pipWords = (plan: Omit<RecreatePlan, 'dockerfile' | 'script'>) => [
  ...plan.python.pinned.map((p) => shellWord(`${p.name}==${p.version}`)),
  ...plan.python.fromUrl.map((p) => shellWord(`${p.name} @ ${p.url}`)),
];
const npmWords = (plan: Omit<RecreatePlan, 'dockerfile' | 'script'>) => plan.npm.pinned.map((p) => shellWord(`${p.name}@${p.version}`));
const APT_FLAGS = '-y --no-install-recommends --allow-downgrades';
const PIP = 'PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir --no-deps --disable-pip-version-check';

function nodeUrl(version: string, arch: string | undefined): string {
  const a = NODE_ARCH[arch ?? 'amd64'] ?? 'x64';
  return `https://nodejs.org/dist/${version}/node-${version}-linux-${a}.tar.xz`;
}

function dockerfileFor(m: Manifest, plan: Omit<RecreatePlan, 'dockerfile' | 'script'>, foreignArchs: string[]): string {
  const out: string[] = [...header(m, plan, 'Recreates'), ''];
  const tarballNode = plan.node?.from === 'nodejs.org' ? plan.node.version : undefined;
  if (tarballNode) {
    // A build stage fetches Node.js, so curl and xz do not end up in the image.
    out.push(
      `# Node.js ${tarballNode} did not come from a Debian package: the official build, fetched in a stage of its own.`,
      `FROM ${plan.baseImage} AS nodejs`,
      'ARG DEBIAN_FRONTEND=noninteractive',
      'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl xz-utils \\',
      ` && mkdir /opt/node && curl -fsSL ${nodeUrl(tarballNode, m.os.architecture)} | tar -xJ -C /opt/node --strip-components=1`,
      '',
    );
  }
  out.push(
    `FROM ${plan.baseImage}`,
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8',
    'ARG DEBIAN_FRONTEND=noninteractive',
    '',
    '# Like the slim images: no documentation, man pages or translations (smaller; remove to keep them).',
    "RUN printf '%s\\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \\",
    "      'path-exclude /usr/share/man/*' 'path-exclude /usr/share/locale/*' > /etc/dpkg/dpkg.cfg.d/coursedock-slim",
  );
  const debs = plan.debian.pinned.map(debWord);
  const unpinned = plan.debian.unpinned.map((p) => p.name);
  if (debs.length || unpinned.length) {
    out.push('', `# Debian: ${plan.debian.pinned.length} package(s) pinned (${plan.debian.inBase.length} more are already in ${plan.baseImage}).`);
    const cmds: string[] = ['RUN set -eux; \\'];
    for (const a of foreignArchs) cmds.push(`    dpkg --add-architecture ${a}; \\`);
    cmds.push('    apt-get update; \\');
    if (debs.length) cmds.push(...continued(`    apt-get install ${APT_FLAGS}`, debs, '      ', '; \\'));
    if (unpinned.length) {
      cmds.push('    # Versions no longer in the archive (see NOT PINNED above): the archive\'s version instead.');
      cmds.push(...continued(`    apt-get install ${APT_FLAGS}`, unpinned, '      ', '; \\'));
    }
    cmds.push('    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin');
    out.push(...cmds);
  }
  if (tarballNode) {
    out.push('', `# Node.js ${tarballNode} (with its npm).`, 'COPY --from=nodejs /opt/node/ /usr/local/');
  }
  const pip = pipWords(plan);
  if (pip.length) {
    out.push('', `# Python: ${pip.length} package(s) installed with pip (${plan.python.fromDebian} more came with Debian packages).`);
    out.push(...continued(`RUN ${PIP}`, pip, '      '));
  }
  const npm = npmWords(plan);
  if (npm.length) {
    out.push('', `# npm: ${npm.length} global package(s).`);
    out.push(...continued('RUN npm install -g --no-fund --no-audit', npm, '      ', ' \\'), '  && npm cache clean --force');
  }
  return `${out.join('\n')}\n`;
}

function scriptFor(
  m: Manifest,
  plan: Omit<RecreatePlan, 'dockerfile' | 'script'>,
  pinned: PackageVersion[],
  foreignArchs: string[],
): string {
  const codename = codenameOf(m.os) ?? '';
  const out: string[] = [
    '#!/bin/sh',
    ...header(m, plan, 'Installs on this Debian/Ubuntu machine (as root)'),
    '',
    'set -eu',
    'if [ "$(id -u)" != 0 ]; then echo "Run this as root: sudo sh $0" >&2; exit 1; fi',
    '. /etc/os-release',
    `if [ "\${ID:-}" != ${shellWord(m.os.id)} ] || [ "\${VERSION_CODENAME:-}" != ${shellWord(codename || 'unknown')} ]; then`,
    `  echo "Warning: made for ${oneLine(m.os.prettyName ?? m.os.id).replace(/["$`\\]/g, '')}; this is \${PRETTY_NAME:-unknown}. Versions may not be available." >&2`,
    'fi',
    'export DEBIAN_FRONTEND=noninteractive',
  ];
  for (const a of foreignArchs) out.push(`dpkg --add-architecture ${a}`);
  if (pinned.length || plan.debian.unpinned.length) {
    out.push('', `# Debian: ${pinned.length} package(s) pinned.`, 'apt-get update');
    if (pinned.length) out.push(...continued(`apt-get install ${APT_FLAGS}`, pinned.map(debWord), '  '));
    if (plan.debian.unpinned.length) {
      out.push('# Versions no longer in the archive (see NOT PINNED above): the archive\'s version instead.');
      out.push(...continued(`apt-get install ${APT_FLAGS}`, plan.debian.unpinned.map((p) => p.name), '  '));
    }
  }
  if (plan.node?.from === 'nodejs.org') {
    out.push(
      '',
      `# Node.js ${plan.node.version}: the official build into /usr/local (needs curl and xz-utils).`,
      `curl -fsSL ${nodeUrl(plan.node.version, m.os.architecture)} | tar -xJ -C /usr/local --strip-components=1`,
    );
  }
  const pip = pipWords(plan);
  if (pip.length) out.push('', `# Python: ${pip.length} package(s) with pip.`, ...continued(PIP, pip, '  '));
  const npm = npmWords(plan);
  if (npm.length) out.push('', `# npm: ${npm.length} global package(s).`, ...continued('npm install -g --no-fund --no-audit', npm, '  '));
  out.push('', 'echo "Done."');
  return `${out.join('\n')}\n`;
}

// What runs inside the container to list what is installed: one `sh` script (one Docker exec,
// so one round trip) that prints sections between markers, and the parser of its output.
// Pure: the parser is tested on recorded output, without Docker.
import { normalizePythonName, type Manifest, type PythonScope } from './manifest.js';

export const MARKER = '@@coursedock-snapshot@@';

/**
 * Lists every Python distribution the import system sees, first one per name (as pip does),
 * with where it lives, who installed it and the URL it came from (PEP 610 direct_url.json).
 * Used for the install URLs always, and for the list itself when pip is missing.
 */
export const PYTHON_SNIPPET = String.raw`
import json, re, sys
out = {"python": "%d.%d.%d" % sys.version_info[:3], "dists": []}
try:
    import importlib.metadata as md
except ImportError:
    print(json.dumps(out)); sys.exit(0)
seen = set()
for d in md.distributions():
    try:
        name = d.metadata["Name"]
    except Exception:
        name = None
    if not name:
        continue
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        continue
    seen.add(key)
    p = getattr(d, "_path", None)
    url = None
    try:
        t = d.read_text("direct_url.json")
        if t:
            du = json.loads(t)
            url = du.get("url")
            vcs = du.get("vcs_info")
            if url and vcs and vcs.get("vcs") and vcs.get("commit_id"):
                url = "%s+%s@%s" % (vcs["vcs"], url, vcs["commit_id"])
    except Exception:
        pass
    inst = (d.read_text("INSTALLER") or "").strip()
    out["dists"].append({"name": name, "version": d.version, "location": str(p.parent) if p else "", "installer": inst, "url": url})
print(json.dumps(out))
`;

/**
 * The capture script. Runs with `sh -c` as the container's user; the Python snippet comes in
 * the environment variable CD_PY (no quoting to get wrong). Users' ~/.local site-packages are
 * put on PYTHONPATH so packages a student installed with `pip install --user` are seen even
 * though the script runs as another user.
 */
export const CAPTURE_SCRIPT = `
PATH="\${PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8 PYTHONDONTWRITEBYTECODE=1 PIP_NO_INPUT=1
m() { printf '\\n${MARKER} %s\\n' "$1"; }
has() { command -v "$1" >/dev/null 2>&1; }
m os-release
cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
if has dpkg-query; then
  m arch; dpkg --print-architecture 2>/dev/null
  m dpkg; dpkg-query -W -f '\${db:Status-Abbrev}\\t\${Package}\\t\${Version}\\t\${Architecture}\\n' 2>&1
fi
if has python3; then
  pp=
  for d in /root/.local/lib/python3*/site-packages /home/*/.local/lib/python3*/site-packages; do
    [ -d "$d" ] && pp="\${pp:+$pp:}$d"
  done
  m python; PYTHONPATH="$pp" python3 -c "$CD_PY" 2>&1
  m pip; PYTHONPATH="$pp" python3 -m pip list -v --format=json --disable-pip-version-check --no-color --no-python-version-warning 2>/dev/null
  e=$?; echo; echo "pip-exit $e"
fi
if has node; then m node; node -v 2>&1; fi
if has npm; then m npm; npm ls -g --json --depth=0 2>/dev/null; fi
m end
`;

export interface ParsedCapture {
  os: Manifest['os'];
  packages: Manifest['packages'];
  python?: Manifest['python'];
  node?: string;
  warnings: string[];
}

/** Splits the script's output into its sections (name → body). */
export function splitSections(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = output.split(`\n${MARKER} `);
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    const name = (nl < 0 ? part : part.slice(0, nl)).trim();
    sections.set(name, nl < 0 ? '' : part.slice(nl + 1));
  }
  return sections;
}

/** /etc/os-release: KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [, key, value] = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()) ?? [];
    if (key === undefined || value === undefined) continue;
    let v = value.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
      v = v.slice(1, -1).replace(/\\(["$`\\])/g, '$1');
    }
    out[key] = v;
  }
  return out;
}

/**
 * dpkg-query lines `<status>\t<package>\t<version>\t<arch>`, status being dpkg's three-letter
 * abbreviation (wanted, state, error). Installed packages count (state i, or W/t: installed with
 * triggers pending); not-installed and config-files-only ones (n, c) do not; half-installed,
 * unpacked or half-configured ones (H, U, F) are reported apart. A package of a foreign
 * architecture (multiarch) is keyed `name:arch`.
 */
export function parseDpkg(text: string, nativeArch?: string): { packages: Record<string, string>; skipped: string[] } {
  const packages: Record<string, string> = {};
  const skipped: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [status, name, version, arch] = line.split('\t');
    if (!status || !name || version === undefined) continue;
    const state = status[1];
    if (state === 'n' || state === 'c') continue;
    if (state !== 'i' && state !== 'W' && state !== 't') {
      skipped.push(`${name} (${status.trim()})`);
      continue;
    }
    if (!version) continue;
    const foreign = arch && arch !== 'all' && nativeArch && arch !== nativeArch;
    packages[foreign ? `${name}:${arch}` : name] = version;
  }
  return { packages, skipped };
}

interface PyDist {
  name: string;
  version: string;
  location: string;
  installer: string;
  url?: string | null;
}

/** Where a distribution came from, by its folder: Debian's dist-packages, /usr/local (pip as root), ~/.local. */
export function pythonScope(location: string): 'debian' | PythonScope {
  if (/^\/usr\/lib\/python3(\.\d+)?\/(dist|site)-packages\/?$/.test(location) || /^\/usr\/lib\/python3(\.\d+)?\/?$/.test(location)) {
    return 'debian';
  }
  if (/\/\.local\/lib\/python[^/]*\/site-packages\/?$/.test(location)) return 'user';
  if (location.startsWith('/usr/local/')) return 'system';
  return 'other';
}

/** JSON a container printed, or undefined for none; the caller names the shape it expects (fields optional). */
function parseJson(text: string): unknown {
  const t = text.trim();
  if (!t) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/** pip's `list -v --format=json`: the JSON array is the first line; a status line follows. */
export function parsePipList(text: string): { dists?: PyDist[]; exit?: number } {
  const exitMatch = /pip-exit (\d+)/.exec(text);
  const exit = exitMatch ? Number(exitMatch[1]) : undefined;
  const body = text.replace(/\n?pip-exit \d+\s*$/, '');
  const list = parseJson(body) as Array<{ name?: string; version?: string; location?: string; installer?: string }> | undefined;
  if (!Array.isArray(list) || exit !== 0) return { ...(exit !== undefined ? { exit } : {}) };
  return {
    exit,
    dists: list
      .flatMap((d) =>
        typeof d.name === 'string' && typeof d.version === 'string'
          ? [{ name: d.name, version: d.version, location: d.location ?? '', installer: d.installer ?? '' }]
          : [],
      ),
  };
}

/** `npm ls -g --json --depth=0`: top-level dependencies with their versions. */
export function parseNpmLs(text: string): { packages: Record<string, string>; problems: string[] } | undefined {
  const tree = parseJson(text) as { dependencies?: Record<string, { version?: string; missing?: boolean; invalid?: boolean } | null>; problems?: string[] } | undefined;
  if (!tree || typeof tree !== 'object') return undefined;
  const packages: Record<string, string> = {};
  const problems: string[] = [...(tree.problems ?? [])];
  for (const [name, dep] of Object.entries(tree.dependencies ?? {})) {
    if (dep?.version) packages[name] = dep.version;
    else problems.push(`${name}: no version (${dep?.missing ? 'missing' : 'not installed properly'})`);
  }
  return { packages, problems };
}

/** The script's whole output into the manifest's package fields. */
export function parseCaptureOutput(output: string): ParsedCapture {
  const s = splitSections(output);
  const warnings: string[] = [];
  if (!s.has('end')) warnings.push('The capture script did not finish: the lists may be incomplete.');

  const rel = parseOsRelease(s.get('os-release') ?? '');
  const arch = s.get('arch')?.trim() || undefined;
  const os: Manifest['os'] = {
    id: rel.ID ?? 'unknown',
    ...(rel.VERSION_ID ? { versionId: rel.VERSION_ID } : {}),
    ...(rel.VERSION_CODENAME ? { codename: rel.VERSION_CODENAME } : {}),
    ...(rel.PRETTY_NAME ? { prettyName: rel.PRETTY_NAME } : {}),
    ...(arch ? { architecture: arch } : {}),
  };
  if (!rel.ID) warnings.push('No /etc/os-release: the operating system is unknown.');

  let debian: Record<string, string> = {};
  const dpkgText = s.get('dpkg');
  if (dpkgText !== undefined) {
    const parsed = parseDpkg(dpkgText, arch);
    debian = parsed.packages;
    if (parsed.skipped.length) {
      warnings.push(`Debian packages in a half-installed or broken state, not listed: ${parsed.skipped.slice(0, 20).join(', ')}${parsed.skipped.length > 20 ? ' …' : ''}.`);
    }
  } else {
    warnings.push('No dpkg in this container: its system packages are not listed (not a Debian-based image).');
  }

  let python: Record<string, string> = {};
  let pythonInfo: Manifest['python'];
  const pythonText = s.get('python');
  if (pythonText !== undefined) {
    const snippet = parseJson(pythonText) as { python?: string; dists?: PyDist[] } | undefined;
    const pip = parsePipList(s.get('pip') ?? '');
    const urls = new Map<string, string>();
    for (const d of snippet?.dists ?? []) if (d.url) urls.set(normalizePythonName(d.name), d.url);
    let dists: PyDist[] | undefined = pip.dists;
    let lister: 'pip' | 'importlib' = 'pip';
    if (!dists) {
      lister = 'importlib';
      dists = snippet?.dists;
      if (!dists) warnings.push(`Python 3 is present but its packages could not be listed: ${(s.get('python') ?? '').trim().slice(0, 300)}`);
    }
    const notFromDebian: NonNullable<Manifest['python']>['notFromDebian'] = {};
    for (const d of dists ?? []) {
      const key = normalizePythonName(d.name);
      python[key] = d.version;
      const scope = pythonScope(d.location);
      // Debian's folder, not installed by pip: dpkg's. (pip run as root without --prefix never writes there.)
      if (scope === 'debian' && d.installer !== 'pip') continue;
      const url = urls.get(key);
      notFromDebian[key] = { scope: scope === 'debian' ? 'system' : scope, location: d.location, ...(url ? { url } : {}) };
    }
    python = Object.fromEntries(Object.entries(python).sort(([a], [b]) => a.localeCompare(b)));
    pythonInfo = { version: snippet?.python ?? 'unknown', lister, notFromDebian };
  }

  let npm: Record<string, string> = {};
  const npmText = s.get('npm');
  if (npmText !== undefined) {
    const parsed = parseNpmLs(npmText);
    if (parsed) {
      npm = parsed.packages;
      if (parsed.problems.length) warnings.push(`npm reported problems: ${parsed.problems.slice(0, 5).join('; ')}`);
    } else {
      warnings.push('npm is present but `npm ls -g --json` gave no readable output: global npm packages are not listed.');
    }
  }
  const node = s.get('node')?.trim().split('\n')[0];

  return {
    os,
    packages: { debian, python, npm },
    ...(pythonInfo ? { python: pythonInfo } : {}),
    ...(node && /^v\d/.test(node) ? { node } : {}),
    warnings,
  };
}

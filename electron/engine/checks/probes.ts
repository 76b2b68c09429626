// The small programs a check runs inside a container (through docker exec, no TTY) and the
// parsing of what they print. Pure: run-checks.ts does the Docker part. Python probes print one
// JSON line and exit 0 unless Python itself fails; their arguments are passed as argv, never
// pasted into the code. What they print is checked with zod as read: an image's Python may be
// anything, and a line of another shape is no answer rather than a wrong one.
import { z } from 'zod';

/** Imports each module given as an argument; prints {"missing": {module: error}}. */
export const PYTHON_MODULES_PROBE = `
import importlib, json, sys
missing = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except BaseException as e:  # ImportError, or a module that breaks while importing
        missing[name] = (type(e).__name__ + ": " + str(e)).splitlines()[0][:300]
print(json.dumps({"missing": missing}))
`.trim();

/**
 * argv: host port login url-env. Resolves the host, opens a TCP connection and, with a login,
 * signs in with the credentials in the container's environment (libpq's PG* variables or the
 * URL in url-env). Prints {"ok": bool, "stage": "resolve"|"connect"|"login"|"done", "detail": str}.
 */
export const CONNECT_PROBE = `
import json, os, socket, sys
host, port, login, url_env = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def done(ok, stage, detail):
    print(json.dumps({"ok": ok, "stage": stage, "detail": detail}))
    sys.exit(0)
def first_line(e):
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:300]
try:
    address = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)[0][4][0]
except OSError as e:
    done(False, "resolve", "the name %s does not resolve (%s)" % (host, first_line(e.strerror or e)))
try:
    socket.create_connection((host, port), timeout=3).close()
except OSError as e:
    done(False, "connect", "%s:%d (%s) does not accept connections (%s)" % (host, port, address, first_line(e.strerror or e)))
url = os.environ.get(url_env) if url_env else None
if login == "postgres":
    try:
        import psycopg2
    except ImportError as e:
        done(False, "login", "reached %s:%d, but cannot log in: %s" % (host, port, first_line(e)))
    try:
        conn = psycopg2.connect(url, connect_timeout=5) if url else psycopg2.connect(connect_timeout=5)
        cur = conn.cursor()
        cur.execute("select current_user, current_database()")
        user, db = cur.fetchone()
        conn.close()
    except Exception as e:
        done(False, "login", "reached %s:%d, but logging in failed: %s" % (host, port, first_line(e)))
    done(True, "done", "reached %s:%d and logged in as %s to the database %s" % (host, port, user, db))
if login == "mongodb":
    try:
        import pymongo
    except ImportError as e:
        done(False, "login", "reached %s:%d, but cannot log in: %s" % (host, port, first_line(e)))
    try:
        client = pymongo.MongoClient(url or "mongodb://%s:%d/" % (host, port), serverSelectionTimeoutMS=4000, connectTimeoutMS=3000)
        client.admin.command("ping")
        version = client.server_info().get("version", "?")
        client.close()
    except Exception as e:
        done(False, "login", "reached %s:%d, but MongoDB did not answer: %s" % (host, port, first_line(e)))
    done(True, "done", "reached %s:%d, MongoDB %s answers" % (host, port, version))
done(True, "done", "reached %s:%d" % (host, port))
`.trim();

/** For containers without Python: bash's /dev/tcp (resolution and connection in one step). */
export const CONNECT_SHELL_PROBE =
  'if command -v timeout >/dev/null 2>&1; then t="timeout 4"; else t=""; fi; ' +
  '$t bash -c "exec 3<>/dev/tcp/$1/$2" 2>&1 && echo connected';

/** argv: folder. Creates and removes a file there as the exec's user; says who that is. */
export const WRITABLE_PROBE = [
  'd="$1"; me="$(id -un 2>/dev/null || echo ?) (uid $(id -u))"',
  'if [ ! -d "$d" ]; then echo "$d is not a folder in the container"; exit 2; fi',
  'owner="$(stat -c "%u:%g %A" "$d" 2>/dev/null || echo ?)"',
  'f="$d/.coursedock-check-$$"',
  'if err="$( (: > "$f") 2>&1 )"; then rm -f "$f"; echo "ok|$me|$owner"; else echo "fail|$me|$owner|$err"; exit 1; fi',
].join('\n');

/** POSIX df, 1K blocks: "Filesystem 1024-blocks Used Available Capacity Mounted-on". */
export const DISK_PROBE = ['df', '-Pk', '/'];

/** What CONNECT_PROBE prints. */
export const connectProbeResult = z.object({
  ok: z.boolean(),
  stage: z.enum(['resolve', 'connect', 'login', 'done']),
  detail: z.string(),
});
export type ConnectProbeResult = z.infer<typeof connectProbeResult>;

/** What PYTHON_MODULES_PROBE prints. */
export const pythonModulesResult = z.object({ missing: z.record(z.string(), z.string()) });

/** The last JSON line of a probe's output if it has the shape `schema` says, else undefined. */
export function lastJson<T>(stdout: string, schema: z.ZodType<T>): T | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const parsed = schema.safeParse(JSON.parse(t));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Free and total bytes from `df -Pk` output (second line), or undefined. */
export function parseDf(stdout: string): { freeBytes: number; totalBytes: number; mount: string } | undefined {
  const lines = stdout.trim().split('\n');
  // A long filesystem name can wrap onto its own line in some df versions: join the rest.
  const fields = lines.slice(1).join(' ').trim().split(/\s+/);
  if (fields.length < 6) return undefined;
  const total = Number(fields[1]);
  const avail = Number(fields[3]);
  if (!Number.isFinite(total) || !Number.isFinite(avail)) return undefined;
  return { freeBytes: avail * 1024, totalBytes: total * 1024, mount: fields[5] ?? '/' };
}

/** The first value of the first row of `psql -tA` output (columns split by |). */
export function firstValue(stdout: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.trim() !== '');
  return line?.split('|')[0]?.trim();
}

export function formatBytes(bytes: number): string {
  const gb = bytes / 1024 ** 3;
  if (gb >= 1) return `${gb.toFixed(gb >= 10 ? 0 : 1)} GB`;
  return `${Math.round(bytes / 1024 ** 2)} MB`;
}

/** The last non-empty line, shortened: what a command said about its failure. */
export function lastLine(text: string, max = 300): string {
  const line = text.trim().split('\n').filter((l) => l.trim()).pop() ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

// Check kind `image-extras`: the optional extras an image could not get when it was built.
// A course image may install some things from a place a build cannot always reach (tm351's
// notebook image installs ipython-sql, for %sql, from PyPI). Its build goes on without them and
// writes a record (JSON) that the image label org.coursedock.extras-record points to; this check
// reads that record in the running container, tries each extra's import there, and turns every
// missing one into a named, explained warning, never a silent difference. Pure: the probe's
// program and the judgement of what it printed; run-checks.ts does the Docker part.
import { z } from 'zod';

/** Image label naming the record file (an absolute path inside the image). */
export const EXTRAS_RECORD_LABEL = 'org.coursedock.extras-record';

/** One extra as the build recorded it (compose-specs/tm351/notebook/install-extras.py). */
const extraRecord = z.object({
  name: z.string(),
  requirement: z.string().optional(),
  /** The Python module that imports when the extra is there. */
  module: z.string(),
  /** What the student gets from it, e.g. "the %sql and %%sql magics". */
  provides: z.string().optional(),
  installed: z.boolean(),
  /** Why it is not installed (recorded at build time). */
  reason: z.string().optional(),
  version: z.string().optional(),
});
export type ExtraRecord = z.infer<typeof extraRecord>;

/** What IMAGE_EXTRAS_PROBE prints (one JSON line), checked as read. */
export const extrasProbeOutput = z.object({
  /** The record, or null when it could not be read (error says why). */
  record: z.object({ extras: z.array(extraRecord).optional() }).nullable(),
  error: z.string().nullable(),
  /** Per extra name: does its module import now, as the check's user; the version or the error. */
  imports: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string() })),
});
export type ExtrasProbeOutput = z.infer<typeof extrasProbeOutput>;

/**
 * argv: record path. Reads the record and tries each extra's module now (a student may have
 * installed a missing one since, with pip install --user). Prints ExtrasProbeOutput.
 */
export const IMAGE_EXTRAS_PROBE = `
import importlib, json, sys
try:
    import importlib.metadata as metadata
except ImportError:
    metadata = None
out = {"record": None, "error": None, "imports": {}}
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        out["record"] = json.load(f)
except BaseException as e:
    out["error"] = (type(e).__name__ + ": " + str(e)).splitlines()[0][:300]
for extra in ((out["record"] or {}).get("extras") or []):
    name, module = str(extra.get("name")), str(extra.get("module"))
    try:
        importlib.import_module(module)
        version = "?"
        try:
            version = metadata.version(name) if metadata else "?"
        except Exception:
            pass
        out["imports"][name] = {"ok": True, "detail": version}
    except BaseException as e:
        out["imports"][name] = {"ok": False, "detail": (type(e).__name__ + ": " + str(e)).splitlines()[0][:300]}
print(json.dumps(out))
`.trim();

export interface ExtrasVerdict {
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  hint?: string;
}

/** What a missing extra means and how to get it, for one extra. */
function missingWords(e: ExtraRecord): string {
  const what = e.provides ? ` (${e.provides} cannot be used)` : '';
  return `${e.name} is not installed${what}: ${e.reason ?? 'the image records no reason'}`;
}

const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

/**
 * The verdict on an image's extras.
 * - No label: pass (the image declares no extras; nothing can differ silently).
 * - Record unreadable: warn (the image says it has a record, so something may be missing).
 * - Every extra imports now: pass (one installed since the build says so).
 * - An extra the build installed no longer imports: fail (the container was changed; reinstall).
 * - An extra the build could not install, still absent: warn, named, with the build's reason.
 */
export function judgeImageExtras(input: { serviceTitle: string; recordPath: string | undefined; probe: ExtrasProbeOutput | undefined; probeFailure?: string }): ExtrasVerdict {
  const { serviceTitle: title, recordPath } = input;
  if (!recordPath) return { status: 'pass', detail: `The image of ${title} declares no optional extras (no ${EXTRAS_RECORD_LABEL} label).` };
  const reinstall = `Reinstall ${title} to get its image again.`;
  if (!input.probe) {
    return { status: 'warn', detail: `Could not read the record of optional extras (${recordPath}) in ${title}: ${input.probeFailure ?? 'the probe printed nothing'}. Some extras may be missing.`, hint: reinstall };
  }
  const { record, error, imports } = input.probe;
  if (!record || error) {
    return { status: 'warn', detail: `Could not read the record of optional extras (${recordPath}) in ${title}: ${error ?? 'empty record'}. Some extras may be missing.`, hint: reinstall };
  }
  const extras = record.extras ?? [];
  if (!extras.length) return { status: 'pass', detail: `The image of ${title} records no optional extras.` };

  const present: string[] = [];
  const broken: string[] = [];
  const missing: ExtraRecord[] = [];
  for (const e of extras) {
    const now = imports[e.name];
    if (now?.ok) {
      const version = now.detail && now.detail !== '?' ? ` ${now.detail}` : '';
      present.push(e.installed ? `${e.name}${version}` : `${e.name}${version} (installed since the image was built)`);
    } else if (e.installed) {
      broken.push(`${e.name} was installed in the image but does not import now (${now?.detail ?? 'not tried'})`);
    } else {
      missing.push(e);
    }
  }
  const presentWords = present.length ? ` Present: ${present.join(', ')}.` : '';
  if (broken.length) {
    return { status: 'fail', detail: `${sentence(broken.join('; '))}${missing.length ? ` ${sentence(missing.map(missingWords).join('; '))}` : ''}${presentWords}`, hint: reinstall };
  }
  if (missing.length) {
    const pip = missing.map((e) => e.requirement ?? e.name).join(' ');
    return {
      status: 'warn',
      detail: `${sentence(missing.map(missingWords).join('; '))} Everything else in ${title} works; only cells that use ${missing.length === 1 ? 'it' : 'them'} will not run.${presentWords}`,
      hint: `While connected to the internet, reinstall ${title} (the course's published image has ${missing.length === 1 ? 'it' : 'them'}), or run "pip install --user ${pip}" in its terminal.`,
    };
  }
  return { status: 'pass', detail: `Optional extras present: ${present.join(', ')}.` };
}

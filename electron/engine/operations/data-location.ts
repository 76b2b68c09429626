// Where a service's student data lives (a folder on this computer, or a named volume) is
// remembered the first time the service is brought up, and from then on only changes when the
// student says so: the confirm action in the panel, `up --switch-data-location`, or choosing
// another notebooks folder in Settings. A run whose environment variables would put the data
// elsewhere (NOTEBOOKS_DIR set differently) keeps the remembered place, so no container is
// recreated on an empty folder, and asks the question in words instead. Pure: the Engine reads
// and writes the record, Environment runs the spec this returns.
import path from 'node:path';
import { nullRecord } from '../spec/reserved-names.js';
import type { CourseSpec, MountSpec, ServiceSpec } from '../spec/types.js';

export interface DataLocation {
  kind: 'bind' | 'volume';
  /** Absolute host folder (bind) or Docker volume name (volume). */
  source: string;
}

export interface RememberedLocation extends DataLocation {
  /** A place the student was asked about and chose not to switch to: not asked again. */
  declined?: string;
}

export interface DataLocations {
  /** service → container path of the mount → where its data is. */
  services: Record<string, Record<string, RememberedLocation>>;
}

export const emptyDataLocations = (): DataLocations => ({ services: {} });

export interface DataLocationQuestion {
  service: string;
  /** Container path of the mount. */
  target: string;
  kind: DataLocation['kind'];
  /** Where the data is (and stays until the student switches). */
  current: string;
  /** Where this run's settings or environment would put it. */
  asked: string;
  message: string;
}

interface StudentMount {
  service: ServiceSpec;
  mount: Extract<MountSpec, { type: 'bind' | 'volume' }>;
  location: DataLocation;
  /** The declared folder variable the bind source comes from, if any. */
  variable?: string;
}

const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
/** The record's own entry for key (never one inherited from Object.prototype). */
const ownValue = <T>(o: Record<string, T>, key: string): T | undefined => (own(o, key) ? o[key] : undefined);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
/** Keys that would reach an object's prototype when assigned: never taken from the file. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Mounts that hold student work: those x-coursedock.student-data names (a volume key, a bind
 * target or a folder variable), or, when the spec lists none, every writable named volume and
 * bind mount.
 */
export function studentDataMounts(spec: CourseSpec, variables: Record<string, string>): StudentMount[] {
  const listed = new Set(spec.meta.studentData);
  const folderVars = spec.meta.variables.filter((v) => v.kind === 'folder' && own(variables, v.name));
  const out: StudentMount[] = [];
  for (const service of Object.values(spec.services)) {
    for (const mount of service.mounts) {
      if (mount.type === 'tmpfs' || mount.source === undefined) continue;
      let location: DataLocation;
      let variable: string | undefined;
      let named: boolean;
      if (mount.type === 'bind') {
        const source = path.resolve(mount.source);
        variable = folderVars.find((v) => {
          const value = ownValue(variables, v.name);
          return value !== undefined && path.resolve(value) === source;
        })?.name;
        location = { kind: 'bind', source };
        named = listed.has(mount.target) || (variable !== undefined && listed.has(variable));
      } else {
        const vol = own(spec.volumes, mount.source) ? spec.volumes[mount.source] : undefined;
        location = { kind: 'volume', source: vol?.dockerName ?? mount.source };
        named = listed.has(mount.source) || listed.has(mount.target);
      }
      if (listed.size ? named : !mount.readOnly) out.push({ service, mount, location, ...(variable ? { variable } : {}) });
    }
  }
  return out;
}

function question(m: StudentMount, current: string, asked: string): DataLocationQuestion {
  const title = m.service.meta.title;
  const message =
    m.location.kind === 'bind'
      ? `Your ${/notebook/i.test(m.variable ?? m.mount.target) ? 'notebooks folder' : `${title} folder`} is ${current}; this run asked for ${asked}. Keep ${current} or switch (your files in ${current} stay there)?`
      : `${title} keeps your data in volume ${current}; this run asked for volume ${asked}. Keep ${current} or switch (your data in ${current} stays there)?`;
  return { service: m.service.name, target: m.mount.target, kind: m.location.kind, current, asked, message };
}

/**
 * The spec to run (remembered places kept), the variable values to show (a folder variable
 * shows the folder really used) and the questions to ask the student.
 */
export function reconcileDataLocations(
  spec: CourseSpec,
  variables: Record<string, string>,
  remembered: DataLocations,
): { spec: CourseSpec; variables: Record<string, string>; questions: DataLocationQuestion[] } {
  // Copies keep the loader's prototype-free maps (`'constructor' in services` stays false).
  const services = Object.assign(nullRecord<ServiceSpec>(), spec.services);
  const volumes = Object.assign(nullRecord<CourseSpec['volumes'][string]>(), spec.volumes);
  const values = Object.assign(nullRecord<string>(), variables);
  const questions: DataLocationQuestion[] = [];
  for (const m of studentDataMounts(spec, variables)) {
    const forService = ownValue(remembered.services, m.service.name) ?? {};
    const kept = ownValue(forService, m.mount.target);
    if (!kept || (kept.kind === m.location.kind && kept.source === m.location.source)) continue;
    if (kept.declined !== m.location.source) questions.push(question(m, kept.source, m.location.source));
    // Run on the remembered place.
    const svc = services[m.service.name];
    if (!svc) continue; // every student mount comes from one of this spec's services
    const volumeName = m.mount.type === 'volume' ? m.mount.source : undefined;
    const declared = volumeName === undefined ? undefined : ownValue(volumes, volumeName);
    let mounts = svc.mounts;
    if (kept.kind === 'bind') {
      mounts = mounts.map((x) =>
        x.target === m.mount.target ? { type: 'bind', source: kept.source, target: x.target, readOnly: m.mount.readOnly, createHostPath: true } : x,
      );
      if (m.variable) values[m.variable] = kept.source;
    } else if (volumeName !== undefined && declared) {
      volumes[volumeName] = { ...declared, dockerName: kept.source };
    } else {
      mounts = mounts.map((x) => (x.target === m.mount.target ? { type: 'volume', source: kept.source, target: x.target, readOnly: m.mount.readOnly } : x));
    }
    services[m.service.name] = { ...svc, mounts };
  }
  return { spec: { ...spec, services, volumes }, variables: values, questions };
}

/** The record with the places of `services` remembered where nothing was remembered yet. */
export function rememberDataLocations(
  current: DataLocations,
  spec: CourseSpec,
  variables: Record<string, string>,
  services: readonly string[],
): DataLocations {
  const wanted = new Set(services);
  const next = clean(current);
  for (const m of studentDataMounts(spec, variables)) {
    if (!wanted.has(m.service.name)) continue;
    const forService = (next.services[m.service.name] ??= {});
    if (!own(forService, m.mount.target)) forService[m.mount.target] = { ...m.location };
  }
  return next;
}

/**
 * The record with places seen on the existing containers adopted where nothing was remembered:
 * an environment made before places were remembered keeps its data where it is.
 */
export function adoptObservedLocations(
  current: DataLocations,
  spec: CourseSpec,
  variables: Record<string, string>,
  observed: Record<string, Record<string, DataLocation>>,
): DataLocations {
  const next = clean(current);
  for (const m of studentDataMounts(spec, variables)) {
    const seen = ownValue(ownValue(observed, m.service.name) ?? {}, m.mount.target);
    if (!seen || seen.kind !== m.location.kind) continue;
    const forService = (next.services[m.service.name] ??= {});
    if (!own(forService, m.mount.target)) forService[m.mount.target] = { kind: seen.kind, source: seen.source };
  }
  return next;
}

/** The record after the student answered a question: keep (and stop asking) or switch. */
export function answerDataLocation(current: DataLocations, q: DataLocationQuestion, choice: 'keep' | 'switch'): DataLocations {
  const next = clean(current);
  const forService = (next.services[q.service] ??= {});
  forService[q.target] =
    choice === 'switch' ? { kind: q.kind, source: q.asked } : { kind: q.kind, source: q.current, declined: q.asked };
  return next;
}

/** A copy holding only well-formed entries (the record comes from a file on disk). */
function clean(record: unknown): DataLocations {
  const services: DataLocations['services'] = {};
  const stored = isObject(record) && isObject(record.services) ? record.services : {};
  for (const [name, mounts] of Object.entries(stored)) {
    if (!isObject(mounts) || UNSAFE_KEYS.has(name)) continue;
    const out: Record<string, RememberedLocation> = {};
    for (const [target, loc] of Object.entries(mounts)) {
      if (UNSAFE_KEYS.has(target) || !isObject(loc) || (loc.kind !== 'bind' && loc.kind !== 'volume') || typeof loc.source !== 'string') continue;
      out[target] = { kind: loc.kind, source: loc.source, ...(typeof loc.declined === 'string' ? { declined: loc.declined } : {}) };
    }
    services[name] = out;
  }
  return { services };
}

// `profiles:` as Compose applies them: a service with profiles is planned only when one of them
// is active (`--profile`, else COMPOSE_PROFILES from the environment or .env; `*` activates all);
// a service without profiles always is. An active service that depends on an inactive one is an
// error naming the profile to activate (unless the dependency says `required: false`, which is
// then dropped).
import type { Reporter } from './report.js';
import { isPlainObject, type PlainObject } from './to-plain.js';

export interface ProfileSelection {
  services: PlainObject;
  /** Inactive services and their profiles. */
  inactive: Record<string, string[]>;
}

/** The active profiles: given ones, else COMPOSE_PROFILES (comma-separated). */
export function activeProfiles(given: readonly string[] | undefined, composeProfiles: string | undefined): string[] {
  const list = given && given.length > 0 ? given : (composeProfiles ?? '').split(',');
  return [...new Set(list.map((p) => p.trim()).filter(Boolean))];
}

export function selectProfiles(services: PlainObject, active: readonly string[], report: Reporter): ProfileSelection {
  const all = active.includes('*');
  const out: PlainObject = {};
  const inactive: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, service] of Object.entries(services)) {
    const profiles = isPlainObject(service) && Array.isArray(service.profiles) ? service.profiles.map(String) : [];
    if (profiles.length === 0 || all || profiles.some((p) => active.includes(p))) out[name] = service;
    else inactive[name] = profiles;
  }
  for (const [name, service] of Object.entries(out)) {
    if (!isPlainObject(service)) continue;
    const depends = service.depends_on;
    const targets = Array.isArray(depends) ? depends.map(String) : isPlainObject(depends) ? Object.keys(depends) : [];
    const dropped = new Set<string>();
    for (const target of targets) {
      const profiles = Object.hasOwn(inactive, target) ? inactive[target] : undefined;
      if (!profiles) continue;
      const entry = isPlainObject(depends) ? depends[target] : undefined;
      if (isPlainObject(entry) && (entry.required === false || entry.required === 'false')) {
        dropped.add(target);
        continue;
      }
      const at = Array.isArray(depends) ? ['services', name, 'depends_on', depends.indexOf(target)] : ['services', name, 'depends_on', target];
      report.error(
        at,
        `${name} depends on ${target}, which runs only with the profile ${profiles.map((p) => `"${p}"`).join(' or ')}: activate it (--profile ${profiles[0]}) or give ${name} the same profile`,
        'key',
      );
    }
    // Optional dependencies on inactive services are dropped: the service gets a copy without them.
    if (dropped.size > 0 && isPlainObject(depends)) {
      out[name] = { ...service, depends_on: Object.fromEntries(Object.entries(depends).filter(([target]) => !dropped.has(target))) };
    }
  }
  return { services: out, inactive };
}

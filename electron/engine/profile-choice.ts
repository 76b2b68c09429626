// The panel's switch for Compose `profiles:` (issue 13): which profiles a course declares, which
// are on, and the student's choice remembered per course in settings. A remembered choice is
// used exactly (an empty list: every profile off) unless the CLI is given `--profile`.
import type { SettingsStore } from './settings/settings-store.js';
import { envKey } from './settings/variables.js';
import type { CourseSpec } from './spec/types.js';

/** What the panel shows: each declared profile, whether it is on, and the services it runs. */
export interface ProfileView {
  name: string;
  active: boolean;
  services: string[];
}

/** Every profile a service of the spec names, active or not, sorted. */
export function declaredProfiles(spec: CourseSpec): string[] {
  const names = new Set<string>();
  for (const service of Object.values(spec.services)) for (const p of service.profiles ?? []) names.add(p);
  for (const profiles of Object.values(spec.inactiveServices ?? {})) for (const p of profiles) names.add(p);
  return [...names].sort();
}

export function profileViews(spec: CourseSpec): ProfileView[] {
  const all = spec.activeProfiles?.includes('*') ?? false;
  return declaredProfiles(spec).map((name) => {
    const services = [
      ...Object.values(spec.services)
        .filter((s) => s.profiles?.includes(name))
        .map((s) => s.name),
      ...Object.entries(spec.inactiveServices ?? {})
        .filter(([, profiles]) => profiles.includes(name))
        .map(([service]) => service),
    ].sort();
    return { name, active: all || (spec.activeProfiles?.includes(name) ?? false), services };
  });
}

const key = (project: string): string => envKey(project, 'profiles');

/** The student's remembered choice for a course, if any (only a list of strings counts). */
export function chosenProfiles(store: SettingsStore, project: string): string[] | undefined {
  const value = store.get(key(project));
  return Array.isArray(value) && value.every((p) => typeof p === 'string') ? value : undefined;
}

export function rememberProfiles(store: SettingsStore, project: string, profiles: readonly string[]): void {
  store.set(key(project), [...new Set(profiles)].sort());
}

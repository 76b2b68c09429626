// Compose files added to the course list by hand (`coursedock open <file>`): any plain Compose
// project, not only the courses shipped in the specs folder. Remembered in the settings (which
// several processes share), each under an id made like a Compose project name from its folder.
import path from 'node:path';
import type { SettingsStore } from './settings/settings-store.js';

export const ADDED_COURSES = 'addedCourses';

export interface AddedCourse {
  id: string;
  /** Absolute path of the Compose file. */
  file: string;
}

export function addedCourses(store: SettingsStore): AddedCourse[] {
  return valid(store.get(ADDED_COURSES));
}

/**
 * Remembers `file` under `wanted` (or `wanted-2`, … when that id names another course) and
 * returns the entry; a file added before keeps its id.
 */
export function addCourse(store: SettingsStore, file: string, wanted: string, taken: ReadonlySet<string>): AddedCourse {
  const absolute = path.resolve(file);
  let entry: AddedCourse | undefined;
  const change = (current: unknown): AddedCourse[] => {
    const list = valid(current);
    entry = list.find((c) => c.file === absolute);
    if (entry) return list;
    const used = new Set([...taken, ...list.map((c) => c.id)]);
    let id = wanted;
    for (let n = 2; used.has(id); n++) id = `${wanted}-${n}`;
    entry = { id, file: absolute };
    return [...list, entry];
  };
  if (store.update) store.update(ADDED_COURSES, change);
  else store.set(ADDED_COURSES, change(store.get(ADDED_COURSES)));
  if (!entry) throw new Error(`The settings store did not record the course ${absolute}.`);
  return entry;
}

function valid(value: unknown): AddedCourse[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (c): c is AddedCourse => typeof c === 'object' && c !== null && typeof (c as AddedCourse).id === 'string' && typeof (c as AddedCourse).file === 'string',
  );
}

// A classroom student's values for the course's variables (x-coursedock.variables). On one
// laptop a token is made once per install; in a classroom it is made once per student and
// kept, so each student has their own notebook token and passwords, and the same ones after
// a reinstall, a `down`/`up` or a dockerd restart (a database initialised with a password in
// its volume must be given that password again). A folder variable (a host folder on one
// laptop) names a per-student volume instead: a student's files cannot live on the tutor's
// disk when the stack may run on another node.
import { storedOrNewToken } from '../settings/variables.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { VariableDecl } from '../spec/types.js';
import { folderVolumeKey, stackNamespace, variablesKey } from './names.js';

/**
 * The path a folder variable is given when the spec is loaded for a student. It never reaches
 * Docker: a bind mount from exactly this path becomes the student's volume for that variable.
 */
export const folderPlaceholder = (course: string, studentId: string, variable: string): string =>
  `/coursedock-classroom/${course}/${studentId}/${variable}`;

export interface StudentVariables {
  /** Values to load the spec with (tokens, defaults, placeholders, COURSEDOCK_PROJECT). */
  values: Record<string, string>;
  /** Bind-mount source (a placeholder) → the volume key that replaces it. */
  folderVolumes: Record<string, string>;
}

/**
 * The student's variable values: tokens generated once and stored under the classroom's
 * settings key; folders as placeholders for volumes; a host uid as its declared default (the
 * uid that owns a volume is the image's, not the tutor's); plain values as declared.
 * COURSEDOCK_PROJECT is the student's stack namespace, so web UIs serve under
 * `/p/<course>-<student>/<service>/`, the path the front door routes by.
 */
export function studentVariables(
  decls: VariableDecl[],
  store: SettingsStore,
  course: string,
  studentId: string,
): StudentVariables {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const folderVolumes: Record<string, string> = Object.create(null) as Record<string, string>;
  const key = variablesKey(course, studentId);
  for (const d of decls) {
    switch (d.kind) {
      case 'token':
        values[d.name] = storedOrNewToken(store, `${key}.${d.name}`);
        break;
      case 'folder': {
        const placeholder = folderPlaceholder(course, studentId, d.name);
        values[d.name] = placeholder;
        folderVolumes[placeholder] = folderVolumeKey(d.name);
        break;
      }
      case 'host-uid':
        values[d.name] = d.default ?? '1000';
        break;
      case 'value':
        values[d.name] = d.default ?? '';
        break;
    }
  }
  values.COURSEDOCK_PROJECT = stackNamespace(course, studentId);
  return { values, folderVolumes };
}

/** Forgets a student's generated values (when their data is deleted too: a fresh start). */
export function forgetStudentVariables(store: SettingsStore, course: string, studentId: string): void {
  store.delete(variablesKey(course, studentId));
}

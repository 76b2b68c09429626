// Tests run against a copy of a real course spec under a unique project name, with their own
// settings folder and notebooks folder, so they never touch a student's (or another test's)
// containers, volumes or settings. The images are shared: copies reuse the built ones.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface CourseCopy {
  /** Unique project name, e.g. `cdt-tm351-k3j2`. */
  project: string;
  /** Folder holding the copied spec (its name is the project). */
  dir: string;
  file: string;
  /** COURSEDOCK_HOME for this test. */
  home: string;
  notebooksDir: string;
  /** Environment to give the engine (or the CLI / browser shell as a child process). */
  env: Record<string, string>;
  cleanup(): void;
}

export function copyCourse(course = 'tm351', prefix = 'cdt'): CourseCopy {
  const root = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const project = `${prefix}-${course}-${path.basename(root).split('-').pop()!.toLowerCase()}`;
  const dir = path.join(root, 'specs', project);
  cpSync(path.join(REPO_ROOT, 'compose-specs', course), dir, { recursive: true });
  const home = path.join(root, 'home');
  const notebooksDir = path.join(root, 'notebooks');
  return {
    project,
    dir,
    file: path.join(dir, 'compose.yml'),
    home,
    notebooksDir,
    env: { COURSEDOCK_HOME: home, NOTEBOOKS_DIR: notebooksDir, COURSEDOCK_SPECS: path.dirname(dir) },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

// The bundle methods implemented over the engine (spread into api-session.ts's handler table).
// One install at a time per app; its last progress is kept for `courses.installProgress`.
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { Engine } from '../engine/engine.js';
import { BundleRefused, installCourseBundle, type BundleProgress } from '../engine/bundle/course-bundles.js';
import { bundleInputs, type BundleOutputs } from './bundle-contract.js';
import { apiError } from './contract.js';

type In<M extends keyof typeof bundleInputs> = z.output<(typeof bundleInputs)[M]>;
/** Asks the user for one existing file; resolves undefined when they cancel. */
export type ChooseFile = (request: { title: string; filters: Array<{ name: string; extensions: string[] }> }) => Promise<string | undefined>;

type BundleHandlers = { [M in keyof BundleOutputs]: (input: In<M>) => Promise<BundleOutputs[M]> | BundleOutputs[M] };

/** The file extension `coursedock bundle export` writes, offered first by the file picker. */
export const BUNDLE_EXTENSION = 'coursedock';

/** `chooseFile`: the desktop's native open dialog (absent in the browser shell: the path is typed). */
export function bundleHandlers(engine: Engine, chooseFile?: ChooseFile): BundleHandlers {
  let latest: BundleProgress | undefined;
  let running = false;
  return {
    'courses.installBundle': async ({ path: file, replace }) => {
      if (running) throw apiError('invalid-input', 'A course is being installed already: wait for it to finish.');
      running = true;
      latest = { phase: 'spec', bytesDone: 0, message: 'Opening the bundle' };
      try {
        const resolved = file.startsWith('~') ? path.join(os.homedir(), file.slice(1)) : file;
        const r = await installCourseBundle(await engine.connection.require(), engine, resolved, { replace: replace ?? false, onProgress: (p) => (latest = p) });
        return { course: r.course, folder: r.folder, images: r.manifest.images.included.map((i) => i.ref), notIncluded: r.manifest.images.notIncluded };
      } catch (err) {
        throw err instanceof BundleRefused ? apiError('invalid-input', err.message) : err;
      } finally {
        running = false;
        latest = undefined;
      }
    },
    'courses.installProgress': () => (latest ? { progress: latest } : {}),
    'courses.chooseBundleFile': async () => {
      if (!chooseFile) throw apiError('invalid-input', 'This view cannot open a file picker on the computer running Coursedock: type the path of the bundle file.');
      const chosen = await chooseFile({ title: 'Install a course from a file', filters: [{ name: 'Course bundles', extensions: [BUNDLE_EXTENSION] }, { name: 'All files', extensions: ['*'] }] });
      return chosen ? { path: chosen } : {};
    },
  };
}

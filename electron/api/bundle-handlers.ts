// The bundle methods implemented over the engine (spread into api-session.ts's handler table).
// One install at a time per app (per engine, whichever session started it); its progress is
// pushed to every session as the `courses.installProgress` event, a few times a second, and the
// last one is kept for the method of the same name (a panel opened mid-install reads it once).
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { Engine } from '../engine/engine.js';
import { BundleRefused, installCourseBundle, type BundleProgress } from '../engine/bundle/course-bundles.js';
import { bundleInputs, type BundleOutputs } from './bundle-contract.js';
import { apiError, type Events } from './contract.js';
import { LatestEvery } from '../engine/latest-every.js';

type In<M extends keyof typeof bundleInputs> = z.output<(typeof bundleInputs)[M]>;
/** Asks the user for one existing file; resolves undefined when they cancel. */
export type ChooseFile = (request: { title: string; filters: Array<{ name: string; extensions: string[] }> }) => Promise<string | undefined>;

type BundleHandlers = { [M in keyof BundleOutputs]: (input: In<M>) => Promise<BundleOutputs[M]> | BundleOutputs[M] };

/** The file extension `coursedock bundle export` writes, offered first by the file picker. */
export const BUNDLE_EXTENSION = 'coursedock';

/** At most this many progress events a second per install. */
const INSTALL_EVENTS_PER_SECOND = 4;

/** The app's one install: whether it runs, where it has got, and who hears its progress. */
class InstallWork {
  running = false;
  latest: BundleProgress | undefined;
  readonly listeners = new Set<(payload: Events['courses.installProgress']) => void>();
  private readonly events = new LatestEvery<'install', BundleProgress>(1000 / INSTALL_EVENTS_PER_SECOND, (_key, progress) => {
    for (const l of [...this.listeners]) l(progress ? { progress } : {});
  });

  report(progress: BundleProgress): void {
    this.latest = progress;
    this.events.push('install', progress);
  }

  ended(): void {
    this.running = false;
    this.latest = undefined;
    this.events.end('install');
  }
}

const installs = new WeakMap<Engine, InstallWork>();
const installOf = (engine: Engine): InstallWork => {
  let work = installs.get(engine);
  if (!work) installs.set(engine, (work = new InstallWork()));
  return work;
};

/** Hears the progress of the engine's installs (a session pushes it); returns the unsubscribe. */
export function onInstallProgress(engine: Engine, listener: (payload: Events['courses.installProgress']) => void): () => void {
  const work = installOf(engine);
  work.listeners.add(listener);
  return () => void work.listeners.delete(listener);
}

/** `chooseFile`: the desktop's native open dialog (absent in the browser shell: the path is typed). */
export function bundleHandlers(engine: Engine, chooseFile?: ChooseFile): BundleHandlers {
  const work = installOf(engine);
  return {
    'courses.installBundle': async ({ path: file, replace }) => {
      if (work.running) throw apiError('invalid-input', 'A course is being installed already: wait for it to finish.');
      work.running = true;
      work.report({ phase: 'spec', bytesDone: 0, message: 'Opening the bundle' });
      try {
        const resolved = file.startsWith('~') ? path.join(os.homedir(), file.slice(1)) : file;
        const r = await installCourseBundle(await engine.connection.require(), engine, resolved, { replace: replace ?? false, onProgress: (p) => work.report(p) });
        return { course: r.course, folder: r.folder, images: r.manifest.images.included.map((i) => i.ref), notIncluded: r.manifest.images.notIncluded };
      } catch (err) {
        throw err instanceof BundleRefused ? apiError('invalid-input', err.message) : err;
      } finally {
        work.ended();
      }
    },
    'courses.installProgress': () => (work.latest ? { progress: work.latest } : {}),
    'courses.chooseBundleFile': async () => {
      if (!chooseFile) throw apiError('invalid-input', 'This view cannot open a file picker on the computer running Coursedock: type the path of the bundle file.');
      const chosen = await chooseFile({ title: 'Install a course from a file', filters: [{ name: 'Course bundles', extensions: [BUNDLE_EXTENSION] }, { name: 'All files', extensions: ['*'] }] });
      return chosen ? { path: chosen } : {};
    },
  };
}

// `coursedock serve`: starts the engine and the browser shell, prints the URL to open.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine.js';
import { defaultSettingsStore } from '../engine/settings/settings-store.js';
import { startBrowserShell } from './browser-shell.js';
import { recheckAfterResume, watchClockJumps } from '../engine/repairs/after-sleep.js';

export function defaultRendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return process.env.COURSEDOCK_RENDERER ?? path.resolve(here, '../../dist/renderer');
}

export async function serveMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '0' },
      course: { type: 'string' },
      'host-shell': { type: 'boolean', default: false },
    },
  });
  const rendererDir = defaultRendererDir();
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    console.error(`The panel is not built (${rendererDir} has no index.html). Run: npm run build`);
    return 1;
  }
  // The panel brings back what the student had running (after a reboot or a Docker restart).
  const engine = new Engine({ store: defaultSettingsStore(), bringBack: true, processKind: 'browser-shell' }).start();
  // Node has no power events: a jump of the wall clock past our timer means the computer slept.
  const stopWatchingSleep = watchClockJumps(() => void recheckAfterResume(engine).catch((e: unknown) => console.error(`[serve] after sleep: ${String(e)}`)));
  const course = values.course;
  if (course) {
    // Open the course once Docker answers; the panel shows the Docker screen meanwhile.
    void engine.connection.whenConnected().then(() => engine.open(course)).catch((e: unknown) => console.error(String(e)));
  }
  // Refused API connections and sensitive calls get a line each (what a hostile page tried).
  const log = (message: string) => console.log(`[serve] ${message}`);
  const options = { engine, rendererDir, allowHostShell: values['host-shell'], log };
  const shell = await startBrowserShell({ ...options, port: Number(values.port) }).catch((err: unknown) => {
    if (!(err instanceof Error && 'code' in err && err.code === 'EADDRINUSE')) throw err;
    console.error(`Port ${values.port} is in use by another program — the panel uses a free one instead.`);
    return startBrowserShell({ ...options, port: 0 });
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // The panel opens this course first (it reads ?course= and keeps it through the redirect).
  const url = values.course ? `${shell.url}&course=${encodeURIComponent(values.course)}` : shell.url;
  console.log(`Coursedock panel: ${url}`);
  console.log('Open that URL in your browser. Press Ctrl+C to stop the panel (your services keep running).');
  await stopped;
  await shell.close();
  stopWatchingSleep();
  engine.close();
  // Anything still in flight (a Docker call, a log stream) must not keep a stopped panel alive.
  setTimeout(() => process.exit(0), 1000).unref();
  return 0;
}

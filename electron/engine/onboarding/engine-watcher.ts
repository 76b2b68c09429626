// Carrying on by itself when an engine answers. Where an engine makes a socket file (Linux,
// macOS), we watch the folder it appears in (fs.watch: the OS tells us, no polling) and ask the
// Docker connection to try at once. A socket can also exist before its daemon listens (a stale
// /var/run/docker.sock, a VM still booting), a folder may not exist yet to be watched, and
// Windows' named pipes cannot be watched at all: for those, a slow retry backs off from 2 s to
// 30 s. (DockerConnection keeps its own retry every few seconds as well; this one only makes
// the moment the socket appears count immediately.)
import { watch, existsSync, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface EngineWatcher {
  close(): void;
}

const BACKOFF_MS = [2000, 5000, 10_000, 20_000, 30_000];

/** Calls `tryNow` when one of `sockets` appears (or changes), and on a slow backoff meanwhile. */
export function watchForEngine(sockets: string[], tryNow: (why: string) => void, options: { backoffMs?: number[] } = {}): EngineWatcher {
  const watchers: FSWatcher[] = [];
  const byFolder = new Map<string, Set<string>>();
  for (const s of sockets) {
    // The nearest folder that exists: a socket's own folder may be made by the engine itself.
    let dir = path.dirname(s);
    while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const names = byFolder.get(dir) ?? new Set<string>();
    const [first = ''] = path.relative(dir, s).split(path.sep);
    names.add(first);
    byFolder.set(dir, names);
  }
  for (const [dir, names] of byFolder) {
    try {
      const w = watch(dir, { persistent: false }, (_event, file) => {
        if (!file || names.has(file)) tryNow(`${path.join(dir, file ?? '')} appeared`);
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      // A folder we may not read: the slow retry covers it.
    }
  }
  const backoff = options.backoffMs ?? BACKOFF_MS;
  let i = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      tryNow('slow retry');
      i = Math.min(i + 1, backoff.length - 1);
      schedule();
    }, backoff[i]);
    timer.unref();
  };
  schedule();
  return {
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

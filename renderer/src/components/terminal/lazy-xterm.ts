// xterm.js is the panel's heaviest part (~300 KB of script and its CSS) and only a terminal
// needs it: the first screen loads without it. This TermHandle stands in for the real one
// (xterm-handle.ts) until that module has loaded, which the provider starts right after the
// first paint (preloadXterm), so it is normally there before anyone opens a terminal. Until then
// calls are kept and replayed in order: the element to open in, output, input listeners, focus,
// dispose. fit() has no size to give before xterm measures; once it has loaded and opened, the
// handle fires a window resize, which TerminalView answers with a fit that tells the shell.
import type { TermHandle } from './terminal-manager.js';

type XtermModule = typeof import('./xterm-handle.js');

let loading: Promise<XtermModule> | undefined;

/** Starts loading xterm (once); resolves with its module. */
export function preloadXterm(): Promise<XtermModule> {
  loading ??= import('./xterm-handle.js');
  return loading;
}

export function createLazyXterm(load: () => Promise<XtermModule> = preloadXterm): TermHandle {
  let real: TermHandle | undefined;
  let disposed = false;
  let parent: HTMLElement | undefined;
  const queued: Array<(t: TermHandle) => void> = [];
  const later = (f: (t: TermHandle) => void) => (real ? f(real) : void queued.push(f));

  void load().then(
    ({ createXterm }) => {
      if (disposed) return;
      const t = createXterm();
      real = t;
      if (parent) t.open(parent);
      for (const f of queued.splice(0)) f(t);
      if (parent && typeof window !== 'undefined') window.dispatchEvent(new Event('resize'));
    },
    (err: unknown) => console.error('The terminal emulator could not be loaded:', err),
  );

  return {
    open: (p) => (real ? real.open(p) : void (parent = p)),
    write: (data) => later((t) => t.write(data)),
    fit: () => real?.fit(),
    get cols() {
      return real?.cols ?? 80;
    },
    get rows() {
      return real?.rows ?? 24;
    },
    onData: (cb) => later((t) => t.onData(cb)),
    focus: () => later((t) => t.focus()),
    dispose: () => {
      disposed = true;
      real?.dispose();
    },
  };
}

// The real emulator behind a TermHandle: xterm.js with the fit addon, a 5000-line scrollback,
// copy on selection and Ctrl+Shift+C, paste with Ctrl+Shift+V (the browser's own paste works too).
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { TermHandle } from './terminal-manager.js';

export const SCROLLBACK = 5000;

/** The async clipboard where the page may use it: absent on plain http, and older Firefox has no readText. */
function clipboard(): { writeText?: (text: string) => Promise<void>; readText?: () => Promise<string> } | undefined {
  return (navigator as { clipboard?: Partial<Clipboard> }).clipboard;
}

function copy(text: string): void {
  if (!text) return;
  const cb = clipboard();
  if (cb?.writeText) void cb.writeText(text).catch(() => undefined);
}

export function createXterm(): TermHandle {
  const term = new Terminal({
    scrollback: SCROLLBACK,
    cursorBlink: true,
    fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
    fontSize: 13,
    allowProposedApi: false,
    theme: { background: '#0f1115', foreground: '#d7dbe0', cursor: '#d7dbe0', selectionBackground: '#3b5bdb80' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.onSelectionChange(() => copy(term.getSelection()));
  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
    const key = e.key.toLowerCase();
    if (key === 'c') {
      copy(term.getSelection());
      e.preventDefault();
      return false;
    }
    if (key === 'v') {
      // Let the browser's paste event reach xterm's textarea where the clipboard API is
      // refused; otherwise read it ourselves.
      const cb = clipboard();
      if (cb?.readText) {
        e.preventDefault();
        void cb.readText().then((t) => t && term.paste(t), () => undefined);
      }
      return false;
    }
    return true;
  });
  return {
    open: (parent) => term.open(parent),
    write: (data) => term.write(data),
    fit() {
      const dims = fit.proposeDimensions();
      if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows) || dims.cols < 2 || dims.rows < 2) return undefined;
      fit.fit();
      return { cols: term.cols, rows: term.rows };
    },
    get cols() {
      return term.cols;
    },
    get rows() {
      return term.rows;
    },
    onData: (cb) => void term.onData(cb),
    focus: () => term.focus(),
    dispose: () => term.dispose(),
  };
}

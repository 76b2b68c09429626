// The panel's terminal sessions, kept above the detail view so they outlive switching services
// and tabs: each session owns its xterm (created once, re-attached to whichever host element
// shows it) and its shell on the engine (`terminal.open` … `terminal.close`). Keys typed while
// a shell is (re)opening wait in the session's input queue and reach the shell, in order, once
// it is open. Pure logic over a client and a terminal factory, so it is tested without xterm's
// rendering.
import type { Client } from '../../api/client.js';
import { toApiCallError } from '../../api/transport.js';

/** What the manager needs of a terminal emulator (xterm.js in the app, a fake in tests). */
export interface TermHandle {
  /** Puts the emulator into `parent` (the first time) — later attaches only move its element. */
  open(parent: HTMLElement): void;
  write(data: string): void;
  /** Fits to its element; the resulting size, or undefined while it has no size (hidden). */
  fit(): { cols: number; rows: number } | undefined;
  readonly cols: number;
  readonly rows: number;
  onData(cb: (data: string) => void): void;
  focus(): void;
  dispose(): void;
}

export type TermFactory = () => TermHandle;

/** `asRoot`: the service's shell as root (the explicit second choice; otherwise as the service's user). */
export type TerminalTarget = { project: string; service: string; asRoot?: true } | { host: true };

export type SessionStatus = 'opening' | 'open' | 'exited' | 'failed';

export interface SessionView {
  key: string;
  /** 'host' or the service name. */
  owner: string;
  label: string;
  title?: string;
  /** Who the shell runs as, in words (from the engine, once open). */
  runsAs?: string;
  status: SessionStatus;
  message?: string;
}

interface Session extends SessionView {
  target: TerminalTarget;
  terminal?: string;
  term: TermHandle;
  /** The element the emulator lives in; moved between hosts on re-attach. */
  element: HTMLElement;
  opened: boolean;
  lastSize?: { cols: number; rows: number };
  /** Input typed while the shell is opening, delivered in order once it is open. */
  queued: string[];
  queuedLength: number;
  /** Input was dropped from this opening's queue (said once in the terminal). */
  queueOverflowed: boolean;
}

export const EXIT_PROMPT = 'press Enter to open a new one';
const PENDING_CAP = 256 * 1024;
/**
 * How much typed input waits for a shell that is opening, in characters: the most one
 * `terminal.input` call carries, and far more than anyone types or pastes in a few seconds.
 */
export const INPUT_QUEUE_CAP = 64 * 1024;

export const INPUT_DROPPED_LINE = '\r\n\x1b[33m[more than 64 KiB typed while the shell was opening: the rest was dropped]\x1b[0m\r\n';

export function exitLine(code: number | undefined, reason: string | undefined): string {
  const what = code !== undefined ? `the shell exited (code ${code})` : reason ? `the shell ended: ${reason}` : 'the shell ended';
  return `\r\n\x1b[2m[${what}] — ${EXIT_PROMPT}\x1b[0m\r\n`;
}

export class TerminalManager {
  private sessions: Session[] = [];
  private byTerminal = new Map<string, Session>();
  /** Output for terminals whose open call has not answered yet. */
  private pending = new Map<string, string[]>();
  private listeners = new Set<() => void>();
  private snapshot: SessionView[] = [];
  private active = new Map<string, string>();
  private autoOpened = new Set<string>();
  private seq = 0;
  private offs: Array<() => void> = [];
  /** Why a terminal on this computer cannot be opened here (the engine's words), once known. */
  hostRefusal: string | undefined;

  constructor(
    private readonly client: Client,
    private readonly createTerm: TermFactory,
    private readonly createElement: () => HTMLElement = () => document.createElement('div'),
  ) {
    this.connect();
  }

  /** Listens to the engine's terminal events (again, after dispose: React may remount). */
  connect(): void {
    if (this.offs.length) return;
    const client = this.client;
    this.offs.push(
      client.on('terminal.data', ({ terminal, data }) => {
        const s = this.byTerminal.get(terminal);
        if (s) {
          s.term.write(data);
          return;
        }
        const buf = this.pending.get(terminal) ?? [];
        if (buf.reduce((n, d) => n + d.length, 0) < PENDING_CAP) buf.push(data);
        this.pending.set(terminal, buf);
      }),
      client.on('terminal.exit', ({ terminal, code, reason }) => {
        const s = this.byTerminal.get(terminal);
        this.pending.delete(terminal);
        if (!s) return;
        this.byTerminal.delete(terminal);
        s.terminal = undefined;
        s.term.write(exitLine(code, reason));
        this.update(s, { status: 'exited', message: code !== undefined ? `Exited (code ${code})` : reason });
      }),
      client.onConnection((state) => {
        if (state !== 'closed') return;
        // The engine ends a UI's shells with its connection: say so, offer a new one.
        for (const s of this.sessions) {
          if (s.status !== 'open' || !s.terminal) continue;
          this.byTerminal.delete(s.terminal);
          s.terminal = undefined;
          s.term.write(`\r\n\x1b[2m[the connection to Coursedock was lost] — ${EXIT_PROMPT}\x1b[0m\r\n`);
          this.update(s, { status: 'exited', message: 'Connection lost' });
        }
      }),
    );
  }

  // ---- reading ------------------------------------------------------------------------

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => void this.listeners.delete(cb);
  };

  getSnapshot = (): SessionView[] => this.snapshot;

  /** The sessions shown in `owner`'s Terminal tab: its own, then the host's. */
  sessionsFor(owner: string): SessionView[] {
    return this.snapshot.filter((s) => s.owner === owner || s.owner === 'host');
  }

  activeFor(owner: string): string | undefined {
    const list = this.sessionsFor(owner);
    const key = this.active.get(owner);
    return list.some((s) => s.key === key) ? key : list.find((s) => s.owner === owner)?.key ?? list[0]?.key;
  }

  setActive(owner: string, key: string): void {
    this.active.set(owner, key);
    this.emit();
  }

  /** True the first time it is asked for `owner` (the Terminal tab opens a shell on first visit). */
  claimAutoOpen(owner: string): boolean {
    if (this.autoOpened.has(owner)) return false;
    this.autoOpened.add(owner);
    return true;
  }

  // ---- doing --------------------------------------------------------------------------

  /** A new session; its shell starts when it is first attached (with the fitted size). */
  create(target: TerminalTarget, label: string, shownIn?: string): string {
    const owner = 'host' in target ? 'host' : target.service;
    const key = `t${++this.seq}`;
    const term = this.createTerm();
    const s: Session = {
      key,
      owner,
      label,
      status: 'opening',
      target,
      term,
      element: this.createElement(),
      opened: false,
      queued: [],
      queuedLength: 0,
      queueOverflowed: false,
    };
    s.element.className = 'terminal-view__xterm';
    term.onData((data) => this.onInput(s, data));
    this.sessions.push(s);
    this.active.set(shownIn ?? owner, key);
    this.emit();
    return key;
  }

  /** Shows the session's emulator in `host` (re-attaching the same xterm, never a new one). */
  attach(key: string, host: HTMLElement): void {
    const s = this.find(key);
    if (!s) return;
    if (s.element.parentElement !== host) host.appendChild(s.element);
    if (!s.opened) {
      s.opened = true;
      s.term.open(s.element);
    }
    const size = s.term.fit();
    if (s.status === 'opening' && !s.terminal && !this.starting.has(s.key)) void this.start(s, size);
    else if (size) this.sendResize(s, size);
    s.term.focus();
  }

  /** Takes the emulator's element out of `host` (the session keeps running). */
  detach(key: string, host: HTMLElement): void {
    const s = this.find(key);
    if (s && s.element.parentElement === host) host.removeChild(s.element);
  }

  /** Re-fits (the host was resized) and tells the shell its new size. */
  fit(key: string): void {
    const s = this.find(key);
    if (!s || !s.opened) return;
    const size = s.term.fit();
    if (size) this.sendResize(s, size);
  }

  focus(key: string): void {
    this.find(key)?.term.focus();
  }

  /** Opens a new shell in an exited or failed session (Enter or the button). */
  restart(key: string): void {
    const s = this.find(key);
    if (!s || s.status === 'open' || this.starting.has(s.key)) return;
    this.update(s, { status: 'opening', message: undefined });
    void this.start(s, s.opened ? s.term.fit() ?? { cols: s.term.cols, rows: s.term.rows } : undefined);
  }

  async close(key: string): Promise<void> {
    const s = this.find(key);
    if (!s) return;
    this.sessions = this.sessions.filter((x) => x !== s);
    this.clearQueue(s);
    const terminal = s.terminal;
    if (terminal) this.byTerminal.delete(terminal);
    s.terminal = undefined;
    s.element.remove();
    s.term.dispose();
    this.emit();
    if (terminal) await this.client.call('terminal.close', { terminal }).catch(() => undefined);
  }

  /** Closes every shell (the panel is going away). */
  dispose(): void {
    for (const off of this.offs) off();
    this.offs = [];
    for (const s of [...this.sessions]) void this.close(s.key);
  }

  private hostProbe: Promise<void> | undefined;

  /**
   * Finds out once whether this panel may open a terminal on this computer (the browser shell
   * refuses unless started with --host-shell), so the entry can be shown disabled with the reason.
   */
  probeHost(): Promise<void> {
    this.hostProbe ??= (async () => {
      try {
        const { terminal } = await this.client.call('terminal.open', { host: true, cols: 80, rows: 24 });
        await this.client.call('terminal.close', { terminal }).catch(() => undefined);
      } catch (err) {
        this.hostRefusal = toApiCallError(err).message;
        this.emit();
      }
    })();
    return this.hostProbe;
  }

  // ---- inside -------------------------------------------------------------------------

  private starting = new Set<string>();

  private async start(s: Session, size: { cols: number; rows: number } | undefined): Promise<void> {
    this.starting.add(s.key);
    const dims = size ? { cols: clamp(size.cols), rows: clamp(size.rows) } : {};
    try {
      const input = 'host' in s.target ? { host: true as const, ...dims } : { ...s.target, ...dims };
      const { terminal, title, runsAs } = await this.client.call('terminal.open', input);
      if (!this.sessions.includes(s)) {
        // Closed while opening.
        await this.client.call('terminal.close', { terminal }).catch(() => undefined);
        return;
      }
      s.terminal = terminal;
      s.lastSize = size ? dims as { cols: number; rows: number } : undefined;
      this.byTerminal.set(terminal, s);
      for (const d of this.pending.get(terminal) ?? []) s.term.write(d);
      this.pending.delete(terminal);
      // What was typed meanwhile goes first, before anything typed from now on.
      this.deliverQueue(s, terminal);
      this.update(s, { status: 'open', title, runsAs, message: undefined });
      // The emulator may have been re-fitted while the call was on its way.
      if (s.opened) {
        const now = s.term.fit();
        if (now) this.sendResize(s, now);
      }
    } catch (err) {
      const message = toApiCallError(err).message;
      // No shell to give it to: what was typed for it goes.
      this.clearQueue(s);
      if ('host' in s.target) {
        // A refused host shell is a fact about this panel, not a session: record it, drop it.
        this.hostRefusal = message;
        this.sessions = this.sessions.filter((x) => x !== s);
        s.element.remove();
        s.term.dispose();
        this.emit();
        return;
      }
      s.term.write(`\r\n\x1b[31m[could not open a shell: ${message}]\x1b[0m\r\n\x1b[2m[${EXIT_PROMPT.replace('a new one', 'one again')}]\x1b[0m\r\n`);
      this.update(s, { status: 'failed', message });
    } finally {
      this.starting.delete(s.key);
    }
  }

  private onInput(s: Session, data: string): void {
    if (s.status === 'open' && s.terminal) {
      this.send(s.terminal, data);
    } else if (s.status === 'opening') {
      this.enqueue(s, data);
    } else if (s.status === 'exited' || s.status === 'failed') {
      // Enter opens a new shell; what follows it (typed fast, or pasted) is for that shell.
      const enter = data.indexOf('\r');
      if (enter < 0) return;
      this.restart(s.key);
      const rest = data.slice(enter + 1);
      if (rest && this.find(s.key)?.status === 'opening') this.enqueue(s, rest);
    }
  }

  private send(terminal: string, data: string): void {
    void this.client.call('terminal.input', { terminal, data }).catch(() => undefined);
  }

  /** Keeps input for the shell being opened, up to INPUT_QUEUE_CAP; says once when it drops some. */
  private enqueue(s: Session, data: string): void {
    // Past an overflow, later keys would reach the shell without those before them: drop them too.
    if (s.queueOverflowed) return;
    const room = INPUT_QUEUE_CAP - s.queuedLength;
    let kept = data.length <= room ? data : data.slice(0, Math.max(0, room));
    // Never keep half of a surrogate pair.
    if (kept.length < data.length && /[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
    if (kept) {
      s.queued.push(kept);
      s.queuedLength += kept.length;
    }
    if (kept.length < data.length) {
      s.queueOverflowed = true;
      s.term.write(INPUT_DROPPED_LINE);
    }
  }

  private deliverQueue(s: Session, terminal: string): void {
    // One call: the queue never holds more than one `terminal.input` may carry.
    const all = s.queued.join('');
    this.clearQueue(s);
    if (all) this.send(terminal, all);
  }

  private clearQueue(s: Session): void {
    s.queued = [];
    s.queuedLength = 0;
    s.queueOverflowed = false;
  }

  private sendResize(s: Session, size: { cols: number; rows: number }): void {
    const next = { cols: clamp(size.cols), rows: clamp(size.rows) };
    if (!s.terminal || s.status !== 'open') return;
    if (s.lastSize && s.lastSize.cols === next.cols && s.lastSize.rows === next.rows) return;
    s.lastSize = next;
    void this.client.call('terminal.resize', { terminal: s.terminal, ...next }).catch(() => undefined);
  }

  private find(key: string): Session | undefined {
    return this.sessions.find((s) => s.key === key);
  }

  private update(s: Session, patch: Partial<SessionView>): void {
    Object.assign(s, patch);
    this.emit();
  }

  private emit(): void {
    this.snapshot = this.sessions.map(({ key, owner, label, title, runsAs, status, message }) => ({
      key,
      owner,
      label,
      status,
      ...(title !== undefined ? { title } : {}),
      ...(runsAs !== undefined ? { runsAs } : {}),
      ...(message !== undefined ? { message } : {}),
    }));
    for (const cb of [...this.listeners]) cb();
  }
}

const clamp = (n: number) => Math.max(2, Math.min(1000, Math.floor(n)));

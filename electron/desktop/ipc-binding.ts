// The contract over Electron IPC: the twin of the browser shell's WebSocket binding
// (electron/serve/ws-binding.ts). Generated from the contract table: one `ipcMain.handle`
// channel per entry of `methodNames`, every event of `eventNames` forwarded with
// `webContents.send`. Input goes untouched to ApiSession.call, which validates it; errors come
// back as `{code, message}` the panel can show. Calls are answered only for our own window's
// top frame showing our own page; anything else is refused before the session sees it.
//
// Written against the small interfaces below rather than Electron's classes, so the unit tests
// drive it with an in-memory ipcMain/ipcRenderer (electron/desktop/testing/in-memory-ipc.ts).
import { ApiFailure, eventNames, methodNames, type ApiError, type EventName, type Events, type MethodName } from '../api/contract.js';
import { EVENT_CHANNEL, callChannel, type CallReply, type EventMessage } from './channels.js';
import { isAppPage } from './navigation-policy.js';

/** What the binding reads of a frame (Electron's WebFrameMain has these). */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

/** What the binding reads of an invoke event (Electron's IpcMainInvokeEvent has these). */
export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** The part of ApiSession the binding uses (the real one, or a stand-in in tests). */
export interface SessionLike {
  call(method: string, input: unknown): Promise<unknown>;
  dispose(): void;
}

export type SessionEmit = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface IpcBindingOptions {
  ipcMain: IpcMainLike;
  webContents: WebContentsLike;
  /** file:// URL of the panel's index.html: the only page whose calls are answered. */
  appUrl: string;
  /** Makes the session behind this window (ApiSession with allowHostShell on the desktop). */
  createSession: (emit: SessionEmit) => SessionLike;
  /** Told about refused calls (logged by the main process). */
  onRefused?: (reason: string) => void;
}

export interface IpcBinding {
  /** The channels registered with ipcMain, one per contract method. */
  readonly channels: readonly string[];
  /** Ends the session (log follows, terminals) and starts a fresh one: after a reload. */
  resetSession(): void;
  /** Removes every handler and ends the session: the window is gone. */
  dispose(): void;
}

const eventSet: ReadonlySet<string> = new Set(eventNames);

/** Same JSON the browser shell sends: no class instances or functions reach the renderer. */
const plain = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

const refusal = (message: string): CallReply => ({ ok: false, error: { code: 'failed', message } });

export function toReplyError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return plain(err.error) as ApiError;
  return { code: 'failed', message: err instanceof Error ? err.message : String(err) };
}

/** Why a call must be refused, or undefined when it comes from our window's top frame on our page. */
export function refuseReason(event: IpcInvokeEventLike, webContents: WebContentsLike, appUrl: string): string | undefined {
  if (event.sender.id !== webContents.id) return 'the call came from another window';
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  if (frame.parent !== null) return 'the call came from a frame inside the page';
  if (!isAppPage(frame.url, appUrl)) return `the calling page is not Coursedock's (${frame.url.slice(0, 200)})`;
  return undefined;
}

export function bindIpc(options: IpcBindingOptions): IpcBinding {
  const { ipcMain, webContents, appUrl } = options;
  let disposed = false;

  const emit: SessionEmit = (event, payload) => {
    if (disposed || !eventSet.has(event) || webContents.isDestroyed()) return;
    const message: EventMessage = { event, payload: plain(payload) };
    webContents.send(EVENT_CHANNEL, message);
  };

  let session = options.createSession(emit);

  const handle = async (method: MethodName, event: IpcInvokeEventLike, input: unknown): Promise<CallReply> => {
    const reason = refuseReason(event, webContents, appUrl);
    if (reason) {
      options.onRefused?.(`${method}: ${reason}`);
      return refusal(`Refused: ${reason}.`);
    }
    if (disposed) return refusal('The window is closing.');
    try {
      return { ok: true, result: plain(await session.call(method, input)) };
    } catch (err) {
      return { ok: false, error: toReplyError(err) };
    }
  };

  const channels = methodNames.map((method) => {
    const channel = callChannel(method);
    // One argument: the method's input. Extra arguments are ignored, never passed on.
    ipcMain.handle(channel, (event, input) => handle(method, event, input));
    return channel;
  });

  return {
    channels,
    resetSession() {
      if (disposed) return;
      session.dispose();
      session = options.createSession(emit);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const c of channels) ipcMain.removeHandler(c);
      session.dispose();
    },
  };
}

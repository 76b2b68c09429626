// An in-memory stand-in for Electron's ipcMain / ipcRenderer / webContents, faithful in the
// ways the binding depends on: `invoke` on a channel with no handler rejects as Electron does
// ("No handler registered for …"), arguments and replies are structured-cloned (no shared
// objects, no functions), and each invoke carries the sender's webContents id and frame.
import type { FrameLike, IpcInvokeEventLike, IpcMainLike, WebContentsLike } from '../ipc-binding.js';
import type { IpcRendererLike } from '../preload-bridge.js';

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;
type Listener = (event: unknown, ...args: unknown[]) => void;

export class InMemoryIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    // Electron throws when a channel is handled twice.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  async invoke(channel: string, event: IpcInvokeEventLike, args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

export class Frame implements FrameLike {
  constructor(
    public url: string,
    readonly parent: FrameLike | null = null,
  ) {}
}

/** One window: its webContents (main side) and the ipcRenderer its pages get (renderer side). */
export class InMemoryWindow implements WebContentsLike {
  private static nextId = 1;
  readonly id = InMemoryWindow.nextId++;
  readonly mainFrame: Frame;
  private readonly listeners = new Map<string, Set<Listener>>();
  destroyed = false;
  /** Everything sent to the renderer, in order. */
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];

  constructor(
    private readonly ipcMain: InMemoryIpcMain,
    url: string,
  ) {
    this.mainFrame = new Frame(url);
  }

  send(channel: string, ...args: unknown[]): void {
    const copy = structuredClone(args);
    this.sent.push({ channel, args: copy });
    for (const l of [...(this.listeners.get(channel) ?? [])]) l({ sender: 'ipcRenderer-event' }, ...copy);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The ipcRenderer seen by a frame of this window (the top frame unless told otherwise). */
  ipcRenderer(frame: FrameLike = this.mainFrame): IpcRendererLike & { listenerCount(channel: string): number } {
    return {
      invoke: (channel, ...args) => this.ipcMain.invoke(channel, { sender: { id: this.id }, senderFrame: frame }, args),
      on: (channel, listener) => {
        let set = this.listeners.get(channel);
        if (!set) this.listeners.set(channel, (set = new Set()));
        set.add(listener);
      },
      removeListener: (channel, listener) => {
        this.listeners.get(channel)?.delete(listener);
      },
      listenerCount: (channel) => this.listeners.get(channel)?.size ?? 0,
    };
  }
}

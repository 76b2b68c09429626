// A terminal as the UI sees it, whatever runs behind it: a shell in a container (Docker exec
// with a TTY) or a shell on this computer (node-pty).

export interface Terminal {
  readonly id: string;
  readonly title: string;
  /** Who the shell runs as, in words ("root", "uid 1000, the owner of your notebooks folder"). */
  readonly runsAs?: string;
  write(data: string): void;
  /** Resolves once the new size applies, so input sent after it sees the new size. */
  resize(cols: number, rows: number): Promise<void>;
  close(): void;
  onData(listener: (data: string) => void): void;
  /** Called once, when the shell ends or the container stops. */
  onExit(listener: (info: { code?: number; reason: string }) => void): void;
}

/** Collects output for a few milliseconds so a fast producer costs few messages, not one per chunk. */
export function batched(emit: (data: string) => void, delayMs = 4, maxBytes = 64 * 1024): {
  push(data: string): void;
  flush(): void;
} {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    const out = pending;
    pending = '';
    emit(out);
  };
  return {
    push(data) {
      pending += data;
      if (pending.length >= maxBytes) flush();
      else timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}

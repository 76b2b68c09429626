// The chunks of a followed stream (an attach), queued and handled in turns, with backpressure.
/**
 * A flood arrives as many chunks at once (an attach delivers megabytes in one read loop): they
 * are handled one per turn of the event loop, so API calls and other panels still get theirs.
 * The stream is paused only while more than MAX_QUEUED_BYTES wait (the engine itself cannot
 * keep up), never because a UI reads slowly.
 */
export class ChunkQueue {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private scheduled = false;
  /** Chunks received and handled so far, and who waits for the handled count to reach a number. */
  private received = 0;
  private handled = 0;
  private waiting: { upTo: number; resolve: () => void }[] = [];

  constructor(
    private readonly stream: NodeJS.ReadableStream,
    private readonly take: (chunk: Buffer) => void,
  ) {
    stream.on('data', (chunk: Buffer) => {
      this.received++;
      this.queue.push(chunk);
      this.queued += chunk.length;
      if (this.queued > MAX_QUEUED_BYTES) stream.pause();
      this.schedule();
    });
  }

  clear(): void {
    this.handled += this.queue.length;
    this.queue.length = 0;
    this.queued = 0;
    this.wake();
  }

  /** Resolves once every chunk received so far has been handled (not waiting for later ones: a flood never drains). */
  caughtUp(): Promise<void> {
    if (this.handled >= this.received) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ upTo: this.received, resolve }));
  }

  private wake(): void {
    if (!this.waiting.length) return;
    this.waiting = this.waiting.filter((w) => {
      if (this.handled < w.upTo) return true;
      w.resolve();
      return false;
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const chunk = this.queue.shift();
      if (chunk) {
        this.queued -= chunk.length;
        this.handled++;
        this.take(chunk);
        if (this.stream.isPaused() && this.queued <= MAX_QUEUED_BYTES / 2) this.stream.resume();
        this.wake();
      }
      if (this.queue.length) this.schedule();
    });
  }
}

const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

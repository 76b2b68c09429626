// One operation at a time per service, in the order asked; different services run concurrently.
// Two clients pressing buttons at once are serialized here, so the final state is the last ask.

export class ServiceQueues {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(service: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(service) ?? Promise.resolve();
    const next = previous.then(task, task);
    // Keep the chain alive whatever the task's outcome; callers see the outcome via `next`.
    const tail = next.catch(() => undefined);
    this.tails.set(service, tail);
    void tail.then(() => {
      if (this.tails.get(service) === tail) this.tails.delete(service);
    });
    return next;
  }

  busy(service: string): boolean {
    return this.tails.has(service);
  }

  /** Resolves when every queued operation has finished. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all(this.tails.values());
  }
}

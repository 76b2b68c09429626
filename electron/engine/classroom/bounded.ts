// A few at a time: starting 30 Jupyter servers at once thrashes 2 cores, so classroom work on
// many students runs through a small pool. Items are taken in order; one failing rejects the
// whole run only if its worker throws (callers that must go on catch per item).

/** Runs `work` on every item, at most `limit` at once; resolves when all are done. */
export async function runBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const size = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
}

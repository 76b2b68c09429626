// The size of a folder on this computer, counted file by file (lstat: links are not followed,
// so a link to / is a few bytes, not the disk). A notebooks folder holding a whole dataset is
// counted only up to a number of entries, then said to be "at least" that big, so the
// Overview never waits long.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

export const MAX_ENTRIES = 50_000;

/** Undefined when the folder does not exist (or is not a folder). */
export async function folderSize(folder: string, maxEntries = MAX_ENTRIES): Promise<{ bytes: number; truncated: boolean } | undefined> {
  const top = await lstat(folder).catch(() => undefined);
  if (!top?.isDirectory()) return undefined;
  let bytes = 0;
  let seen = 0;
  const queue = [folder];
  for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (++seen > maxEntries) return { bytes, truncated: true };
      const full = path.join(dir, e.name);
      if (e.isDirectory()) queue.push(full);
      else if (e.isFile()) bytes += (await lstat(full).catch(() => undefined))?.size ?? 0;
    }
  }
  return { bytes, truncated: false };
}

// The CLI's side of "work in progress is not lost to a restart": before stop, restart,
// reinstall, reset or down touches a notebook server with notebooks open or kernels running,
// it says what is open. The CLI cannot save a browser tab's notebook (only the panel's own
// notebook view can), so at a terminal it asks before going on; a script (no terminal, or
// --yes) is told and goes on, as before.
import { createInterface } from 'node:readline/promises';
import type { Environment } from '../engine/environment.js';
import { askOpenWork, type OpenWork } from '../engine/open-work/open-work.js';

/** The commands that end a notebook server's kernels (and its unsaved edits with them). */
export const WORK_ENDING_COMMANDS: ReadonlySet<string> = new Set(['stop', 'restart', 'reinstall', 'reset', 'down']);

/** The lines to print for one service, or none when nothing is open on it (or it is not known). */
export function openWorkLines(title: string, work: OpenWork): string[] {
  if (!work.known || (work.notebookCount === 0 && work.kernels === 0)) return [];
  const more = work.notebookCount - work.notebooks.length;
  return [
    `! ${title}: ${work.summary}`,
    ...work.notebooks.map((n) => `    ${n}`),
    ...(more > 0 ? [`    and ${more} more`] : []),
    `  Edits not yet saved in an open notebook are lost${work.kernels > 0 ? ', and every kernel loses its variables' : ''}: save them first (File › Save).`,
  ];
}

/** What is open on each web service the command touches (those running a Jupyter server that answers). */
export async function openWorkWarnings(env: Environment, service: string | undefined): Promise<string[]> {
  const names = service ? [service] : Object.keys(env.spec.services);
  const works = await Promise.all(names.map(async (n) => ({ title: env.spec.services[n]?.meta.title ?? n, work: await askOpenWork(env.webTarget(n)) })));
  return works.flatMap((w) => openWorkLines(w.title, w.work));
}

/**
 * Says what is open before a work-ending command; true: go on. At a terminal without --yes it
 * asks (default no); otherwise it goes on after saying it.
 */
export async function confirmOpenWork(
  lines: string[],
  options: { yes: boolean; interactive: boolean; ask?: (question: string) => Promise<string> },
): Promise<boolean> {
  if (!lines.length) return true;
  for (const l of lines) console.error(l);
  if (options.yes || !options.interactive) return true;
  const ask = options.ask ?? askAtTerminal;
  return /^y(es)?$/i.test((await ask('Go on anyway? [y/N] ')).trim());
}

async function askAtTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

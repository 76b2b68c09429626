// The desktop app's own command-line options, picked out of whatever else Electron and
// Chromium put on the command line (`--remote-debugging-port`, `--inspect`, the app path…).
export interface DesktopArgs {
  /** A course id, folder or Compose file: opened first (the panel reads it as `?course=`). */
  course?: string;
}

export function parseDesktopArgs(argv: readonly string[]): DesktopArgs {
  for (const [i, a] of argv.entries()) {
    const next = argv[i + 1];
    if (a === '--course' && next !== undefined && !next.startsWith('--')) return { course: next };
    if (a.startsWith('--course=') && a.length > '--course='.length) return { course: a.slice('--course='.length) };
  }
  return {};
}

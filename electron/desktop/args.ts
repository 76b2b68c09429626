// The desktop app's own command-line options, picked out of whatever else Electron and
// Chromium put on the command line (`--remote-debugging-port`, `--inspect`, the app path…).
export interface DesktopArgs {
  /** A course id, folder or Compose file: opened first (the panel reads it as `?course=`). */
  course?: string;
}

export function parseDesktopArgs(argv: readonly string[]): DesktopArgs {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--course' && i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) return { course: argv[i + 1]! };
    if (a.startsWith('--course=') && a.length > '--course='.length) return { course: a.slice('--course='.length) };
  }
  return {};
}

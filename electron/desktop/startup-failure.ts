// What the student sees when the desktop app cannot start: a native error dialog with the cause
// and the fix, in words, instead of nothing at all (issue #19: a throw during start-up left no
// window, no tray, and the single-instance lock held, so every relaunch was swallowed). The
// wording is decided here, as a pure function of the error and a few facts about the settings
// folder; main.ts shows it, releases the lock and exits (the sequence is `failStartup` below,
// written against a small interface so main-startup.test.ts drives it in memory).

export interface StartupFailure {
  /** The dialog's title. */
  title: string;
  /** The dialog's text: what went wrong, then "Fix: …". */
  content: string;
}

export interface StartupFacts {
  /** The settings folder (dataDir()). */
  settingsDir: string;
  platform: NodeJS.Platform;
  /** This process's user id (POSIX), and the owner of the path the error names, when known. */
  uid?: number;
  ownerUid?: number;
  /** Where the log is, to mention when nothing more specific can be said. */
  logHint?: string;
}

const TITLE = 'Coursedock cannot start';

const errno = (err: unknown): { code?: string; path?: string; message: string } => {
  const e = err as { code?: unknown; path?: unknown; message?: unknown } | null;
  return {
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    ...(typeof e?.path === 'string' ? { path: e.path } : {}),
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
};

const quote = (p: string, platform: NodeJS.Platform) => (platform === 'win32' ? `"${p}"` : `'${p.replace(/'/g, `'\\''`)}'`);

/** The dialog for a start-up error. */
export function describeStartupFailure(err: unknown, facts: StartupFacts): StartupFailure {
  const { code, path: at, message } = errno(err);
  const target = at ?? facts.settingsDir;
  const inSettings = target.startsWith(facts.settingsDir) || message.includes(facts.settingsDir);
  const what = inSettings ? (target.endsWith('.json') ? `its settings file ${target}` : `its settings folder ${target}`) : target;

  if (code === 'EACCES' || code === 'EPERM') {
    if (facts.platform === 'win32') {
      return {
        title: TITLE,
        content: `Coursedock cannot use ${what}: Windows refused access (${code}).\n\nFix: open the folder's Properties › Security and give your account Full control, or delete the folder ${facts.settingsDir} (your course data in Docker is not in it), then start Coursedock again.`,
      };
    }
    const byRoot = facts.ownerUid === 0 && facts.uid !== 0;
    const owner = byRoot ? 'it belongs to root (a command was probably run with sudo)' : 'this user may not read or write it';
    return {
      title: TITLE,
      content: `Coursedock cannot read or write ${what}: ${owner}.\n\nFix: in a terminal, run\n  sudo chown -R "$(id -u):$(id -g)" ${quote(facts.settingsDir, facts.platform)}\nthen start Coursedock again.`,
    };
  }
  if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR') {
    return {
      title: TITLE,
      content: `Coursedock cannot use ${what}: something of the wrong kind is in its place (${code}: a file where a folder should be, or a folder where a file should be).\n\nFix: move ${quote(target, facts.platform)} aside (rename it), then start Coursedock again; it makes a fresh one.`,
    };
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return {
      title: TITLE,
      content: `Coursedock cannot write ${what}: the disk is full.\n\nFix: free some space on the disk that holds ${facts.settingsDir}, then start Coursedock again.`,
    };
  }
  if (err instanceof SyntaxError && inSettings) {
    return {
      title: TITLE,
      content: `Coursedock cannot read ${what}: it is damaged (${message}).\n\nFix: move the file aside (rename it), then start Coursedock again; your settings start fresh and your course data in Docker is kept.`,
    };
  }
  return {
    title: TITLE,
    content: `Coursedock stopped while starting: ${message}\n\nFix: start it again. If this message comes back, restart the computer; if it still does, send this message${facts.logHint ? ` and ${facts.logHint}` : ''} to your course's help desk.`,
  };
}

/** What failStartup needs of Electron (app and dialog), so tests can drive it. */
export interface StartupFailureHost {
  showErrorBox(title: string, content: string): void;
  releaseSingleInstanceLock(): void;
  exit(code: number): void;
  log(message: string): void;
  /** Closes whatever start-up had already opened (engine, tray, IPC); errors here are logged. */
  cleanUp(): void;
}

/** Tells the student, releases the single-instance lock (a relaunch must start afresh) and exits. */
export function failStartup(err: unknown, facts: StartupFacts, host: StartupFailureHost): StartupFailure {
  const failure = describeStartupFailure(err, facts);
  host.log(`Could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  try {
    host.cleanUp();
  } catch (cleanUpError) {
    host.log(`Cleaning up after the failed start: ${String(cleanUpError)}`);
  }
  try {
    host.showErrorBox(failure.title, failure.content);
  } finally {
    host.releaseSingleInstanceLock();
    host.exit(1);
  }
  return failure;
}

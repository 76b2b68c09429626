// The panel's terminal sessions (see components/terminal/terminal-manager.ts), provided once
// above the detail view by <TerminalsProvider>.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { SessionView, TerminalManager } from '../components/terminal/terminal-manager.js';

export const TerminalsContext = createContext<TerminalManager | null>(null);

export function useTerminalManager(): TerminalManager {
  const m = useContext(TerminalsContext);
  if (!m) throw new Error('useTerminalManager() needs a <TerminalsProvider> above it');
  return m;
}

/** The sessions, re-rendering when any changes. */
export function useTerminalSessions(): { manager: TerminalManager; sessions: SessionView[] } {
  const manager = useTerminalManager();
  const sessions = useSyncExternalStore(manager.subscribe, manager.getSnapshot);
  return { manager, sessions };
}

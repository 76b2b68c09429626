// Keeps the terminal sessions for the panel's lifetime (above the detail view, so a terminal
// survives switching services and tabs).
import { useEffect, useState, type ReactNode } from 'react';
import { useClient } from '../../hooks/client-context.js';
import { TerminalsContext } from '../../hooks/use-terminals.js';
import { TerminalManager, type TermFactory } from './terminal-manager.js';
import { createLazyXterm, preloadXterm } from './lazy-xterm.js';

export function TerminalsProvider({ children, createTerm = createLazyXterm }: { children: ReactNode; createTerm?: TermFactory }) {
  const client = useClient();
  const [manager] = useState(() => new TerminalManager(client, createTerm));
  // xterm is loaded after the first paint, not with the first screen (lazy-xterm.ts).
  useEffect(() => {
    if (createTerm === createLazyXterm) void preloadXterm().catch(() => undefined);
  }, [createTerm]);
  useEffect(() => {
    manager.connect();
    return () => manager.dispose();
  }, [manager]);
  return <TerminalsContext.Provider value={manager}>{children}</TerminalsContext.Provider>;
}

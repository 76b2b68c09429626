// Keeps the terminal sessions for the panel's lifetime (above the detail view, so a terminal
// survives switching services and tabs).
import { useEffect, useState, type ReactNode } from 'react';
import { useClient } from '../../hooks/client-context.js';
import { TerminalsContext } from '../../hooks/use-terminals.js';
import { TerminalManager, type TermFactory } from './terminal-manager.js';
import { createXterm } from './xterm-handle.js';

export function TerminalsProvider({ children, createTerm = createXterm }: { children: ReactNode; createTerm?: TermFactory }) {
  const client = useClient();
  const [manager] = useState(() => new TerminalManager(client, createTerm));
  useEffect(() => {
    manager.connect();
    return () => manager.dispose();
  }, [manager]);
  return <TerminalsContext.Provider value={manager}>{children}</TerminalsContext.Provider>;
}

// The app's one set of contract calls made for a service or the course (useActions), provided
// once by App: a part of the panel deep in the detail view (the web UI tab's "Start it") shares
// the pending flags and errors of the header's and the detail view's buttons instead of keeping
// its own, so one service's call is disabled and reported in one place wherever it was pressed.
import { createContext, useContext, type ReactNode } from 'react';
import type { ActionsHook } from './use-actions.js';

const ActionsContext = createContext<ActionsHook | null>(null);

export function ActionsProvider({ actions, children }: { actions: ActionsHook; children: ReactNode }) {
  return <ActionsContext.Provider value={actions}>{children}</ActionsContext.Provider>;
}

export function useAppActions(): ActionsHook {
  const actions = useContext(ActionsContext);
  if (!actions) throw new Error('useAppActions() needs an <ActionsProvider> above it');
  return actions;
}

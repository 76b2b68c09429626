// Shows one session's emulator: re-attaches its element (the xterm is kept by the manager) and
// re-fits on resize (ResizeObserver and window resize, debounced).
import { useEffect, useRef } from 'react';
import { useTerminalManager } from '../../hooks/use-terminals.js';

export const FIT_DEBOUNCE_MS = 80;

export function TerminalView({ sessionKey }: { sessionKey: string }) {
  const manager = useTerminalManager();
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    manager.attach(sessionKey, el);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refit = () => {
      clearTimeout(timer);
      timer = setTimeout(() => manager.fit(sessionKey), FIT_DEBOUNCE_MS);
    };
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(refit) : undefined;
    ro?.observe(el);
    window.addEventListener('resize', refit);
    return () => {
      clearTimeout(timer);
      ro?.disconnect();
      window.removeEventListener('resize', refit);
      manager.detach(sessionKey, el);
    };
  }, [manager, sessionKey]);
  // A click on the margin around the emulator focuses it: a mouse shortcut, not a control of its
  // own (the keyboard reaches the emulator by Tab), hence presentation.
  return <div className="terminal-view" role="presentation" ref={host} data-testid="terminal-view" onClick={() => manager.focus(sessionKey)} />;
}

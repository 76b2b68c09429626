// Notices as toasts, bottom right: dismissible, announced politely to screen readers.
import type { Toast } from '../hooks/use-toasts.js';
import { AlertIcon, CloseIcon, InfoIcon } from './icons.js';

interface Props {
  toasts: Toast[];
  onDismiss: (id: number) => void;
  /** Service name → title, to say which service a notice is about. */
  titles?: Record<string, string>;
}

export function Toasts({ toasts, onDismiss, titles = {} }: Props) {
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast--${t.level}`} role={t.level === 'error' ? 'alert' : 'status'}>
          <span className="toast__icon">{t.level === 'info' ? <InfoIcon /> : <AlertIcon />}</span>
          <div className="toast__body">
            {t.service && <div className="toast__service">{titles[t.service] ?? t.service}</div>}
            <div className="toast__message">{t.message}</div>
          </div>
          <button type="button" className="btn btn--ghost btn--icon toast__close" aria-label="Dismiss notification" onClick={() => onDismiss(t.id)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </section>
  );
}

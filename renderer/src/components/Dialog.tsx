// A modal dialog: labelled, focus moved in (and back out when closed), Tab kept inside,
// Escape or a click on the backdrop closes it.
import { useEffect, useEffectEvent, useId, useRef, type ReactNode } from 'react';
import { CloseIcon } from './icons.js';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  tone?: 'default' | 'danger';
  /** Element to focus first (default: the first focusable one in the body). */
  initialFocus?: React.RefObject<HTMLElement | null>;
  className?: string;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({ title, onClose, children, footer, tone = 'default', initialFocus, className }: Props) {
  const titleId = useId();
  const panel = useRef<HTMLDialogElement>(null);
  // Read when the dialog opens, not a reason to move focus again when it changes.
  const firstToFocus = useEffectEvent(
    () => initialFocus?.current ?? panel.current?.querySelector<HTMLElement>(`.dialog__body ${FOCUSABLE}`) ?? panel.current,
  );

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    firstToFocus()?.focus();
    return () => before?.focus();
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !panel.current) return;
    const items = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const firstItem = items[0];
    const lastItem = items.at(-1);
    if (!firstItem || !lastItem) return;
    if (e.shiftKey && document.activeElement === firstItem) {
      e.preventDefault();
      lastItem.focus();
    } else if (!e.shiftKey && document.activeElement === lastItem) {
      e.preventDefault();
      firstItem.focus();
    }
  };

  return (
    // A click beside the dialog is a mouse shortcut for Close/Escape, not a control of its own.
    <div className="dialog-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      {/* `open`, not showModal(): the backdrop, focus and Escape are handled here, in every shell and in jsdom. */}
      <dialog
        ref={panel}
        open
        className={`dialog dialog--${tone}${className ? ` ${className}` : ''}`}
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="dialog__header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="btn btn--ghost btn--icon" aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        {/* Focusable so a long body (check results, a support bundle's contents) scrolls from the keyboard. */}
        <div className="dialog__body" role="region" aria-labelledby={titleId} tabIndex={0}>
          {children}
        </div>
        {footer && <footer className="dialog__footer">{footer}</footer>}
      </dialog>
    </div>
  );
}

// Copies text (or what `get` fetches, e.g. a password not shown) and says so for a moment.
import { useEffect, useRef, useState } from 'react';
import { CheckIcon, CopyIcon } from './icons.js';

/**
 * Every shell serves the panel from a secure context (the desktop app, loopback, or a classroom
 * behind HTTPS), so the async clipboard API is there and no execCommand fallback (deprecated) is
 * needed. A refusal is thrown for the caller to say.
 */
export async function copyText(text: string): Promise<void> {
  const clipboard = (navigator as { clipboard?: Clipboard }).clipboard;
  if (!clipboard) throw new Error('This page may not use the clipboard: select the text and copy it with Ctrl+C (⌘C on a Mac).');
  await clipboard.writeText(text);
}

interface Props {
  /** Accessible name, e.g. "Copy host". */
  label: string;
  text?: string;
  get?: () => Promise<string>;
  showText?: boolean;
  onError?: (message: string) => void;
}

export function CopyButton({ label, text, get, showText = false, onError }: Props) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    try {
      await copyText(get ? await get() : (text ?? ''));
      setCopied(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 1500);
    } catch (err) {
      onError?.(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <button type="button" className={`btn btn--ghost btn--icon${showText ? ' btn--with-text' : ''}`} aria-label={label} title={label} onClick={() => void copy()}>
      {copied ? <CheckIcon /> : <CopyIcon />}
      {showText && <span>{copied ? 'Copied' : 'Copy'}</span>}
      <span className="visually-hidden" aria-live="polite">
        {copied ? 'Copied' : ''}
      </span>
    </button>
  );
}

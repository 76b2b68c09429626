// Copies text (or what `get` fetches, e.g. a password not shown) and says so for a moment.
import { useEffect, useRef, useState } from 'react';
import { CheckIcon, CopyIcon } from './icons.js';

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // No clipboard API (or no permission): the old way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    document.execCommand('copy');
  } finally {
    area.remove();
  }
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

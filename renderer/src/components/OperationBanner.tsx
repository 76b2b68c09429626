// What the engine is doing to a service right now, e.g. "Reinstalling — building the image".
import { useEffect, useState } from 'react';
import { operationText } from '../lib/status.js';
import type { ServiceState } from '../lib/types.js';
import { Spinner } from './icons.js';

export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function OperationBanner({ operation }: { operation: NonNullable<ServiceState['operation']> }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <div className="operation" role="status" data-testid="operation">
      <Spinner />
      <span className="operation__text">{operationText(operation)}</span>
      <span className="operation__time">{elapsed(now - operation.startedAt)}</span>
    </div>
  );
}

// Published ports as a student types them: "127.0.0.1:8352", and "(8351 was busy)" when
// Coursedock had to pick another port than the course asked for. With `pin`, each port can be
// pinned: Coursedock then keeps that host port for it (instead of going back to the course's
// port once it is free again), from the service's next start; "Choose…" pins a port the student
// prefers (typed in), likewise used from the next start (Restart).
import { useEffect, useRef, useState } from 'react';
import { useClient } from '../hooks/client-context.js';
import type { PublishedPort, Settings } from '../lib/types.js';

export function portAddress(p: Pick<PublishedPort, 'hostIp' | 'hostPort'>): string {
  const ip = p.hostIp === '0.0.0.0' || p.hostIp === '' ? '127.0.0.1' : p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
  return `${ip}:${p.hostPort}`;
}

const portKey = (p: Pick<PublishedPort, 'target' | 'protocol'>): string => `${p.target}/${p.protocol}`;

interface PinTarget {
  project: string;
  service: string;
}

const pinIn = (s: Settings, t: PinTarget, key: string): number | undefined => s.environments[t.project]?.portPins?.[t.service]?.[key];

export function PortList({ ports, showTarget = false, pin }: { ports: PublishedPort[]; showTarget?: boolean; pin?: PinTarget }) {
  if (!ports.length) return null;
  return (
    <ul className="ports" aria-label="Published ports">
      {ports.map((p) => (
        <li key={portKey(p)} className="port">
          <PortAddress port={p} showTarget={showTarget} />
          {pin && <PortPin target={pin} port={p} />}
        </li>
      ))}
    </ul>
  );
}

/** The ports as words, for inside a button (a service's row), where neither a list nor a pin may go. */
export function PortWords({ ports }: { ports: PublishedPort[] }) {
  return (
    <span className="ports">
      {ports.map((p) => (
        <span key={portKey(p)} className="port">
          <PortAddress port={p} showTarget={false} />
        </span>
      ))}
    </span>
  );
}

function PortAddress({ port: p, showTarget }: { port: PublishedPort; showTarget: boolean }) {
  return (
    <>
      <span className="port__address">{portAddress(p)}</span>
      {showTarget && <span className="port__target"> → {p.target}{p.protocol === 'udp' ? '/udp' : ''}</span>}
      {p.requested !== undefined && p.requested !== p.hostPort && (
        <span className="port__moved" title={`Port ${p.requested} was in use by another program, so Coursedock uses ${p.hostPort}.`}>
          {' '}
          ({p.requested} was busy)
        </span>
      )}
    </>
  );
}

/** The pin of one port, read from and saved to the settings (settings.get / settings.set portPin). */
function PortPin({ target, port }: { target: PinTarget; port: PublishedPort }) {
  const client = useClient();
  const [pinned, setPinned] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [choosing, setChoosing] = useState(false);
  const [typed, setTyped] = useState('');
  const typedInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (choosing) typedInput.current?.focus();
  }, [choosing]);
  const key = portKey(port);
  const { project, service } = target;

  useEffect(() => {
    let live = true;
    client
      .call('settings.get', {})
      .then((s) => live && setPinned(pinIn(s, { project, service }, key)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, project, service, key]);

  const pinTo = async (hostPort: number | null) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await client.call('settings.set', { portPin: { project, service, port: key, hostPort } });
      setPinned(pinIn(saved, target, key));
      setChoosing(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const toggle = () => pinTo(pinned === undefined ? port.hostPort : null);
  const choose = () => {
    const n = Number(typed.trim());
    if (!/^\d+$/.test(typed.trim()) || n < 1024 || n > 65535) {
      setError('A port is a whole number from 1024 to 65535.');
      return;
    }
    void pinTo(n);
  };

  const label = pinned === undefined ? 'Pin' : `Pinned to ${pinned}`;
  const title =
    pinned === undefined
      ? `Keep ${port.hostPort} for this port from the next start, even when ${port.requested ?? port.target} is free again.`
      : `Coursedock uses ${pinned} for this port. Click to unpin: the course's port is used again when it is free.`;
  return (
    <>
      {' '}
      <button type="button" className="btn btn--small btn--ghost port__pin" aria-pressed={pinned !== undefined} title={title} disabled={busy} onClick={() => void toggle()}>
        {label}
      </button>
      {pinned === undefined && !choosing && (
        <>
          {' '}
          <button
            type="button"
            className="btn btn--small btn--ghost port__choose"
            title={`Choose the host port for ${port.target}${port.protocol === 'udp' ? '/udp' : ''}: used from the service's next start.`}
            onClick={() => {
              setTyped(String(port.hostPort));
              setChoosing(true);
            }}
          >
            Choose…
          </button>
        </>
      )}
      {choosing && (
        <form
          className="port__choose-form"
          onSubmit={(e) => {
            e.preventDefault();
            choose();
          }}
        >
          {' '}
          <input
            className="input input--small"
            inputMode="numeric"
            aria-label={`Preferred port for ${port.target}${port.protocol === 'udp' ? '/udp' : ''}`}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            size={6}
            ref={typedInput}
          />{' '}
          <button type="submit" className="btn btn--small" disabled={busy}>
            Use this port
          </button>{' '}
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setChoosing(false)}>
            Cancel
          </button>
        </form>
      )}
      {error && (
        <span className="inline-error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </>
  );
}

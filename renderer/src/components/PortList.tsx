// Published ports as a student types them: "127.0.0.1:8352", and "(8351 was busy)" when
// Coursedock had to pick another port than the course asked for.
import type { PublishedPort } from '../lib/types.js';

export function portAddress(p: Pick<PublishedPort, 'hostIp' | 'hostPort'>): string {
  const ip = p.hostIp === '0.0.0.0' || p.hostIp === '' ? '127.0.0.1' : p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
  return `${ip}:${p.hostPort}`;
}

export function PortList({ ports, showTarget = false }: { ports: PublishedPort[]; showTarget?: boolean }) {
  if (!ports.length) return null;
  return (
    <ul className="ports" aria-label="Published ports">
      {ports.map((p) => (
        <li key={`${p.target}/${p.protocol}`} className="port">
          <span className="port__address">{portAddress(p)}</span>
          {showTarget && <span className="port__target"> → {p.target}{p.protocol === 'udp' ? '/udp' : ''}</span>}
          {p.requested !== undefined && p.requested !== p.hostPort && (
            <span className="port__moved" title={`Port ${p.requested} was in use by another program, so Coursedock uses ${p.hostPort}.`}>
              {' '}
              ({p.requested} was busy)
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

// The left column: one row per service, in the spec's order; arrows move between rows.
import type { ServiceInfo, ServiceState } from '../lib/types.js';
import { ServiceRow } from './ServiceRow.js';

interface Props {
  services: ServiceInfo[];
  states: Record<string, ServiceState>;
  selected: string | undefined;
  onSelect: (name: string) => void;
}

export function ServiceList({ services, states, selected, onSelect }: Props) {
  const move = (e: React.KeyboardEvent<HTMLButtonElement>) => {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    const edge = e.key === 'Home' ? 'first' : e.key === 'End' ? 'last' : undefined;
    if (!step && !edge) return;
    e.preventDefault();
    const rows = [...(e.currentTarget.closest('ul')?.querySelectorAll<HTMLButtonElement>('.service-row') ?? [])];
    const i = rows.indexOf(e.currentTarget);
    const next = edge === 'first' ? rows[0] : edge === 'last' ? rows[rows.length - 1] : rows[i + step];
    next?.focus();
  };
  return (
    <nav className="sidebar" aria-label="Services">
      <h2 className="sidebar__title">Services</h2>
      <ul role="list" className="service-list" aria-label="Services">
        {services.map((s) => (
          <ServiceRow
            key={s.name}
            service={s}
            state={states[s.name]}
            selected={s.name === selected}
            onSelect={() => onSelect(s.name)}
            onKeyNav={move}
          />
        ))}
      </ul>
    </nav>
  );
}

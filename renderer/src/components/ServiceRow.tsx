// One service in the list: icon, title, state badge, ports, and what it is busy with.
import { operationText } from '../lib/status.js';
import type { ServiceInfo, ServiceState } from '../lib/types.js';
import { AlertIcon, Spinner } from './icons.js';
import { PortWords } from './PortList.js';
import { ServiceIcon } from './ServiceIcon.js';
import { StateBadge } from './StateBadge.js';

interface Props {
  service: ServiceInfo;
  state: ServiceState | undefined;
  selected: boolean;
  onSelect: () => void;
  onKeyNav: (e: React.KeyboardEvent<HTMLButtonElement>) => void;
}

export function ServiceRow({ service, state, selected, onSelect, onKeyNav }: Props) {
  const problem = state && !state.operation && (state.unavailable || state.lastError);
  // The row is a button (Enter and Space select it; the arrows move between rows), so what it
  // holds is phrasing content: spans, and the ports as words rather than a list.
  return (
    <li role="listitem" className="service-list__item" aria-label={service.title} data-service={service.name}>
      <button
        type="button"
        className={`service-row${selected ? ' is-selected' : ''}`}
        aria-current={selected ? 'true' : undefined}
        onClick={onSelect}
        onKeyDown={onKeyNav}
      >
        <ServiceIcon icon={service.icon} />
        <span className="service-row__main">
          <span className="service-row__title">
            <span className="service-row__name">{service.title}</span>
            {problem && (
              <span className="service-row__problem" title={state.lastError}>
                <AlertIcon />
              </span>
            )}
          </span>
          <StateBadge state={state} />
          {state?.operation ? (
            <span className="service-row__operation">
              <Spinner /> {operationText(state.operation)}
            </span>
          ) : (
            state && state.ports.length > 0 && <PortWords ports={state.ports} />
          )}
        </span>
      </button>
    </li>
  );
}

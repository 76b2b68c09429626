// One service in the list: icon, title, state badge, ports, and what it is busy with.
import { operationText } from '../lib/status.js';
import type { ServiceInfo, ServiceState } from '../lib/types.js';
import { AlertIcon, Spinner } from './icons.js';
import { PortList } from './PortList.js';
import { ServiceIcon } from './ServiceIcon.js';
import { StateBadge } from './StateBadge.js';

interface Props {
  service: ServiceInfo;
  state: ServiceState | undefined;
  selected: boolean;
  onSelect: () => void;
  onKeyNav: (e: React.KeyboardEvent<HTMLLIElement>) => void;
}

export function ServiceRow({ service, state, selected, onSelect, onKeyNav }: Props) {
  const problem = state && !state.operation && (state.unavailable || state.lastError);
  return (
    <li
      role="listitem"
      className={`service-row${selected ? ' is-selected' : ''}`}
      tabIndex={0}
      aria-current={selected ? 'true' : undefined}
      aria-label={service.title}
      data-service={service.name}
      onClick={onSelect}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect();
        } else onKeyNav(e);
      }}
    >
      <ServiceIcon icon={service.icon} />
      <div className="service-row__main">
        <div className="service-row__title">
          <span className="service-row__name">{service.title}</span>
          {problem && (
            <span className="service-row__problem" title={state.lastError}>
              <AlertIcon />
            </span>
          )}
        </div>
        <StateBadge state={state} />
        {state?.operation ? (
          <div className="service-row__operation">
            <Spinner /> {operationText(state.operation)}
          </div>
        ) : (
          state && state.ports.length > 0 && <PortList ports={state.ports} />
        )}
      </div>
    </li>
  );
}

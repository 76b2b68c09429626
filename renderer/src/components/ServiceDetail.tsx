// The right-hand side: the selected service's header, actions, what it is doing, its problems,
// and its tabs (Overview, Logs, Connection, and the slot for Terminal and Notebook).
import { maskUrl } from '../lib/format.js';
import type { ServiceInfo, ServiceState } from '../lib/types.js';
import { ConnectionTab } from './ConnectionTab.js';
import { ExternalIcon } from './icons.js';
import { LogView } from './LogView.js';
import { useOpenServicePage } from './notebook/web-view.js';
import { OperationBanner } from './OperationBanner.js';
import { ProgressView } from './ProgressView.js';
import { ServiceActions, type ServiceAction } from './ServiceActions.js';
import { ServiceIcon } from './ServiceIcon.js';
import { ServiceProblem } from './ServiceProblem.js';
import { StateBadge } from './StateBadge.js';
import { extraTabs } from './tabs/extra-tabs.js';
import { OverviewTab } from './tabs/OverviewTab.js';
import type { DetailTab } from './tabs/tab-types.js';
import { Tabs } from './tabs/Tabs.js';

interface Props {
  project: string;
  service: ServiceInfo;
  state: ServiceState | undefined;
  titles: Record<string, string>;
  tab: string;
  onTab: (id: string) => void;
  pending: boolean;
  callError: string | undefined;
  onDismissCallError: () => void;
  onAction: (action: ServiceAction) => void;
  connectionEpoch: number;
}

/** "Open in browser": a one-time URL on the service's own origin, asked for on each click. */
function OpenInBrowser({ project, service, enabled }: { project: string; service: ServiceInfo; enabled: boolean }) {
  const page = useOpenServicePage(project, service.name);
  return (
    <>
      <button
        type="button"
        className="btn btn--primary"
        disabled={!enabled}
        onClick={page.open}
        title={enabled ? undefined : `Start ${service.title} to open it`}
      >
        <ExternalIcon /> <span>Open in browser</span>
      </button>
      {page.error && (
        <span className="detail__web-error" role="alert">
          {page.error}
        </span>
      )}
    </>
  );
}

export function ServiceDetail(props: Props) {
  const { project, service, state, titles, tab, onTab, pending, callError, onAction, connectionEpoch } = props;
  const progress = state?.progress;
  // While an operation runs; afterwards only a failure is worth keeping on screen (and an
  // unavailable service already says why in words).
  const showProgress = !!progress && (!!state.operation || (!!progress.error && !state.unavailable));
  const ctx = { project, service, state, connectionEpoch };
  const connection = service.connection;
  const tabs: DetailTab[] = [
    { id: 'overview', label: 'Overview', render: () => <OverviewTab service={service} state={state} titles={titles} project={project} /> },
    {
      id: 'logs',
      label: 'Logs',
      render: () => (
        <LogView
          key={service.name}
          project={project}
          service={service.name}
          title={service.title}
          generation={`${connectionEpoch}:${state?.containerId ?? ''}:${state?.startedAt ?? ''}`}
        />
      ),
    },
    ...(connection
      ? [
          {
            id: 'connection',
            label: 'Connection',
            render: () => <ConnectionTab key={service.name} project={project} service={{ ...service, connection }} state={state} />,
          },
        ]
      : []),
    // Slot: Terminal and Notebook tabs (see tabs/extra-tabs.tsx).
    ...extraTabs(ctx),
  ];

  return (
    <section className="detail" aria-labelledby="detail-title" data-service={service.name}>
      <header className="detail__header">
        <ServiceIcon icon={service.icon} size="lg" />
        <div className="detail__heading">
          <div className="detail__title-row">
            <h2 id="detail-title">{service.title}</h2>
            <StateBadge state={state} />
          </div>
          {service.description && <p className="detail__description">{service.description}</p>}
        </div>
        {service.hasWebUi && (
          <div className="detail__web">
            <OpenInBrowser project={project} service={service} enabled={!!state?.webUrl} />
            {state?.webUrl && (
              <code className="detail__url" data-testid="web-url">
                {maskUrl(state.webUrl)}
              </code>
            )}
          </div>
        )}
      </header>

      <ServiceActions state={state} pending={pending} onAction={onAction} />
      {state?.operation && <OperationBanner operation={state.operation} />}
      {showProgress && <ProgressView progress={progress} />}
      <ServiceProblem
        service={service}
        state={state}
        callError={callError}
        onShowLogs={() => onTab('logs')}
        onDismissCallError={props.onDismissCallError}
      />
      <Tabs tabs={tabs} selected={tabs.some((t) => t.id === tab) ? tab : 'overview'} onSelect={onTab} label={`${service.title} details`} />
    </section>
  );
}

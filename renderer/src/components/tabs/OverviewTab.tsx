// The facts about a service: state, ports, where its data lives, what it needs.
import { maskUrl } from '../../lib/format.js';
import { statusView } from '../../lib/status.js';
import type { ServiceInfo, ServiceState } from '../../lib/types.js';
import { PortList } from '../PortList.js';
import { StudentData } from '../StudentData.js';

interface Props {
  service: ServiceInfo;
  state: ServiceState | undefined;
  titles: Record<string, string>;
  /** Lets the student pin the service's ports (PortList). */
  project?: string;
}

export function OverviewTab({ service, state, titles, project }: Props) {
  const view = state ? statusView(state) : undefined;
  return (
    <dl className="facts">
      <div>
        <dt>Status</dt>
        <dd>
          {view ? `${view.label}${view.detail ? ` (${view.detail})` : ''}` : 'Unknown'}
          {state?.startedAt && isRunningStatus(state) && <span className="muted"> · since {formatTime(state.startedAt)}</span>}
        </dd>
      </div>
      <div>
        <dt>Ports</dt>
        <dd>{state?.ports.length ? <PortList ports={state.ports} showTarget {...(project ? { pin: { project, service: service.name } } : {})} /> : <span className="muted">None published{state?.status === 'missing' || state?.status === 'stopped' ? ' while stopped' : ''}</span>}</dd>
      </div>
      {service.hasWebUi && (
        <div>
          <dt>Web page</dt>
          <dd>{state?.webUrl ? <code>{maskUrl(state.webUrl)}</code> : <span className="muted">Available while running</span>}</dd>
        </div>
      )}
      <div>
        <dt>Data</dt>
        <dd>
          {project ? (
            <StudentData project={project} service={service.name} generation={state?.containerId ?? ''} />
          ) : service.resetVolumes.length ? (
            <>
              Kept in {service.resetVolumes.map((v, i) => <code key={v}>{i ? ', ' : ''}{v}</code>)} — survives Stop, Restart and
              Reinstall; only Reset deletes it.
            </>
          ) : (
            <span className="muted">No data volumes</span>
          )}
        </dd>
      </div>
      {service.dependsOn.length > 0 && (
        <div>
          <dt>Needs</dt>
          <dd>{service.dependsOn.map((d) => titles[d] ?? d).join(', ')} (started first)</dd>
        </div>
      )}
      {state?.containerId && (
        <div>
          <dt>Container</dt>
          <dd>
            <code>{state.containerId.slice(0, 12)}</code>
          </dd>
        </div>
      )}
    </dl>
  );
}

const isRunningStatus = (s: ServiceState) => ['running', 'healthy', 'unhealthy', 'starting'].includes(s.status);

function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString();
}

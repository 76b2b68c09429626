// The panel: header, then either the Docker screen or the service list and detail; toasts and
// dialogs on top. All state comes from the engine through the client; nothing is polled.
import { useCallback, useMemo, useState } from 'react';
import type { ApiCallError } from '../api/transport.js';
import { ActionsProvider } from '../hooks/actions-context.js';
import { useActions } from '../hooks/use-actions.js';
import { useConnection } from '../hooks/use-connection.js';
import { useCourses } from '../hooks/use-courses.js';
import { useDockerStatus } from '../hooks/use-docker-status.js';
import { useEnvironment } from '../hooks/use-environment.js';
import { useToasts } from '../hooks/use-toasts.js';
import type { ServiceState } from '../lib/types.js';
import { AppHeader } from './AppHeader.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { DockerUnreachable } from './DockerUnreachable.js';
import { Spinner } from './icons.js';
import { ResetDialog } from './ResetDialog.js';
import { OpenWorkDialog, type SavedAction } from './OpenWorkDialog.js';
import { useSaveFirst } from '../hooks/use-save-first.js';
import type { OpenWork } from '../lib/types.js';
import type { ServiceAction } from './ServiceActions.js';
import { ServiceDetail } from './ServiceDetail.js';
import { ServiceList } from './ServiceList.js';
import { SettingsDialog } from './SettingsDialog.js';
import { CheckDialog } from './CheckDialog.js';
import { SupportBundleDialog } from './SupportBundleDialog.js';
import { InstallCourseDialog } from './InstallCourseDialog.js';
import { SpecNotice } from './SpecNotice.js';
import { ProfileSwitch } from './ProfileSwitch.js';
import { DataLocationQuestions } from './DataLocationQuestions.js';
import { Toasts } from './Toasts.js';
import { TerminalsProvider } from './terminal/TerminalsProvider.js';
import { isRunning } from '../lib/status.js';

export function App() {
  const connection = useConnection();
  const docker = useDockerStatus(connection.epoch);
  const dockerUp = docker.status.state === 'connected';
  const ready = connection.epoch > 0;
  // Courses installed from a file since the panel opened: the list is read again after each.
  const [installs, setInstalls] = useState(0);
  const [installOpen, setInstallOpen] = useState(false);
  const { courses, course, choose, error: coursesError } = useCourses(ready, connection.epoch + installs);
  const reportError = docker.reportError;
  // Opened once the courses on offer are known (a remembered course may be gone) and Docker answers.
  const env = useEnvironment(course, ready && dockerUp && courses !== undefined, `${connection.epoch}:${docker.connectedEpoch}`, reportError);
  const toasts = useToasts(env.info?.project);
  const onCallError = useCallback((e: ApiCallError) => reportError(e), [reportError]);
  const actions = useActions(onCallError);

  const [chosen, setSelected] = useState<string>();
  const [tab, setTab] = useState('overview');
  const [resetting, setResetting] = useState<string>();
  // What is open on the notebook server, said before Stop/Restart/Reinstall/Reset (use-save-first.ts).
  const [asking, setAsking] = useState<{ action: SavedAction; service: string; work: OpenWork }>();
  const [resetWork, setResetWork] = useState<OpenWork>();
  const saveFirst = useSaveFirst();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [checkOpen, setCheckOpen] = useState(false);
  const [bundleOpen, setBundleOpen] = useState(false);

  const info = env.info;
  const services = useMemo(() => info?.services ?? [], [info]);
  // The service the student chose, or the first while none is (or the chosen one left the course).
  const selected = services.some((s) => s.name === chosen) ? chosen : services[0]?.name;

  const titles = useMemo(() => Object.fromEntries(services.map((s) => [s.name, s.title])), [services]);
  const stateList = useMemo(
    () => services.map((s) => env.states[s.name]).filter((s): s is ServiceState => !!s),
    [services, env.states],
  );
  const service = services.find((s) => s.name === selected);
  const project = info?.project;

  const saveThen = async (name: string, then: () => Promise<unknown>) => {
    if (!project) return;
    const words = await saveFirst.saveFirst(project, name);
    if (words) toasts.push({ level: 'info', message: words });
    await then();
  };

  const onAction = async (action: ServiceAction) => {
    if (!project || !service) return;
    const ref = { project, service: service.name };
    if (action === 'start') {
      void actions.run(service.name, 'service.start', ref);
      return;
    }
    const work = await saveFirst.openWork(project, service);
    if (action === 'reset') {
      setResetWork(work);
      setResetting(service.name);
      return;
    }
    if (work) setAsking({ action, service: service.name, work });
    else await saveThen(service.name, () => actions.run(service.name, `service.${action}`, ref));
  };

  const confirmAsked = async () => {
    if (!project || !asking) return;
    const { action, service: name } = asking;
    setAsking(undefined);
    await saveThen(name, () => actions.run(name, `service.${action}`, { project, service: name }));
  };

  const confirmReset = () => {
    if (!project || !resetting) return;
    const name = resetting;
    setResetting(undefined);
    setResetWork(undefined);
    void saveThen(name, () => actions.run(name, 'service.reset', { project, service: name, confirm: true }));
  };

  const unreachable = docker.status.state === 'unreachable' ? docker.status : undefined;
  const resetService = services.find((s) => s.name === resetting);
  const askedService = services.find((s) => s.name === asking?.service);

  return (
    <ActionsProvider actions={actions}>
    <TerminalsProvider>
    <div className="app">
      <AppHeader
        courses={courses}
        course={course}
        onCourse={choose}
        info={info}
        states={stateList}
        busy={{ up: !!actions.pending['env.up'], down: !!actions.pending['env.down'] }}
        disabled={!project || !dockerUp}
        dockerDown={docker.status.state === 'unreachable'}
        onStartAll={() => project && void actions.run('env.up', 'env.up', { project })}
        onStopAll={() => project && void actions.run('env.down', 'env.down', { project })}
        onSettings={() => setSettingsOpen(true)}
        onCheck={() => setCheckOpen(true)}
        onSupportBundle={() => setBundleOpen(true)}
        onInstallCourse={() => setInstallOpen(true)}
      />
      <ConnectionBanner state={connection.state} everOpen={connection.epoch > 0} />
      {project && info.dataLocationQuestions?.length ? (
        <DataLocationQuestions project={project} questions={info.dataLocationQuestions} onSwitched={env.reopen} />
      ) : null}
      {/* The spec's warnings (ignored keys, ports moved to 127.0.0.1, allowed host folders), with why. */}
      {info && !unreachable && <SpecNotice warnings={info.warnings} file={info.file} />}
      {info && !unreachable && info.profiles?.length ? <ProfileSwitch project={info.project} profiles={info.profiles} onChanged={env.reopen} /> : null}
      {(actions.errors['env.up'] || actions.errors['env.down']) && (
        <div className="banner banner--error" role="alert">
          <span>{actions.errors['env.up'] ?? actions.errors['env.down']}</span>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            onClick={() => {
              actions.clear('env.up');
              actions.clear('env.down');
            }}
          >
            Dismiss
          </button>
        </div>
      )}
      {unreachable ? (
        <DockerUnreachable status={unreachable} checking={docker.checking} onRetry={docker.retry} onSettings={() => setSettingsOpen(true)} />
      ) : (
        <Body
          ready={ready}
          dockerConnecting={docker.status.state === 'connecting'}
          loading={env.loading}
          error={env.error ?? coursesError}
          noCourses={!!courses && courses.length === 0 && !course}
          onRetry={env.reopen}
        >
          {info && (
            <main className="workspace">
              <ServiceList services={services} states={env.states} selected={selected} onSelect={setSelected} />
              {service && project ? (
                <ServiceDetail
                  project={project}
                  service={service}
                  state={env.states[service.name]}
                  titles={titles}
                  tab={tab}
                  onTab={setTab}
                  pending={!!actions.pending[service.name]}
                  callError={actions.errors[service.name]}
                  onDismissCallError={() => actions.clear(service.name)}
                  onAction={(a) => void onAction(a)}
                  connectionEpoch={connection.epoch}
                />
              ) : (
                <section className="detail detail--empty">Select a service.</section>
              )}
            </main>
          )}
        </Body>
      )}
      <Toasts toasts={toasts.toasts} onDismiss={toasts.dismiss} titles={titles} />
      {resetService && <ResetDialog service={resetService} openWork={resetWork} onConfirm={confirmReset} onCancel={() => setResetting(undefined)} />}
      {asking && askedService && (
        <OpenWorkDialog
          action={asking.action}
          service={askedService}
          work={asking.work}
          onConfirm={confirmAsked}
          onCancel={() => setAsking(undefined)}
        />
      )}
      {checkOpen && project && <CheckDialog key={project} project={project} onClose={() => setCheckOpen(false)} />}
      {bundleOpen && project && <SupportBundleDialog project={project} onClose={() => setBundleOpen(false)} />}
      {installOpen && (
        <InstallCourseDialog
          onClose={() => setInstallOpen(false)}
          onInstalled={(id) => {
            setInstalls((n) => n + 1);
            choose(id);
          }}
        />
      )}
      {settingsOpen && (
        <SettingsDialog
          project={project}
          hasNotebooksFolder={!!info?.variables.some((v) => v.kind === 'folder')}
          running={services.filter((s) => isRunning(env.states[s.name])).map((s) => ({ name: s.name, title: s.title }))}
          onRestart={(name) => saveThen(name, () => project ? actions.run(name, 'service.restart', { project, service: name }) : Promise.resolve())}
          onClose={() => setSettingsOpen(false)}
          onSaved={(_s, changed) => {
            if (changed.folder) {
              toasts.push({ level: 'info', message: 'Notebooks folder saved. It is used the next time the notebook server starts.' });
              env.reopen();
            }
            if (changed.endpoint) {
              toasts.push({ level: 'info', message: 'Docker endpoint saved. Coursedock uses it the next time it connects to Docker.' });
              docker.retry();
            }
          }}
        />
      )}
    </div>
    </TerminalsProvider>
    </ActionsProvider>
  );
}

interface BodyProps {
  ready: boolean;
  dockerConnecting: boolean;
  loading: boolean;
  error: ApiCallError | undefined;
  noCourses: boolean;
  onRetry: () => void;
  children: React.ReactNode;
}

/** Whatever stands in for the workspace while there is none: never a blank panel. */
function Body({ ready, dockerConnecting, loading, error, noCourses, onRetry, children }: BodyProps) {
  if (children) return <>{children}</>;
  if (error) {
    const problems = (error.details as { problems?: Array<{ message: string; file?: string; line?: number }> } | undefined)?.problems;
    return (
      <main className="screen">
        <div className="screen__card" role="alert">
          <h1>{error.code === 'spec-error' ? 'This course’s spec has problems' : 'Could not open the course'}</h1>
          <p className="screen__lead">{error.message}</p>
          {problems && problems.length > 0 && (
            <ul className="attempts">
              {problems.map((p, i) => (
                <li key={i} className="attempt">
                  {p.file && (
                    <code className="attempt__url">
                      {p.file}
                      {p.line ? `:${p.line}` : ''}
                    </code>
                  )}
                  <span className="attempt__error">{p.message}</span>
                </li>
              ))}
            </ul>
          )}
          <div className="screen__actions">
            <button type="button" className="btn btn--primary" onClick={onRetry}>
              Try again
            </button>
          </div>
        </div>
      </main>
    );
  }
  if (noCourses) {
    return (
      <main className="screen">
        <div className="screen__card">
          <h1>No courses found</h1>
          <p className="screen__lead">Coursedock found no course specs. Ask your course team for the course's spec folder.</p>
        </div>
      </main>
    );
  }
  const text = !ready ? 'Connecting to Coursedock…' : dockerConnecting ? 'Looking for Docker…' : loading ? 'Opening the course…' : 'Loading…';
  return (
    <main className="screen screen--quiet" aria-busy="true">
      <p className="screen__loading">
        <Spinner /> {text}
      </p>
    </main>
  );
}

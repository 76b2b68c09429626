// The tutor's Classroom view: one row per student with their stack's state, health, CPU and
// memory and last activity; start or stop the chosen students (or one); reinstall or reset one
// student's service (reset asks first); open a student's notebook, read-only unless asked.
// Kept current by events, not by polling: the table is read when the view opens, when the front
// door says the class changed (`classroom.changed`: Docker told it a stack, task or health check
// moved on) and when the connection comes back (events may have been missed meanwhile).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { signOut } from './classroom-mode.js';
import './classroom.css';
import type { ClassroomTable, StudentStatus, TutorClient } from './tutor-client.js';

// CPU, memory and last activity have no events: Docker's stats are samples (one stats call per
// container to read), and activity is recorded on every call a student's panel makes (an event
// for each would be a poll in disguise). So they alone are read again now and then, and only
// while the page is visible: a hidden tab costs the front door nothing.
const RESOURCES_MS = 15_000;

const STATE_WORDS: Record<StudentStatus['state'], string> = {
  absent: 'Not deployed',
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running',
  partial: 'Partly running',
  failed: 'Failed',
};

function health(row: StudentStatus): string {
  if (row.state === 'stopped' || row.state === 'absent') return '—';
  if (row.ready) return 'Ready';
  const bad = row.services.find((s) => s.health === 'unhealthy' || s.state === 'failed');
  if (bad) return `${bad.service}: ${bad.message ?? 'unhealthy'}`;
  return 'Not ready yet';
}

function cpu(row: StudentStatus): string {
  const values = row.services.map((s) => s.cpuPercent).filter((v): v is number => v !== undefined);
  return values.length ? `${values.reduce((a, b) => a + b, 0).toFixed(1)} %` : '—';
}

function memory(row: StudentStatus): string {
  const values = row.services.map((s) => s.memoryBytes).filter((v): v is number => v !== undefined);
  return values.length ? `${Math.round(values.reduce((a, b) => a + b, 0) / 1024 ** 2)} MB` : '—';
}

function ago(iso: string | undefined, now: number): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** Keeps CPU and memory from the last reading that had them (reads after an event skip them). */
function mergeResources(next: StudentStatus[], prev: StudentStatus[] | undefined): StudentStatus[] {
  if (!prev) return next;
  return next.map((row) => {
    const old = prev.find((p) => p.student.id === row.student.id);
    return {
      ...row,
      services: row.services.map((s) => {
        const o = old?.services.find((x) => x.service === s.service);
        return s.cpuPercent === undefined && o?.cpuPercent !== undefined && s.containerId === o.containerId
          ? { ...s, cpuPercent: o.cpuPercent, ...(o.memoryBytes !== undefined ? { memoryBytes: o.memoryBytes } : {}) }
          : s;
      }),
    };
  });
}

export function ClassroomView({ client }: { client: TutorClient }) {
  const [table, setTable] = useState<ClassroomTable>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<Record<string, string>>({});
  const [resetting, setResetting] = useState<{ student: string; service: string }>();
  // When the table was last read ("5 min ago" counts from it); no row is shown before the first read.
  const [readAt, setReadAt] = useState(0);
  const rows = useRef<StudentStatus[] | undefined>(undefined);
  const reading = useRef(false);
  const wanted = useRef<{ resources: boolean } | undefined>(undefined);

  /** Reads the table; asked again while a read runs, it reads once more after it (never two at once). */
  const refresh = useCallback(
    async (resources = false) => {
      wanted.current = { resources: resources || (wanted.current?.resources ?? false) };
      if (reading.current) return;
      reading.current = true;
      try {
        while (wanted.current) {
          const next = wanted.current;
          wanted.current = undefined;
          try {
            const t = await client.call('classroom.status', next);
            rows.current = mergeResources(t.students, rows.current);
            setTable({ ...t, students: rows.current });
            setReadAt(Date.now());
            setError(undefined);
          } catch (e) {
            setError(e instanceof Error ? e.message : String(e));
          }
        }
      } finally {
        reading.current = false;
      }
    },
    [client],
  );

  useEffect(() => {
    void refresh(true);
  }, [refresh]);

  useEffect(() => client.on('classroom.changed', () => void refresh()), [client, refresh]);

  // Back from a lost connection: what changed meanwhile was not told.
  useEffect(() => {
    let lost = false;
    return client.onConnection((state) => {
      if (state === 'closed') lost = true;
      else if (state === 'open' && lost) {
        lost = false;
        void refresh(true);
      }
    });
  }, [client, refresh]);

  // The event-less columns (see RESOURCES_MS), only while the page is seen.
  useEffect(() => {
    let timer: number | undefined;
    const follow = () => {
      window.clearInterval(timer);
      timer = undefined;
      if (document.visibilityState !== 'visible') return;
      timer = window.setInterval(() => void refresh(true), RESOURCES_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void refresh(true);
      follow();
    };
    follow();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [refresh]);

  const run = async (key: string, label: string, work: () => Promise<unknown>) => {
    setBusy((b) => ({ ...b, [key]: label }));
    try {
      const r = (await work()) as { ok?: boolean; error?: string } | undefined;
      if (r && r.ok === false) setError(r.error ?? `${label} did not finish.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy((b) => {
        const { [key]: _done, ...rest } = b;
        return rest;
      });
      void refresh();
    }
  };

  const students = useMemo(() => table?.students ?? [], [table]);
  const chosen = useMemo(() => students.map((s) => s.student.id).filter((id) => selected.has(id)), [students, selected]);
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const bulk = (action: 'start' | 'stop') =>
    void run('bulk', action === 'start' ? 'Starting' : 'Stopping', () => client.call(`classroom.${action}`, { students: chosen }));

  // A one-time link on the notebook's own origin (read-only: no kernel, no saving), in a new tab.
  const openNotebook = (student: string, service: string, readOnly: boolean) =>
    void client
      .call('classroom.webView', { student, service, readOnly })
      .then(({ url }) => window.open(url, '_blank', 'noopener'))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));

  return (
    <div className="app classroom">
      <header className="classroom__header">
        <h1>Classroom{table ? `: ${table.title}` : ''}</h1>
        <span className="muted">{table ? `${students.filter((s) => s.ready).length} of ${students.length} ready` : 'Loading…'}</span>
        <div className="classroom__bulk">
          <button type="button" className="btn btn--small" disabled={!chosen.length || !!busy.bulk} onClick={() => bulk('start')}>
            Start selected
          </button>
          <button type="button" className="btn btn--small" disabled={!chosen.length || !!busy.bulk} onClick={() => bulk('stop')}>
            Stop selected
          </button>
          <button type="button" className="btn btn--small btn--ghost" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {error && (
        <div className="banner banner--error" role="alert">
          <span>{error}</span>
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setError(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      <table className="classroom__table" aria-label="Students">
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select every student"
                checked={students.length > 0 && chosen.length === students.length}
                onChange={(e) => setSelected(new Set(e.target.checked ? students.map((s) => s.student.id) : []))}
              />
            </th>
            <th scope="col">Student</th>
            <th scope="col">State</th>
            <th scope="col">Health</th>
            <th scope="col">CPU</th>
            <th scope="col">Memory</th>
            <th scope="col">Last activity</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {students.map((row) => {
            const id = row.student.id;
            const running = row.state !== 'stopped' && row.state !== 'absent';
            const web = row.services.find((s) => s.service === 'notebook') ?? row.services[0];
            return (
              <tr key={id} data-student={id} data-state={row.state}>
                <td>
                  <input type="checkbox" aria-label={`Select ${row.student.name}`} checked={selected.has(id)} onChange={() => toggle(id)} />
                </td>
                <th scope="row">
                  {row.student.name} <span className="muted">({id})</span>
                </th>
                <td className="classroom__state">{busy[id] ?? STATE_WORDS[row.state]}</td>
                <td>{health(row)}</td>
                <td>{cpu(row)}</td>
                <td>{memory(row)}</td>
                <td>{ago(row.lastActivity, readAt)}</td>
                <td className="classroom__actions">
                  {running ? (
                    <button type="button" className="btn btn--small" disabled={!!busy[id]} onClick={() => void run(id, 'Stopping…', () => client.call('classroom.stop', { students: [id] }))}>
                      Stop
                    </button>
                  ) : (
                    <button type="button" className="btn btn--small" disabled={!!busy[id]} onClick={() => void run(id, 'Starting…', () => client.call('classroom.start', { students: [id] }))}>
                      Start
                    </button>
                  )}
                  {row.services.map((s) => (
                    <span key={s.service} className="classroom__service">
                      <button
                        type="button"
                        className="btn btn--small btn--ghost"
                        disabled={!!busy[id]}
                        title={`Fresh container for ${s.service}; data kept`}
                        onClick={() => void run(id, `Reinstalling ${s.service}…`, () => client.call('classroom.reinstall', { student: id, service: s.service }))}
                      >
                        Reinstall {s.service}
                      </button>
                      <button
                        type="button"
                        className="btn btn--small btn--danger-outline"
                        disabled={!!busy[id]}
                        onClick={() => setResetting({ student: id, service: s.service })}
                      >
                        Reset {s.service}
                      </button>
                    </span>
                  ))}
                  {web && (
                    <button type="button" className="btn btn--small btn--link" disabled={web.state !== 'running'} onClick={() => openNotebook(id, web.service, true)}>
                      Open notebook (read-only)
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {resetting && (
        <div className="banner banner--warn" role="alertdialog" aria-label="Confirm reset">
          <span>
            Reset {resetting.service} of {resetting.student}? Their {resetting.service} data is deleted (no other student’s).
          </span>
          <button
            type="button"
            className="btn btn--small btn--danger"
            onClick={() => {
              const r = resetting;
              setResetting(undefined);
              void run(r.student, `Resetting ${r.service}…`, () => client.call('classroom.reset', { student: r.student, service: r.service, confirm: true }));
            }}
          >
            Reset
          </button>
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setResetting(undefined)}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}

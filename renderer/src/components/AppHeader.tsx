// The top bar: the app, the course picker, the course's overall state, Start all / Stop all,
// and settings.
import { summary } from '../lib/status.js';
import type { CourseInfo, EnvironmentInfo, ServiceState } from '../lib/types.js';
import logo from '../../../assets/coursedock.svg';
import { GearIcon, PlayIcon, Spinner, StopIcon } from './icons.js';

interface Props {
  courses: CourseInfo[] | undefined;
  course: string | undefined;
  onCourse: (id: string) => void;
  info: EnvironmentInfo | undefined;
  states: ServiceState[];
  busy: { up: boolean; down: boolean };
  disabled: boolean;
  /** Docker does not answer: the states shown would be stale. */
  dockerDown?: boolean;
  onStartAll: () => void;
  onStopAll: () => void;
  onSettings: () => void;
  /** "Check my environment" (with fixes); absent: no button. */
  onCheck?: () => void;
  /** "Make a support bundle"; absent: no button. */
  onSupportBundle?: () => void;
  /** "Install a course from a file…" (an entry of the course picker); absent: no entry. */
  onInstallCourse?: () => void;
}

/** The course picker's entry that opens "Install a course from a file…" instead of choosing. */
const INSTALL_ENTRY = '\u0000install';

export function AppHeader({ courses, course, onCourse, info, states, busy, disabled, dockerDown, onStartAll, onStopAll, onSettings, onCheck, onSupportBundle, onInstallCourse }: Props) {
  const sum = dockerDown ? { text: 'Docker is not reachable', tone: 'error' as const } : info ? summary(states) : undefined;
  const options = courses ?? [];
  const known = options.some((c) => c.id === course || c.file === course);
  const anyRunning = states.some((s) => s.status !== 'missing' && s.status !== 'stopped' && s.status !== 'exited' && s.status !== 'error');
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <img src={logo} alt="" width="28" height="28" />
        <span className="app-header__name">Coursedock</span>
      </div>
      <div className="app-header__course">
        {info && <h1 className="visually-hidden">{info.title}</h1>}
        <div className="course-picker">
          <select
            className="course-picker__select"
            aria-label="Course"
            title="Choose a course"
            value={course ?? ''}
            onChange={(e) => (e.target.value === INSTALL_ENTRY ? onInstallCourse?.() : onCourse(e.target.value))}
            disabled={!options.length && !course && !onInstallCourse}
          >
            {!course && <option value="">No course</option>}
            {course && !known && <option value={course}>{info?.title ?? course}</option>}
            {options.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
            {onInstallCourse && <option value={INSTALL_ENTRY}>Install a course from a file…</option>}
          </select>
          <svg className="course-picker__chevron" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M7 10l5 5 5-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </div>
        {sum && (
          <span className={`summary tone-${sum.tone}`} data-testid="summary">
            <span className="badge__dot" aria-hidden="true" /> {sum.text}
          </span>
        )}
      </div>
      <div className="app-header__actions">
        <button type="button" className="btn btn--primary" aria-label="Start all" title="Start every service" onClick={onStartAll} disabled={disabled || busy.up}>
          {busy.up ? <Spinner /> : <PlayIcon />} <span>Start all</span>
        </button>
        <button type="button" className="btn" aria-label="Stop all" title="Stop every service (your data is kept)" onClick={onStopAll} disabled={disabled || busy.down || !anyRunning}>
          {busy.down ? <Spinner /> : <StopIcon />} <span>Stop all</span>
        </button>
        {onCheck && (
          <button type="button" className="btn" title="Run the course's checks; fix what Coursedock can fix" onClick={onCheck} disabled={disabled}>
            Check my environment
          </button>
        )}
        {onSupportBundle && (
          <button type="button" className="btn" title="Save one file with what a helper needs to see what is wrong (secrets masked)" onClick={onSupportBundle} disabled={disabled}>
            Support bundle
          </button>
        )}
        <button type="button" className="btn btn--ghost btn--icon" aria-label="Settings" title="Settings" onClick={onSettings}>
          <GearIcon />
        </button>
      </div>
    </header>
  );
}

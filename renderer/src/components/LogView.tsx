// A service's logs: the last lines in a ring buffer, drawn as a virtual list (only the rows in
// view are in the DOM), re-rendered at most once a frame; a filter, copy, and auto-scroll that
// pauses while the student reads further up.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useLogs, type LogStreamState } from '../hooks/use-logs.js';
import { filterLines } from '../lib/ring-buffer.js';
import type { LogLine } from '../lib/types.js';
import { CopyButton } from './CopyButton.js';
import { ArrowDownIcon, Spinner } from './icons.js';

export const ROW_HEIGHT = 18;
const OVERSCAN = 20;
/** jsdom and hidden tabs measure 0: draw as if this tall. */
const FALLBACK_HEIGHT = 480;

interface Props {
  project: string;
  service: string;
  title: string;
  /** Changes when the stream must start again (the container restarted, the link came back). */
  generation: string;
  capacity?: number;
}

export function LogView({ project, service, title, generation, capacity }: Props) {
  const { snapshot, stream, clear } = useLogs(project, service, generation, capacity);
  const [filter, setFilter] = useState('');
  // While the student reads further up, the view holds still: new lines are counted, not drawn.
  const [frozen, setFrozen] = useState<{ lines: LogLine[]; total: number } | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);
  const viewport = useRef<HTMLDivElement>(null);
  const follow = frozen === null;

  const live = snapshot.lines;
  const all = frozen?.lines ?? live;
  const lines = useMemo(() => filterLines(all, filter), [all, filter]);
  const unseen = frozen ? snapshot.total - frozen.total : 0;

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || FALLBACK_HEIGHT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A new stream (another container run) starts following again: reset while rendering.
  const streamKey = `${service}\n${generation}`;
  const [frozenFor, setFrozenFor] = useState(streamKey);
  if (frozenFor !== streamKey) {
    setFrozenFor(streamKey);
    setFrozen(null);
  }

  const rowsInView = Math.ceil(height / ROW_HEIGHT);
  const first = follow
    ? Math.max(0, lines.length - rowsInView - OVERSCAN)
    : Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, follow ? lines.length : first + rowsInView + 2 * OVERSCAN);
  const shown = lines.slice(first, last);

  // Where following last put the scroll position: a scroll event at or below it is ours.
  const autoTop = useRef(0);
  useLayoutEffect(() => {
    const el = viewport.current;
    if (!follow || !el) return;
    el.scrollTop = el.scrollHeight;
    autoTop.current = el.scrollTop;
  }, [follow, lines]);

  const onScroll = () => {
    const el = viewport.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    if (follow && el.scrollTop >= autoTop.current - 2) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
    if (atBottom) setFrozen(null);
    else setFrozen((f) => f ?? { lines: live, total: snapshot.total });
  };

  const jumpToLatest = () => {
    setFrozen(null);
    const el = viewport.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  return (
    <div className="logs">
      <div className="logs__toolbar">
        <input
          type="search"
          className="input logs__filter"
          placeholder="Filter lines"
          aria-label="Filter log lines"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="logs__count" data-testid="log-count">
          {filter.trim() ? `${lines.length} of ${all.length} lines` : `${all.length} ${all.length === 1 ? 'line' : 'lines'}`}
        </span>
        <span className="toolbar-spacer" />
        {!follow && (
          <button type="button" className="btn btn--small" onClick={jumpToLatest}>
            <ArrowDownIcon /> {unseen > 0 ? `${unseen} new ${unseen === 1 ? 'line' : 'lines'}` : 'Jump to latest'}
          </button>
        )}
        <CopyButton label={filter.trim() ? 'Copy matching lines' : 'Copy log lines'} get={() => Promise.resolve(lines.map((l) => l.text).join('\n'))} showText />
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => {
            setFrozen(null);
            clear();
          }}
        >
          Clear
        </button>
      </div>
      <div
        ref={viewport}
        className="logs__viewport"
        role="log"
        aria-live="off"
        aria-label={`Logs of ${title}`}
        tabIndex={0}
        onScroll={onScroll}
      >
        <div className="logs__spacer" style={{ height: lines.length * ROW_HEIGHT }}>
          <div className="logs__rows" style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
            {shown.map((line, i) => (
              <LogRow key={first + i} line={line} />
            ))}
          </div>
        </div>
        {!lines.length && <div className="logs__empty">{emptyText(stream, all.length > 0)}</div>}
      </div>
      <StreamStatus stream={stream} />
    </div>
  );
}

const ERROR_WORDS = /\b(ERROR|FATAL|PANIC|CRITICAL|Traceback|Exception)\b/;
const WARN_WORDS = /\b(WARN(ING)?)\b/;

export function lineClass(line: LogLine): string {
  let c = 'log-line';
  if (line.stream === 'stderr') c += ' log-line--stderr';
  if (ERROR_WORDS.test(line.text)) c += ' log-line--error';
  else if (WARN_WORDS.test(line.text)) c += ' log-line--warn';
  return c;
}

function LogRow({ line }: { line: LogLine }) {
  return (
    <div className={lineClass(line)} data-testid="log-line">
      {line.text || ' '}
    </div>
  );
}

function emptyText(stream: LogStreamState, filtered: boolean): string {
  if (filtered) return 'No line matches the filter.';
  switch (stream.kind) {
    case 'subscribing':
      return 'Loading logs…';
    case 'failed':
      return stream.message;
    case 'ended':
      return 'No output yet.';
    default:
      return 'No output yet. New lines appear here as the service writes them.';
  }
}

function StreamStatus({ stream }: { stream: LogStreamState }) {
  switch (stream.kind) {
    case 'subscribing':
      return (
        <div className="logs__status">
          <Spinner /> Connecting to the log stream…
        </div>
      );
    case 'following':
      return (
        <div className="logs__status">
          <span className="live-dot" aria-hidden="true" /> Live
        </div>
      );
    case 'ended':
      return <div className="logs__status">Stream ended{stream.reason ? `: ${stream.reason}` : ''}. It resumes when the service starts again.</div>;
    case 'failed':
      return <div className="logs__status logs__status--error">{stream.message}</div>;
  }
}

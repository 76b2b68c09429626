// Image download (one bar per layer) and build (its last output lines) progress. The engine
// keeps it in the service's state, so it is still here after looking at another service.
import { useEffect, useRef } from 'react';
import { formatBytes, percent } from '../lib/format.js';
import type { LayerProgress, ProgressState } from '../lib/types.js';
import { AnsiText } from './AnsiText.js';
import { stripAnsi } from '../lib/ansi.js';

/** Layers whose status says they are finished, whatever their byte counts say. */
const DONE = /^(pull complete|already exists|download complete|verifying checksum)$/i;

export function layerPercent(layer: LayerProgress): number | undefined {
  if (DONE.test(layer.status)) return 100;
  return percent(layer.current, layer.total);
}

/** Overall: bytes done over bytes known, counting finished layers as whole. */
export function overallPercent(layers: LayerProgress[]): number | undefined {
  let done = 0;
  let total = 0;
  for (const l of layers) {
    if (!l.total) continue;
    total += l.total;
    done += DONE.test(l.status) ? l.total : Math.min(l.current ?? 0, l.total);
  }
  return total ? Math.round((done / total) * 100) : undefined;
}

export const BUILD_LINES_SHOWN = 12;

export function ProgressView({ progress }: { progress: ProgressState }) {
  return progress.kind === 'pull' ? <PullProgress progress={progress} /> : <BuildProgress progress={progress} />;
}

function PullProgress({ progress }: { progress: ProgressState }) {
  const total = overallPercent(progress.layers);
  const finished = progress.layers.filter((l) => layerPercent(l) === 100).length;
  return (
    <section className="progress" aria-label={`Downloading ${progress.image}`}>
      <header className="progress__header">
        <span>
          {progress.error ? 'Could not download' : progress.done ? 'Downloaded' : 'Downloading'} <code>{progress.image}</code>
        </span>
        {(progress.layers.length > 0 || !progress.error) && (
          <span className="progress__summary">
            {progress.layers.length ? `${finished} of ${progress.layers.length} layers` : 'Waiting for Docker…'}
            {total !== undefined && ` · ${total}%`}
          </span>
        )}
      </header>
      {progress.error && <p className="progress__error" role="alert">{progress.error}</p>}
      <ul className="layers">
        {progress.layers.map((l) => {
          const pct = layerPercent(l);
          return (
            <li key={l.id} className="layer" data-testid="layer">
              <code className="layer__id">{l.id.slice(0, 12)}</code>
              <span className="layer__status">{l.status}</span>
              <span
                className={`bar${pct === undefined ? ' bar--indeterminate' : ''}`}
                role="progressbar"
                aria-label={`Layer ${l.id.slice(0, 12)}`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={pct}
              >
                <span className="bar__fill" style={{ width: `${pct ?? 0}%` }} />
              </span>
              <span className="layer__bytes">
                {l.total && pct !== 100 ? `${formatBytes(l.current ?? 0)} / ${formatBytes(l.total)}` : pct !== undefined ? `${pct}%` : ''}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function BuildProgress({ progress }: { progress: ProgressState }) {
  const box = useRef<HTMLPreElement>(null);
  const lines = progress.lines.slice(-BUILD_LINES_SHOWN);
  // Follows the output: scrolled down whenever a line arrives (or the last one grows).
  const lineCount = progress.lines.length;
  const lastLine = progress.lines.at(-1);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lineCount, lastLine]);
  const step = [...progress.lines].reverse().find((l) => /^Step \d+\/\d+/.test(l))?.match(/^Step (\d+)\/(\d+)/);
  return (
    <section className="progress" aria-label={`Building ${progress.image}`}>
      <header className="progress__header">
        <span>
          {progress.error ? 'Could not build' : progress.done ? 'Built' : 'Building'} <code>{progress.image}</code>
        </span>
        {step && <span className="progress__summary">step {step[1]} of {step[2]}</span>}
      </header>
      {progress.error && <p className="progress__error" role="alert">{stripAnsi(progress.error)}</p>}
      <pre className="build-lines" ref={box} aria-label="Build output" tabIndex={0}>
        {lines.length ? <AnsiText lines={lines} /> : 'Waiting for the first build output…'}
      </pre>
    </section>
  );
}

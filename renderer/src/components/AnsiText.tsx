// Output lines with their ANSI colours shown as colours (lib/ansi.ts), for build and pull
// output. Each run is a text node in a span: the output cannot become markup.
import { useMemo, type CSSProperties } from 'react';
import { parseAnsi, type AnsiRun, type AnsiStyle } from '../lib/ansi.js';
import '../styles/tools.css';

/** Lines as styled runs, a style carried from one line to the next as a terminal would. */
export function ansiLines(lines: string[]): AnsiRun[][] {
  let style: AnsiStyle = {};
  return lines.map((line) => {
    const { runs, end } = parseAnsi(line, style);
    style = end;
    return runs;
  });
}

export function AnsiText({ lines }: { lines: string[] }) {
  const parsed = useMemo(() => ansiLines(lines), [lines]);
  return (
    <>
      {parsed.map((runs, i) => (
        <span key={i} className="ansi-line">
          {runs.map((r, j) => (
            <AnsiSpan key={j} run={r} />
          ))}
          {i < parsed.length - 1 ? '\n' : null}
        </span>
      ))}
    </>
  );
}

const isPalette = (c: string) => /^(bright-)?[a-z]+$/.test(c);

function AnsiSpan({ run }: { run: AnsiRun }) {
  const { fg, bg, bold, dim, italic, underline } = run.style;
  const classes = [
    fg && isPalette(fg) ? `ansi-fg-${fg}` : '',
    bg && isPalette(bg) ? `ansi-bg-${bg}` : '',
    bold ? 'ansi-bold' : '',
    dim ? 'ansi-dim' : '',
    italic ? 'ansi-italic' : '',
    underline ? 'ansi-underline' : '',
  ].filter(Boolean);
  if (!classes.length && !fg && !bg) return <>{run.text}</>;
  const style: CSSProperties = {};
  if (fg && !isPalette(fg)) style.color = fg;
  if (bg && !isPalette(bg)) style.backgroundColor = bg;
  return (
    <span className={classes.join(' ') || undefined} style={Object.keys(style).length ? style : undefined}>
      {run.text}
    </span>
  );
}

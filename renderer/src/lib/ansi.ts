// Build and pull output carries the colours programs print for a terminal (apt, pip, npm):
// ANSI SGR escape codes. The panel shows them as coloured text, never as raw `[0m`. This turns
// a line into styled runs (text plus colours and weight); React renders them as text, so
// nothing in the output can become markup. Other escape sequences (cursor moves, erasing a
// line, window titles) mean nothing in a static view and are dropped; a carriage return keeps
// what a terminal would show last (a progress counter rewriting its line).

export interface AnsiStyle {
  /** One of the 16 palette names (`red`, `bright-blue`) or a CSS colour (256-colour and RGB codes). */
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

export interface AnsiRun {
  text: string;
  style: AnsiStyle;
}

export const PALETTE = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;

// CSI (ESC [ params final), OSC (ESC ] … BEL or ESC \), and two-character escapes.
// eslint-disable-next-line no-control-regex -- escape sequences begin with ESC, a control character
const ESCAPES = /\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?/g;

/** Runs of one line's text with the style in force; `start` carries the style from earlier lines. */
export function parseAnsi(line: string, start: AnsiStyle = {}): { runs: AnsiRun[]; end: AnsiStyle } {
  const shown = lastRewrite(line);
  const runs: AnsiRun[] = [];
  let style: AnsiStyle = { ...start };
  let at = 0;
  const push = (text: string) => {
    if (!text) return;
    const prev = runs[runs.length - 1];
    if (prev && sameStyle(prev.style, style)) prev.text += text;
    else runs.push({ text, style: { ...style } });
  };
  for (const m of shown.matchAll(ESCAPES)) {
    push(shown.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[2] === 'm') style = applySgr(style, m[1] ?? '');
  }
  push(shown.slice(at));
  return { runs, end: style };
}

/** The text without any escape sequence (for copying, searching, accessible names). */
export function stripAnsi(line: string): string {
  return lastRewrite(line).replace(ESCAPES, '');
}

/** What is left on screen after carriage returns: the last non-empty rewrite of the line. */
function lastRewrite(line: string): string {
  if (!line.includes('\r')) return line;
  const parts = line.split('\r').filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? '';
}

function applySgr(current: AnsiStyle, params: string): AnsiStyle {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  let s: AnsiStyle = { ...current };
  // Taken from the front: an extended colour (38/48) takes the codes after it as well.
  const rest = [...codes];
  for (let c = rest.shift(); c !== undefined; c = rest.shift()) {
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 22) {
      delete s.bold;
      delete s.dim;
    }
    else if (c === 23) delete s.italic;
    else if (c === 24) delete s.underline;
    else if (c >= 30 && c <= 37) s.fg = PALETTE[c - 30];
    else if (c >= 90 && c <= 97) s.fg = `bright-${PALETTE[c - 90]}`;
    else if (c >= 40 && c <= 47) s.bg = PALETTE[c - 40];
    else if (c >= 100 && c <= 107) s.bg = `bright-${PALETTE[c - 100]}`;
    else if (c === 39) delete s.fg;
    else if (c === 49) delete s.bg;
    else if (c === 38 || c === 48) {
      const { colour, used } = extendedColour(rest, 0);
      rest.splice(0, used);
      if (colour) s[c === 38 ? 'fg' : 'bg'] = colour;
    }
  }
  return s;
}

/** `5;n` (256 colours) or `2;r;g;b` after 38/48: the colour and how many codes it took. */
function extendedColour(codes: number[], i: number): { colour?: string; used: number } {
  if (codes[i] === 5) {
    const n = codes[i + 1];
    if (n === undefined) return { used: 1 };
    if (n < 8) return { colour: PALETTE[n], used: 2 };
    if (n < 16) return { colour: `bright-${PALETTE[n - 8]}`, used: 2 };
    return { colour: xterm256(n), used: 2 };
  }
  if (codes[i] === 2) {
    const [r = 0, g = 0, b = 0] = codes.slice(i + 1, i + 4).map((v) => Math.max(0, Math.min(255, v)));
    return { colour: `rgb(${r}, ${g}, ${b})`, used: 4 };
  }
  return { used: 0 };
}

function xterm256(n: number): string {
  if (n >= 232) {
    const v = 8 + (Math.min(n, 255) - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const k = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(k / 36))}, ${level(Math.floor(k / 6) % 6)}, ${level(k % 6)})`;
}

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  return a.fg === b.fg && a.bg === b.bg && !!a.bold === !!b.bold && !!a.dim === !!b.dim && !!a.italic === !!b.italic && !!a.underline === !!b.underline;
}

// How big a spec Coursedock opens. A course is downloaded content: a 5 MB file with 19,031
// services once took 22 s and 1.4 GB to plan. Past these limits a spec is refused before the
// expensive work (parsing, then planning), with the limit named.
import type { SpecProblem } from './types.js';

/** 1 MiB: the largest real Compose files we know of are under 50 KB. */
export const MAX_SPEC_BYTES = 1024 * 1024;
/** A student's computer runs a handful of containers; 500 is far past any course. */
export const MAX_SERVICES = 500;

export function sizeProblem(file: string, bytes: number): SpecProblem {
  return {
    file,
    line: 1,
    column: 1,
    path: '',
    message: `the spec is ${formatBytes(bytes)}; Coursedock opens specs up to ${formatBytes(MAX_SPEC_BYTES)} (the limit on a spec's size)`,
  };
}

export function servicesMessage(count: number): string {
  return `the spec has ${count} services; Coursedock opens specs with at most ${MAX_SERVICES} services (the limit on services)`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Services counted from the text alone, in one pass over the lines: the keys one level under a
 * block-style top-level `services:` (or, with no such line, the top-level keys of an old v1
 * file). Flow style (`services: {a: …}`) is not counted here; the parsed document is counted
 * again before anything is converted, so this is only the fast path for huge files.
 */
export function countServicesCheaply(text: string): { count: number; offset: number } {
  const start = /^services:[ \t]*(#.*)?\r?$/m.exec(text);
  let count = 0;
  let indent = -1;
  let pos = start ? start.index + start[0].length + 1 : 0;
  const offset = start ? start.index : 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let i = pos;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const first = text.charCodeAt(i);
    const blank = i >= end || first === 35 /* # */ || (i === end - 1 && first === 13);
    if (!blank) {
      const depth = i - pos;
      if (start) {
        if (depth === 0) break; // the next top-level key ends `services:`
        if (indent < 0) indent = depth;
        if (depth === indent && isKeyLine(text, i, end)) count++;
      } else if (depth === 0 && isKeyLine(text, i, end) && !/^(version|services|x-[^:]*|volumes|networks|secrets|configs|name|include):/.test(text.slice(i, end))) {
        count++;
      }
    }
    pos = end + 1;
  }
  return { count, offset };
}

function isKeyLine(text: string, from: number, to: number): boolean {
  const c = text.charCodeAt(from);
  if (c === 45 /* - */ || c === 123 /* { */ || c === 91 /* [ */) return false;
  const colon = text.indexOf(':', from);
  return colon > from && colon < to;
}

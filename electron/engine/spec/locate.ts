// Maps key paths of the plain (converted) spec back to offsets in the YAML text, so that
// problems found long after parsing (by zod or the normalizers) still name a line.
import type { LineCounter } from 'yaml';
import type { SpecLocation } from './types.js';

export type PathSegment = string | number;
export type KeyPath = readonly PathSegment[];

/** `services.postgres.ports[0]` */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

/** Offsets of one node: its key (when it is a map entry) and its value. */
export interface NodeSpan {
  key?: number;
  value?: number;
  /** Collections are reported at their key (`notebook:`), scalars at the value itself. */
  collection: boolean;
}

/** Where 'auto' picks the value for scalars and the key for maps and lists. */
export type Anchor = 'key' | 'value' | 'auto';

export class SourceMap {
  private readonly spans = new Map<string, NodeSpan>();

  /** First record wins: explicit keys are recorded before merged (`<<`) ones. */
  record(path: KeyPath, span: NodeSpan): void {
    const id = pathId(path);
    if (!this.spans.has(id)) this.spans.set(id, span);
  }

  /**
   * Makes everything recorded under `from` also findable under `to` (where `to` has nothing of
   * its own): a v1 file's top-level service read as `services.<name>`, a service's keys
   * inherited through `extends`.
   */
  alias(from: KeyPath, to: KeyPath): void {
    const prefix = pathId(from);
    const target = pathId(to);
    for (const [id, span] of [...this.spans]) {
      if (id !== prefix && !id.startsWith(`${prefix}\u0001`)) continue;
      const moved = target + id.slice(prefix.length);
      if (!this.spans.has(moved)) this.spans.set(moved, span);
    }
  }

  get(path: KeyPath): NodeSpan | undefined {
    return this.spans.get(pathId(path));
  }
}

// A node is either a map or a list, so `0` (key) and 0 (index) never compete at one level.
function pathId(path: KeyPath): string {
  return path.join('\u0001');
}

export class Locator {
  readonly file: string;
  private readonly lineCounter: LineCounter;
  private readonly sourceMap: SourceMap;

  constructor(file: string, lineCounter: LineCounter, sourceMap: SourceMap) {
    this.file = file;
    this.lineCounter = lineCounter;
    this.sourceMap = sourceMap;
  }

  /** Location of `path`, or of its nearest recorded ancestor (e.g. for a missing key). */
  locate(path: KeyPath, anchor: Anchor = 'auto'): SpecLocation {
    for (let length = path.length; length >= 0; length--) {
      const span = this.sourceMap.get(path.slice(0, length));
      if (!span) continue;
      const offset = pickOffset(span, length === path.length ? anchor : 'auto');
      if (offset !== undefined) return { ...this.position(offset), path: formatPath(path) };
    }
    return { file: this.file, line: 1, column: 1, path: formatPath(path) };
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { file: string; line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line: Math.max(1, line), column: Math.max(1, col) };
  }
}

function pickOffset(span: NodeSpan, anchor: Anchor): number | undefined {
  if (anchor === 'key') return span.key ?? span.value;
  if (anchor === 'value') return span.value ?? span.key;
  return span.collection ? (span.key ?? span.value) : (span.value ?? span.key);
}

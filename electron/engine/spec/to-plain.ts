// YAML AST → plain JSON-like values, recording where every value came from (SourceMap) and
// transforming string scalars on the way (interpolation). Written by hand rather than with
// doc.toJS() so that aliases, merges and odd keys are reported as problems with a line.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import type { KeyPath, SourceMap } from './locate.js';
import type { Reporter } from './report.js';

export type Plain = string | number | boolean | null | Plain[] | PlainObject;
export interface PlainObject {
  [key: string]: Plain;
}

export interface ToPlainOptions {
  doc: Document.Parsed;
  sourceMap: SourceMap;
  report: Reporter;
  /** Applied to every string scalar in value position (never to keys). */
  mapString?: (value: string, path: KeyPath) => string;
  /**
   * Converts only these top-level keys (the rest is left out): reading `x-coursedock` before the
   * full load must not walk, record and allocate the whole file a second time.
   */
  onlyTopKeys?: readonly string[];
}

// Alias bombs ("billion laughs") and absurd nesting are cut off instead of eating memory/stack.
const MAX_NODES = 200_000;
const MAX_DEPTH = 100;

class TooLarge extends Error {}

export function isPlainObject(value: Plain | undefined): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as words in a message: a scalar as written, a list or mapping as JSON. */
export function plainText(value: Plain | undefined): string {
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function toPlain(options: ToPlainOptions): Plain {
  const converter = new Converter(options);
  try {
    return converter.convert(options.doc.contents, [], undefined, 0);
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    options.report.error([], error.message);
    return null;
  }
}

class Converter {
  private nodes = 0;
  private readonly expanding = new Set<unknown>();
  private readonly options: ToPlainOptions;

  constructor(options: ToPlainOptions) {
    this.options = options;
  }

  convert(node: unknown, path: KeyPath, keyOffset: number | undefined, depth: number): Plain {
    const { sourceMap, report } = this.options;
    if (++this.nodes > MAX_NODES) throw new TooLarge('the spec is too large (too many aliases expanded?)');
    if (depth > MAX_DEPTH) throw new TooLarge(`the spec is nested more than ${MAX_DEPTH} levels deep`);
    const start = startOf(node);
    if (node === null || node === undefined) {
      sourceMap.record(path, { key: keyOffset, collection: false });
      return null;
    }
    if (isAlias(node)) {
      sourceMap.record(path, { key: keyOffset, value: start, collection: false });
      const target = node.resolve(this.options.doc);
      if (!target) {
        report.error(path, `alias *${node.source} does not refer to an anchor`);
        return null;
      }
      if (this.expanding.has(target)) {
        report.error(path, `alias *${node.source} refers to a value that contains it`);
        return null;
      }
      this.expanding.add(target);
      try {
        return this.convert(target, path, keyOffset, depth + 1);
      } finally {
        this.expanding.delete(target);
      }
    }
    if (isScalar(node)) {
      sourceMap.record(path, { key: keyOffset, value: start, collection: false });
      const value: unknown = node.value;
      if (typeof value === 'string') return this.options.mapString ? this.options.mapString(value, path) : value;
      if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
      report.error(path, 'unsupported YAML value');
      return null;
    }
    if (isSeq(node)) {
      sourceMap.record(path, { key: keyOffset, value: start, collection: true });
      return node.items.map((item, index) => this.convert(item, [...path, index], undefined, depth + 1));
    }
    if (isMap(node)) {
      sourceMap.record(path, { key: keyOffset, value: start, collection: true });
      return this.convertMap(node.items, path, depth);
    }
    report.error(path, 'unsupported YAML node');
    return null;
  }

  private convertMap(pairs: readonly unknown[], path: KeyPath, depth: number): PlainObject {
    const { report } = this.options;
    const out: PlainObject = {};
    const merges: unknown[] = [];
    // Explicit keys first: they win over merged ones, and their locations are recorded first.
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        merges.push(pair.value);
        continue;
      }
      const keyOffset = startOf(keyNode) ?? startOf(pair.value);
      if (!isScalar(keyNode) || keyNode.value === null) {
        this.options.sourceMap.record([...path, '?'], { key: keyOffset, collection: false });
        report.error([...path, '?'], 'map keys must be plain names', 'key');
        continue;
      }
      const key = keyText(keyNode.value, keyNode.source);
      if (path.length === 0 && this.options.onlyTopKeys && !this.options.onlyTopKeys.includes(key)) continue;
      if (key === '__proto__') {
        this.options.sourceMap.record([...path, key], { key: keyOffset, collection: false });
        report.error([...path, key], 'the key `__proto__` is not allowed', 'key');
        continue;
      }
      out[key] = this.convert(pair.value, [...path, key], keyOffset, depth + 1);
    }
    for (const merge of merges) {
      const sources = isSeq(merge) ? merge.items : [merge];
      for (const source of sources) {
        const merged = this.convert(source, path, undefined, depth + 1);
        if (!isPlainObject(merged)) {
          report.error(path, '`<<` merges only mappings');
          continue;
        }
        for (const [key, value] of Object.entries(merged)) if (!Object.hasOwn(out, key)) out[key] = value;
      }
    }
    return out;
  }
}

function keyText(value: unknown, source: string | undefined): string {
  if (typeof value === 'string') return value;
  // `8080: …` or `true: …`: keep what was written, as Compose's string-keyed maps do.
  return source ?? String(value);
}

function startOf(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: unknown }).range;
    if (Array.isArray(range) && typeof range[0] === 'number') return range[0];
  }
  return undefined;
}

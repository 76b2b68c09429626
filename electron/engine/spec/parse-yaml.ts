// YAML → Document with source ranges. Syntax errors become problems with a line, a column and
// (as far as the damaged document allows) the key path they sit in. The limits (spec-limits.ts)
// are checked first, on the text, so an oversized spec is refused before it is parsed.
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { Locator, SourceMap, formatPath, type PathSegment } from './locate.js';
import { ProblemCollector } from './report.js';
import { MAX_SERVICES, MAX_SPEC_BYTES, countServicesCheaply, servicesMessage, sizeProblem } from './spec-limits.js';

export interface ParsedYaml {
  doc: Document.Parsed;
  locator: Locator;
  sourceMap: SourceMap;
  problems: ProblemCollector;
}

export function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const sourceMap = new SourceMap();
  const locator = new Locator(file, lineCounter, sourceMap);
  const problems = new ProblemCollector(locator);
  const refused = (problem: () => void): ParsedYaml => {
    problem();
    return { doc: parseDocument('', { lineCounter: new LineCounter() }), locator, sourceMap, problems };
  };
  // Cheap checks first: a length is free, a byte count is one pass, the service count one more.
  if (text.length > MAX_SPEC_BYTES || Buffer.byteLength(text) > MAX_SPEC_BYTES) {
    return refused(() => problems.addError(sizeProblem(file, Buffer.byteLength(text))));
  }
  const cheap = countServicesCheaply(text);
  if (cheap.count > MAX_SERVICES) {
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0 && i <= cheap.offset; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    return refused(() => problems.addError({ ...locator.position(cheap.offset), path: 'services', message: servicesMessage(cheap.count) }));
  }
  let doc: Document.Parsed;
  try {
    // YAML 1.2 core schema (as Compose's parser: `8351:8888` stays a string), with `<<` merges
    // since Compose files use them with x- anchors.
    doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // The parser reports problems in doc.errors; this is only for pathological input.
    doc = parseDocument('', { lineCounter: new LineCounter() });
    problems.addError({ ...locator.position(0), path: '', message: `cannot parse YAML: ${String(error)}` });
    return { doc, locator, sourceMap, problems };
  }
  for (const error of doc.errors) {
    const around = nodeAtOffset(doc.contents, error.pos[0]);
    // A missing closing quote or bracket is detected at the end of the file; the place to fix
    // is where the quoted scalar or flow collection was opened.
    const unclosed = error.code === 'MISSING_CHAR' || /^Flow (sequence|map)/.test(error.message);
    const offset = unclosed && around.openedAt !== undefined ? around.openedAt : error.pos[0];
    const message = error.code === 'MULTIPLE_DOCS' ? MULTIPLE_DOCS : firstLine(error.message);
    problems.addError({ ...locator.position(offset), path: error.code === 'MULTIPLE_DOCS' ? '' : formatPath(around.path), message });
  }
  countParsedServices(doc, locator, problems);
  for (const warning of doc.warnings) {
    const offset = warning.pos[0];
    problems.addWarning({ ...locator.position(offset), path: formatPath(nodeAtOffset(doc.contents, offset).path), message: firstLine(warning.message) });
  }
  return { doc, locator, sourceMap, problems };
}

const MULTIPLE_DOCS =
  'a second YAML document starts here (after a `---` line): a Compose file is one document. ' +
  'Remove the `---` and merge the two parts into one `services:` section, or keep them as two files';

/** The backstop for the cheap count: flow style, anchors, odd indentation. */
function countParsedServices(doc: Document.Parsed, locator: Locator, problems: ProblemCollector): void {
  const top = doc.contents;
  if (!isMap(top)) return;
  const services = top.items.find((pair) => isScalar(pair.key) && pair.key.value === 'services');
  const map = services ? services.value : top;
  if (!isMap(map) || map.items.length <= MAX_SERVICES) return;
  const offset = rangeOf(services?.key)?.[0] ?? 0;
  problems.addError({ ...locator.position(offset), path: services ? 'services' : '', message: servicesMessage(map.items.length) });
}

/** Key path around a character offset of `text` (for problems found before parsing, e.g. encoding). */
export function keyPathAt(text: string, offset: number): PathSegment[] {
  try {
    return nodeAtOffset(parseDocument(text, { prettyErrors: false, uniqueKeys: false }).contents, offset).path;
  } catch {
    return [];
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Key path of the innermost map entry or list item around `offset`, and where the innermost
 * quoted scalar or flow collection around it starts (if any).
 */
function nodeAtOffset(root: unknown, offset: number): { path: PathSegment[]; openedAt?: number } {
  const path: PathSegment[] = [];
  let openedAt: number | undefined;
  let node: unknown = root;
  for (let depth = 0; depth < 200 && node; depth++) {
    const range = rangeOf(node);
    if (range && offset >= range[0] && offset <= range[2] && isOpened(node)) openedAt = range[0];
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        const start = rangeOf(pair.key)?.[0] ?? rangeOf(pair.value)?.[0];
        const end = rangeOf(pair.value)?.[2] ?? rangeOf(pair.key)?.[2];
        if (start === undefined || end === undefined || offset < start || offset > end) continue;
        if (!isScalar(pair.key)) break;
        path.push(String(pair.key.value));
        next = pair.value;
        break;
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemRange = rangeOf(item);
        if (next === undefined && itemRange && offset >= itemRange[0] && offset <= itemRange[2]) {
          path.push(index);
          next = item;
        }
      });
    }
    node = next;
  }
  return { path, openedAt };
}

function isOpened(node: unknown): boolean {
  if (isScalar(node)) return node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  return (isMap(node) || isSeq(node)) && node.flow === true;
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: unknown }).range;
    if (Array.isArray(range) && range.length === 3) return range as [number, number, number];
  }
  return undefined;
}

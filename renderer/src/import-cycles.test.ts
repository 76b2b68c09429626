// The panel's modules import each other without cycles (a cycle once ran ServiceDetail → extra
// tabs → NotebookTab → ServiceDetail): read from the sources with TypeScript's own import
// scanner, so a new cycle fails here with its path.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

function importsOf(file: string, known: ReadonlySet<string>): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .flatMap((name) => {
      const base = resolve(dirname(file), name).replace(/\.js$/, '');
      return [`${base}.ts`, `${base}.tsx`].filter((candidate) => known.has(candidate));
    });
}

export function importCycles(dir: string): string[][] {
  const files = sources(dir);
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f, known)]));
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (file: string) => {
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const at = stack.indexOf(next);
      if (at >= 0) cycles.push([...stack.slice(at), next].map((f) => relative(dir, f)));
      else if (!done.has(next)) visit(next);
    }
    stack.pop();
    done.add(file);
  };
  for (const f of files) if (!done.has(f)) visit(f);
  return cycles;
}

describe('renderer imports', () => {
  it('have no cycles', () => {
    expect(importCycles(root)).toEqual([]);
  });
});

// depends_on: every target must be a service, and the graph must have no cycle (the engine
// starts services in dependency order).
import type { KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import type { DependsCondition } from './types.js';
import { nullRecord } from './reserved-names.js';
import { didYouMean } from './suggest.js';

export interface DependsOn {
  conditions: Record<string, DependsCondition>;
  /** Where each dependency is written, for messages. */
  paths: Record<string, KeyPath>;
}

type DependsRaw = string[] | Record<string, { condition?: DependsCondition | undefined } | null>;

export function normalizeDependsOn(raw: DependsRaw | undefined, path: KeyPath): DependsOn {
  const out: DependsOn = { conditions: nullRecord(), paths: nullRecord() };
  if (raw === undefined) return out;
  if (Array.isArray(raw)) {
    raw.forEach((name, index) => {
      if (Object.hasOwn(out.conditions, name)) return;
      out.conditions[name] = 'service_started';
      out.paths[name] = [...path, index];
    });
  } else {
    for (const [name, entry] of Object.entries(raw)) {
      out.conditions[name] = entry?.condition ?? 'service_started';
      out.paths[name] = [...path, name];
    }
  }
  return out;
}

/** `allServices` includes services that failed validation, so they are not "unknown". */
export function checkDependencies(
  graph: ReadonlyMap<string, DependsOn>,
  allServices: ReadonlySet<string>,
  report: Reporter,
): void {
  for (const [service, depends] of graph) {
    for (const target of Object.keys(depends.conditions)) {
      if (allServices.has(target)) continue;
      const hint = didYouMean(target, allServices);
      report.error(depends.paths[target] ?? [], `"${service}" depends on "${target}", which is not a service in this spec${hint}`, 'key');
    }
  }
  reportCycles(graph, report);
}

function reportCycles(graph: ReadonlyMap<string, DependsOn>, report: Reporter): void {
  const done = new Set<string>();
  const reported = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();

  const visit = (service: string): void => {
    stack.push(service);
    onStack.add(service);
    const depends = graph.get(service);
    for (const target of Object.keys(depends?.conditions ?? {})) {
      if (onStack.has(target)) {
        const cycle = [...stack.slice(stack.indexOf(target)), target];
        const id = [...new Set(cycle)].sort().join('\u0000');
        if (!reported.has(id)) {
          reported.add(id);
          report.error(depends?.paths[target] ?? [], `dependency cycle: ${cycle.join(' -> ')}`, 'key');
        }
      } else if (!done.has(target) && graph.has(target)) {
        visit(target);
      }
    }
    stack.pop();
    onStack.delete(service);
    done.add(service);
  };

  for (const service of graph.keys()) if (!done.has(service)) visit(service);
}

// Top-level `networks:` → NetworkSpec (name, external in every syntax, internal, labels), and a
// service's `networks:` (a list, or a map with `aliases`) → ServiceSpec.networks. `default` is
// the project's default network; a service that names no network is on it alone.
import type { KeyPath } from './locate.js';
import { keyValuesToRecord } from './normalize-key-values.js';
import type { Reporter } from './report.js';
import { isReservedName, nullRecord, reservedNameMessage } from './reserved-names.js';
import { topNetworkSchema, type ServiceNetworksRaw } from './schema.js';
import { didYouMean } from './suggest.js';
import type { NetworkSpec, ServiceNetwork } from './types.js';
import { VOLUME_NAME } from './normalize-volumes.js';
import { validate } from './zod-issues.js';

/** `external: true`, `external: {name}` (old) or false → [external, the name it gives]. */
export function externalOf(raw: boolean | { name?: string | undefined } | undefined, at: KeyPath, report: Reporter): [boolean, string | undefined] {
  if (raw === undefined || raw === false) return [false, undefined];
  if (raw === true) return [true, undefined];
  report.warn(at, '`external: {name: …}` is the old syntax: write `external: true` and `name: …` (read as that)');
  return [true, raw.name];
}

export function normalizeTopNetworks(raw: Record<string, unknown> | null | undefined, project: string, report: Reporter): Record<string, NetworkSpec> {
  const out = nullRecord<NetworkSpec>();
  for (const [key, value] of Object.entries(raw ?? {})) {
    const at = ['networks', key];
    if (!VOLUME_NAME.test(key)) {
      report.error(at, `invalid network name "${key}" (letters, digits, _ . - only)`, 'key');
      continue;
    }
    if (isReservedName(key)) {
      report.error(at, reservedNameMessage('a network name', key), 'key');
      continue;
    }
    const network = validate(topNetworkSchema, value, at, report);
    if (network === undefined) continue;
    const [external, oldName] = externalOf(network?.external, [...at, 'external'], report);
    if (network?.driver !== undefined && network.driver !== 'bridge') {
      report.warn([...at, 'driver'], `network driver "${network.driver}" is not supported by Coursedock; a bridge network is used`);
    }
    out[key] = {
      key,
      dockerName: network?.name ?? oldName ?? (external ? key : key === 'default' ? `${project}_default` : `${project}_${key}`),
      external,
      internal: network?.internal ?? false,
      labels: keyValuesToRecord(network?.labels, [...at, 'labels'], report),
    };
  }
  return out;
}

export function normalizeServiceNetworks(
  raw: ServiceNetworksRaw | undefined,
  declared: Record<string, NetworkSpec>,
  at: KeyPath,
  report: Reporter,
): Record<string, ServiceNetwork> | undefined {
  if (raw === undefined) return undefined;
  const out = nullRecord<ServiceNetwork>();
  const entries: [string, KeyPath, string[]][] = Array.isArray(raw)
    ? raw.map((name, index) => [name, [...at, index], []])
    : Object.entries(raw).map(([name, value]) => [name, [...at, name], value?.aliases ?? []]);
  for (const [name, where, aliases] of entries) {
    if (name !== 'default' && !Object.hasOwn(declared, name)) {
      report.error(where, `network "${name}" is not declared in the top-level \`networks:\` section${didYouMean(name, Object.keys(declared))}`, 'key');
      continue;
    }
    out[name] = { aliases: [...new Set(aliases)] };
  }
  return out;
}

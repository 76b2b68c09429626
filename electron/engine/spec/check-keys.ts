// Every key of every object we understand is either supported (kept for zod), an `x-`
// extension (dropped), a valid Compose key we do not support yet (dropped with a warning, so
// nothing is ignored silently) or unknown (an error with a "did you mean" suggestion).
import type { KeyPath } from './locate.js';
import { formatPath } from './locate.js';
import type { Reporter } from './report.js';
import {
  bindShape,
  buildShape,
  connectionShape,
  courseMetaShape,
  dependsShape,
  deployShape,
  envFileEntryShape,
  fileGrantShape,
  healthcheckShape,
  resourceShape,
  resourcesShape,
  serviceNetworkShape,
  topFileShape,
  topNetworkShape,
  portShape,
  serviceMetaShape,
  serviceShape,
  topShape,
  topVolumeShape,
  variableShape,
  volumeMountShape,
  webShape,
} from './schema.js';
import { didYouMean } from './suggest.js';
import { isPlainObject, type Plain, type PlainObject } from './to-plain.js';

export interface KeyRule {
  known: readonly string[];
  /** Valid Compose keys that Coursedock does not support (yet): warnings. */
  unsupported?: readonly string[];
  /** Keys Compose itself ignores (`version`): warnings. */
  obsolete?: readonly string[];
  /** `object`: the value is checked with the rule; `each`: every list item or map value is. */
  children?: Readonly<Record<string, { object: KeyRule } | { each: KeyRule }>>;
}

const keys = (shape: object): string[] => Object.keys(shape);

// `extends`, `links` and `volumes_from` never reach this check: extends.ts and compose-v1.ts
// turn them into what they mean first.
const SERVICE_UNSUPPORTED = [
  'annotations', 'attach', 'blkio_config', 'cap_add', 'cap_drop', 'cgroup', 'cgroup_parent',
  'container_name', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime',
  'cpu_shares', 'cpuset', 'credential_spec', 'develop', 'device_cgroup_rules', 'devices',
  'dns', 'dns_opt', 'dns_search', 'domainname', 'driver_opts', 'expose', 'external_links',
  'extra_hosts', 'gpus', 'group_add', 'ipc', 'isolation', 'label_file', 'logging', 'mac_address',
  'mem_swappiness', 'memswap_limit', 'models', 'network_mode',
  'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform', 'post_start', 'pre_stop', 'privileged',
  'provider', 'read_only', 'runtime', 'scale', 'security_opt', 'stop_signal',
  'storage_opt', 'sysctls', 'tmpfs', 'ulimits', 'use_api_socket', 'userns_mode', 'uts',
];

const DEPLOY_UNSUPPORTED = ['mode', 'replicas', 'endpoint_mode', 'labels', 'placement', 'restart_policy', 'rollback_config', 'update_config'];

const BUILD_UNSUPPORTED = [
  'additional_contexts', 'cache_from', 'cache_to', 'dockerfile_inline', 'entitlements', 'extra_hosts',
  'isolation', 'labels', 'network', 'no_cache', 'platforms', 'privileged', 'pull', 'secrets', 'shm_size',
  'ssh', 'tags', 'ulimits',
];

export const volumeMountRule: KeyRule = {
  known: keys(volumeMountShape),
  unsupported: ['volume', 'tmpfs', 'image', 'consistency'],
  children: { bind: { object: { known: keys(bindShape), unsupported: ['propagation', 'selinux', 'recursive'] } } },
};

export const serviceRule: KeyRule = {
  known: keys(serviceShape),
  unsupported: SERVICE_UNSUPPORTED,
  children: {
    build: { object: { known: keys(buildShape), unsupported: BUILD_UNSUPPORTED } },
    ports: { each: { known: keys(portShape), unsupported: ['app_protocol', 'mode', 'name'] } },
    volumes: { each: volumeMountRule },
    depends_on: { each: { known: keys(dependsShape) } },
    healthcheck: { object: { known: keys(healthcheckShape), unsupported: ['start_interval'] } },
    env_file: { each: { known: keys(envFileEntryShape) } },
    secrets: { each: { known: keys(fileGrantShape) } },
    configs: { each: { known: keys(fileGrantShape) } },
    networks: { each: { known: keys(serviceNetworkShape), unsupported: ['ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'driver_opts', 'gw_priority', 'interface_name'] } },
    deploy: {
      object: {
        known: keys(deployShape),
        unsupported: DEPLOY_UNSUPPORTED,
        children: {
          resources: {
            object: {
              known: keys(resourcesShape),
              children: {
                limits: { object: { known: keys(resourceShape), unsupported: ['pids'] } },
                reservations: { object: { known: keys(resourceShape), unsupported: ['devices', 'generic_resources'] } },
              },
            },
          },
        },
      },
    },
  },
};

export const variableRule: KeyRule = { known: keys(variableShape) };

export const courseMetaRule: KeyRule = {
  known: keys(courseMetaShape),
  children: {
    variables: { each: variableRule },
    services: {
      each: {
        known: keys(serviceMetaShape),
        children: { web: { object: { known: keys(webShape) } }, connection: { object: { known: keys(connectionShape) } } },
      },
    },
  },
};

export const topRule: KeyRule = {
  known: keys(topShape),
  unsupported: ['include', 'models'],
  obsolete: ['version'],
  children: {
    services: { each: serviceRule },
    volumes: { each: { known: keys(topVolumeShape), unsupported: ['driver', 'driver_opts'] } },
    networks: { each: { known: keys(topNetworkShape), unsupported: ['driver_opts', 'ipam', 'enable_ipv4', 'enable_ipv6'] } },
    secrets: { each: { known: keys(topFileShape), unsupported: ['driver', 'driver_opts', 'template_driver'] } },
    configs: { each: { known: keys(topFileShape), unsupported: ['template_driver'] } },
    'x-coursedock': { object: courseMetaRule },
  },
};

/** Returns a copy of `value` without extension, unsupported and unknown keys, reporting them. */
export function checkKeys(value: PlainObject, rule: KeyRule, path: KeyPath, report: Reporter): PlainObject;
export function checkKeys(value: Plain, rule: KeyRule, path: KeyPath, report: Reporter): Plain;
export function checkKeys(value: Plain, rule: KeyRule, path: KeyPath, report: Reporter): Plain {
  if (!isPlainObject(value)) return value;
  const out: PlainObject = {};
  const where = path.length ? `in ${formatPath(path)}` : 'at the top level';
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, key];
    if (rule.known.includes(key)) {
      const nested = rule.children && Object.hasOwn(rule.children, key) ? rule.children[key] : undefined;
      if (!nested) out[key] = child;
      else if ('object' in nested) out[key] = checkKeys(child, nested.object, at, report);
      else out[key] = checkEach(child, nested.each, at, report);
    } else if (key.startsWith('x-')) {
      // Extension field: Compose and Coursedock both ignore it (it is often an anchor holder).
    } else if (rule.obsolete?.includes(key)) {
      report.warn(at, `\`${key}\` is obsolete in Compose and is ignored`, 'key');
    } else if (rule.unsupported?.includes(key)) {
      report.warn(at, `\`${key}\` is a Compose key that Coursedock does not support yet; it is ignored`, 'key');
    } else {
      const candidates = [...rule.known, ...(rule.unsupported ?? [])];
      report.error(at, `unknown key \`${key}\` ${where}${didYouMean(key, candidates)}`, 'key');
    }
  }
  return out;
}

export function checkEach(value: Plain, rule: KeyRule, path: KeyPath, report: Reporter): Plain {
  if (Array.isArray(value)) return value.map((item, index) => checkKeys(item, rule, [...path, index], report));
  if (!isPlainObject(value)) return value;
  const out: PlainObject = {};
  for (const [key, item] of Object.entries(value)) out[key] = checkKeys(item, rule, [...path, key], report);
  return out;
}

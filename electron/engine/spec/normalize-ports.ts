// ports: short ("8888", "8351:8888", "127.0.0.1:8351:8888", "[::1]:8351:8888/udp", 8888) and
// long ({target, published, host_ip, protocol}) syntax → PortSpec, loopback only.
import type { KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import type { PortLong } from './schema.js';
import { noteOrigin } from './spec-origins.js';
import type { PortSpec } from './types.js';

const EXAMPLES = 'e.g. "8888", "8351:8888" or "127.0.0.1:8351:8888"';

export function normalizePorts(items: readonly (string | number | PortLong)[], path: KeyPath, report: Reporter): PortSpec[] {
  const out: PortSpec[] = [];
  items.forEach((item, index) => {
    const port = normalizePort(item, [...path, index], report);
    if (port) out.push(noteOrigin(port, [...path, index]));
  });
  return out;
}

function normalizePort(item: string | number | PortLong, path: KeyPath, report: Reporter): PortSpec | undefined {
  if (typeof item === 'number') {
    const target = checkPortNumber(item, path, report);
    return target === undefined ? undefined : { target, hostIp: '127.0.0.1', protocol: 'tcp' };
  }
  if (typeof item === 'string') return parseShortPort(item, path, report);

  const target = checkPortNumber(item.target, [...path, 'target'], report);
  const published =
    item.published === undefined || item.published === ''
      ? undefined
      : parsePortText(String(item.published), [...path, 'published'], report);
  const hostIp = checkHostIp(item.host_ip, [...path, 'host_ip'], report);
  const protocol = checkProtocol(item.protocol, [...path, 'protocol'], report);
  if (target === undefined || published === null || hostIp === undefined || protocol === undefined) return undefined;
  return withPublished({ target, hostIp, protocol }, published);
}

function parseShortPort(text: string, path: KeyPath, report: Reporter): PortSpec | undefined {
  let rest = text.trim();
  let protocolText: string | undefined;
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocolText = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let ip: string | undefined;
  if (rest.startsWith('[')) {
    // Bracketed IPv6 host address: [::1]:8351:8888
    const close = rest.indexOf(']:');
    if (close < 0) {
      report.error(path, `invalid port "${text}" (${EXAMPLES})`);
      return undefined;
    }
    ip = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(':');
  if (ip === undefined && parts.length > 2) ip = parts.splice(0, parts.length - 2).join(':');
  if (parts.length > 2 || parts.some((part, i) => part === '' && !(i === 0 && parts.length === 2))) {
    report.error(path, `invalid port "${text}" (${EXAMPLES})`);
    return undefined;
  }
  const targetText = parts[parts.length - 1] ?? '';
  const publishedText = parts.length === 2 ? parts[0] : undefined;
  const target = parsePortText(targetText, path, report, text);
  const published = publishedText ? parsePortText(publishedText, path, report, text) : undefined;
  const hostIp = checkHostIp(ip, path, report);
  const protocol = checkProtocol(protocolText, path, report);
  if (target === null || published === null || hostIp === undefined || protocol === undefined) {
    return undefined;
  }
  return withPublished({ target, hostIp, protocol }, published);
}

function withPublished(port: PortSpec, published: number | undefined): PortSpec {
  return published === undefined ? port : { ...port, published };
}

/** A port written as text; null when it is wrong (and reported). */
function parsePortText(text: string, path: KeyPath, report: Reporter, whole?: string): number | null {
  const trimmed = text.trim();
  if (/^\d+-\d+$/.test(trimmed)) {
    report.error(path, `port ranges like "${trimmed}" are not supported; list each port separately`);
    return null;
  }
  if (!/^\d+$/.test(trimmed)) {
    report.error(path, `invalid port "${whole ?? text}" (${EXAMPLES})`);
    return null;
  }
  return checkPortNumber(Number(trimmed), path, report) ?? null;
}

function checkPortNumber(port: number, path: KeyPath, report: Reporter): number | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    report.error(path, `port ${port} is out of range (1-65535)`);
    return undefined;
  }
  return port;
}

function checkProtocol(text: string | undefined, path: KeyPath, report: Reporter): 'tcp' | 'udp' | undefined {
  const protocol = (text ?? 'tcp').toLowerCase();
  if (protocol === 'tcp' || protocol === 'udp') return protocol;
  report.error(path, `unsupported protocol "${text}" (use tcp or udp)`);
  return undefined;
}

/**
 * 127.0.0.1 when absent; any other loopback address kept. An empty or other address (which in
 * Compose means every network interface, or another one) is published on 127.0.0.1 instead,
 * with a warning: never on all interfaces from a student's computer.
 */
function checkHostIp(ip: string | undefined, path: KeyPath, report: Reporter): string | undefined {
  if (ip === undefined) return '127.0.0.1';
  const loopback = toLoopback(ip.trim());
  if (loopback) return loopback;
  const what = ip.trim() === '' ? 'an empty host address (in Compose: every network interface)' : `host address "${ip}"`;
  report.warn(
    path,
    `${what} is not this computer only: Coursedock publishes the port on 127.0.0.1 instead, ` +
      'so course services are never reachable from the network',
  );
  return '127.0.0.1';
}

export function toLoopback(ip: string): string | undefined {
  if (ip === 'localhost') return '127.0.0.1';
  if (ip === '::1' || ip === '[::1]') return '::1';
  const octets = ip.split('.');
  if (octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return ip;
  return undefined;
}

// Plain-text rendering of engine state for the terminal.
import type { ServiceState } from '../engine/state/service-state.js';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function formatPorts(s: ServiceState): string {
  return s.ports
    .map((p) => `${p.hostIp}:${p.hostPort}->${p.target}${p.requested ? ` (asked ${p.requested})` : ''}`)
    .join(', ');
}

export function statusTable(states: ServiceState[], titles: Record<string, string>): string {
  const rows = states.map((s) => [
    s.service,
    titles[s.service] ?? s.service,
    s.operation ? `${s.status} (${s.operation.kind}: ${s.operation.phase})` : s.unavailable ? 'not available' : s.status,
    formatPorts(s),
  ]);
  const head = ['SERVICE', 'TITLE', 'STATE', 'PORTS'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  for (const s of states) {
    if (s.lastError) out.push(`  ${s.service}: ${s.lastError}`);
    // webUrl carries no token (the engine keeps it); `status --json` is where it is shown.
    if (s.webUrl) out.push(`  ${s.service}: open ${s.webUrl}`);
  }
  return out.join('\n');
}

/** A web UI's full address, token included (as the README says `status --json` shows it). */
export function webUrlWithToken(webUrl: string, token: string | undefined): string {
  if (!token) return webUrl;
  const url = new URL(webUrl);
  url.searchParams.set('token', token);
  return url.href;
}

/** The JSON `status --json` prints: stable field names for scripts; `tokenOf` gives a web UI's token. */
export function statusJson(states: ServiceState[], tokenOf: (service: string) => string | undefined = () => undefined) {
  return states.map((s) => ({
    service: s.service,
    state: s.status,
    health: s.health ?? null,
    ports: s.ports.map((p) => ({
      host: p.hostIp,
      port: p.hostPort,
      target: p.target,
      protocol: p.protocol,
      ...(p.requested ? { requested: p.requested } : {}),
    })),
    lastError: s.lastError ?? null,
    unavailable: s.unavailable ?? false,
    url: s.webUrl ? webUrlWithToken(s.webUrl, tokenOf(s.service)) : null,
  }));
}

// Small formatting helpers: sizes, percentages, URLs with their secrets masked.

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** 0–100, or undefined when the total is unknown. */
export function percent(current: number | undefined, total: number | undefined): number | undefined {
  if (!total || total <= 0 || current === undefined) return undefined;
  return Math.max(0, Math.min(100, Math.round((current / total) * 100)));
}

const SECRET_PARAMS = /^(token|password|passwd|secret|access_token)$/i;
export const MASK = '••••••••';

/** The URL as a person may see it: token-like query values and passwords replaced by dots. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    let masked = `${u.protocol}//`;
    if (u.username) masked += `${u.username}${u.password ? `:${MASK}` : ''}@`;
    masked += `${u.host}${u.pathname}`;
    const params = [...u.searchParams.entries()].map(([k, v]) => `${k}=${SECRET_PARAMS.test(k) ? MASK : encodeURIComponent(v)}`);
    if (params.length) masked += `?${params.join('&')}`;
    return masked + (u.hash ? u.hash : '');
  } catch {
    return url.replace(/([?&](?:token|password)=)[^&#]*/gi, `$1${MASK}`);
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

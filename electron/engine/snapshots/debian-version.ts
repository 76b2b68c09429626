// Debian version order (`dpkg --compare-versions`), so the course-reference report can say
// whether the image has a newer or an older version of a package than the course's reference
// (newer: a security update; older: an image built from an older archive). Pure.
// The algorithm is Debian Policy §5.6.12: [epoch:]upstream[-revision], compared part by part;
// in each part, non-digit runs compare by a modified ASCII order ('~' before everything, even
// the end; letters before other characters) and digit runs compare numerically.

interface DebianVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

function parse(v: string): DebianVersion {
  const colon = v.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(v.slice(0, colon)) ? Number(v.slice(0, colon)) : 0;
  const rest = colon > 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) } : { epoch, upstream: rest, revision: '' };
}

/** The weight of one character in a non-digit run; 0 stands for "the run has ended". */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

const isDigit = (c: string | undefined): c is string => c !== undefined && c >= '0' && c <= '9';

function compareParts(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // The non-digit run.
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ca = i < a.length && !isDigit(a[i]) ? a[i] : undefined;
      const cb = j < b.length && !isDigit(b[j]) ? b[j] : undefined;
      const d = order(ca) - order(cb);
      if (d !== 0) return d < 0 ? -1 : 1;
      if (ca !== undefined) i++;
      if (cb !== undefined) j++;
    }
    // The digit run, numerically (leading zeros ignored; no overflow for long runs).
    let da = '';
    let db = '';
    for (let c = a[i]; isDigit(c); c = a[++i]) da += c;
    for (let c = b[j]; isDigit(c); c = b[++j]) db += c;
    da = da.replace(/^0+/, '');
    db = db.replace(/^0+/, '');
    if (da.length !== db.length) return da.length < db.length ? -1 : 1;
    if (da !== db) return da < db ? -1 : 1;
  }
  return 0;
}

/** -1, 0 or 1, as `dpkg --compare-versions a lt|eq|gt b` would answer. */
export function compareDebianVersions(a: string, b: string): -1 | 0 | 1 {
  const x = parse(a);
  const y = parse(b);
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  return (compareParts(x.upstream, y.upstream) || compareParts(x.revision, y.revision)) as -1 | 0 | 1;
}

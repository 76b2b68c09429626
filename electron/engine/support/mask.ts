// Secrets out of everything the support bundle writes. Two layers:
// 1. Known secrets: every value this install knows to be secret (the spec's token variables,
//    connection passwords, environment values under a secret-sounding name, passwords inside
//    URLs) is replaced wherever it appears, in any text (logs, inspect output, the spec).
// 2. Shapes: values under a secret-sounding key (`password`, `*_PASSWORD`, `*TOKEN*`, `secret`…),
//    `scheme://user:password@` in URLs and `name=value` pairs with such a name (`?token=…`,
//    `PGPASSWORD=…`) are masked even when the value was not known in advance.
import { parseDocument, isScalar, visit } from 'yaml';
import type { CourseSpec } from '../spec/types.js';

export const MASK = '***';

/** Keys whose values are secret (`password`, `PGPASSWORD`, `DB_PASS`, `*TOKEN*`, …; not `pass` alone, a check count). */
export const SECRET_KEY = /pass(word|wd|phrase)|[-_.]pass$|pwd|secret|token|api[-_]?key|private[-_]?key|credential/i;

/** `scheme://user:password@` → `scheme://user:***@`. */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*):([^\s@/'"]+)@/gi;

/** `name=value` (query strings, environment lists, command lines) with a secret-sounding name. */
const SECRET_ASSIGN = /\b([a-z0-9_.-]*(?:password|passwd|pwd|token|secret|api[-_]?key)[a-z0-9_]*)=([^\s&"',;]+)/gi;

/** A pure `${VAR}` reference says where a secret comes from, not what it is: kept. */
const REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-?+][^}]*)?\}$/;

/** Secrets shorter than this are not searched for in free text (they would mask half the words). */
const MIN_SECRET_LENGTH = 4;

export class Masker {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string>) {
    const unique = new Set<string>();
    for (const s of secrets) {
      if (typeof s !== 'string' || s.length < MIN_SECRET_LENGTH) continue;
      unique.add(s);
      // The same secret as it appears in URLs and JSON.
      unique.add(encodeURIComponent(s));
      unique.add(JSON.stringify(s).slice(1, -1));
    }
    // Longest first: a secret containing another is replaced whole.
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
  }

  /** Every known secret and every secret shape in `text` replaced by ***. */
  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
    out = out.replace(URL_USERINFO, (_m, head: string) => `${head}:${MASK}@`);
    out = out.replace(SECRET_ASSIGN, (_m, name: string) => `${name}=${MASK}`);
    return out;
  }

  /** A deep copy of `value` with secrets masked: values under secret keys, and all strings. */
  value(value: unknown, key?: string): unknown {
    if (key !== undefined && SECRET_KEY.test(key) && isSecretValue(value)) return MASK;
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.value(v, k);
      return out;
    }
    return value;
  }

  /**
   * A YAML text (the spec as written) with secrets masked and everything else (comments, order,
   * layout) kept: values under secret keys, and every string through `text`.
   */
  yaml(source: string): string {
    const doc = parseDocument(source, { keepSourceTokens: false });
    if (doc.errors.length) return this.text(source);
    visit(doc, {
      Pair: (_key, pair) => {
        if (isScalar(pair.key) && SECRET_KEY.test(String(pair.key.value)) && isScalar(pair.value) && isSecretValue(pair.value.value)) {
          pair.value.value = MASK;
        }
      },
      Scalar: (_key, node) => {
        if (typeof node.value === 'string') node.value = this.text(node.value);
      },
    });
    return this.text(doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
  }
}

function isSecretValue(value: unknown): boolean {
  if (typeof value === 'number') return true;
  return typeof value === 'string' && value !== '' && value !== MASK && !REFERENCE.test(value.trim());
}

/** Passwords inside URLs (`scheme://user:password@host`). */
export function urlPasswords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(URL_USERINFO)) {
    const raw = m[2] ?? '';
    out.push(raw);
    try {
      const decoded = decodeURIComponent(raw);
      if (decoded !== raw) out.push(decoded);
    } catch {
      // not percent-encoded
    }
  }
  return out;
}

/**
 * The secrets of an environment: values of its token variables, connection passwords,
 * environment values under secret-sounding names, passwords inside any environment value's URL,
 * and (optionally) more values, e.g. from the settings.
 */
export function secretsOf(spec: CourseSpec, variables: Record<string, string | undefined>, more: Iterable<string> = []): string[] {
  const out: string[] = [...more];
  for (const v of spec.meta.variables) {
    const value = variables[v.name];
    if (value && (v.kind === 'token' || SECRET_KEY.test(v.name))) out.push(value);
  }
  for (const svc of Object.values(spec.services)) {
    if (svc.meta.connection?.password) out.push(svc.meta.connection.password);
    for (const [key, value] of Object.entries(svc.environment)) {
      if (SECRET_KEY.test(key) && value) out.push(value);
      out.push(...urlPasswords(value));
    }
  }
  return out;
}

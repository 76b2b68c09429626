// The panel's Content-Security-Policy (the desktop header and the page's own <meta> policy) and
// permission table.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../engine/testing/course-copy.js';
import { APP_CSP, APP_CSP_DIRECTIVES, PAGE_META_CSP, PAGE_META_CSP_DIRECTIVES, WEB_UI_FRAME_SOURCES, withAppSecurityHeaders } from './csp.js';
import { permissionAllowed } from './permission-policy.js';

const directive = (name: string) => APP_CSP.split('; ').find((d) => d.split(' ')[0] === name);

describe('panel CSP', () => {
  it('starts from nothing and allows only our own scripts', () => {
    expect(APP_CSP.startsWith("default-src 'none'; ")).toBe(true);
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(APP_CSP).not.toContain('unsafe-eval');
    expect(APP_CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(APP_CSP).not.toMatch(/(^|\s)\*(\s|;|$)/);
    expect(APP_CSP).not.toMatch(/\bhttps?:|\bws:|\bwss:/);
  });

  it.each([
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
    ['frame-src', "'none'"],
    ['img-src', "'self' data:"],
    ['style-src', "'self' 'unsafe-inline'"],
    ['connect-src', "'self'"],
  ])('%s %s', (name, value) => {
    expect(directive(name)).toBe(`${name} ${value}`);
  });

  it('names each directive once', () => {
    const names = APP_CSP_DIRECTIVES.map((d) => d[0]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('replaces whatever policy a response had, whatever its header case, and keeps other headers', () => {
    const out = withAppSecurityHeaders({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    expect(out['Content-Security-Policy']).toEqual([APP_CSP]);
    expect(out['content-security-policy']).toBeUndefined();
    expect(out['Content-Type']).toEqual(['text/html']);
    expect(out['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(withAppSecurityHeaders(undefined)['Content-Security-Policy']).toEqual([APP_CSP]);
  });
});

/** The content of every CSP <meta> in the panel's page, as written in the file. */
function metaPolicies(): string[] {
  const html = readFileSync(path.join(REPO_ROOT, 'renderer/index.html'), 'utf8');
  const metas = html.match(/<meta\b[^>]*>/gi) ?? [];
  return metas
    .filter((m) => /http-equiv\s*=\s*"content-security-policy"/i.test(m))
    .map((m) => /content\s*=\s*"([^"]*)"/i.exec(m)?.[1] ?? '');
}

type Policy = Map<string, string[]>;
const parse = (csp: string): Policy => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([n, ...v]) => [n!.toLowerCase(), v]));

/** The sources a policy allows for a fetch directive, following CSP's fallbacks. */
function effective(p: Policy, name: string): string[] {
  const fallbacks: Record<string, string[]> = { 'frame-src': ['child-src'], 'worker-src': ['child-src', 'script-src'] };
  for (const n of [name, ...(fallbacks[name] ?? []), 'default-src']) {
    const v = p.get(n);
    if (v) return v;
  }
  return ['*'];
}

const FETCH_DIRECTIVES = ['script-src', 'style-src', 'img-src', 'font-src', 'connect-src', 'worker-src', 'manifest-src', 'media-src', 'frame-src', 'child-src', 'object-src'];

describe("the page's <meta> policy (renderer/index.html)", () => {
  it('is there once and says exactly PAGE_META_CSP', () => {
    expect(metaPolicies()).toEqual([PAGE_META_CSP]);
  });

  it('is as strict as the header, frames aside: no source the header does not allow', () => {
    const meta = parse(PAGE_META_CSP);
    const header = parse(APP_CSP);
    for (const name of [...FETCH_DIRECTIVES.filter((n) => n !== 'frame-src'), 'base-uri', 'form-action']) {
      const allowed = name === 'base-uri' || name === 'form-action' ? header.get(name)! : effective(header, name);
      const given = name === 'base-uri' || name === 'form-action' ? meta.get(name) : effective(meta, name);
      expect(given, name).toBeDefined();
      for (const source of given!) expect(allowed, `${name} ${source}`).toContain(source);
    }
    expect(meta.get('default-src')).toEqual(["'none'"]);
  });

  it('frames only the loopback web UIs, each on its own port; nothing wider', () => {
    const meta = parse(PAGE_META_CSP);
    expect(WEB_UI_FRAME_SOURCES).toEqual(['http://127.0.0.1:*']);
    expect(effective(meta, 'frame-src')).toEqual(['http://127.0.0.1:*']);
    expect(effective(meta, 'child-src')).toEqual(["'none'"]);
    // The header is stricter still: the desktop window frames nothing at all.
    expect(effective(parse(APP_CSP), 'frame-src')).toEqual(["'none'"]);
  });

  it('allows no WebSocket to any host, no wildcard host, no eval or inline script', () => {
    expect(PAGE_META_CSP).not.toMatch(/\bwss?:/);
    expect(PAGE_META_CSP).not.toMatch(/(^|\s)\*(\s|;|$)/);
    expect(PAGE_META_CSP).not.toMatch(/https?:\/\/(?!127\.0\.0\.1:\*)|\bhttps?:(\s|;|$)/);
    expect(PAGE_META_CSP).not.toContain('unsafe-eval');
    expect(effective(parse(PAGE_META_CSP), 'script-src')).toEqual(["'self'"]);
    expect(effective(parse(PAGE_META_CSP), 'connect-src')).toEqual(["'self'"]);
  });

  it('carries no directive that only a header may (a browser would ignore it there)', () => {
    const names = PAGE_META_CSP_DIRECTIVES.map((d) => d[0]);
    for (const n of ['frame-ancestors', 'report-uri', 'report-to', 'sandbox']) expect(names).not.toContain(n);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'display-capture', 'hid', 'serial', 'usb', 'idle-detection', 'window-management', 'clipboard-read', 'storage-access', 'unknown', 'speaker-selection', 'top-level-storage-access'])(
    '%s is denied everywhere',
    (permission) => {
      expect(permissionAllowed('panel', permission)).toBe(false);
      expect(permissionAllowed('notebook', permission)).toBe(false);
    },
  );

  it('writing to the clipboard is allowed (Copy buttons, copying from a notebook)', () => {
    expect(permissionAllowed('panel', 'clipboard-sanitized-write')).toBe(true);
    expect(permissionAllowed('notebook', 'clipboard-sanitized-write')).toBe(true);
  });
});

// The panel's Content-Security-Policy and permission table.
import { describe, expect, it } from 'vitest';
import { APP_CSP, APP_CSP_DIRECTIVES, withAppSecurityHeaders } from './csp.js';
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

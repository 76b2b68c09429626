// Which web permissions the desktop's pages get: none, except writing to the clipboard (the
// panel's Copy buttons, copying from a notebook). Camera, microphone, geolocation,
// notifications, MIDI, HID/serial/USB, pointer lock, opening external protocols, screen
// capture and every permission Chromium adds later are denied because they are not listed.
// Pure, so the table is unit-tested; wired in electron/desktop/security.ts for both the
// panel's session and the notebook's partition.

export type PageKind = 'panel' | 'notebook';

const ALLOWED: Record<PageKind, ReadonlySet<string>> = {
  panel: new Set(['clipboard-sanitized-write']),
  notebook: new Set(['clipboard-sanitized-write']),
};

export function permissionAllowed(kind: PageKind, permission: string): boolean {
  return ALLOWED[kind].has(permission);
}

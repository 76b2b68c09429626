// Which shell the "This computer" terminal starts, per platform: macOS's is a login shell, so
// the student's profile puts docker and brew on PATH (an app opened from the Finder has a bare PATH).
import { describe, expect, it } from 'vitest';
import { defaultShell, hostShellArgs } from './host-shell.js';

describe('host shell', () => {
  it('macOS: the user\'s shell (zsh when unset) as a login shell', () => {
    expect(defaultShell({}, 'darwin')).toBe('/bin/zsh');
    expect(defaultShell({ SHELL: '/opt/homebrew/bin/fish' }, 'darwin')).toBe('/opt/homebrew/bin/fish');
    expect(hostShellArgs('darwin')).toEqual(['-l']);
  });

  it('Linux: the user\'s shell (bash when unset), as a terminal emulator starts it; Windows: COMSPEC', () => {
    expect(defaultShell({}, 'linux')).toBe('/bin/bash');
    expect(hostShellArgs('linux')).toEqual([]);
    expect(defaultShell({ COMSPEC: 'C:\\Windows\\system32\\cmd.exe' }, 'win32')).toBe('C:\\Windows\\system32\\cmd.exe');
    expect(hostShellArgs('win32')).toEqual([]);
  });
});

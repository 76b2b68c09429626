// MenuActions whose every action is a vitest mock, for the menu and tray tests. Mocks as
// properties (not methods), so a test can hand one to expect().
import { vi } from 'vitest';
import type { MenuActions } from '../menu.js';

export const mockMenuActions = () =>
  ({
    startAll: vi.fn(),
    stopAll: vi.fn(),
    openNotebook: vi.fn(),
    showWindow: vi.fn(),
    openDataFolder: vi.fn(),
    forgetQuitChoice: vi.fn(),
    quit: vi.fn(),
  }) satisfies MenuActions;

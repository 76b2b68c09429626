// An engine with no Docker behind it: its endpoint is a socket that does not exist, so it stays
// "unreachable". For tests of what sits above the engine (the contract, the shells, spec and
// settings handling) that must run anywhere, Docker or not.
import path from 'node:path';
import { Engine } from '../engine.js';
import { FileSettingsStore } from '../settings/settings-store.js';

export interface OfflineEngineOptions {
  /** Where courses are looked up; `<root>/specs` by default. */
  specsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** The settings store; a settings.json in `root` by default. */
  store?: FileSettingsStore;
}

export function offlineEngine(root: string, options: OfflineEngineOptions = {}): Engine {
  return new Engine({
    store: options.store ?? new FileSettingsStore(path.join(root, 'settings.json')),
    specsDir: options.specsDir ?? path.join(root, 'specs'),
    env: options.env ?? {},
    discovery: () => ({ env: {}, home: root, platform: 'linux', configured: `unix://${root}/no-docker.sock` }),
  });
}

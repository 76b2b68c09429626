// One of several processes racing on one settings file (settings-race.test.ts): for each round
// it makes-or-reads a shared token (as a first run does) and sets a key of its own, through a
// fresh store each time, as a newly started CLI command would. Prints the tokens it got as
// JSON on stdout. Argv: <settings file> <child id> <rounds> <file|desktop>.
import Conf from 'conf';
import path from 'node:path';
import { ElectronSettingsStore, sharedStoreOptions } from '../../../desktop/settings-adapter.js';
import { FileSettingsStore, type SettingsStore } from '../settings-store.js';
import { envKey, storedOrNewToken } from '../variables.js';

const [file, id, roundsText, kind] = process.argv.slice(2) as [string, string, string, string];
const open = (): SettingsStore =>
  kind === 'desktop'
    ? new ElectronSettingsStore(new Conf<Record<string, unknown>>(sharedStoreOptions(path.dirname(file))))
    : new FileSettingsStore(file);

const seen: string[] = [];
for (let round = 0; round < Number(roundsText); round++) {
  const store = open();
  seen.push(storedOrNewToken(store, envKey('race', 'variables', `TOKEN_${round}`)));
  store.set(envKey('race', 'children', id, `round${round}`), round);
}
process.stdout.write(JSON.stringify(seen));

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Screenshots of the main states, for people to look at (not committed). */
export const SCREENS_DIR = path.join(REPO_ROOT, 'test-results/screens');

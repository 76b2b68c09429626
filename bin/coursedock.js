#!/usr/bin/env node
// `npx coursedock …`: runs the TypeScript CLI directly through tsx, so the repository needs no
// build step before it can be used.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

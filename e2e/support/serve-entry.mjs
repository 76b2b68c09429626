#!/usr/bin/env node
// `coursedock serve` for the end-to-end tests: the same serveMain the CLI calls, started
// directly. (bin/coursedock.js's top-level argument parser rejects serve's own options such as
// --course and --port; once it passes them through, the fixture can use the CLI instead.)
import { register } from 'tsx/esm/api';

register();
const { serveMain } = await import('../../electron/serve/serve-main.ts');
process.exitCode = await serveMain(process.argv.slice(2));

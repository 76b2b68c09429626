// "Check my environment": the spec's declared checks, run inside the running services.
export { runChecks, probePort, type RunChecksOptions } from './run-checks.js';
export { formatCheckReport } from './format.js';
export type { CheckReport, CheckResult, CheckStatus } from './types.js';

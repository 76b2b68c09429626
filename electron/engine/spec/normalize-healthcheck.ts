// healthcheck → Docker's form: test ['CMD', …] / ['CMD-SHELL', '…'] / ['NONE'] (or [] to keep
// the image's own test while overriding its timings), durations in milliseconds.
import type { KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import type { HealthcheckRaw } from './schema.js';
import type { HealthcheckSpec } from './types.js';
import { parseDurationMs } from './units.js';

export function normalizeHealthcheck(raw: HealthcheckRaw, path: KeyPath, report: Reporter): HealthcheckSpec {
  const spec: HealthcheckSpec = { test: testOf(raw, path, report) };
  const interval = durationMs(raw.interval, [...path, 'interval'], report);
  const timeout = durationMs(raw.timeout, [...path, 'timeout'], report);
  const startPeriod = durationMs(raw.start_period, [...path, 'start_period'], report);
  if (interval !== undefined) spec.intervalMs = interval;
  if (timeout !== undefined) spec.timeoutMs = timeout;
  if (startPeriod !== undefined) spec.startPeriodMs = startPeriod;
  if (raw.retries !== undefined) spec.retries = raw.retries;
  return spec;
}

function testOf(raw: HealthcheckRaw, path: KeyPath, report: Reporter): string[] {
  if (raw.disable) return ['NONE'];
  const test = raw.test;
  if (test === undefined) return [];
  if (typeof test === 'string') {
    if (test.trim() === '') report.error([...path, 'test'], 'healthcheck test is empty');
    return ['CMD-SHELL', test];
  }
  const first = test[0];
  if (first === 'NONE') return ['NONE'];
  if ((first !== 'CMD' && first !== 'CMD-SHELL') || test.length < 2) {
    report.error([...path, 'test'], 'a healthcheck test list must start with "CMD" or "CMD-SHELL" followed by the command (or be ["NONE"])');
  }
  return [...test];
}

/** A Compose duration ("1m30s") in ms; reports and returns undefined when invalid. */
export function durationMs(text: string | undefined, path: KeyPath, report: Reporter): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDurationMs(text);
  if (ms === undefined) report.error(path, `invalid duration "${text}" (use e.g. 30s, 1m30s or 500ms)`);
  return ms;
}

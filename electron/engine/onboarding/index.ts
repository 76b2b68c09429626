// Engine onboarding: from "no Docker" to a running engine (see onboarding.ts).
export { detectEngines, type DetectedEngine, type OnboardingReport, type StartAction, type Blocker, type Situation } from './detect.js';
export { Onboarding, onboardingFor, type OnboardingView } from './onboarding.js';
export { loadRecordedProbes, recordedFixtureNames } from './recorded-probes.js';
export { gatherProbes, hostOs } from './gather-probes.js';
export type { HostProbes } from './probes.js';
export type { InstallChoice } from './install-choices.js';

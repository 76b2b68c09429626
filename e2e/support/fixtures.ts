// Playwright fixtures: a private copy of the course (own project name, settings and notebooks
// folder, removed with its containers and volumes afterwards), the browser shell serving it,
// and the panel's page object. Every test needs a Docker engine unless its spec says
// `test.use({ needsDocker: false })`: without one it is skipped with the reason, or fails when
// COURSEDOCK_REQUIRE_DOCKER=1 (npm test, CI) says a missing engine is a failure.
import { test as base } from '@playwright/test';
import { copyCourse, type CourseCopy } from '../../electron/engine/testing/course-copy.js';
import { PanelPage } from '../pages/panel.js';
import { DOCKER_REQUIRED, dockerProblem, removeProject } from './docker.js';
import { startShell, type Shell } from './shell.js';

export interface Fixtures {
  course: CourseCopy;
  /** Services of SLOW_SERVICES the course copy keeps (default none: OpenRefine only where a test is about it). */
  withSlow: string[];
  /** Extra environment for the shell (e.g. COURSEDOCK_DOCKER_HOST). */
  shellEnv: Record<string, string>;
  shell: Shell;
  panel: PanelPage;
  /** Whether the tests need a Docker engine (default true). */
  needsDocker: boolean;
  /** Automatic: skips (or, when Docker is required, fails) a test needing Docker where none answers. */
  dockerGate: undefined;
}

/**
 * A `course` fixture: the copy `make` returns, removed with its containers and volumes after the
 * test. Playwright reads a fixture's dependencies from its first parameter, which must be a
 * destructuring: every course fixture takes `withSlow`, so none needs an empty `{}`.
 */
export function courseFixture(make: (withSlow: string[]) => CourseCopy | Promise<CourseCopy>) {
  return async ({ withSlow }: { withSlow: string[] }, use: (copy: CourseCopy) => Promise<void>): Promise<void> => {
    const copy = await make(withSlow);
    try {
      await use(copy);
    } finally {
      removeProject(copy.project);
      copy.cleanup();
    }
  };
}

export const test = base.extend<Fixtures>({
  needsDocker: [true, { option: true }],
  dockerGate: [
    async ({ needsDocker }, use, testInfo) => {
      const problem = needsDocker ? dockerProblem() : undefined;
      if (problem && DOCKER_REQUIRED) {
        throw new Error(`This test needs a Docker engine and COURSEDOCK_REQUIRE_DOCKER=1 makes a missing one a failure: ${problem}`);
      }
      testInfo.skip(problem !== undefined, `needs a running Docker engine: ${problem}`);
      await use(undefined);
    },
    { auto: true },
  ],
  withSlow: [[], { option: true }],
  course: courseFixture((withSlow) => copyCourse('tm351', 'cde2e', { withSlow })),
  shellEnv: [{}, { option: true }],
  shell: async ({ course, shellEnv }, use, testInfo) => {
    const shell = await startShell({ course: course.dir, env: { ...course.env, ...shellEnv } });
    try {
      await use(shell);
    } finally {
      await shell.stop();
      await testInfo.attach('coursedock-serve.log', { body: shell.output(), contentType: 'text/plain' });
    }
  },
  panel: async ({ page, shell }, use) => {
    const panel = new PanelPage(page);
    await panel.open(shell.url);
    await use(panel);
  },
});

export { expect } from '@playwright/test';

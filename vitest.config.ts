import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs without Docker (fast, pure); `docker` talks to the real engine and
// the locally built course images, so it runs files one at a time to keep the engine calm.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
          exclude: ['**/*.docker.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'docker',
          include: ['electron/**/*.docker.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

/** Unit tests: shared code and the engine, under Node, with real SQLite files in temp folders. */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
  },
});

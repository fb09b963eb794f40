import { defineConfig } from '@playwright/test';

/**
 * UI tests: the real renderer in Chromium against the real browser host (built by `npm run build`).
 *
 * Chromium is Debian's (`/usr/bin/chromium`, or `CHROMIUM_PATH`); Playwright never downloads one.
 */
export default defineConfig({
  testDir: 'tests',
  testMatch: ['ui/**/*.spec.ts', 'electron/**/*.spec.ts'],
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});

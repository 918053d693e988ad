import { defineConfig } from '@playwright/test';

// The stock apps scripts/test-adoption builds, served on :7007 one after the
// other (new frontend system, then legacy), in Debian's Chromium.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.ADOPTION_RESULTS ??
          '../node_modules/.cache/e2e/adoption.json',
      },
    ],
  ],
  outputDir: '../node_modules/.cache/e2e/adoption-artifacts',
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    },
  },
  projects: [
    {
      name: 'new frontend system',
      use: { browserName: 'chromium', baseURL: 'http://localhost:7007' },
    },
    {
      name: 'legacy frontend system',
      use: { browserName: 'chromium', baseURL: 'http://localhost:7007' },
    },
  ],
});

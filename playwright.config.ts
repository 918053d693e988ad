import { defineConfig } from '@playwright/test';

// Drives Debian's Chromium (never a downloaded browser) against the built app
// served by the backend on :7007; scripts/test builds the app first.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  // The deploy journey (three Maven builds run as local JVMs, several
  // minutes) joins the default run once it has a place in the CI time
  // budget; PAVED_ROAD_DEPLOY_E2E=1 runs it.
  testIgnore:
    process.env.PAVED_ROAD_DEPLOY_E2E === '1' ? [] : ['deploy.test.ts'],
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: 'node_modules/.cache/e2e/results.json' }],
  ],
  outputDir: 'node_modules/.cache/e2e/artifacts',
  webServer: process.env.PLAYWRIGHT_URL
    ? []
    : [
        {
          command:
            'yarn start --config ../../app-config.yaml --config ../../app-config.e2e.yaml',
          cwd: 'packages/backend',
          url: 'http://localhost:7007/.backstage/health/v1/readiness',
          reuseExistingServer: false,
          timeout: 180_000,
          stdout: 'ignore',
          stderr: 'pipe',
        },
      ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});

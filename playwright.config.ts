import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: the real renderer (built to out/renderer) served by a real Bullpen
 * server per test, driven in Debian's Chromium with fake audio devices. The browser and its
 * fake-microphone tone are set up by the fixtures in tests/e2e/fixtures.ts.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Each test runs a server plus two or three browser contexts doing WebRTC. On the 2-core
  // CI machine one worker finishes sooner than two competing for the CPU; raise it on bigger
  // machines with E2E_WORKERS.
  workers: Number(process.env.E2E_WORKERS ?? 1),
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 15_000,
  },
});

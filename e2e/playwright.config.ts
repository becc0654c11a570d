// Playwright journeys against a real server (started by `cargo xtask test`,
// which passes its address in BASE_URL) and Debian's Chromium (CHROMIUM_PATH):
// Playwright's own browser download is not reachable from this machine.
import { defineConfig } from '@playwright/test';

const baseURL = process.env.BASE_URL;
if (!baseURL) {
  throw new Error('BASE_URL is not set: run the journeys with `cargo xtask test`');
}

export default defineConfig({
  testDir: '.',
  outputDir: 'test-results',
  reporter: [['list']],
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    // A mid-range phone: 390×844 CSS pixels, touch.
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});

// The browser benchmarks of `cargo xtask bench`: the journeys' server, browser
// and phone (playwright.config.ts), but the tests of bench/ and a longer time
// limit. They measure; they fail only when the app does not do what is timed.
import { defineConfig } from '@playwright/test';
import journeys from './playwright.config';

export default defineConfig({
  ...journeys,
  testDir: './bench',
  testMatch: '*.bench.ts',
  outputDir: 'test-results/bench',
  timeout: 600_000,
});

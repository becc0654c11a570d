// How long the app takes to start on a slow phone: Chromium's CPU slowed
// 4× (DevTools' throttling), the phone's viewport, the release app from the
// real server on this machine (so no network delay is counted: a cold start
// over a phone network adds the transfer of the bundle, see its size).
//
// - Cold: a new browser profile (nothing cached, no service worker) loads
//   the home page until the app is mounted and answers taps (not the
//   copy of the home page index.html shows meanwhile).
// - Warm offline: the same, on a phone that has run the app once, with the
//   network cut: the service worker serves the app from its cache.
//
// Timed from the node side, from the navigation's start to the heading
// being visible: it includes a few milliseconds of Playwright's own work.
import { expect, test, type Browser, type Page } from '@playwright/test';
import journeys from '../playwright.config';

const RUNS = 7;
const THROTTLE = 4;

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function phone(browser: Browser, baseURL: string) {
  // The journeys' phone.
  const { viewport, deviceScaleFactor, isMobile, hasTouch, locale } = journeys.use!;
  const context = await browser.newContext({ baseURL, viewport, deviceScaleFactor, isMobile, hasTouch, locale });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  return { context, page };
}

// Until the app answers taps: its heading, and its language button
// enabled (the copy of the home page that a phone keeping nothing shows
// while the app loads, index.html's, has the heading too but its buttons
// disabled: it is not the app started).
async function timeStart(page: Page, load: () => Promise<unknown>) {
  const start = Date.now();
  await load();
  await expect(page.getByRole('heading', { name: 'Bureau de vote' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'English' })).toBeEnabled();
  await expect(page.locator('[data-cold]')).toHaveCount(0);
  return Date.now() - start;
}

test('cold start and warm offline start, at 4× CPU throttling', async ({ browser, baseURL }) => {
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, page } = await phone(browser, baseURL!);
    cold.push(await timeStart(page, () => page.goto('/')));
    await context.close();
  }

  const warm: number[] = [];
  const { context, page } = await phone(browser, baseURL!);
  await page.goto('/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  await context.setOffline(true);
  for (let i = 0; i < RUNS; i++) {
    warm.push(await timeStart(page, () => page.reload()));
  }
  await context.close();

  console.log(
    `cold start (new profile) to the app's home, CPU ${THROTTLE}× slower: median ${median(cold)} ms, ` +
      `min ${Math.min(...cold)}, max ${Math.max(...cold)} (${RUNS} runs; goal ≤ 2000 ms)`,
  );
  console.log(
    `warm start offline (service worker) to the app's home, CPU ${THROTTLE}× slower: median ${median(warm)} ms, ` +
      `min ${Math.min(...warm)}, max ${Math.max(...warm)} (${RUNS} runs; goal ≤ 300 ms)`,
  );
});

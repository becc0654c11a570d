// The bureau home page, as a volunteer meets it on a phone.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './helpers';

const FR_TITLE = 'Bureau de vote';
const EN_TITLE = 'Polling station';

async function expectNoSideScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
}

test('an unenrolled phone opens on the home screen in French', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('main', { name: FR_TITLE })).toBeVisible();
  await expect(
    page.getByRole('heading', { level: 2, name: 'Ce téléphone n’est rattaché à aucun bureau' }),
  ).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('button', { name: 'Français' })).toHaveAttribute('aria-pressed', 'true');
  await expectNoSideScroll(page);
  for (const name of ['Français', 'English']) {
    const box = await page.getByRole('button', { name }).boundingBox();
    expect(box, `${name} is on screen`).not.toBeNull();
    expect(box!.height, `${name} is tall enough to tap`).toBeGreaterThanOrEqual(48);
    expect(box!.width, `${name} is wide enough to tap`).toBeGreaterThanOrEqual(48);
  }
  await page.screenshot({ path: test.info().outputPath('home-fr.png'), fullPage: true });
  await expectAccessible(page, 'home-fr');
});

test('a tap on English translates the screen and survives a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('main', { name: FR_TITLE })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).tap();
  await expect(page.getByRole('main', { name: EN_TITLE })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(
    page.getByRole('heading', { level: 2, name: 'This phone is not linked to any polling station' }),
  ).toBeVisible();
  await page.reload();
  await expect(page.getByRole('main', { name: EN_TITLE })).toBeVisible();
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: test.info().outputPath('home-en.png'), fullPage: true });
  await expectAccessible(page, 'home-en');
  await page.getByRole('button', { name: 'Français' }).tap();
  await expect(page.getByRole('main', { name: FR_TITLE })).toBeVisible();
});

test('the smallest phone (360 px) shows the home screen without side scroll', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await page.goto('/');
  await expect(page.getByRole('main', { name: FR_TITLE })).toBeVisible();
  await expectNoSideScroll(page);
});

test('when the phone refuses to store the choice, it says so and keeps the screen as it was', async ({ page }) => {
  // Private browsing or a full storage: every write throws.
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('quota exceeded', 'QuotaExceededError');
    };
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).tap();
  await expect(page.getByRole('alert')).toContainText('refuse d’enregistrer votre choix');
  await expect(page.getByRole('main', { name: FR_TITLE })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Français' })).toHaveAttribute('aria-pressed', 'true');
  await expectNoSideScroll(page);
  await page.screenshot({ path: test.info().outputPath('home-storage-refused-fr.png'), fullPage: true });
  await expectAccessible(page, 'home-storage-refused-fr');
});

// The copy of the home page drawn while the app downloads. Service
// workers blocked: a request answered by one is never routed, and the
// module could not be held back once the worker keeps it.
test.describe('the home page before the app', () => {
  test.use({ serviceWorkers: 'block' });

  // The bureau app's module (not the table app's, `pointage-table-…`).
  const BUREAU_WASM = /\/pointage-[0-9a-f]+_bg\.wasm$/;

  /// Holds the bureau app's module until `release()` is called.
  async function holdApp(page: Page) {
    let release = () => {};
    const gate = new Promise<void>((done) => (release = done));
    await page.route(BUREAU_WASM, async (route) => {
      await gate;
      await route.continue();
    });
    return () => release();
  }

  /// The home page's drawing: the top bar and the main part, without what
  /// only tells one from the other (the copy's marks, its buttons waiting
  /// for the app, the framework's empty comments).
  async function drawing(page: Page) {
    return page.evaluate(() => {
      const parts = [...document.querySelectorAll('header.topbar, main')];
      return parts.map((part) => {
        const copy = part.cloneNode(true) as Element;
        const walk = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
        const comments: Node[] = [];
        while (walk.nextNode()) comments.push(walk.currentNode);
        comments.forEach((c) => c.parentNode!.removeChild(c));
        for (const e of [copy, ...copy.querySelectorAll('*')]) {
          e.removeAttribute('data-cold');
          e.removeAttribute('disabled');
        }
        return copy.outerHTML;
      });
    });
  }

  test('a new phone reads its home page while the app downloads, and the app takes its place unmoved', async ({ page }) => {
    await page.addInitScript(() => {
      const w = self as unknown as { shifts: number; paints: number[] };
      w.shifts = 0;
      w.paints = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.shifts += (e as unknown as { value: number }).value;
      }).observe({ type: 'layout-shift', buffered: true });
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.paints.push(e.startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const release = await holdApp(page);
    await page.goto('/');
    // Drawn by the page itself: the app's module has not arrived.
    await expect(
      page.getByRole('heading', { level: 2, name: 'Ce téléphone n’est rattaché à aucun bureau' }),
    ).toBeVisible();
    await expect(page.locator('[data-cold]')).toHaveCount(2);
    await expect(page.getByRole('button', { name: 'English' })).toBeDisabled();
    await page.screenshot({ path: test.info().outputPath('home-cold-fr.png'), fullPage: true });
    await page.waitForFunction(() => (self as unknown as { paints: number[] }).paints.length > 0);
    const cold = await drawing(page);
    const before = await page.evaluate(() => (self as unknown as { paints: number[] }).paints.length);
    release();
    await expect(page.locator('[data-cold]')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'English' })).toBeEnabled();
    // One screen, the same one: the copy is the app's own drawing.
    await expect(page.locator('main')).toHaveCount(1);
    await expect(page.locator('header.topbar')).toHaveCount(1);
    expect(await drawing(page)).toEqual(cold);
    // Nothing moved, and no larger paint came with the app.
    await page.waitForTimeout(300);
    const after = await page.evaluate(() => {
      const w = self as unknown as { shifts: number; paints: number[] };
      return { shifts: w.shifts, paints: w.paints.length };
    });
    expect(after.shifts, 'the screen moved when the app took its place').toBe(0);
    expect(after.paints, 'the app\'s drawing counted as a new largest paint').toBe(before);
    // And it works: English, in place.
    await page.getByRole('button', { name: 'English' }).tap();
    await expect(page.getByRole('main', { name: EN_TITLE })).toBeVisible();
  });

  test('before the app has downloaded, the home page’s links already lead on', async ({ page }) => {
    await holdApp(page);
    await page.goto('/');
    await page.getByRole('link', { name: 'Rejoindre une table' }).tap();
    // The table app, which has a module of its own.
    await expect(page).toHaveURL(/\/rejoindre$/);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });

  test('a phone that keeps something never shows the copy: only the app draws its home', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'English' }).tap();
    await expect(page.getByRole('main', { name: EN_TITLE })).toBeVisible();
    const release = await holdApp(page);
    await page.reload();
    // The French copy would be wrong here: the phone chose English. Once
    // the page's early reads are done (and a frame after), it has decided.
    await page.evaluate(async () => {
      const w = self as unknown as { pointageEarly: Promise<unknown>; pointageJournalSizes: Promise<unknown> };
      await Promise.all([w.pointageEarly, w.pointageJournalSizes]);
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    });
    await expect(page.locator('main')).toHaveCount(0);
    release();
    await expect(page.getByRole('main', { name: EN_TITLE })).toBeVisible();
    await expect(page.locator('[data-cold]')).toHaveCount(0);
  });
});

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

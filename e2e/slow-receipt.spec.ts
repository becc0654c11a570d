// A receipt that comes late (a slow network): the signed screen must not
// be drawn again under the volunteer's finger when it arrives. Only the
// receipt's line changes; the code to copy and the next step stay the same
// elements, so a tap in progress lands where it was aimed.
import { expect, test } from '@playwright/test';
import { enroll } from './helpers';
import { onOwnServer } from './own-server';
import { CLEAN, firstEntry, main, secondEntry, sign } from './pv-helpers';

test.use({ viewport: { width: 360, height: 740 }, hasTouch: true });

test('a late receipt changes its line only: the signed screen is not drawn again', async ({ page }) => {
  await onOwnServer(async (server) => {
    await enroll(page, 'DEMO-001', server);
    // Every return the phone sends is answered 4 s late.
    await page.route('**/api/v1/returns', async (route) => {
      await new Promise((r) => setTimeout(r, 4000));
      await route.continue();
    });
    await page.goto(`${server.url}/pv`);
    await firstEntry(page, 'Claire Dupont', CLEAN);
    await secondEntry(page, 'Mehdi Haddad', CLEAN);
    await sign(page);
    const m = main(page);
    const next = m.locator('a.next-step');
    const code = m.locator('.human-code');
    await expect(m).toContainText('Pas encore reçu par le serveur central.');
    // Marked now, before the receipt: an element drawn again loses it.
    await next.evaluate((e) => e.setAttribute('data-seen', '1'));
    await code.evaluate((e) => e.setAttribute('data-seen', '1'));
    await expect(m.locator('.receipt').first()).toContainText('Reçu par le serveur central', { timeout: 20_000 });
    await expect(m.locator('a.next-step[data-seen]')).toHaveCount(1);
    await expect(m.locator('.human-code[data-seen]')).toHaveCount(1);
  });
});

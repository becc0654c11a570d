// A version the server refuses for good (here: the bureau's code was
// reissued, which revokes this phone's key) is not sent again and again,
// forever, behind the volunteer's back: it is parked, the badge says why
// and what to do, and it goes again only when someone asks.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { enroll } from './helpers';
import { onOwnServer } from './own-server';
import { CLEAN, badge, firstEntry, main, secondEntry, sign } from './pv-helpers';

test('a version refused for good is parked, said with what to do, and sent again only when asked', async ({ page }) => {
  test.setTimeout(120_000);
  await onOwnServer(async (server) => {
    await enroll(page, 'DEMO-009', server);
    // On the PV page before the network goes (an offline navigation needs
    // the service worker, which may not have taken the page yet).
    await page.goto(`${server.url}/pv`);
    await page.context().setOffline(true);
    await firstEntry(page, 'Awa Diallo', CLEAN);
    await secondEntry(page, 'Bruno Martin', CLEAN);
    await sign(page);

    // Meanwhile, the central team reissued the bureau's code.
    execFileSync(process.env.POINTAGE_SERVER_BIN!, [
      'election', 'codes', '--election', 'demo-2027-t1', '--reissue', 'DEMO-009', '--data-dir', server.dataDir,
    ]);
    let sends = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/returns')) sends++;
    });
    await page.context().setOffline(false);
    await expect(badge(page)).toContainText('Ce téléphone n’est plus (ou pas) le téléphone enrôlé', { timeout: 30_000 });
    await expect(badge(page)).toContainText('Il ne sera plus renvoyé tout seul');
    expect(sends).toBe(1);
    // A failure that may pass would be tried again within seconds (backoff
    // from 1 s, and a look every 5 s): this one is not.
    await page.waitForTimeout(8_000);
    expect(sends).toBe(1);
    // After a reload too: it is parked on the phone, not in the page.
    await page.reload();
    await expect(badge(page)).toContainText('Il ne sera plus renvoyé tout seul');
    await page.waitForTimeout(3_000);
    expect(sends).toBe(1);
    // Asked for by hand, it goes once more (and is refused again).
    await main(page).getByRole('button', { name: 'Envoyer maintenant' }).tap();
    await expect.poll(() => sends, { timeout: 10_000 }).toBe(2);
    await expect(badge(page)).toContainText('Il ne sera plus renvoyé tout seul');
  });
});

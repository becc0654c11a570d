// A phone whose storage lost its signed PV gets it back from the server:
// the signed version, its code and its receipt, checked by the phone (its
// own key's signature, the server's receipt). Also when it had already
// signed the same figures again, which the server refuses for good
// (return_version_taken): the server's version comes back and nothing is
// left stuck in the outbox.
import { expect, test, type Page } from '@playwright/test';
import { enroll, idbGet, idbPut, recordReturns } from './helpers';
import { type OwnServer, onOwnServer } from './own-server';
import { CLEAN, badge, firstEntry, main, secondEntry, sign } from './pv-helpers';

/** Removes the bureau's PV (entry and signed versions) from the phone. */
async function wipePv(page: Page) {
  const device = JSON.parse((await idbGet(page, 'pointage.device'))!);
  const suffix = `${device.election.hash}.${device.election.bureau.code}`;
  await idbPut(page, [
    [`pointage.signed.${suffix}`, null],
    [`pointage.pv.${suffix}`, null],
  ]);
  expect(await idbGet(page, `pointage.signed.${suffix}`)).toBeNull();
}

async function returnsOf(page: Page, server: OwnServer) {
  return recordReturns(await (await page.request.get(`${server.url}/api/v1/record`)).text());
}

test('a phone whose storage lost its signed PV gets it back from the server, code and receipt', async ({ page }) => {
  test.setTimeout(90_000);
  await onOwnServer(async (server) => {
    await enroll(page, 'DEMO-001', server);
    await page.goto(`${server.url}/pv`);
    await firstEntry(page, 'Awa Diallo', CLEAN);
    await secondEntry(page, 'Bruno Martin', CLEAN);
    const code = await sign(page);
    await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 30_000 });

    // The PV is gone from the phone (the enrollment and its key are not).
    await wipePv(page);
    await page.goto(`${server.url}/pv`);
    const m = main(page);
    await expect(m.getByRole('heading', { name: 'Procès-verbal signé', exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(m.locator('.human-code')).toHaveText(code);
    await expect(m).toContainText(/Reçu par le serveur central\s: n° \d+/);
    await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/);

    // Lost again, and this time the bureau signed the same figures again
    // before any network: a new version 1, which the server will refuse.
    await wipePv(page);
    await page.context().setOffline(true);
    await page.goto(`${server.url}/pv`).catch(() => page.reload());
    await firstEntry(page, 'Awa Diallo', CLEAN);
    await secondEntry(page, 'Bruno Martin', CLEAN);
    const again = await sign(page);
    expect(again).not.toBe(code);
    await expect(badge(page)).toContainText('PV à envoyer (1)');
    await page.context().setOffline(false);
    // The server's version 1 comes back; the refused one leaves the outbox.
    await expect(m.locator('.human-code')).toHaveText(code, { timeout: 30_000 });
    await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 30_000 });
    await expect(m).toContainText(/Reçu par le serveur central\s: n° \d+/);
    await page.reload();
    await expect(m.locator('.human-code')).toHaveText(code);
    await expect(m.getByRole('button', { name: 'Envoyer maintenant' })).toHaveCount(0);
    expect(await returnsOf(page, server)).toHaveLength(1);
  });
});

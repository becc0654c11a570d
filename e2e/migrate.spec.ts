// A phone that counted with the previous version (everything in
// localStorage, its key in clear) opens the new one: the count is there,
// the values have left localStorage, the key signs from WebCrypto and the
// server takes the PV. A damaged old store is said, and left where it was.
import { expect, test } from '@playwright/test';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { demoCodes, expectAccessible, expectNoSideScroll, idbGet } from './helpers';
import { onOwnServer } from './own-server';
import { CLEAN, badge, firstEntry, main, secondEntry, sign } from './pv-helpers';

/** The Ed25519 public key (hex) of a 32-byte seed, as the old version made it. */
function publicKeyOf(seed: Buffer) {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const key = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
}

test('a phone that counted with the previous version keeps its count and its key, and signs', async ({ page }) => {
  test.setTimeout(90_000);
  await onOwnServer(async (server) => {
    // Enrolled by the old version: its key made from a seed it kept in clear.
    const seed = Buffer.alloc(32, 7);
    const { code } = demoCodes(server.codesCsv).get('DEMO-001')!;
    const enrolled = await (
      await page.request.post(`${server.url}/api/v1/enroll`, { data: { code, device_key: publicKeyOf(seed) } })
    ).json();
    const prefix = `pointage.tally.${enrolled.election.hash}.DEMO-001.`;
    const ids: string[] = enrolled.election.candidates.map((c: { id: string }) => c.id);
    // Its ballots were tap-counted: twenty packets, closed, that add up to
    // the clean PV (so the tally, a third source, lets it be signed).
    const marks: unknown[] = [];
    CLEAN.voix.forEach((n, i) => {
      for (let k = 0; k < n; k++) marks.push({ candidate: ids[i] });
    });
    for (let k = 0; k < CLEAN.blancs; k++) marks.push('blanc');
    for (let k = 0; k < CLEAN.nuls; k++) marks.push({ nul: { reason: 'no_envelope', note: '' } });
    const events: unknown[] = [{ close_polls: { emargements: CLEAN.emargements, enveloppes: CLEAN.enveloppes, explanation: '' } }];
    for (let p = 0; p * 100 < marks.length; p++) {
      const packet = marks.slice(p * 100, p * 100 + 100);
      events.push({ open_packet: { table: 'Table 1', envelopes: packet.length } });
      for (const m of packet) events.push({ mark: m });
      events.push('close_packet');
    }
    await page.goto(`${server.url}/resultats`);
    await page.evaluate(
      ({ device, prefix, events }) => {
        localStorage.setItem('pointage.device', JSON.stringify(device));
        localStorage.setItem('pointage.lang', '"fr"');
        for (let n = 0; n * 64 < events.length; n++) {
          localStorage.setItem(prefix + n, JSON.stringify({ first: n * 64, events: events.slice(n * 64, n * 64 + 64) }));
        }
      },
      {
        device: { election: enrolled.election, server_key: enrolled.server_key, device_secret: seed.toString('hex') },
        prefix,
        events,
      },
    );

    // The new version starts: the count is there, its last packet waiting
    // for the check of its two tally sheets (the old version did not log it).
    await page.goto(`${server.url}/compter`);
    await expect(page.getByRole('main').getByRole('heading', { name: 'Paquet n° 20 fermé' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText(/1\s940 sur 1\s940 trouvées/);
    const left = await page.evaluate(() => Object.keys(localStorage).sort());
    expect(left).toEqual(['pointage.lang']);
    const device = JSON.parse((await idbGet(page, 'pointage.device'))!);
    expect(device.device_secret).toBeUndefined();
    expect(device.device_key).toBe(publicKeyOf(seed));
    expect(await idbGet(page, `${prefix}1`)).not.toBeNull();

    // Its key, now in WebCrypto, signs a PV the server takes.
    await page.goto(`${server.url}/pv`);
    await firstEntry(page, 'Awa Diallo', CLEAN);
    await secondEntry(page, 'Bruno Martin', CLEAN);
    await sign(page);
    await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 30_000 });
    await expect(main(page)).toContainText(/Reçu par le serveur central\s: n° \d+/);
  });
});

test('a damaged old store is said on every screen and left where it was', async ({ page }) => {
  await page.goto('/resultats');
  await page.evaluate(() => localStorage.setItem('pointage.device', '{not json'));
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('illisible');
  expect(await page.evaluate(() => localStorage.getItem('pointage.device'))).toBe('{not json');
  await page.setViewportSize({ width: 320, height: 640 });
  await expectNoSideScroll(page);
  await page.screenshot({ path: test.info().outputPath('startup-damaged-320-fr.png'), fullPage: true });
  await expectAccessible(page, 'startup-damaged-fr');
  await page.getByRole('button', { name: 'English' }).tap();
  await expect(page.getByRole('alert')).toContainText('cannot be read');
  await page.evaluate(() => localStorage.removeItem('pointage.device'));
});

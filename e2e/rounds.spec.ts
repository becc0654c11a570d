// A second round made from the first, as the central team and a bureau
// live it: the bureau's phone counts and signs the first round; an admin
// makes the second round from the first in the browser (no spreadsheet);
// only the bureaux without a carried phone get letters; the phone learns
// of the round by itself, moves to it with one tap (no new code), and
// its second-round PV is received, signed by the same key, which the
// second round's record says was carried from the first.
import { expect } from '@playwright/test';
import { generateKeyPairSync } from 'node:crypto';
import { enroll, expectAccessible, expectNoSideScroll, idbGet } from './helpers';
import { inviteAdmin, site, withAuthenticator } from './operator-helpers';
import { test } from './own-server';
import { CLEAN, badge, firstEntry, main, secondEntry, sign } from './pv-helpers';

const SECOND = 'demo-2027-t2';

/** A PV entered twice and signed on the phone, then received. */
async function countAndSign(page: import('@playwright/test').Page) {
  await page.goto('/pv');
  await firstEntry(page, 'Awa Diallo', CLEAN);
  await secondEntry(page, 'Bruno Martin', CLEAN);
  await sign(page);
  await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 30_000 });
}

test('a second round made from the first carries the phone over without a new code', async ({ browser, page, server }) => {
  const base = site(server.url);
  // The bureau's phone, first round: enrolled, counted, signed, received.
  await enroll(page, 'DEMO-001', server);
  await countAndSign(page);
  const firstDevice = JSON.parse((await idbGet(page, 'pointage.device'))!);
  expect(firstDevice.election.round).toBe(1);

  // The admin makes the second round from the first.
  const { context: laptop, page: admin } = await withAuthenticator(browser, false);
  // The board's own clock: its 30-second refresh, without waiting 30 s.
  await admin.clock.install();
  await admin.goto(inviteAdmin(base, server.dataDir, 'Claire Martin'));
  await admin.getByRole('button', { name: 'Créer ma clé d’accès' }).click();
  await expect(admin.locator('.who strong')).toHaveText('Claire Martin');
  // The board refreshes in place: a phone enrolled meanwhile shows up
  // without a reload.
  const demo2 = admin.locator('tr[data-bureau="DEMO-002"]');
  await expect(demo2).toContainText('pas enrôlé');
  const { code: code2 } = (await import('./helpers')).demoCodes(server.codesCsv).get('DEMO-002')!;
  const key2 = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const enrolled = await admin.request.post(`${base}/api/v1/enroll`, { data: { code: code2, device_key: key2 } });
  expect(enrolled.status()).toBe(200);
  await admin.clock.fastForward('00:31');
  await expect(demo2).not.toContainText('pas enrôlé');
  await expect(demo2).toContainText('enrôlé');
  await admin.goto(`${base}/operateur/election`);
  await admin.getByLabel('Identifiant de l’élection').fill(SECOND);
  await admin.getByLabel('Nom de l’élection').fill('Primaire de démonstration, second tour');
  await admin.getByLabel('Date du scrutin').fill('2027-01-29');
  await admin.getByLabel('Candidats').fill('Camille Moreau\nJules Bertrand\nInès Lefèvre\nNoah Garnier');
  await admin.getByLabel('Les bureaux', { exact: true }).selectOption('demo-2027-t1');
  await expectAccessible(admin, 'operator-second-round-form-fr');
  await admin.getByRole('button', { name: 'Vérifier et enregistrer' }).click();
  await expect(admin.getByRole('heading', { name: 'Élection enregistrée' })).toBeVisible();
  await expect(admin.locator('#carried')).toHaveText(/^2 bureaux gardent le téléphone du tour précédent/);
  // Letters for the eleven others.
  await expect(admin.getByRole('link', { name: 'Les lettres (PDF, une page par bureau)' })).toBeVisible();
  await expect(admin.getByText(/— 11$/)).toBeVisible();
  await admin.screenshot({ path: test.info().outputPath('operator-second-round-1280.png'), fullPage: true });
  await expectAccessible(admin, 'operator-second-round-done-fr');

  // The phone learns of it by itself (at its next start here), and moves
  // with one tap: no code typed.
  await page.goto('/');
  const card = main(page).locator('.next-round');
  await expect(card.getByRole('heading', { name: 'Tour suivant : ce téléphone est prêt' })).toBeVisible({ timeout: 20_000 });
  await expect(card).toContainText('« Primaire de démonstration, second tour », 2e tour, le 29 janvier 2027 : ce téléphone y reste enrôlé pour le même bureau, avec la même clé.');
  await expectNoSideScroll(page);
  await page.screenshot({ path: test.info().outputPath('next-round-fr-390.png'), fullPage: true });
  await expectAccessible(page, 'next-round-fr');
  await page.getByRole('button', { name: 'English' }).tap();
  await expect(card.getByRole('heading', { name: 'Next round: this phone is ready' })).toBeVisible();
  await expect(card).toContainText('“Primaire de démonstration, second tour”, round 2, on 29 January 2027: this phone stays enrolled there');
  await page.screenshot({ path: test.info().outputPath('next-round-en-390.png'), fullPage: true });
  await expectAccessible(page, 'next-round-en');
  await page.getByRole('button', { name: 'Français' }).tap();
  await card.getByRole('button', { name: 'Compter pour ce tour' }).tap();
  await expect(main(page).locator('.election-line')).toContainText('Primaire de démonstration, second tour', { timeout: 20_000 });
  await expect(main(page).locator('.next-round')).toHaveCount(0);
  const device = JSON.parse((await idbGet(page, 'pointage.device'))!);
  expect(device.election.id).toBe(SECOND);
  expect(device.device_key).toBe(firstDevice.device_key);
  // What the first round kept stays on the phone.
  expect(await idbGet(page, `pointage.signed.${firstDevice.election.hash}.DEMO-001`)).not.toBeNull();

  // The second round's PV, signed by the same key, received.
  await countAndSign(page);
  const record = await (await page.request.get(`${server.url}/api/v1/record?election=${SECOND}`)).text();
  const leaves = record.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.index !== undefined);
  const carried = leaves.filter((l) => l.entry.type === 'key');
  expect(carried).toHaveLength(2);
  expect(carried.find((l) => l.entry.bureau === 'DEMO-001').entry).toMatchObject({ device_key: firstDevice.device_key, from: 'demo-2027-t1' });
  expect(carried.find((l) => l.entry.bureau === 'DEMO-002').entry).toMatchObject({ device_key: key2, from: 'demo-2027-t1' });
  const returns = leaves.filter((l) => l.entry.type === 'return');
  expect(returns).toHaveLength(1);
  expect(returns[0].entry.return.body.device_key).toBe(firstDevice.device_key);

  // English: the import page names the choice too; a small election from
  // a spreadsheet, and the page that offers its letters.
  await admin.goto(`${base}/operateur/election?lang=en`);
  await expect(admin.getByLabel('The bureaux', { exact: true })).toBeVisible();
  await admin.getByLabel("The election's identifier").fill('rehearsal-en');
  await admin.getByLabel("The election's name").fill('Rehearsal');
  await admin.getByLabel('Polling day').fill('2027-01-15');
  await admin.getByLabel('Candidates').fill('Ann\nBen');
  await admin.getByLabel('Spreadsheet of the bureaux (CSV, ODS or XLSX)').setInputFiles({
    name: 'bureaux.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('code,name,commune,département\nR-1,Town hall,Arles,13\nR-2,School,Nîmes,30\n'),
  });
  await admin.getByRole('button', { name: 'Check and store' }).click();
  await expect(admin.getByRole('heading', { name: 'Election stored' })).toBeVisible();
  await expect(admin.locator('#by-departement li')).toHaveCount(2);
  await expectAccessible(admin, 'operator-import-done-en');
  await laptop.close();
});

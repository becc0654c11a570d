// A bureau's whole evening on one phone, as the first version promises it:
// enrolled once with a network, then everything with none (start, count,
// enter the PV twice with a difference to resolve, explain the warnings,
// sign), the page closed and reopened still offline, and the return sent by
// itself when the network comes back, with the receipt on the phone and the
// bureau in the published totals.
import { expect } from '@playwright/test';
import { test } from './own-server';
import { enroll, expectAccessible } from './helpers';
import { typist } from './pv-helpers';

test('enroll, then count, enter and sign with no network; sent with a receipt when it comes back', async ({ page, context }) => {
  test.setTimeout(90_000);
  await enroll(page, 'DEMO-013');
  await page.goto('/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const badge = page.getByRole('banner').getByRole('status');

  // No network from here on: the app starts from its service worker.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Bureau de vote' })).toBeVisible();
  await page.getByRole('link', { name: 'Clôturer le scrutin' }).tap();

  // Count five ballots.
  const m = page.getByRole('main');
  await m.getByLabel('Émargements (signatures sur la liste)').fill('5');
  await m.getByLabel('Enveloppes trouvées dans l’urne').fill('5');
  await m.getByRole('button', { name: 'Enregistrer la clôture' }).tap();
  await expect(m.getByLabel('Enveloppes dans ce paquet')).toHaveValue('5');
  await m.getByRole('button', { name: 'Ouvrir le paquet n° 1' }).tap();
  for (const name of ['Camille Moreau', 'Jules Bertrand', 'Blanc', 'Camille Moreau', 'Jules Bertrand']) {
    await m.getByRole('button', { name, exact: true }).tap();
  }
  await m.getByRole('button', { name: 'Fermer le paquet' }).tap();
  await m.getByRole('button', { name: 'Les feuilles concordent' }).tap();

  // Enter the PV twice; the second person misreads Jules Bertrand's votes.
  await page.getByRole('link', { name: 'PV', exact: true }).tap();
  const entries: [string, string][] = [
    ['Awa Diallo', '2'],
    ['Bruno Martin', '3'],
  ];
  for (const [name, jules] of entries) {
    // The second form shows once the first entry is on disk, as a person sees it.
    await typist(page, name, name === 'Awa Diallo');
    await m.getByLabel('Émargements (votants)').fill('5');
    await m.getByLabel('Enveloppes trouvées dans l’urne').fill('5');
    await m.getByLabel('Bulletins blancs').fill('1');
    await m.getByLabel('Bulletins nuls').fill('0');
    await m.getByLabel('Voix de Camille Moreau').fill('2');
    await m.getByLabel('Voix de Jules Bertrand').fill(jules);
    await m.getByLabel('Voix d’Inès Lefèvre').fill('0');
    await m.getByLabel('Voix de Noah Garnier').fill('0');
    await m.getByLabel('Suffrages exprimés').fill('4');
    if (name === 'Awa Diallo') {
      // The bureau's members, written once.
      await m.getByLabel('Président', { exact: true }).fill('Louise Perrin');
      await m.getByLabel('Secrétaire', { exact: true }).fill('Hugo Lambert');
      await m.getByLabel('Assesseurs (un nom par ligne)').fill('Sarah Roux\nMalik Benali');
    }
    await m.getByRole('button', { name: 'Terminer ma saisie' }).tap();
  }
  await expect(m.locator('ul.differing li')).toHaveText(['Voix de Jules Bertrand']);
  for (const name of ['Bruno Martin', 'Awa Diallo']) {
    await m.getByRole('button', { name: `Je suis ${name} : ressaisir` }).tap();
    await m.getByLabel('Voix de Jules Bertrand').fill('2');
    await m.getByRole('button', { name: 'Valider ma ressaisie' }).tap();
  }

  // One blank in five is over 3 %, and two candidates have no vote: both
  // warnings are explained, then the PV is signed.
  await expect(m.getByRole('heading', { name: 'Vérification du procès-verbal' })).toBeVisible();
  await m.getByLabel('Explication (W2)').fill('Un seul bulletin blanc, sur cinq votants.');
  await m.getByLabel('Explication (W3)').fill('Petit bureau de test : deux candidats sans voix.');
  await m.getByRole('button', { name: 'Signer le procès-verbal' }).tap();
  await m.getByRole('button', { name: 'Oui, signer' }).tap();
  const code = await m.locator('.human-code').textContent();
  expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await expect(badge).toHaveText('PV à envoyer (1) : il partira dès qu’il y aura du réseau');

  // The page is closed and opened again, still offline.
  await page.close();
  const again = await context.newPage();
  await again.goto('/pv');
  await expect(again.getByRole('main').locator('.human-code')).toHaveText(code!);
  const badgeAgain = again.getByRole('banner').getByRole('status');
  await expect(badgeAgain).toHaveText('PV à envoyer (1) : il partira dès qu’il y aura du réseau');
  await again.screenshot({ path: test.info().outputPath('journey-offline-fr.png'), fullPage: true });
  await expectAccessible(again, 'journey-offline-fr');

  // The evening says what is left: the paper PV's photos, and the
  // network, for which the phone waits by itself. "Envoyer maintenant"
  // tries, and says it found none.
  await again.goto('/');
  const home = again.getByRole('main');
  await expect(home.locator('li[aria-current=step] .step-name')).toHaveText('Photos du PV papier');
  const sending = home.locator('.steps li').filter({ hasText: 'Reçu par le serveur central' });
  await expect(sending).toContainText('Le téléphone l’enverra seul dès qu’il aura du réseau.');
  await expect(home.locator('.steps li.done')).toHaveCount(6);
  await expect(home.locator('.steps li.done').nth(5)).toContainText(`Code ${code}, à recopier sur le PV papier`);
  await sending.getByRole('button', { name: 'Envoyer maintenant' }).tap();
  await expect(badgeAgain).toContainText('Envoi essayé à l’instant : pas de réseau');

  // The network comes back: sent by itself, acknowledged with a receipt;
  // only the paper's photos are left.
  await context.setOffline(false);
  await expect(badgeAgain).toContainText(/PV reçu par le serveur central · n° \d+ à \d/, { timeout: 30_000 });
  await expect(home.locator('.steps li.done')).toHaveCount(7);
  await expect(home.locator('li[aria-current=step] .step-name')).toHaveText('Photos du PV papier');
  await again.goto('/pv');
  await expect(again.getByRole('main').locator('p.receipt')).toContainText('Reçu par le serveur central : n°');

  // The published totals count this bureau, and say what they cover.
  await again.getByRole('link', { name: 'Résultats' }).tap();
  const results = again.getByRole('main');
  await expect(results).toContainText('Ces totaux portent sur 1 bureau sur 13');
  await expect(results.getByRole('row', { name: /^Camille Moreau 2 / })).toBeVisible();
  await expect(results.getByRole('row', { name: /^Jules Bertrand 2 / })).toBeVisible();
  await expect(results.getByRole('listitem').filter({ hasText: 'DEMO-013' })).toContainText(`code ${code}`);
});

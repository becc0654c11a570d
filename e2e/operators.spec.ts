// The central team's accounts, as people use them: the first admin
// invited from the server's command line makes a passkey on a laptop
// (Chromium's virtual authenticator, through the DevTools protocol),
// invites a coordinator, who makes one on a phone, signs out everywhere,
// signs in again and reissues a bureau's code; signed out, the board sends
// to the sign-in. Both languages, axe on every page.
import { expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { expectAccessible, expectNoSideScroll } from './helpers';
import { inviteAdmin, site, withAuthenticator } from './operator-helpers';
import { test } from './own-server';

/** The link in the QR code of a letters' PDF's first page, printed and read as a phone's camera would. */
function firstLetterQr(pdf: string, dir: string) {
  const render = spawnSync(process.env.PDFTOPPM || 'pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', pdf, join(dir, 'page')]);
  expect(render.status, String(render.stderr)).toBe(0);
  const png = PNG.sync.read(readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith('page'))!)));
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(found, 'the letter\'s QR code').not.toBeNull();
  return found!.data;
}

/** The organisers' spreadsheet of `n` bureaux; lines 5, 2001 and 9999 spoilt when `bad`. */
function bureaux(n: number, bad: boolean) {
  const lines = ['N° du bureau;Nom du bureau;Commune;Département;Président;Téléphone'];
  for (let i = 0; i < n; i++) {
    const line = i + 2;
    const code = `B${String(i).padStart(5, '0')}`;
    if (bad && line === 5) lines.push(`${code};;Arles;13;P ${i};06 12 34 56 78`);
    else if (bad && line === 2001) lines.push(`B${String(i - 1).padStart(5, '0')};Bureau ${i};Arles;13;P ${i};06 12 34 56 78`);
    else if (bad && line === 9999) lines.push(`${code};Bureau ${i};Arles;13;P ${i};appelez-moi`);
    else lines.push(`${code};Bureau ${i};Commune ${Math.floor(i / 9)};${String(1 + (i % 95)).padStart(2, '0')};Président ${i};06 12 34 56 78`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

test('an admin invited from the command line invites a coordinator, who reissues a code', async ({ browser, server }) => {
  const base = site(server.url);
  const adminLink = inviteAdmin(base, server.dataDir, 'Claire Martin');

  // Signed out, the board is the sign-in.
  const { context: laptop, page } = await withAuthenticator(browser, false);
  await page.goto(`${base}/operateur`);
  await expect(page).toHaveURL(/\/operateur\/connexion/);
  await expect(page.getByRole('heading', { name: 'Connexion de l’équipe centrale' })).toBeVisible();
  await expectAccessible(page, 'operator-signin-fr');

  // The admin's passkey, made from the invitation.
  await page.goto(adminLink);
  await expectAccessible(page, 'operator-invitation-fr');
  await page.getByRole('button', { name: 'Créer ma clé d’accès' }).click();
  await expect(page).toHaveURL(/\/operateur(\?|$)/);
  await expect(page.locator('.who strong')).toHaveText('Claire Martin');
  await expect(page.getByText('(administrateur)')).toBeVisible();
  await expect(page.locator('tr[data-bureau]')).toHaveCount(13);
  await page.screenshot({ path: test.info().outputPath('operator-board-fr-1280.png'), fullPage: true });
  await expectAccessible(page, 'operator-board-fr');
  // The same link again: used.
  const again = await laptop.newPage();
  await again.goto(adminLink);
  await again.getByRole('button', { name: 'Créer ma clé d’accès' }).click();
  await expect(again.getByRole('alert')).toHaveText('Cette invitation a déjà servi ou a expiré : demandez-en une nouvelle.');
  await again.close();

  // The admin invites a coordinator.
  await page.getByLabel('Nom du compte').fill('Malik Benali');
  await page.getByLabel('Rôle').selectOption('coordinator');
  await page.getByRole('button', { name: 'Créer l’invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Invitation créée' })).toBeVisible();
  await expectAccessible(page, 'operator-invitation-made-fr');
  const coordinatorLink = (await page.locator('code.once').textContent())!;
  expect(coordinatorLink).toContain('/operateur/invitation#');

  // The coordinator, on a phone.
  const { context: phone, page: p } = await withAuthenticator(browser, true);
  await p.goto(coordinatorLink);
  await p.getByRole('button', { name: 'Créer ma clé d’accès' }).click();
  await expect(p.getByText('(coordinateur)')).toBeVisible();
  await expect(p.getByRole('heading', { name: 'Inviter une personne' })).toHaveCount(0);
  await expectNoSideScroll(p);
  await p.screenshot({ path: test.info().outputPath('operator-board-fr-390.png'), fullPage: true });

  // Sign out everywhere, then in again with the passkey; a tab left open
  // on the board is told, when it sends a form, that it is signed out.
  const stale = await phone.newPage();
  await stale.goto(`${base}/operateur`);
  await p.getByRole('button', { name: 'Se déconnecter partout' }).click();
  await expect(p).toHaveURL(/\/operateur\/connexion/);
  await stale.getByRole('button', { name: 'Se déconnecter partout' }).click();
  await expect(stale.getByRole('alert')).toContainText('Vous n’êtes plus connecté');
  await expectAccessible(stale, 'operator-refused-fr');
  await stale.close();
  await p.goto(`${base}/operateur`);
  await expect(p).toHaveURL(/\/operateur\/connexion/);
  await p.getByLabel('Nom du compte').fill('Personne');
  await p.getByRole('button', { name: 'Se connecter avec ma clé d’accès' }).click();
  await expect(p.getByRole('alert')).toHaveText('Aucun compte ne porte ce nom sur ce serveur.');
  await p.getByLabel('Nom du compte').fill('Malik Benali');
  await p.getByRole('button', { name: 'Se connecter avec ma clé d’accès' }).click();
  await expect(p.getByText('(coordinateur)')).toBeVisible();

  // A reissue, confirmed: the new code is shown once, with its link.
  p.once('dialog', (d) => d.accept());
  await p.getByRole('button', { name: 'Réémettre le code DEMO-003' }).click();
  await expect(p.getByRole('heading', { name: 'Nouveau code du bureau' })).toBeVisible();
  const shown = await p.locator('code.once').allTextContents();
  expect(shown[0]).toMatch(/^DEMO-003 — \S+$/);
  expect(shown[1]).toContain('/enroler#code=');
  // The bureau's new letter carries the new code.
  const [letter] = await Promise.all([
    p.waitForEvent('download'),
    p.getByRole('link', { name: 'La nouvelle lettre du bureau (PDF), à imprimer' }).click(),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'pointage-letter-'));
  await letter.saveAs(join(dir, 'lettre.pdf'));
  expect(firstLetterQr(join(dir, 'lettre.pdf'), dir)).toBe(shown[1]);
  await expectNoSideScroll(p);
  await expectAccessible(p, 'operator-reissued-fr');
  // The old code no longer enrolls; the new one is what the président gets.
  const old = (await import('./helpers')).demoCodes(server.codesCsv).get('DEMO-003')!.code;
  const refused = await p.request.post(`${base}/api/v1/enroll`, {
    data: { code: old, device_key: 'aa'.repeat(32) },
  });
  expect(refused.status()).toBeGreaterThanOrEqual(400);

  // The bureau's page: its history, and a note of the call.
  await p.goto(`${base}/operateur?lang=fr`);
  await p.getByRole('link', { name: 'DEMO-003', exact: true }).click();
  await expect(p.getByRole('heading', { name: /Bureau DEMO-003/ })).toBeVisible();
  await expect(p.getByText(/code réémis par un coordinateur/)).toBeVisible();
  await p.getByLabel('Ajouter une note (appel, réponse, suite à donner)').fill('Appelé le président : il passe prendre le nouveau code à 14 h.');
  await p.getByRole('button', { name: 'Enregistrer la note' }).click();
  await expect(p.getByText('Appelé le président : il passe prendre le nouveau code à 14 h.')).toBeVisible();
  await expectNoSideScroll(p);
  await p.screenshot({ path: test.info().outputPath('operator-bureau-fr-390.png'), fullPage: true });
  await expectAccessible(p, 'operator-bureau-fr');
  await p.goto(p.url().replace('lang=fr', 'lang=en'));
  await expectAccessible(p, 'operator-bureau-en');

  // English.
  await page.goto(`${base}/operateur?lang=en`);
  await expect(page.getByText('(admin)')).toBeVisible();
  // An invitation made, and a code reissued, in English.
  await page.getByLabel('Account name').fill('Ana Costa');
  await page.getByRole('button', { name: 'Make the invitation' }).click();
  await expect(page.locator('code.once')).toContainText('/operateur/invitation#');
  await expectAccessible(page, 'operator-invitation-made-en');
  await page.goto(`${base}/operateur?lang=en`);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Reissue the code DEMO-004' }).click();
  await expect(page.getByRole('heading', { name: "The bureau's new code" })).toBeVisible();
  await expectAccessible(page, 'operator-reissued-en');
  await page.goto(`${base}/operateur?lang=en`);
  await page.goto(`${base}/operateur/election?lang=en`);
  await expectAccessible(page, 'operator-import-en');
  await page.goto(`${base}/operateur?lang=en`);
  await expect(page.getByRole('heading', { name: 'The bureaux, the latest first' })).toBeVisible();
  await expectAccessible(page, 'operator-board-en');
  await p.goto(`${base}/operateur?lang=en`);
  await expectAccessible(p, 'operator-board-en-390');
  const signedOut = await browser.newPage();
  await signedOut.goto(`${base}/operateur/connexion?lang=en`);
  await expectAccessible(signedOut, 'operator-signin-en');
  await signedOut.goto(`${base}/operateur/invitation?lang=en`);
  await expect(signedOut.getByRole('alert')).toHaveText('This invitation link is incomplete: open the whole link you were sent.');
  await expectAccessible(signedOut, 'operator-invitation-en');
  await signedOut.close();
  await laptop.close();
  await phone.close();
});

test('an admin imports 10,000 bureaux, fixes three lines, and prints letters whose code enrolls a phone', async ({ browser, server }) => {
  test.setTimeout(180_000);
  const base = site(server.url);
  const { context: laptop, page } = await withAuthenticator(browser, false);
  await page.goto(inviteAdmin(base, server.dataDir, 'Claire Martin'));
  await page.getByRole('button', { name: 'Créer ma clé d’accès' }).click();
  await expect(page.locator('.who strong')).toHaveText('Claire Martin');
  await page.getByRole('link', { name: 'Préparer une élection depuis un tableur' }).click();
  await expectAccessible(page, 'operator-import-fr');
  await page.getByLabel('Identifiant de l’élection').fill('primaire-2027');
  await page.getByLabel('Nom de l’élection').fill('Primaire citoyenne 2027');
  await page.getByLabel('Date du scrutin').fill('2027-01-22');
  await page.getByLabel('Candidats').fill('Aline Martin\nBruno Petit\nChloé Durand');
  await page.getByLabel('Téléphone de l’équipe centrale (sur chaque lettre)').fill('01 23 45 67 89');
  await page.getByLabel('Ouverture des bureaux').fill('08:00');
  await page.getByLabel('Points de participation').fill('12:00 17:00');
  await page.getByLabel('Tableur des bureaux (CSV, ODS ou XLSX)').setInputFiles({ name: 'bureaux.csv', mimeType: 'text/csv', buffer: bureaux(10_000, true) });
  await page.getByRole('button', { name: 'Vérifier et enregistrer' }).click();
  // Every problem with its line; what was typed is kept.
  const problems = page.locator('#problems li');
  await expect(problems).toHaveText([
    'ligne 5 : le bureau n’a pas de nom',
    'ligne 2001 : le code « B01998 » est déjà ligne 2000',
    'ligne 9999 : « appelez-moi » n’est pas un numéro de téléphone',
  ]);
  await expect(page.getByLabel('Nom de l’élection')).toHaveValue('Primaire citoyenne 2027');
  await page.screenshot({ path: test.info().outputPath('operator-import-problems-1280.png') });
  await expectAccessible(page, 'operator-import-problems-fr');
  // The file fixed, sent again.
  await page.getByLabel('Tableur des bureaux (CSV, ODS ou XLSX)').setInputFiles({ name: 'bureaux.csv', mimeType: 'text/csv', buffer: bureaux(10_000, false) });
  await page.getByRole('button', { name: 'Vérifier et enregistrer' }).click();
  await expect(page.getByRole('heading', { name: 'Élection enregistrée' })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText('10000 bureaux')).toBeVisible();
  await expectAccessible(page, 'operator-import-done-fr');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Les lettres (PDF, une page par bureau)' }).click(),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'pointage-letters-'));
  const pdf = join(dir, 'lettres.pdf');
  await download.saveAs(pdf);
  // The first page printed, and its QR code read as a phone's camera would.
  const link = firstLetterQr(pdf, dir);
  expect(link).toMatch(/\/enroler#code=/);
  // That link enrolls a phone.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  const p = await phone.newPage();
  await p.goto(link);
  await p.getByRole('button', { name: /Enrôler ce téléphone/ }).tap();
  await expect(p.getByRole('heading', { name: /Téléphone enrôlé/ })).toBeVisible();
  // The board shows it, for the election just made.
  await page.goto(`${base}/operateur?election=primaire-2027`);
  await expect(page.getByText('1 téléphones enrôlés')).toBeVisible();
  await phone.close();
  await laptop.close();
});

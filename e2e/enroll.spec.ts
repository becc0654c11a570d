// Enrolling a bureau's phone with a code the demo setup printed, then the
// results page, as a volunteer and an organiser meet them on a phone.
import { expect, type APIRequestContext } from '@playwright/test';
import { generateKeyPairSync } from 'node:crypto';
import { test } from './own-server';
import { demoCodes, expectNoSideScroll, expectAccessible } from './helpers';

test('the link printed for a bureau enrolls the phone, and the home screen names its bureau', async ({ page }) => {
  const { code, path } = demoCodes().get('DEMO-002')!;
  // The code travels in the link's fragment, which no server or proxy sees.
  expect(path).toBe(`/enroler#code=${code}`);
  const fetched: string[] = [];
  page.context().on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(path);
  const main = page.getByRole('main', { name: 'Enrôler ce téléphone' });
  await expect(main.getByRole('textbox', { name: 'Code d’inscription' })).toHaveValue(code);
  // Read, then gone from the address bar and from every history entry.
  await expect(page).toHaveURL(/\/enroler$/);
  const cdp = await page.context().newCDPSession(page);
  const { entries } = await cdp.send('Page.getNavigationHistory');
  expect(entries.map((e) => e.url).filter((u) => u.includes(code))).toEqual([]);
  await expectNoSideScroll(page);
  await page.screenshot({ path: test.info().outputPath('enroll-fr.png'), fullPage: true });
  await expectAccessible(page, 'enroll-fr');
  // The app is kept for offline use, but not the QR decoder: a phone's
  // first visit does not fetch it (only a bureau's phone reads sheets).
  const kept = () =>
    page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      return (await (await caches.open('pointage-app')).keys()).map((r) => new URL(r.url).pathname);
    });
  await expect.poll(async () => (await kept()).includes('/')).toBe(true);
  expect((await kept()).filter((f) => f.includes('pointage-scan'))).toEqual([]);
  expect(fetched.filter((f) => f.includes('pointage-scan'))).toEqual([]);
  await main.getByRole('button', { name: 'Enrôler ce téléphone' }).tap();
  await expect(main.getByRole('heading', { name: 'Téléphone enrôlé' })).toBeVisible();
  // Enrolled, a bureau's phone: the decoder is kept, for sheets read offline.
  await expect
    .poll(async () => (await kept()).filter((f) => f.includes('pointage-scan')).sort())
    .toEqual(['/pointage-scan.js', '/pointage-scan_bg.wasm', '/pointage-scan_loader.js']);
  await expect(main).toContainText('DEMO-002');
  await expect(main).toContainText('Mairie annexe du Port');
  await page.screenshot({ path: test.info().outputPath('enrolled-fr.png'), fullPage: true });
  await expectAccessible(page, 'enrolled-fr');

  await main.getByRole('link', { name: 'Continuer : la soirée du bureau' }).tap();
  const home = page.getByRole('main', { name: 'Bureau de vote' });
  await expect(home).toContainText('Primaire citoyenne de démonstration');
  await expect(home).toContainText('1er tour');
  await expect(home).toContainText('DEMO-002');
  await expect(home).toContainText('Mairie annexe du Port');
  // What to check with the président names the code to check.
  await expect(home).toContainText(
    'Ce téléphone compte pour le bureau DEMO-002. Avant de commencer, vérifiez avec le président que c’est bien le sien.',
  );
  // Kept on the phone: a reload still knows its bureau.
  await page.reload();
  await expect(page.getByRole('main', { name: 'Bureau de vote' })).toContainText('DEMO-002');
  await page.screenshot({ path: test.info().outputPath('home-enrolled-fr.png'), fullPage: true });
  await expectAccessible(page, 'home-enrolled-fr');
});

test('a link printed before, with the code in its query, still fills it, and loses it at once', async ({ page }) => {
  await page.goto('/enroler?code=ZZZZ-ZZZZ-ZZZZ');
  const main = page.getByRole('main', { name: 'Enrôler ce téléphone' });
  await expect(main.getByRole('textbox', { name: 'Code d’inscription' })).toHaveValue('ZZZZ-ZZZZ-ZZZZ');
  await expect(page).toHaveURL(/\/enroler$/);
});

test('a mistyped code is refused in French and stays typed to be corrected', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Saisir un code d’inscription' }).tap();
  const main = page.getByRole('main', { name: 'Enrôler ce téléphone' });
  const field = main.getByRole('textbox', { name: 'Code d’inscription' });
  await field.fill('7KQ3-M9XD-2B4');
  await main.getByRole('button', { name: 'Enrôler ce téléphone' }).tap();
  await expect(main.getByRole('alert')).toContainText('n’a pas le bon format');
  await field.fill('ZZZZ-ZZZZ-ZZZZ');
  await main.getByRole('button', { name: 'Enrôler ce téléphone' }).tap();
  await expect(main.getByRole('alert')).toContainText('Ce code n’existe pas');
  await expect(field).toHaveValue('ZZZZ-ZZZZ-ZZZZ');
  await page.screenshot({ path: test.info().outputPath('enroll-error-fr.png'), fullPage: true });
  await expectAccessible(page, 'enroll-error-fr');
});

test('a code already used by another phone is refused, in English too', async ({ page, request }) => {
  const { code, path } = demoCodes().get('DEMO-004')!;
  // Another phone enrolled with it first.
  const other = await request.post('/api/v1/enroll', {
    data: { code, device_key: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a' },
  });
  expect(other.status()).toBe(200);
  await page.goto(path);
  await page.getByRole('button', { name: 'English' }).tap();
  const main = page.getByRole('main', { name: 'Enroll this phone' });
  await main.getByRole('button', { name: 'Enroll this phone' }).tap();
  await expect(main.getByRole('alert')).toContainText('already enrolled another phone');
  await page.screenshot({ path: test.info().outputPath('enroll-used-en.png'), fullPage: true });
  await expectAccessible(page, 'enroll-used-en');
});

/** Enrolls a phone for `bureau` through the API, with a key of its own. */
async function enrollByApi(request: APIRequestContext, bureau: string) {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const deviceKey = Buffer.from(jwk.x!, 'base64url').toString('hex');
  const res = await request.post('/api/v1/enroll', { data: { code: demoCodes().get(bureau)!.code, device_key: deviceKey } });
  expect(res.status()).toBe(200);
}

test('the results page says how many bureaux its totals cover', async ({ page, request }) => {
  // A phone enrolled for DEMO-002; DEMO-012, like the others, has none.
  await enrollByApi(request, 'DEMO-002');
  await page.goto('/resultats');
  const main = page.getByRole('main', { name: 'Résultats' });
  await expect(main).toContainText('Ces totaux portent sur 0 bureau sur 13');
  await expect(main.getByRole('row', { name: /Camille Moreau/ })).toBeVisible();
  await expect(main.locator('#bureaux').getByRole('listitem').filter({ hasText: 'DEMO-002' })).toContainText('Enrôlé, PV attendu');
  await expect(main.locator('#bureaux').getByRole('listitem').filter({ hasText: 'DEMO-012' })).toContainText('Non enrôlé');
  await expectNoSideScroll(page);
  await page.screenshot({ path: test.info().outputPath('results-fr.png'), fullPage: true });
  await expectAccessible(page, 'results-fr');
  // A search, then the other language: the search is kept.
  await main.getByRole('searchbox', { name: /Rechercher un bureau/ }).fill('beauval');
  await main.getByRole('button', { name: 'Rechercher' }).tap();
  await expect(main.locator('#bureaux').getByRole('listitem')).toHaveCount(2);
  await expect(main).toContainText('2 affiché(s) sur 2');
  await page.getByRole('link', { name: 'English' }).tap();
  await expect(page.getByRole('main', { name: 'Results' })).toContainText('These totals cover 0 of 13 polling stations');
  await expect(page.getByRole('searchbox', { name: /Find a polling station/ })).toHaveValue('beauval');
  await expect(page.locator('#bureaux').getByRole('listitem')).toHaveCount(2);
  await page.screenshot({ path: test.info().outputPath('results-en.png'), fullPage: true });
  await expectAccessible(page, 'results-en');
});

test('the results page refreshes itself while it is open, keeping its filter', async ({ page, request }) => {
  await page.clock.install();
  await page.goto('/resultats');
  const main = page.getByRole('main', { name: 'Résultats' });
  const enrolled = main.getByRole('radio', { name: /^Enrôlé, PV attendu/ });
  // A filter applies as soon as it is chosen.
  await enrolled.tap();
  await expect(page).toHaveURL(/[?&]state=enrolled\b/);
  await expect(enrolled).toBeChecked();
  const label = (await enrolled.evaluate((e) => e.parentElement!.textContent)) ?? '';
  const before = Number(/\((\d+)\)/.exec(label)![1]);
  await expect(main.locator('#bureaux').getByRole('listitem')).toHaveCount(before);
  // Meanwhile a phone is enrolled for DEMO-006.
  const { code } = demoCodes().get('DEMO-006')!;
  const resp = await request.post('/api/v1/enroll', {
    data: { code, device_key: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c' },
  });
  expect(resp.status()).toBe(200);
  await page.clock.fastForward(31_000);
  await expect(main.getByRole('radio', { name: `Enrôlé, PV attendu (${before + 1})` })).toBeChecked();
  await expect(main.locator('#bureaux').getByRole('listitem').filter({ hasText: 'DEMO-006' })).toContainText('Enrôlé, PV attendu');
});

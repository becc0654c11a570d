// The procès-verbal as a bureau enters it on one phone: two people type it
// blind, differences are re-typed field by field, core's rules block or warn,
// the agreed PV is signed with the bureau key, and a correction is version 2.
// Each signed return is downloaded as a file and sent to the server, whose
// ingest verifies it with pointage-core on the host.
import { expect, type Page } from '@playwright/test';
import { test } from './own-server';
import { readFileSync } from 'node:fs';
import { enroll, expectAccessible, expectNoSideScroll, expectThumbSizedButtons, recordReturns } from './helpers';
import { CANDIDATES, CLEAN, HANDOVER, badge, fill, firstEntry, handOver, main, secondEntry, sign, typist } from './pv-helpers';

/** Downloads the signed return as a person would, and gives its bytes. */
async function download(page: Page): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    main(page).getByRole('link', { name: 'Télécharger le PV signé (fichier)' }).click(),
  ]);
  return readFileSync((await file.path())!);
}

/**
 * Sends a downloaded return to the server's ingest, which verifies it with
 * pointage-core. The phone's outbox has usually sent it already: the server
 * then answers 200 with the same receipt, after the same checks.
 */
async function submit(page: Page, bytes: Buffer) {
  const res = await page.request.post('/api/v1/returns', {
    data: bytes,
    headers: { 'content-type': 'application/json' },
  });
  expect([200, 201], await res.text()).toContain(res.status());
  return (await res.json()).receipt;
}


test('(a) two people agree at once, sign, and the server verifies the downloaded return', async ({ page }) => {
  await enroll(page, 'DEMO-007');
  await page.goto('/');
  await page.getByRole('link', { name: 'Saisir directement le procès-verbal' }).tap();
  const m = main(page);
  await page.screenshot({ path: test.info().outputPath('pv-first-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-first-fr');
  await expectNoSideScroll(page);

  // A second tab on the same PV: once it saves, this one says so at once,
  // and keeps nothing more until it is reloaded.
  const other = await page.context().newPage();
  await other.goto('/pv');
  await other.getByLabel('Votre nom (la personne qui saisit)').fill('Awa D.');
  await expect(m.getByRole('alert')).toHaveText(/^Le PV a changé dans un autre onglet de ce téléphone/);
  await other.close();
  await page.reload();
  await expect(m.getByRole('alert')).toHaveCount(0);
  await expect(m.getByLabel('Votre nom (la personne qui saisit)')).toHaveValue('Awa D.');

  // Empty is not zero: a field left empty is flagged, and nothing is lost.
  await m.getByLabel('Votre nom (la personne qui saisit)').fill('Awa Diallo');
  await fill(m, CLEAN);
  await m.getByLabel('Bulletins nuls', { exact: true }).fill('');
  await m.getByRole('button', { name: 'Terminer ma saisie' }).tap();
  await expect(m.getByRole('alert')).toContainText('Ces champs sont vides : Bulletins nuls');
  await expect(m.getByLabel('Bulletins nuls', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: test.info().outputPath('pv-empty-flagged-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-empty-flagged-fr');
  // A reload keeps what was typed.
  await page.reload();
  await expect(m.getByLabel('Voix de Jules Bertrand')).toHaveValue('1787');
  await expect(m.getByLabel('Votre nom (la personne qui saisit)')).toHaveValue('Awa Diallo');
  // So does a change of language: the whole form is redrawn in English.
  await page.getByRole('button', { name: 'English' }).tap();
  await expect(m.getByRole('heading', { name: 'First entry' })).toBeVisible();
  await expect(m.getByLabel('Votes for Jules Bertrand')).toHaveValue('1787');
  await expect(m.getByLabel('Your name (the person typing)')).toHaveValue('Awa Diallo');
  await page.getByRole('button', { name: 'Français' }).tap();
  await m.getByLabel('Bulletins nuls', { exact: true }).fill('17');
  await m.getByLabel('Président', { exact: true }).fill('Louise Perrin');
  await m.getByLabel('Secrétaire', { exact: true }).fill('Hugo Lambert');
  await m.getByLabel('Assesseurs (un nom par ligne)').fill('Sarah Roux\nMalik Benali');
  await m.getByRole('button', { name: 'Terminer ma saisie' }).tap();

  // Awa hands the phone over, on a screen of its own.
  await expect(m.getByRole('heading', { name: 'Passez le téléphone à la seconde personne' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('pv-handover-fr.png') });
  await expectAccessible(page, 'pv-handover-fr');
  // Someone looks at the evening meanwhile: the ballots were counted on
  // paper, Awa's entry is done, the second entry is next, and its button
  // leads back to the hand-over.
  await page.goto('/');
  const steps = main(page).locator('.steps li');
  await expect(steps.nth(0)).toContainText('Clôture du scrutin faite sur papier');
  await expect(steps.nth(1)).toContainText('Dépouillement fait sur papier');
  await expect(steps.nth(2)).toContainText('Première saisie du PV par Awa Diallo');
  await main(page).getByRole('link', { name: 'Seconde saisie du procès-verbal' }).tap();
  // The same person is refused at the hand-over, before any figure is
  // typed, under any spelling: inner spaces, a no-break space, full width.
  const box = m.getByLabel(HANDOVER.fr.name);
  for (const same of [' awa diallo ', 'AWA   diallo', 'Awa\u00a0Diallo', 'Ａｗａ Ｄｉａｌｌｏ']) {
    await box.fill(same);
    await m.getByRole('button', { name: HANDOVER.fr.go }).tap();
    await expect(m.getByRole('alert')).toContainText('Awa Diallo a fait la première saisie. La seconde doit être faite par une autre personne');
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(box).toBeFocused();
    await expect(m.getByRole('heading', { name: HANDOVER.fr.title })).toBeVisible();
  }
  await handOver(page, 'Bruno Martin');
  // The second entry starts empty.
  await expect(m.getByLabel('Voix de Jules Bertrand')).toHaveValue('');
  expect(await page.content()).not.toContain('1787');
  await page.screenshot({ path: test.info().outputPath('pv-second-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-second-fr');
  await secondEntry(page, 'Bruno Martin', CLEAN, { handedOver: true });

  await expect(m.getByRole('heading', { name: 'Vérification du procès-verbal' })).toBeVisible();
  await expect(m).toContainText('Les saisies d’Awa Diallo et de Bruno Martin concordent.');
  // The key's fingerprint cannot be taken for the PV's code: folded away,
  // lowercase, in groups with a space.
  await expect(m.locator('strong.key')).toBeHidden();
  await m.getByText('Clé de signature de ce téléphone').tap();
  await expect(m.locator('strong.key')).toHaveText(/^[0-9a-z]{5} [0-9a-z]{5}$/);
  await expect(m.getByRole('row', { name: /Voix de Jules Bertrand 1\s787/ })).toBeVisible();
  await expect(m).toContainText('Clé de signature de ce téléphone');
  await page.screenshot({ path: test.info().outputPath('pv-review-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-review-fr');
  await expectThumbSizedButtons(page);

  // Signed with no network: it waits in the outbox, and says so.
  await page.context().setOffline(true);
  const code = await sign(page);
  await expect(m).toContainText('Recopiez ce code sur le procès-verbal papier');
  // The code's alphabet is said beside it: no O to take for a zero.
  await expect(m).toContainText('Le code n’a jamais de lettre O, I, L ni U');
  // The screen opens on the code, whole within its card.
  await expect(m.locator('.human-code')).toBeInViewport({ ratio: 1 });
  expect(await m.locator('.human-code').evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  await expect(badge(page)).toHaveText('PV à envoyer (1) : il partira dès qu’il y aura du réseau');
  await expect(m.locator('p.receipt')).toHaveText('Pas encore reçu par le serveur central.');
  // Asked to send with no network: it says it tried, and why it waits.
  await m.getByRole('button', { name: 'Envoyer maintenant' }).tap();
  await expect(badge(page)).toHaveText(
    'Envoi essayé à l’instant : pas de réseau. Le PV (1) partira dès qu’il y en aura.',
  );
  await page.screenshot({ path: test.info().outputPath('pv-signed-offline-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-signed-offline-fr');
  // The network comes back: it is sent by itself, and the receipt shown.
  await page.context().setOffline(false);
  await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+ à \d/);
  await expect(m.locator('p.receipt')).toHaveText(/^Reçu par le serveur central\s: n° \d+, \d/);
  await page.screenshot({ path: test.info().outputPath('pv-signed-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-signed-fr');
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: test.info().outputPath('pv-print-fr.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // The signed return survives a reload; and with no network at all, the
  // app starts from its service worker, on any screen.
  await page.reload();
  await expect(m.locator('.human-code')).toHaveText(code);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.context().setOffline(true);
  await page.reload();
  await expect(m.locator('.human-code')).toHaveText(code);
  await page.getByRole('link', { name: 'Compter' }).tap();
  await expect(page.getByRole('heading', { name: 'Clôture du scrutin' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('pv-offline-count-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-offline-count-fr');
  await page.goBack();
  await expect(m.locator('.human-code')).toHaveText(code);
  await page.context().setOffline(false);
  // The server verifies the downloaded file.
  const bytes = await download(page);
  const ret = JSON.parse(bytes.toString('utf8'));
  expect(ret.body.bureau).toBe('DEMO-007');
  expect(ret.body.version).toBe(1);
  expect(ret.body.entered_by).toEqual({ first: 'Awa Diallo', second: 'Bruno Martin' });
  expect(ret.body.pv.members.president).toBe('Louise Perrin');
  const receipt = await submit(page, bytes);
  // The same receipt the phone shows.
  await expect(m.locator('p.receipt')).toContainText(`n° ${receipt.body.sequence},`);
  // The results page now counts this bureau's votes.
  await page.goto('/resultats');
  await expect(page.getByRole('main')).toContainText(`code ${code}`);
});

test('(b) a planted difference names only its field, and each re-types it blind', async ({ page }) => {
  await enroll(page, 'DEMO-008');
  await page.goto('/pv');
  const m = main(page);
  await firstEntry(page, 'Awa Diallo', CLEAN);
  await handOver(page, 'Bruno Martin');
  // Paste is refused in the count fields of the second entry.
  const prevented = await m.getByLabel('Voix de Jules Bertrand').evaluate((el) => {
    const data = new DataTransfer();
    data.setData('text/plain', '1787');
    const ev = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    el.dispatchEvent(ev);
    return ev.defaultPrevented;
  });
  expect(prevented, 'paste is blocked').toBe(true);
  // Bruno misreads 1787 as 1778 for Jules Bertrand.
  await secondEntry(page, 'Bruno Martin', { ...CLEAN, voix: [62, 1778, 35, 18] }, { handedOver: true });

  await expect(m.getByRole('heading', { name: 'Les deux saisies diffèrent' })).toBeVisible();
  const differing = m.locator('ul.differing li');
  await expect(differing).toHaveText(['Voix de Jules Bertrand']);
  // Only the field's name: neither value is on the page.
  let html = await page.content();
  expect(html).not.toContain('1787');
  expect(html).not.toContain('1778');
  await page.screenshot({ path: test.info().outputPath('pv-differ-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-differ-fr');

  // Bruno re-types, blind: one field, empty, and Awa's value is nowhere.
  await m.getByRole('button', { name: 'Je suis Bruno Martin : ressaisir' }).tap();
  await expect(m.getByRole('heading', { name: 'Ressaisie de Bruno Martin' })).toBeVisible();
  await expect(m.getByRole('textbox')).toHaveCount(1);
  await expect(m.getByLabel('Voix de Jules Bertrand')).toHaveValue('');
  html = await page.content();
  expect(html).not.toContain('1787');
  const text = await page.evaluate(() => document.body.innerText);
  expect(text).not.toContain('1787');
  await page.screenshot({ path: test.info().outputPath('pv-redo-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-redo-fr');
  await m.getByLabel('Voix de Jules Bertrand').fill('1787');
  await m.getByRole('button', { name: 'Valider ma ressaisie' }).tap();

  await expect(m).toContainText('Bruno Martin a ressaisi ces champs.');
  await m.getByRole('button', { name: 'Je suis Awa Diallo : ressaisir' }).tap();
  await expect(m.getByLabel('Voix de Jules Bertrand')).toHaveValue('');
  expect(await page.content()).not.toContain('1787');
  await m.getByLabel('Voix de Jules Bertrand').fill('1787');
  await m.getByRole('button', { name: 'Valider ma ressaisie' }).tap();

  await expect(m.getByRole('heading', { name: 'Vérification du procès-verbal' })).toBeVisible();
  await expect(m.getByRole('row', { name: /Voix de Jules Bertrand 1\s787/ })).toBeVisible();
  await sign(page);
  await submit(page, await download(page));
});

test('(c) a PV that breaks H1 cannot be signed and says why in French; once right, it reaches the server exactly once through dropped requests and 500s', async ({ page }) => {
  test.setTimeout(90_000);
  await enroll(page, 'DEMO-009');
  await page.goto('/pv');
  const m = main(page);
  // Both copy the same paper, whose exprimés are 10 short of the votes.
  const wrong = { ...CLEAN, exprimes: 1892, nuls: 27 };
  await firstEntry(page, 'Awa Diallo', wrong);
  await secondEntry(page, 'Bruno Martin', wrong);

  await expect(m.getByRole('heading', { name: 'À corriger avant de signer' })).toBeVisible();
  await expect(m.locator('.findings')).toContainText('H1');
  await expect(m.locator('.findings')).toContainText(
    'Les suffrages exprimés ne sont pas égaux à la somme des voix des candidats. Recomptez les voix de chaque candidat.',
  );
  // The fields concerned are highlighted in the PV.
  await expect(m.getByRole('row', { name: /Suffrages exprimés/ })).toHaveClass(/flagged/);
  await expect(m.getByRole('row', { name: /Voix de Camille Moreau/ })).toHaveClass(/flagged/);
  await expect(m.getByRole('row', { name: /Bulletins blancs/ })).not.toHaveClass(/flagged/);
  await expect(m.getByRole('button', { name: 'Signer le procès-verbal' })).toHaveCount(0);
  await expect(m).toContainText('Signature impossible tant qu’une erreur demeure.');
  await page.screenshot({ path: test.info().outputPath('pv-h1-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-h1-fr');

  // The paper is recounted and corrected, and entered again from the start.
  await m.getByRole('button', { name: 'Reprendre la saisie depuis le début' }).tap();
  await m.getByRole('button', { name: 'Oui, effacer' }).tap();
  await firstEntry(page, 'Awa Diallo', CLEAN);
  await secondEntry(page, 'Bruno Martin', CLEAN);

  // Faults between the phone and the server: the first send is dropped
  // before the server sees it, the second gets a 500, the third is stored
  // by the server but its answer is lost; the outbox keeps trying.
  const attempts: string[] = [];
  await page.route('**/api/v1/returns', async (route) => {
    attempts.push(route.request().postData() ?? '');
    if (attempts.length === 1) return route.abort('connectionreset');
    if (attempts.length === 2) {
      return route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: '{"error":{"code":"internal","message":"injected"}}',
      });
    }
    if (attempts.length === 3) {
      const stored = await route.fetch();
      expect(stored.status()).toBe(201);
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  const code = await sign(page);
  await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 60_000 });
  expect(attempts.length).toBeGreaterThanOrEqual(4);
  // Every attempt sent the same bytes: one signed return, not four.
  expect(new Set(attempts).size).toBe(1);
  // The public record holds exactly one copy, with the sequence the phone shows.
  const record = recordReturns(await (await page.request.get('/api/v1/record')).text()).filter(
    (l) => l.return.body.bureau === 'DEMO-009',
  );
  expect(record).toHaveLength(1);
  await expect(m.locator('p.receipt')).toContainText(`n° ${record[0].sequence},`);
  await expect(m.locator('.human-code')).toHaveText(code);
});

test('(d) in English: the tally is a third source, and a W1 gap is explained in the signed return', async ({ page }) => {
  await enroll(page, 'DEMO-010');
  await page.getByRole('button', { name: 'English' }).tap();
  // Count 11 ballots: 12 signatures, 11 envelopes, one voter left with theirs.
  await page.goto('/compter');
  const m = main(page);
  await m.getByLabel('Signatures on the voters’ list').fill('12');
  await m.getByLabel('Envelopes found in the ballot box').fill('11');
  await m.getByRole('textbox', { name: /A gap of 1/ }).fill('A voter left with the envelope');
  await m.getByRole('button', { name: 'Save the close of polls' }).tap();
  await m.getByLabel('Envelopes in this packet').fill('11');
  await m.getByRole('button', { name: 'Open packet 1' }).tap();
  const marks = [0, 1, 1, 2, 3, 1, 0, 1, 2, 3, 1];
  for (const i of marks) {
    await m.getByRole('button', { name: CANDIDATES[i], exact: true }).tap();
  }
  await m.getByRole('button', { name: 'Close the packet' }).tap();
  await m.getByRole('button', { name: 'The sheets agree' }).tap();
  const tally = { emargements: 12, enveloppes: 11, blancs: 0, nuls: 0, voix: [2, 5, 2, 2], exprimes: 11 };

  await page.goto('/pv');
  // Both type 6 for Jules Bertrand and 1 for Noah Garnier: the paper is wrong.
  const typo = { ...tally, voix: [2, 6, 2, 1] };
  for (const [name, heading] of [
    ['Awa Diallo', 'First entry'],
    ['Bruno Martin', 'Second entry, blind'],
  ]) {
    await typist(page, name, name === 'Awa Diallo', 'en');
    await expect(m.getByRole('heading', { name: heading })).toBeVisible();
    await fill(m, typo, 'en');
    if (name === 'Awa Diallo') {
      // Twenty digits: said to be too large, not "not digits"; nothing lost.
      await m.getByLabel('Valid votes', { exact: true }).fill('12345678901234567890');
      await m.getByRole('button', { name: 'Finish my entry' }).tap();
      await expect(m.getByRole('alert')).toHaveText(
        'These numbers are too large for a report: Valid votes. Check them on the paper.',
      );
      await expect(m.getByLabel('Votes for Jules Bertrand', { exact: true })).toHaveValue('6');
      await m.getByLabel('Valid votes', { exact: true }).fill('11');
    }
    await m.getByRole('button', { name: 'Finish my entry' }).tap();
  }
  await expect(m.getByRole('heading', { name: 'To fix before signing' })).toBeVisible();
  await expect(m.locator('.findings')).toContainText('H5');
  await expect(m.locator('.findings')).toContainText('Votes for Jules Bertrand: tally 5, report 6 (difference 1)');
  await expect(m.locator('.findings')).toContainText('Votes for Noah Garnier: tally 2, report 1 (difference 1)');
  await page.screenshot({ path: test.info().outputPath('pv-h5-en.png'), fullPage: true });
  await expectAccessible(page, 'pv-h5-en');
  await m.getByRole('button', { name: 'Start the entry again' }).tap();
  await m.getByRole('button', { name: 'Yes, delete' }).tap();

  for (const [name, heading] of [
    ['Awa Diallo', 'First entry'],
    ['Bruno Martin', 'Second entry, blind'],
  ]) {
    // Each form shows once the step before is on disk, as a person sees it.
    await typist(page, name, name === 'Awa Diallo', 'en');
    await expect(m.getByRole('heading', { name: heading })).toBeVisible();
    await fill(m, tally, 'en');
    await m.getByRole('button', { name: 'Finish my entry' }).tap();
  }
  await expect(m.getByRole('heading', { name: 'Warnings: a written explanation is required' })).toBeVisible();
  // The gap's explanation from the close of polls is offered; without words,
  // the PV is not signed.
  const w1 = m.getByLabel('Explanation (W1)');
  await expect(w1).toHaveValue('A voter left with the envelope');
  await w1.fill('');
  await m.getByRole('button', { name: 'Sign the report' }).tap();
  await expect(m.getByRole('alert')).toHaveText('Write an explanation for each warning before signing.');
  await w1.fill('One voter signed, then left with the envelope (noted by the chair).');
  // Nobody typed the bureau's members (W5): said, and explained.
  await expect(m.locator('section.notice')).toContainText('does not name a presiding officer, a secretary and at least two assessors');
  await m.getByLabel('Explanation (W5)').fill('The members signed the paper report; their names were not typed.');
  await page.screenshot({ path: test.info().outputPath('pv-review-en.png'), fullPage: true });
  await expectAccessible(page, 'pv-review-en');
  // This bureau's phone cannot reach the server.
  await page.route('**/api/v1/returns', (route) => route.abort('internetdisconnected'));
  await m.getByRole('button', { name: 'Sign the report' }).tap();
  await m.getByRole('button', { name: 'Yes, sign' }).tap();
  await expect(m.getByRole('heading', { name: 'Report signed', exact: true })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('pv-signed-en.png'), fullPage: true });
  await expectAccessible(page, 'pv-signed-en');

  const [file] = await Promise.all([
    page.waitForEvent('download'),
    m.getByRole('link', { name: 'Download the signed report (file)' }).click(),
  ]);
  const bytes = readFileSync((await file.path())!);
  const ret = JSON.parse(bytes.toString('utf8'));
  expect(ret.body.explanations).toEqual({
    W1: 'One voter signed, then left with the envelope (noted by the chair).',
    W5: 'The members signed the paper report; their names were not typed.',
  });
  // The tally sealed into the return is the count tapped above.
  expect(ret.body.tally.packets).toBe(1);
  expect(ret.body.tally.summary.voix).toEqual(ret.body.pv.voix);
  expect(Object.values(ret.body.tally.summary.voix).sort()).toEqual([2, 2, 2, 5]);
  await expect(badge(page)).toContainText('Report to send (1)');

  // The file is carried to a laptop with a network, not enrolled, and
  // handed in there.
  const laptop = await page.context().browser()!.newPage({ locale: 'fr-FR' });
  await laptop.goto('/deposer');
  // The file picker is as large as a button, not the browser's tiny default.
  const picker = (await laptop.getByLabel('Fichier du PV signé (.json)').boundingBox())!;
  expect(picker.height).toBeGreaterThanOrEqual(48);
  await laptop.getByRole('button', { name: 'Envoyer au serveur central' }).click();
  await expect(laptop.getByRole('alert')).toHaveText('Choisissez d’abord le fichier du PV signé.');
  await laptop.getByLabel('Fichier du PV signé (.json)').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"hello": "world"}'),
  });
  await laptop.getByRole('button', { name: 'Envoyer au serveur central' }).click();
  await expect(laptop.getByRole('alert')).toContainText('Ce fichier n’est pas un PV signé lisible');
  // A return changed after signing: this page only carries it (it checks no
  // signature); the server refuses it, and the page says why.
  await laptop.getByLabel('Fichier du PV signé (.json)').setInputFiles({
    name: 'pv-modifie.json',
    mimeType: 'application/json',
    buffer: Buffer.from(bytes.toString('utf8').replace('One voter signed', 'Two voters signed')),
  });
  await laptop.getByRole('button', { name: 'Envoyer au serveur central' }).click();
  await expect(laptop.getByRole('alert')).toContainText('La signature de ce procès-verbal ne correspond pas à son contenu');
  await laptop.getByLabel('Fichier du PV signé (.json)').setInputFiles((await file.path())!);
  await laptop.getByRole('button', { name: 'Envoyer au serveur central' }).click();
  const code = await m.locator('.human-code').textContent();
  await expect(laptop.getByRole('status')).toHaveText(
    new RegExp(`^Reçu par le serveur central\\s: bureau DEMO-010, version 1, code ${code} \\(n° \\d+\\)\\.$`),
  );
  // The receipt is the page's last word: the file form is gone below it
  // (a button opens it again), and a phone that is no bureau's sees none
  // of the bureau app's tabs.
  await expect(laptop.getByLabel('Fichier du PV signé (.json)')).toHaveCount(0);
  await expect(laptop.getByRole('button', { name: 'Déposer un autre PV' })).toBeVisible();
  await expect(laptop.getByRole('link', { name: 'Compter' })).toHaveCount(0);
  await expect(laptop.getByRole('link', { name: 'Résultats' })).toBeVisible();
  await laptop.screenshot({ path: test.info().outputPath('deposit-fr.png'), fullPage: true });
  await expectAccessible(laptop, 'deposit-fr');
  await laptop.close();

  // The phone's network comes back: it sends too, and gets the same receipt.
  await page.unroute('**/api/v1/returns');
  await page.context().setOffline(true);
  await page.context().setOffline(false);
  await expect(badge(page)).toContainText(/Report received by the central server · no\. \d+/);
  await submit(page, bytes);
});

test('(e) a correction is version 2, entered blind again, naming version 1', async ({ page }) => {
  await enroll(page, 'DEMO-011');
  await page.goto('/pv');
  const m = main(page);
  await firstEntry(page, 'Awa Diallo', CLEAN);
  await secondEntry(page, 'Bruno Martin', CLEAN);
  const v1 = await sign(page);
  const v1bytes = await download(page);

  // A spoiled ballot was in fact blank: blancs 22, nuls 16.
  await m.getByRole('button', { name: 'Corriger le PV' }).tap();
  await m.getByRole('button', { name: 'Commencer la correction' }).tap();
  await expect(m.getByRole('alert')).toHaveText('Écrivez le motif de la correction.');
  await m.getByLabel('Motif de la correction').fill('Un bulletin compté nul était blanc (décision du bureau).');
  await m.getByRole('button', { name: 'Commencer la correction' }).tap();
  await expect(m.getByRole('alert')).toHaveText('Cochez au moins un champ à corriger.');
  await m.getByRole('checkbox', { name: 'Bulletins blancs' }).check();
  await m.getByRole('checkbox', { name: 'Bulletins nuls' }).check();
  await page.screenshot({ path: test.info().outputPath('pv-correction-fr.png'), fullPage: true });
  await expectAccessible(page, 'pv-correction-fr');
  await m.getByRole('button', { name: 'Commencer la correction' }).tap();

  await expect(m).toContainText('Correction, version 2.');
  for (const name of ['Chloé Petit', 'Bruno Martin']) {
    // The second form shows once the first entry is on disk, as a person sees it.
    await typist(page, name, name === 'Chloé Petit');
    // Only the two fields being corrected are asked.
    await expect(m.getByRole('textbox', { name: /Voix de/ })).toHaveCount(0);
    await m.getByLabel('Bulletins blancs', { exact: true }).fill('22');
    await m.getByLabel('Bulletins nuls', { exact: true }).fill('16');
    await m.getByRole('button', { name: 'Terminer ma saisie' }).tap();
  }
  await expect(m.getByRole('heading', { name: 'Vérification du procès-verbal' })).toBeVisible();
  await expect(m.getByRole('row', { name: 'Bulletins blancs 22' })).toBeVisible();
  await expect(m.getByRole('row', { name: /Voix de Jules Bertrand 1\s787/ })).toBeVisible();
  const v2 = await sign(page);
  expect(v2).not.toBe(v1);
  await expect(m).toContainText('Version 2');
  await expect(m).toContainText(`Remplace la version 1 (code ${v1}). Motif : Un bulletin compté nul était blanc`);
  // Both versions, newest first, each with the server's receipt once sent.
  await expect(m.locator('ul.versions li')).toHaveText([
    new RegExp(`^version 2 · code ${v2}Reçu par le serveur central\\s: n° \\d+`),
    new RegExp(`^version 1 · code ${v1}Reçu par le serveur central\\s: n° \\d+`),
  ]);

  const v2bytes = await download(page);
  const ret = JSON.parse(v2bytes.toString('utf8'));
  expect(ret.body.version).toBe(2);
  expect(ret.body.replaces.reason).toBe('Un bulletin compté nul était blanc (décision du bureau).');
  expect(ret.body.pv.blancs).toBe(22);
  expect(ret.body.entered_by).toEqual({ first: 'Chloé Petit', second: 'Bruno Martin' });
  // The server verifies version 1, then version 2 and that it replaces it.
  await submit(page, v1bytes);
  await submit(page, v2bytes);
});

test('(f) a correction that breaks a rule can be left: version 1 stays, its code on screen', async ({ page }) => {
  await enroll(page, 'DEMO-012');
  await page.goto('/pv');
  const m = main(page);
  await firstEntry(page, 'Awa Diallo', CLEAN);
  await secondEntry(page, 'Bruno Martin', CLEAN);
  const v1 = await sign(page);
  await m.getByRole('button', { name: 'Corriger le PV' }).tap();
  await m.getByLabel('Motif de la correction').fill('Recompte des blancs.');
  await m.getByRole('checkbox', { name: 'Bulletins blancs' }).check();
  await m.getByRole('button', { name: 'Commencer la correction' }).tap();
  // Both type 30 blank ballots: blank + spoiled + valid no longer make the
  // envelopes (H2), and the correction cannot be signed.
  for (const name of ['Chloé Petit', 'Bruno Martin']) {
    await typist(page, name, name === 'Chloé Petit');
    await m.getByLabel('Bulletins blancs', { exact: true }).fill('30');
    await m.getByRole('button', { name: 'Terminer ma saisie' }).tap();
  }
  await expect(m.getByRole('heading', { name: 'À corriger avant de signer' })).toBeVisible();
  await m.getByRole('button', { name: 'Abandonner cette correction' }).tap();
  await expect(m).toContainText('Abandonner cette correction ? Les deux saisies seront effacées ; la version signée reste telle quelle.');
  await m.getByRole('button', { name: 'Oui, effacer' }).tap();
  await expect(m.locator('.human-code')).toHaveText(v1);
  await expect(m.getByRole('button', { name: 'Corriger le PV' })).toBeVisible();
  await expect(m).not.toContainText('Correction, version 2.');
});

// A packet opened with the wrong number of envelopes, both ways a table does
// it: a bundle of 99 declared as 100, and the 100 offered by habit when
// fewer are left. Neither may leave the bureau stuck (a packet that can
// never close, a PV that can never be signed): the count is corrected
// without losing a tap, the screen says when everything is counted, and the
// PV is signed with the tally's figures.
import { expect, test, type Page } from '@playwright/test';
import { enroll } from './helpers';
import { onOwnServer } from './own-server';
import { firstEntry, main, secondEntry, sign } from './pv-helpers';

/** `n` ballots, for the four candidates in turn, tapped as fast as a thumb. */
async function tapVotes(page: Page, n: number) {
  await page.evaluate((n) => {
    const b = [...document.querySelectorAll<HTMLButtonElement>('button.tap:not(.nul):not(.blanc)')];
    for (let i = 0; i < n; i++) b[i % 4].click();
  }, n);
}

async function expectProgress(page: Page, marks: number, envelopes: number) {
  await expect(main(page).getByRole('status')).toHaveText(`Bulletins pointés dans ce paquet ${marks} / ${envelopes}`);
}

async function openPacket(page: Page, number: number) {
  await main(page).getByRole('button', { name: `Ouvrir le paquet n° ${number}` }).tap();
  await expect(main(page).getByRole('heading', { name: `Paquet n° ${number} · Table 1` })).toBeVisible();
}

async function closeAndAgree(page: Page, number: number) {
  const m = main(page);
  await m.getByRole('button', { name: 'Fermer le paquet' }).tap();
  await expect(m.getByRole('heading', { name: `Paquet n° ${number} fermé` })).toBeVisible();
  await m.getByRole('button', { name: 'Les feuilles concordent' }).tap();
}

test('a packet of 99 declared as 100, then 100 offered when 30 are left: corrected without losing a tap, and the PV signed', async ({ page }) => {
  test.setTimeout(180_000);
  await onOwnServer(async (server) => {
    await enroll(page, 'DEMO-004', server);
    await page.goto(`${server.url}/compter`);
    const m = main(page);
    await m.getByLabel('Émargements (signatures sur la liste)').fill('229');
    await m.getByLabel('Enveloppes trouvées dans l’urne').fill('229');
    await m.getByRole('button', { name: 'Enregistrer la clôture' }).tap();

    // Packet 1: a full 100.
    const envelopes = m.getByRole('textbox', { name: 'Enveloppes dans ce paquet' });
    await expect(envelopes).toHaveValue('100');
    await expect(m).toContainText('Il reste 229 enveloppes à compter.');
    await openPacket(page, 1);
    await tapVotes(page, 100);
    await expectProgress(page, 100, 100);
    await closeAndAgree(page, 1);

    // Packet 2: declared 100, holds 99. It cannot close…
    await expect(envelopes).toHaveValue('100');
    await openPacket(page, 2);
    await tapVotes(page, 99);
    await expectProgress(page, 99, 100);
    await m.getByRole('button', { name: 'Fermer le paquet' }).tap();
    await expect(m.getByRole('alert')).toContainText('Il en manque 1.');
    // … until its count is corrected, with why; its 99 marks stay.
    await m.getByRole('button', { name: 'Le nombre d’enveloppes de ce paquet est faux' }).tap();
    await m.getByLabel('Nombre d’enveloppes réellement dans ce paquet').fill('99');
    await m.getByRole('button', { name: 'Corriger le nombre d’enveloppes' }).tap();
    await expect(m.getByRole('alert')).toContainText('Écrivez pourquoi (1\u202f000 caractères au plus).');
    await m.getByLabel('Pourquoi (gardé dans le journal du comptage)').fill('Le paquet ne contenait que 99 enveloppes.');
    await m.getByRole('button', { name: 'Corriger le nombre d’enveloppes' }).tap();
    await expectProgress(page, 99, 99);
    await closeAndAgree(page, 2);

    // Packet 3: 30 are left, and a full 100 typed by habit is refused.
    await expect(m).toContainText('Il reste 30 enveloppes à compter.');
    await expect(envelopes).toHaveValue('30');
    await envelopes.fill('100');
    await m.getByRole('button', { name: 'Ouvrir le paquet n° 3' }).tap();
    await expect(m.getByRole('alert')).toContainText('Il ne reste que 30 enveloppe(s) à compter, pas 100.');
    await envelopes.fill('30');
    await openPacket(page, 3);
    await tapVotes(page, 30);
    await expectProgress(page, 30, 30);
    await closeAndAgree(page, 3);

    // Everything is counted: no packet is offered, the PV is.
    await expect(m.getByRole('heading', { name: 'Toutes les enveloppes sont comptées' })).toBeVisible();
    await expect(m.getByRole('button', { name: /Ouvrir le paquet/ })).toHaveCount(0);
    await page.reload();
    await expect(m.getByRole('heading', { name: 'Toutes les enveloppes sont comptées' })).toBeVisible();
    await m.getByRole('link', { name: 'Passer au procès-verbal' }).tap();

    // Every tap is in the PV's figures: 25+25+8, 25+25+8, 25+7, 24+7 … per
    // packet, in the candidates' turn.
    const figures = { emargements: 229, enveloppes: 229, blancs: 0, nuls: 0, voix: [58, 58, 57, 56], exprimes: 229 };
    await firstEntry(page, 'Awa Diallo', figures);
    await secondEntry(page, 'Bruno Martin', figures);
    await sign(page);
  });
});

// A text too long for a signed return (4,000 bytes of UTF-8) is refused
// where it is typed, naming the field and its limit, with the size shown as
// it nears it; shortened, the PV is signed. Core refused it only at
// signing, where nothing could shorten it any more: the bureau was stuck.
import { expect, test } from '@playwright/test';
import { enroll } from './helpers';
import { onOwnServer } from './own-server';
import { CLEAN, fill, main, secondEntry, sign } from './pv-helpers';

test('4,001 bytes of observations are refused by name and limit, and signed once shortened', async ({ page }) => {
  test.setTimeout(120_000);
  await onOwnServer(async (server) => {
    await enroll(page, 'DEMO-005', server);
    await page.goto(`${server.url}/pv`);
    const m = main(page);
    await expect(m.getByRole('heading', { name: 'Première saisie' })).toBeVisible();
    await m.getByLabel('Votre nom (la personne qui saisit)').fill('Awa Diallo');
    await fill(m, CLEAN);
    await m.getByLabel('Président', { exact: true }).fill('Louise Perrin');
    await m.getByLabel('Secrétaire', { exact: true }).fill('Hugo Lambert');
    await m.getByLabel('Assesseurs (un nom par ligne)').fill('Sarah Roux\nMalik Benali');
    // 3,999 letters and one accented letter: 4,001 bytes.
    const observations = m.getByLabel(/^Observations/);
    await observations.fill('a'.repeat(3_999) + 'é');
    await expect(m).toContainText('4 001 / 4 000 octets');
    await m.getByRole('button', { name: 'Terminer ma saisie' }).tap();
    await expect(m.getByRole('alert')).toHaveText(
      '« Observations (incidents, réclamations, décisions, explication des écarts) » est trop long : ' +
        '4 001 octets pour 4 000 au plus (une lettre accentuée compte pour deux). Raccourcissez ce texte.',
    );
    // Still the first entry: nothing typed was lost.
    await expect(m.getByRole('heading', { name: 'Première saisie' })).toBeVisible();
    await expect(m.getByLabel('Président', { exact: true })).toHaveValue('Louise Perrin');
    await observations.fill('a'.repeat(3_998) + 'é');
    await expect(m).toContainText('4 000 / 4 000 octets');
    await m.getByRole('button', { name: 'Terminer ma saisie' }).tap();
    await secondEntry(page, 'Bruno Martin', CLEAN);
    await sign(page);
    // The server got it whole, once the phone's outbox sent it.
    const record = async () => (await (await page.request.get(`${server.url}/api/v1/record`)).text());
    await expect.poll(record, { timeout: 30_000 }).toContain('a'.repeat(3_998) + 'é');
  });
});

test('the count’s texts stop at 1,000 characters, with their length shown as they near it', async ({ page }) => {
  test.setTimeout(60_000);
  await onOwnServer(async (server) => {
    await enroll(page, 'DEMO-006', server);
    await page.goto(`${server.url}/compter`);
    const m = main(page);
    await m.getByLabel('Émargements (signatures sur la liste)').fill('101');
    await m.getByLabel('Enveloppes trouvées dans l’urne').fill('100');
    const gap = m.locator('#gap-explanation');
    await gap.fill('é'.repeat(899));
    await expect(m).not.toContainText('caractères sur');
    await gap.fill('é'.repeat(950));
    await expect(m).toContainText('950 caractères sur 1 000 au plus');
    // Typing on past the limit keeps the first 1,000: nothing beyond.
    await gap.fill('é'.repeat(1_000));
    await gap.pressSequentially('zz');
    await expect(gap).toHaveValue('é'.repeat(1_000));
    await expect(m).toContainText('1 000 caractères sur 1 000 au plus');
    await m.getByRole('button', { name: 'Enregistrer la clôture' }).tap();
    await expect(m.getByRole('button', { name: 'Ouvrir le paquet n° 1' })).toBeVisible();
  });
});

// A takeover, and how the bureau takes its figures back: whoever enrolls
// first with a leaked code signs a version 1 of their own figures. The
// organisers reissue the bureau's code (the command line); the bureau's real
// phone enrolls with the new one, gets the intruder's version 1 back (shown
// as signed by another key, with its figures), corrects it with the blind
// double entry, and the results count the correction. The phone's check of
// the public register holds: the earlier key was revoked before its own.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { enroll, expectAccessible, expectNoSideScroll } from './helpers';
import { onOwnServer } from './own-server';
import { CLEAN, type Figures, badge, firstEntry, typist, main, secondEntry, sign } from './pv-helpers';

/** The intruder's figures: 15 votes moved from one candidate to another. */
const FORGED: Figures = { ...CLEAN, voix: [CLEAN.voix[0] + 15, CLEAN.voix[1] - 15, CLEAN.voix[2], CLEAN.voix[3]] };

test('a code used by an intruder, then reissued: the real phone takes back its version 1, corrects it, and the results count the correction', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await onOwnServer(async (server) => {
    const intruder = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
    });
    const other = await intruder.newPage();
    await enroll(other, 'DEMO-001', server);
    await other.goto(`${server.url}/pv`);
    await firstEntry(other, 'Marc Dupuis', FORGED);
    await secondEntry(other, 'Léa Dupuis', FORGED);
    const forged = await sign(other);
    await expect(badge(other)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 30_000 });
    await intruder.close();

    // The organisers reissue the bureau's code, as they would.
    execFileSync(process.env.POINTAGE_SERVER_BIN!, [
      'election',
      'codes',
      '--election',
      'demo-2027-t1',
      '--reissue',
      'DEMO-001',
      '--data-dir',
      server.dataDir,
    ]);
    const codesCsv = join(server.dataDir, 'codes-demo-2027-t1-DEMO-001-reissued.csv');
    await enroll(page, 'DEMO-001', { url: server.url, codesCsv });

    // The real phone gets the version the server holds back, said to be
    // another key's, with its figures.
    await page.goto(`${server.url}/pv`);
    const m = main(page);
    await expect(m.getByRole('heading', { name: 'Procès-verbal signé', exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(m.locator('.human-code')).toHaveText(forged);
    await expect(m.locator('.other-key-banner')).toContainText(
      'Cette version a été signée par une autre clé que celle de ce téléphone',
    );
    await expect(m.getByRole('row', { name: /Voix de Camille Moreau 77/ })).toBeVisible();
    await expect(m.locator('ul.versions li')).toContainText('Version signée par une autre clé');
    await expectNoSideScroll(page);
    await expectAccessible(page, 'takeover-other-key-fr');
    await page.screenshot({ path: test.info().outputPath('takeover-other-key-fr.png'), fullPage: true });

    // The bureau corrects it from the paper PV: the two fields, blind.
    await m.getByRole('button', { name: 'Corriger le PV' }).tap();
    await m.getByLabel('Motif de la correction').fill('Version 1 signée par un téléphone qui n’était pas celui du bureau.');
    await m.getByRole('checkbox', { name: 'Voix de Camille Moreau' }).check();
    await m.getByRole('checkbox', { name: 'Voix de Jules Bertrand' }).check();
    await m.getByRole('button', { name: 'Commencer la correction' }).tap();
    for (const name of ['Awa Diallo', 'Bruno Martin']) {
      await typist(page, name, name === 'Awa Diallo');
      await m.getByLabel('Voix de Camille Moreau', { exact: true }).fill(String(CLEAN.voix[0]));
      await m.getByLabel('Voix de Jules Bertrand', { exact: true }).fill(String(CLEAN.voix[1]));
      await m.getByRole('button', { name: 'Terminer ma saisie' }).tap();
    }
    const corrected = await sign(page);
    expect(corrected).not.toBe(forged);
    await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 30_000 });
    await expect(m.locator('.other-key-banner')).toHaveCount(0);
    await expect(m.locator('p.witness')).toContainText('Dans le registre public, vérifié à', { timeout: 30_000 });

    // The results count the correction.
    const results = await (await page.request.get(`${server.url}/api/v1/results`)).json();
    const votes = Object.fromEntries(
      results.results.candidates.map((c: { id: string; votes: number }) => [c.id, c.votes]),
    );
    expect(votes.moreau).toBe(CLEAN.voix[0]);
    expect(votes.bertrand).toBe(CLEAN.voix[1]);
    const bureaux = await (await page.request.get(`${server.url}/api/v1/bureaux?state=received`)).json();
    expect(bureaux.bureaux[0].version).toBe(2);
  });
});

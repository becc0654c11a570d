// The paper PV photographed with the camera (Chromium's fake one, fed a
// printed-looking PV with the return's code written on it): the PV signed
// offline, two pages taken (each shown back to check it) and signed, the
// browser killed, started again with a network: the photos arrive; the
// results page shows them beside the bureau's figures; the server's
// pictures have the hashes the bureau signed. In French at 390×844.
// Then, with no network in the room: the photo document carried by QR codes
// to a helper's phone (the pictures follow from the bureau's phone once it
// has a network), and the photos retaken with a reason.
import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KilledBrowser } from './killed-browser';
import { enrollByClick } from './kill-taps';
import { onOwnServer } from './own-server';
import { paperPvPng, writePaperPv } from './paper-pv';
import { CLEAN, badge, firstEntry, main, pressWith, scanScreen, secondEntry, sign } from './pv-helpers';
import { enroll, expectAccessible, expectNoSideScroll } from './helpers';

test.beforeAll(() => pressWith('click'));
test.afterAll(() => pressWith('tap'));

const FIGURES = ['Émargements=1 940', 'Enveloppes=1 940', 'Blancs=21', 'Nuls=17', 'Exprimés=1 902'];

test('two pages of the paper PV photographed offline survive a kill and arrive with their signed hashes', async ({ browser }) => {
  test.setTimeout(240_000);
  const camera = join(mkdtempSync(join(tmpdir(), 'pointage-camera-')), 'paper-pv.y4m');
  await writePaperPv(browser, camera, 1, '-----', FIGURES);
  await onOwnServer(async (server) => {
    const b = new KilledBrowser([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${camera}`,
    ]);
    try {
      let page = await b.start();
      await enrollByClick(page, server, 'DEMO-001');
      await page.goto(`${server.url}/pv`);
      await firstEntry(page, 'Awa Diallo', CLEAN);
      await secondEntry(page, 'Bruno Martin', CLEAN);
      // No network from the signature on: everything waits on the phone.
      await page.context().setOffline(true);
      const code = await sign(page);

      // The evening asks for the photos next.
      await page.goto(`${server.url}/`);
      const go = main(page).getByRole('link', { name: 'Photographier le PV papier' });
      await expect(go).toBeVisible();
      await go.click();
      await expect(page.getByRole('heading', { name: 'Photos du PV papier' })).toBeVisible();
      await page.screenshot({ path: test.info().outputPath('fr-390-empty.png') });

      for (const n of [1, 2]) {
        await writePaperPv(browser, camera, n, code, FIGURES);
        await main(page).getByRole('button', { name: 'Ouvrir l’appareil photo' }).click();
        const video = main(page).locator('video.camera-view');
        await expect(video).toBeVisible();
        await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
        // The shutter is in view under the camera's picture, no scrolling.
        const shutter = main(page).getByRole('button', { name: 'Prendre la photo' });
        await expect(shutter).toBeInViewport();
        if (n === 1) await page.screenshot({ path: test.info().outputPath('fr-390-camera.png') });
        await shutter.click();
        // Shown back full screen, to check it can be read.
        const shown = main(page).locator('.photo-check img');
        await expect(shown).toBeVisible({ timeout: 20_000 });
        expect(await shown.evaluate((i: HTMLImageElement) => Math.max(i.naturalWidth, i.naturalHeight))).toBe(1280);
        if (n === 1) await page.screenshot({ path: test.info().outputPath('fr-390-check.png') });
        await main(page).getByRole('button', { name: 'Garder cette page' }).click();
        await expect(main(page).getByText(`Page ${n}`, { exact: true })).toBeVisible();
      }
      await page.screenshot({ path: test.info().outputPath('fr-390-two-pages.png') });
      await main(page).getByRole('button', { name: 'Signer et envoyer les 2 pages' }).click();
      await expect(main(page).getByRole('status')).toHaveText(
        '2 page(s) signée(s), gardées sur ce téléphone en attente d’envoi',
      );
      await b.kill();

      // Started again, with a network: the PV, then its photos, then their
      // pictures leave by themselves.
      page = await b.start();
      await page.goto(`${server.url}/photos`);
      await expect(main(page).getByRole('status')).toHaveText(
        '2 page(s) reçue(s) par le serveur central, photos comprises',
        { timeout: 60_000 },
      );
      await page.screenshot({ path: test.info().outputPath('fr-390-received.png') });

      const record = await (await page.request.get(`${server.url}/api/v1/record`)).text();
      const docs = record.split('\n').filter((l) => l.includes('"type":"photos"'));
      expect(docs).toHaveLength(1);
      const pages: { sha256: string; size: number }[] = JSON.parse(docs[0]).entry.photos.body.pages;
      expect(pages).toHaveLength(2);
      for (const p of pages) {
        const got = await page.request.get(`${server.url}/api/v1/photos/${p.sha256}`);
        expect(got.status()).toBe(200);
        const bytes = await got.body();
        expect(bytes.length).toBe(p.size);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(p.sha256);
      }
      expect(pages[0].sha256).not.toBe(pages[1].sha256);

      // The results page: the bureau's figures, and its paper beside them.
      await page.goto(`${server.url}/resultats?q=DEMO-001`);
      const photos = page.locator('.pv-photos img');
      await expect(photos).toHaveCount(2);
      await expect(photos.first()).toHaveAttribute('alt', 'PV papier du bureau DEMO-001, page 1');
      await photos.first().scrollIntoViewIfNeeded();
      await expect.poll(() => photos.first().evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
      await page.screenshot({ path: test.info().outputPath('fr-390-results.png') });
      expect(b.kills).toBe(1);
    } finally {
      await b.close();
    }
  });
});

/** The record's photo documents (their lines), oldest first. */
async function photoLines(page: Page, url: string) {
  const record = await (await page.request.get(`${url}/api/v1/record`)).text();
  return record
    .split('\n')
    .filter((l) => l.includes('"type":"photos"'))
    .map((l) => JSON.parse(l));
}

/** Takes one page with the file picker (the phone's camera app), checks it and keeps it. */
async function pickPage(page: Page, png: Buffer, n: number) {
  const m = main(page);
  await m.locator('input[type=file]').setInputFiles({ name: `pv-${n}.png`, mimeType: 'image/png', buffer: png });
  await expect(m.locator('.photo-check img')).toBeVisible({ timeout: 20_000 });
  await m.getByRole('button', { name: 'Garder cette page' }).click();
  await expect(m.getByText(`Page ${n}`, { exact: true })).toBeVisible();
}

test('the photos carried by QR codes without a network, their pictures following, then retaken with a reason', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  await onOwnServer(async (server) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    const page = await context.newPage();
    await enroll(page, 'DEMO-002', server);
    await page.goto(`${server.url}/pv`);
    await firstEntry(page, 'Awa Diallo', CLEAN);
    await secondEntry(page, 'Bruno Martin', CLEAN);
    const code = await sign(page);
    await expect(badge(page)).toContainText('PV reçu par le serveur central', { timeout: 20_000 });

    // The network goes; the paper is photographed with the camera app and
    // picked, signed, and shown as QR codes.
    await context.setOffline(true);
    await page.goto(`${server.url}/photos`);
    await pickPage(page, await paperPvPng(browser, 1, code, FIGURES), 1);
    const m = main(page);
    await m.getByRole('button', { name: 'Signer et envoyer la page' }).click();
    await expect(m.getByRole('status')).toHaveText('1 page(s) signée(s), gardées sur ce téléphone en attente d’envoi');
    await m.getByRole('button', { name: 'Montrer en codes QR' }).click();
    await expect(m.getByRole('heading', { name: 'Les photos signées en codes QR' })).toBeVisible();
    const count = Number((await m.locator('section.qr .badge').textContent())!.match(/^Code 1 sur (\d+)$/)![1]);
    const codes: string[] = [];
    for (let k = 1; k <= count; k++) {
      await expect(m.getByRole('img', { name: `Code QR ${k} sur ${count} des photos signées` })).toBeVisible();
      codes.push(await scanScreen(page));
      if (k < count) await m.getByRole('button', { name: 'Code suivant' }).click();
    }
    codes.forEach((c, i) => expect(c.startsWith(`${server.url}/deposer#PTG1-${i + 1}-${count}-`), c).toBe(true));
    await page.screenshot({ path: test.info().outputPath('fr-390-photos-qr.png'), fullPage: true });
    await expectAccessible(page, 'photos-qr-fr');
    await expectNoSideScroll(page);

    // A helper's phone, with a network, reads them: the document is
    // received; its picture is not yet on the server.
    const helper = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    const h = await helper.newPage();
    // Its first try to send fails (as on a network that drops), so that
    // what it read is said before it leaves: then sent by hand.
    await h.route('**/api/v1/photos', (r) => r.abort());
    for (const c of codes) {
      await h.goto('about:blank');
      await h.goto(c);
      await h.waitForFunction(() => location.hash === '');
    }
    await expect(h.getByRole('main')).toContainText(
      'Photos du PV papier lues en entier : bureau DEMO-002, version 1, 1 page(s).',
    );
    await expect(h.getByRole('alert')).toContainText('Pas de réseau');
    await h.unroute('**/api/v1/photos');
    await h.getByRole('button', { name: 'Envoyer au serveur central' }).first().click();
    const receipt = h.getByRole('status').filter({ hasText: 'Reçu par le serveur central' });
    await expect(receipt).toHaveText(
      /^Reçu par le serveur central\s: photos du PV papier du bureau DEMO-002, version 1, 1\spage\(s\) \(n°\s(\d+)\)\. Les photos elles-mêmes partiront du téléphone du bureau dès qu’il aura du réseau\.$/,
      { timeout: 20_000 },
    );
    await h.screenshot({ path: test.info().outputPath('fr-390-deposit-photos.png'), fullPage: true });
    await expectAccessible(h, 'deposit-photos-fr');
    const sequence = Number((await receipt.textContent())!.match(/n°\s(\d+)/)![1]);
    await helper.close();
    let docs = await photoLines(page, server.url);
    expect(docs).toHaveLength(1);
    expect(docs[0].index).toBe(sequence);
    const first = docs[0].entry.photos.body.pages[0].sha256;
    expect((await page.request.get(`${server.url}/api/v1/photos/${first}`)).status()).toBe(404);

    // The bureau's phone gets a network: the server answers its document
    // with the receipt it gave the helper, and the picture follows.
    await context.setOffline(false);
    await expect(m.getByRole('status')).toHaveText('1 page(s) reçue(s) par le serveur central, photos comprises', {
      timeout: 60_000,
    });
    await expect(m.getByRole('button', { name: 'Montrer en codes QR' })).toHaveCount(0);
    docs = await photoLines(page, server.url);
    expect(docs).toHaveLength(1);
    const got = await page.request.get(`${server.url}/api/v1/photos/${first}`);
    expect(got.status()).toBe(200);
    expect(createHash('sha256').update(await got.body()).digest('hex')).toBe(first);

    // The page proves blurred: taken again, with a reason, as version 2.
    await m.getByRole('button', { name: 'Reprendre les photos' }).click();
    await pickPage(page, await paperPvPng(browser, 2, code, FIGURES), 1);
    const sign2 = m.getByRole('button', { name: 'Signer et envoyer la page' });
    await sign2.click();
    await expect(m.getByRole('alert')).toHaveText('Dites pourquoi vous reprenez les photos.');
    await m.getByLabel('Pourquoi reprendre les photos ?').fill('page 1 floue');
    await sign2.click();
    await expect(m.getByRole('status')).toHaveText('1 page(s) reçue(s) par le serveur central, photos comprises', {
      timeout: 60_000,
    });
    docs = await photoLines(page, server.url);
    expect(docs).toHaveLength(2);
    const retake = docs[1].entry.photos.body;
    expect(retake.version).toBe(2);
    expect(retake.replaces.reason).toBe('page 1 floue');
    expect(retake.pages[0].sha256).not.toBe(first);
    // The results page shows the latest version's picture.
    await page.goto(`${server.url}/resultats?q=DEMO-002`);
    const shown = page.locator('.pv-photos img');
    await expect(shown).toHaveCount(1);
    await expect(shown).toHaveAttribute('src', new RegExp(retake.pages[0].sha256));
    await context.close();
  });
});

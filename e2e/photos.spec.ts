// The paper PV photographed with the camera (Chromium's fake one, fed a
// printed-looking PV with the return's code written on it): the PV signed
// offline, two pages taken (each shown back to check it) and signed, the
// browser killed, started again with a network: the photos arrive; the
// results page shows them beside the bureau's figures; the server's
// pictures have the hashes the bureau signed. In French at 390×844.
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KilledBrowser } from './killed-browser';
import { enrollByClick } from './kill-taps';
import { onOwnServer } from './own-server';
import { writePaperPv } from './paper-pv';
import { CLEAN, firstEntry, main, pressWith, secondEntry, sign } from './pv-helpers';

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

// The browser killed, not reloaded: SIGKILL to every Chromium process of a
// profile of the test's own, at random moments, then Chromium started again
// on that profile. Everything the screen had said was kept must be there:
// every ballot shown as counted, a packet shown closed, the signed PV with
// its code, a turnout report, the server's receipts, a table phone's
// ballots in its own app, and a phone's move to a second round.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KilledBrowser } from './killed-browser';
import { enrollByClick, tapAndKill } from './kill-taps';
import { demoCodes, idbGet, recordReturns } from './helpers';
import { onOwnServer } from './own-server';
import { importElection } from './day-election';
import { CANDIDATES, CLEAN, badge, fill, firstEntry, handOver, main, press, pressWith, secondEntry, sign } from './pv-helpers';

test.beforeAll(() => pressWith('click'));
test.afterAll(() => pressWith('tap'));

test('taps and closed packets survive the browser killed at random moments (at least 100 taps)', async () => {
  test.setTimeout(600_000);
  await onOwnServer(async (server) => {
    const taps = Number(process.env.KILL_TAPS ?? 100);
    const r = await tapAndKill(server, 'DEMO-001', taps, 4, (process.env.KILL_WHEN as 'during-writes') ?? 'after-shown');
    expect(r.shown).toBeGreaterThanOrEqual(taps);
    expect(r.lost).toBe(0);
  });
});

test('the PV killed right after signing, and right after the receipt: the signed version, its code and its receipt are there', async () => {
  test.setTimeout(180_000);
  await onOwnServer(async (server) => {
    const b = new KilledBrowser();
    try {
      let page = await b.start();
      await enrollByClick(page, server, 'DEMO-002');
      // The network is cut while the PV is signed, so the kill comes
      // before any receipt.
      await page.goto(`${server.url}/pv`);
      await firstEntry(page, 'Awa Diallo', CLEAN);
      await secondEntry(page, 'Bruno Martin', CLEAN);
      await page.context().setOffline(true);
      const code = await sign(page);
      await b.kill();

      page = await b.start();
      await page.goto(`${server.url}/pv`);
      await expect(main(page).getByRole('heading', { name: 'Procès-verbal signé', exact: true })).toBeVisible();
      await expect(main(page).locator('.human-code')).toHaveText(code);
      // Now with the network: the receipt comes, and the browser dies at once.
      await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 30_000 });
      await b.kill();

      page = await b.start();
      await page.goto(`${server.url}/pv`);
      await expect(main(page).locator('.human-code')).toHaveText(code);
      const record = recordReturns(await (await page.request.get(`${server.url}/api/v1/record`)).text());
      expect(record).toHaveLength(1);
      const n = record[0].sequence;
      await expect(main(page)).toContainText(`Reçu par le serveur central : n° ${n}`);
      await expect(badge(page)).toContainText(`PV reçu par le serveur central · n° ${n}`);
      expect(b.kills).toBe(2);
    } finally {
      await b.close();
    }
  });
});

test('Chromium deletes the IndexedDB it finds damaged after a kill: the count and the signed PV come back from the journal', async () => {
  test.setTimeout(180_000);
  await onOwnServer(async (server) => {
    const b = new KilledBrowser();
    try {
      let page = await b.start();
      await enrollByClick(page, server, 'DEMO-003');
      await page.goto(`${server.url}/pv`);
      await firstEntry(page, 'Awa Diallo', CLEAN);
      await secondEntry(page, 'Bruno Martin', CLEAN);
      const code = await sign(page);
      await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 30_000 });
      // Then ballots counted (after the PV, so that they are not on it).
      await page.goto(`${server.url}/compter`);
      const m = main(page);
      await m.getByLabel('Émargements (signatures sur la liste)').fill('300');
      await m.getByLabel('Enveloppes trouvées dans l’urne').fill('300');
      await m.getByRole('button', { name: 'Enregistrer la clôture' }).click();
      await m.getByRole('button', { name: 'Ouvrir le paquet n° 1' }).click();
      for (let i = 0; i < 7; i++) await m.locator('button.tap:not(.nul)').nth(i % 3).click();
      await expect(m.getByRole('status')).toContainText('7 / 100');
      await b.kill();

      // What Chromium does when it finds its IndexedDB's log torn after a
      // kill: it deletes the site's whole database.
      const idb = join(b.profile, 'Default', 'IndexedDB');
      expect(readdirSync(idb).length).toBeGreaterThan(0);
      rmSync(idb, { recursive: true, force: true });

      page = await b.start();
      await page.goto(`${server.url}/compter`);
      const notice = page.getByRole('alert').filter({ hasText: 'copie de secours' });
      await expect(notice).toBeVisible();
      // The key is a browser object no copy can hold: the notice says so.
      await expect(notice).toContainText('ne peut plus signer');
      await expect(main(page).getByRole('status')).toContainText('7 / 100');
      await page.goto(`${server.url}/pv`);
      await expect(main(page).locator('.human-code')).toHaveText(code);
      await expect(main(page)).toContainText(/Reçu par le serveur central\s: n° \d+/);
      // Written back into IndexedDB: the next start needs no journal.
      await b.kill();
      page = await b.start();
      await page.goto(`${server.url}/compter`);
      await expect(main(page).getByRole('status')).toContainText('7 / 100');
      await expect(page.getByRole('alert').filter({ hasText: 'copie de secours' })).toHaveCount(0);
    } finally {
      await b.close();
    }
  });
});

test('the typists’ hand-over survives the browser killed: on the hand-over screen, and once the second person has the phone', async () => {
  test.setTimeout(180_000);
  await onOwnServer(async (server) => {
    const b = new KilledBrowser();
    try {
      let page = await b.start();
      await enrollByClick(page, server, 'DEMO-004');
      await page.goto(`${server.url}/pv`);
      let m = main(page);
      await m.getByLabel('Votre nom (la personne qui saisit)').fill('Awa Diallo');
      await fill(m, CLEAN);
      await m.getByLabel('Président', { exact: true }).fill('Louise Perrin');
      await m.getByLabel('Secrétaire', { exact: true }).fill('Hugo Lambert');
      await m.getByLabel('Assesseurs (un nom par ligne)').fill('Sarah Roux\nMalik Benali');
      await press(m.getByRole('button', { name: 'Terminer ma saisie' }));
      const handover = 'Passez le téléphone à la seconde personne';
      await expect(m.getByRole('heading', { name: handover })).toBeVisible();
      await b.kill();

      // Awa's entry is kept: the phone is still to be handed over.
      page = await b.start();
      await page.goto(`${server.url}/pv`);
      m = main(page);
      await expect(m.getByRole('heading', { name: handover })).toBeVisible();
      await expect(m).toContainText('Awa Diallo');
      await handOver(page, 'Bruno Martin');
      await b.kill();

      // The second person has the phone: it opens on their blind form,
      // and the PV is signed by the two of them.
      page = await b.start();
      await page.goto(`${server.url}/pv`);
      m = main(page);
      await expect(m.getByRole('heading', { name: 'Seconde saisie, à l’aveugle' })).toBeVisible();
      await expect(m.getByLabel('Voix de Jules Bertrand')).toHaveValue('');
      await expect(m.locator('.entrant-line')).toHaveText('Saisie de Bruno Martin');
      await secondEntry(page, 'Bruno Martin', CLEAN, { handedOver: true });
      await sign(page);
      await expect(m).toContainText('Saisi par : Awa Diallo · Bruno Martin');
      expect(b.kills).toBe(2);
    } finally {
      await b.close();
    }
  });
});

test('a turnout report killed right after it was shown kept, and right after its receipt: sent once, received with the same number', async () => {
  test.setTimeout(180_000);
  await onOwnServer(async (server) => {
    const codesCsv = importElection(server);
    const b = new KilledBrowser();
    try {
      let page = await b.start();
      await page.goto(server.url + demoCodes(codesCsv).get('J-002')!.path);
      await page.getByRole('button', { name: 'Enrôler ce téléphone' }).click();
      await expect(page.getByRole('heading', { name: 'Téléphone enrôlé' })).toBeVisible();
      await page.goto(`${server.url}/journee`);
      const item = (p: typeof page) => main(p).locator('#checkpoint-12h');
      // Without a network, so that the kill comes before any receipt.
      await page.context().setOffline(true);
      await item(page).getByRole('button', { name: 'Relever' }).click();
      await main(page).getByLabel('Signatures sur la liste d’émargement').fill('420');
      await main(page).getByLabel('Le même nombre, saisi une seconde fois').fill('420');
      await main(page).getByRole('button', { name: 'Signer ce relevé' }).click();
      await expect(main(page).getByRole('status')).toHaveText(
        'Relevé de 12:00 : signé et gardé sur ce téléphone. Il part dès que le réseau le permet.',
      );
      await b.kill();

      // Started again, with a network: the report was kept, and leaves.
      page = await b.start();
      await page.goto(`${server.url}/journee`);
      const received = /420\sémargements · reçu par le serveur central \(n°\s(\d+)\)/;
      await expect(item(page)).toContainText(received, { timeout: 30_000 });
      const n = (await item(page).textContent())!.match(received)![1];
      await b.kill();

      // Killed right after the receipt: the receipt was kept with it.
      page = await b.start();
      await page.goto(`${server.url}/journee`);
      await expect(item(page)).toContainText(received);
      expect((await item(page).textContent())!.match(received)![1]).toBe(n);
      const record = await (await page.request.get(`${server.url}/api/v1/record?election=jour-e2e`)).text();
      const reports = record.split('\n').filter((l) => l.includes('"type":"report"'));
      expect(reports).toHaveLength(1);
      expect(b.kills).toBe(2);
    } finally {
      await b.close();
    }
  });
});

test('a table phone’s count survives its browser killed, in its own app and with no network', async () => {
  test.setTimeout(180_000);
  await onOwnServer(async (server) => {
    const bureau = new KilledBrowser();
    const table = new KilledBrowser();
    try {
      // The bureau's phone invites table 1's recorder A.
      const b = await bureau.start();
      await enrollByClick(b, server, 'DEMO-006');
      await b.goto(`${server.url}/tables`);
      await main(b).getByRole('textbox', { name: 'Numéro de la table' }).fill('1');
      await main(b).getByRole('radio', { name: 'Pointeur A' }).check();
      await main(b).getByRole('button', { name: 'Afficher le code pour rejoindre' }).click();
      const link = (await main(b).getByRole('img', { name: 'Code QR 1 sur 1' }).getAttribute('data-link'))!;

      // The recorder's own phone joins, in the table phone's app, kept for
      // offline use.
      let t = await table.start();
      await t.goto(link);
      await main(t).getByRole('button', { name: 'Rejoindre cette table' }).click();
      await expect(t.getByRole('heading', { name: 'Ma table', level: 1 })).toBeVisible();
      await t.evaluate(async () => {
        await navigator.serviceWorker.ready;
        for (let i = 0; i < 100; i++) {
          const keys = (await (await caches.open('pointage-table')).keys()).map((r) => new URL(r.url).pathname);
          if (keys.includes('/table') && keys.includes('/journal.js')) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('the table phone’s app was not kept for offline use');
      });
      await main(t).getByRole('textbox', { name: 'Enveloppes remises à la table' }).fill('10');
      await main(t).getByRole('button', { name: 'Enregistrer les enveloppes' }).click();
      await main(t).getByRole('textbox', { name: 'Numéro du paquet (écrit sur sa bande)' }).fill('7');
      await main(t).getByRole('textbox', { name: 'Enveloppes dans ce paquet' }).fill('10');
      await main(t).getByRole('button', { name: 'Ouvrir le paquet n° 7' }).click();
      for (const c of [0, 1, 0]) {
        await main(t).getByRole('button', { name: CANDIDATES[c], exact: true }).click();
      }
      const marks = main(t).getByRole('status').locator('strong');
      await expect(marks).toHaveText('3');
      // Killed as it shows 3 ballots counted; started again with no network.
      await table.kill();
      t = await table.start();
      await t.context().setOffline(true);
      await t.goto(`${server.url}/table`);
      await expect(main(t).getByRole('heading', { name: 'Paquet n° 7' })).toBeVisible();
      await expect(main(t).getByRole('status').locator('strong')).toHaveText('3');
      await main(t).getByRole('button', { name: CANDIDATES[2], exact: true }).click();
      await expect(main(t).getByRole('status').locator('strong')).toHaveText('4');
    } finally {
      await bureau.close();
      await table.close();
    }
  });
});

test('a phone killed right after it took the second round counts for one round, whole, with its key', async () => {
  test.setTimeout(180_000);
  await onOwnServer(async (server) => {
    const b = new KilledBrowser();
    try {
      let page = await b.start();
      await enrollByClick(page, server, 'DEMO-008');
      const first = JSON.parse((await idbGet(page, 'pointage.device'))!);
      // The second round, made from the first by the command line.
      const demo = (await (await page.request.get(`${server.url}/api/v1/elections`)).json())[0];
      const file = join(server.dataDir, 'second.json');
      writeFileSync(file, JSON.stringify({ ...demo, id: 'demo-2027-t2', name: 'Second tour', round: 2, date: '2027-01-29', day: undefined }));
      execFileSync(process.env.POINTAGE_SERVER_BIN!, [
        'election', 'import', file, '--from', first.election.id, '--data-dir', server.dataDir, '--base-url', server.url,
      ]);
      await page.goto(`${server.url}/`);
      const take = main(page).getByRole('button', { name: 'Compter pour ce tour' });
      await expect(take).toBeVisible({ timeout: 20_000 });
      // Killed at once after the tap: the move was kept whole, or not at all.
      await take.click();
      await b.kill();
      page = await b.start();
      await page.goto(`${server.url}/`);
      const line = main(page).locator('.election-line');
      const again = main(page).getByRole('button', { name: 'Compter pour ce tour' });
      // Either the first round, the move offered again, or the second.
      await expect(line).toBeVisible({ timeout: 20_000 });
      if (!(await line.textContent())!.includes('Second tour')) {
        await expect(again).toBeVisible({ timeout: 20_000 });
        await again.click();
      }
      await expect(line).toContainText('Second tour', { timeout: 20_000 });
      await b.kill();
      // Started again: still the second round, the same key.
      page = await b.start();
      await page.goto(`${server.url}/`);
      await expect(main(page).locator('.election-line')).toContainText('Second tour');
      const device = JSON.parse((await idbGet(page, 'pointage.device'))!);
      expect(device.election.id).toBe('demo-2027-t2');
      expect(device.election.round).toBe(2);
      expect(device.device_key).toBe(first.device_key);
      expect(b.kills).toBe(2);
    } finally {
      await b.close();
    }
  });
});

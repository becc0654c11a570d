// What the central server and a bureau without a network go through, on
// servers of these journeys' own (e2e/own-server.ts):
// - the hand-over by QR codes: the bureau's phone shows its signed return as
//   QR codes, another phone's camera reads them (here jsQR reads them off
//   screenshots of the phone's screen), and its browser opens the deposit
//   page with each part, which sends the return once all are read;
// - a version and its correction, both unsent, handed over together: the
//   codes carry both, and the deposit page sends them in version order
//   whatever order they were scanned in;
// - the server killed (SIGKILL) just after it stored a return, before its
//   answer left, then started again: the phone ends with the receipt, and the
//   server holds exactly one copy.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { enroll, expectAccessible, expectNoSideScroll, idbGet, recordReturns } from './helpers';
import { type OwnServer, onOwnServer } from './own-server';
import { CLEAN, badge, firstEntry, typist, main, scanScreen, secondEntry, sign } from './pv-helpers';

/**
 * Opens a scanned code's address, as the camera app would, and waits for
 * the page to have read it (it then takes the part out of the address).
 */
async function openCode(page: Page, url: string) {
  await page.goto(url);
  await page.waitForFunction(() => location.hash === '');
}

/** The server's public record: its returns for one bureau. */
async function recordOf(page: Page, server: OwnServer, bureau: string) {
  const text = await (await page.request.get(`${server.url}/api/v1/record`)).text();
  return recordReturns(text).filter((l) => l.return.body.bureau === bureau);
}

/**
 * A journey on a server of its own: this phone enrolled there for `bureau`,
 * with a clean PV entered by two people; the server killed at the end,
 * whatever happens.
 */
function onEnrolledServer(page: Page, bureau: string, journey: (server: OwnServer) => Promise<void>) {
  return onOwnServer(async (server) => {
    await enroll(page, bureau, server);
    await page.goto(`${server.url}/pv`);
    await firstEntry(page, 'Awa Diallo', CLEAN);
    await secondEntry(page, 'Bruno Martin', CLEAN);
    await journey(server);
  });
}

/** The paths of the app files a phone fetched, its service worker's included. */
function appFilesFetched(context: BrowserContext): string[] {
  const paths: string[] = [];
  context.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\.(?:wasm|js)$/.test(path)) paths.push(path);
  });
  return paths;
}

const BUREAU_APP = /^\/pointage-[0-9a-f]+(?:_bg\.wasm|\.js)$/;
const PUBLIC_APP = /^\/public\/pointage-public-[0-9a-f]+(?:_bg\.wasm|\.js)$/;

/** Another phone, not enrolled, in French. */
function helperPhone(browser: Browser) {
  return browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR' });
}

/**
 * Reads every QR code the phone shows, one after the other as a person
 * would, with the version written above it (when there are several).
 */
async function scanAll(page: Page): Promise<{ text: string; version: string | null }[]> {
  const m = main(page);
  const count = Number((await m.locator('section.qr .badge').textContent())!.match(/^Code 1 sur (\d+)$/)![1]);
  const codes = [];
  for (let k = 1; k <= count; k++) {
    await expect(m.locator('section.qr .badge')).toHaveText(`Code ${k} sur ${count}`);
    await expect(m.getByRole('img', { name: `Code QR ${k} sur ${count} du PV signé` })).toBeVisible();
    const note = m.locator('section.qr p.note');
    const version = (await note.count()) > 0 ? await note.textContent() : null;
    codes.push({ text: await scanScreen(page), version });
    if (k < count) await m.getByRole('button', { name: 'Code suivant' }).tap();
  }
  await expect(m.getByRole('button', { name: 'Code suivant' })).toBeDisabled();
  return codes;
}

test('a signed return handed over by QR codes to a phone with a network, which carries it while offline', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const bureauFetched = appFilesFetched(page.context());
  await onEnrolledServer(page, 'DEMO-001', async (server) => {
    // The bureau's room has no network.
    await page.context().setOffline(true);
    const code = await sign(page);
    await expect(badge(page)).toContainText('PV à envoyer (1)');

    const m = main(page);
    await m.getByRole('button', { name: 'Montrer en codes QR' }).tap();
    await expect(m.getByRole('heading', { name: 'Le PV signé en codes QR' })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('qr-fr.png'), fullPage: true });
    await expectAccessible(page, 'qr-fr');
    await expectNoSideScroll(page);
    const codes = (await scanAll(page)).map((c) => c.text);
    const count = codes.length;
    expect(count).toBeGreaterThanOrEqual(2);
    codes.forEach((text, i) => expect(text.startsWith(`${server.url}/deposer#PTG1-${i + 1}-${count}-`), text).toBe(true));
    // The same screen in English.
    await page.getByRole('button', { name: 'English' }).tap();
    await expect(m.getByRole('heading', { name: 'Report signed', exact: true })).toBeVisible();
    await expect(m.getByRole('heading', { name: 'The signed report as QR codes' })).toBeVisible();
    await expect(m.locator('section.qr .badge')).toHaveText(`Code 1 of ${count}`);
    await expect(m.getByRole('button', { name: 'Previous code' })).toBeDisabled();
    await m.getByRole('button', { name: 'Next code' }).tap();
    await expect(m.getByRole('img', { name: `QR code 2 of ${count} of the signed report` })).toBeVisible();
    await expect(m).not.toContainText('Procès-verbal signé');
    await page.screenshot({ path: test.info().outputPath('qr-en.png'), fullPage: true });
    await expectAccessible(page, 'qr-en');
    await page.getByRole('button', { name: 'Français' }).tap();

    // Another phone, not enrolled, in French, with a network for now.
    const helper = await helperPhone(browser);
    const helperFetched = appFilesFetched(helper);
    const first = await helper.newPage();
    // A code that is not one of ours is refused by name.
    await first.goto(`${server.url}/deposer#PTG1-9-nonsense`);
    await expect(first.getByRole('alert')).toContainText('Cette adresse ne porte pas de code de PV lisible');
    // A code of some other return, read by mistake, can be removed from
    // this phone (the bureau's phone keeps its signed return).
    await openCode(first, `${server.url}/deposer#PTG1-1-2-AAAAAAAA-AAAA`);
    const stray = first.getByRole('status').filter({ hasText: 'codes lus : 1 sur 2' });
    await expect(stray).toBeVisible();
    await stray.getByRole('button', { name: 'Effacer de cet appareil' }).tap();
    await expect(first.getByRole('alertdialog')).toContainText('Le PV signé reste sur le téléphone du bureau.');
    await expectAccessible(first, 'deposit-forget-fr');
    await first.getByRole('button', { name: 'Oui, effacer' }).tap();
    await expect(stray).toHaveCount(0);
    expect(await idbGet(first, 'pointage.handover')).toBeNull();
    // The first code opens the page afresh, as a camera app opening it in
    // a new tab does.
    await first.goto('about:blank');
    await first.goto(codes[0]);
    await expect(first.getByRole('main')).toContainText(
      `PV en cours de lecture, codes lus : 1 sur ${count}. Reste à scanner sur le téléphone du bureau : n° ${[...Array(count - 1).keys()].map((i) => i + 2).join(', ')}.`,
    );
    // The address no longer holds the part: a reload does not read it twice.
    expect(new URL(first.url()).hash).toBe('');
    // Nothing on the page moved while the code was read: what the helper
    // was about to tap stays where it was (no layout shift).
    const shifted = await first.evaluate(
      () =>
        new Promise<number>((done) => {
          new PerformanceObserver((list) =>
            done(list.getEntries().reduce((sum, e) => sum + (e as unknown as { value: number }).value, 0)),
          ).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => done(0), 1000);
        }),
    );
    expect(shifted).toBe(0);
    await first.screenshot({ path: test.info().outputPath('deposit-scanning-fr.png'), fullPage: true });
    await expectAccessible(first, 'deposit-scanning-fr');
    await first.getByRole('button', { name: 'English' }).tap();
    await expect(first.getByRole('main')).toContainText(
      `Reading a report, codes read: 1 of ${count}. Still to scan on the station’s phone: no.`,
    );
    await expectAccessible(first, 'deposit-scanning-en');
    await first.getByRole('button', { name: 'Français' }).tap();
    // The camera app may open the next code in the same tab.
    for (let k = 2; k < count; k++) {
      await first.goto(codes[k - 1]);
      await expect(first.getByRole('main')).toContainText(`codes lus : ${k} sur ${count}`);
    }
    // The helper phone now walks out of coverage too; the page it opened
    // is kept by the service worker.
    await first.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await helper.setOffline(true);
    // The last code opens in a new tab, still offline.
    const last = await helper.newPage();
    await last.goto(codes[count - 1]);
    await expect(last.getByRole('main')).toContainText(`PV lu en entier : bureau DEMO-001, version 1, code ${code}.`);
    await expect(last.getByRole('alert')).toContainText('Pas de réseau : le PV lu reste sur cet appareil');
    // Coverage again: it leaves by itself.
    await helper.setOffline(false);
    const receipt = last.getByRole('status').filter({ hasText: 'Reçu par le serveur central' });
    await expect(receipt).toHaveText(
      new RegExp(`^Reçu par le serveur central\\s: bureau DEMO-001, version 1, code ${code} \\(n° (\\d+)\\)\\.$`),
      { timeout: 20_000 },
    );
    await last.screenshot({ path: test.info().outputPath('deposit-scanned-fr.png'), fullPage: true });
    await expectAccessible(last, 'deposit-scanned-fr');
    // Delivered: the parts are gone from the helper phone.
    expect(await idbGet(last, 'pointage.handover')).toBeNull();
    const sequence = (await receipt.textContent())!.match(/n° (\d+)/)![1];
    // The helper's phone downloaded the deposit app only, and the bureau's
    // phone the bureau app only.
    expect(helperFetched.filter((p) => PUBLIC_APP.test(p)).length).toBeGreaterThan(0);
    expect(helperFetched.filter((p) => BUREAU_APP.test(p) || p.startsWith('/resultats'))).toEqual([]);
    expect(bureauFetched.filter((p) => BUREAU_APP.test(p)).length).toBeGreaterThan(0);
    expect(bureauFetched.filter((p) => p.startsWith('/public/'))).toEqual([]);
    await helper.close();

    // The bureau's phone gets its network back: the server answers its own
    // send with the receipt of the copy it already holds.
    await page.context().setOffline(false);
    await expect(badge(page)).toContainText(`PV reçu par le serveur central · n° ${sequence}`, { timeout: 20_000 });
    const record = await recordOf(page, server, 'DEMO-001');
    expect(record).toHaveLength(1);
    expect(String(record[0].sequence)).toBe(sequence);
  });
});

test('the server killed after storing a return, before answering, then restarted: one copy, and the receipt on the phone', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await onEnrolledServer(page, 'DEMO-002', async (server) => {
    // The first send reaches the server, which stores it; the server then
    // dies (SIGKILL, as in a power cut) before its answer leaves. While it
    // is down, every send fails to connect.
    const attempts: string[] = [];
    let stored: { sequence: number } | null = null;
    await page.route('**/api/v1/returns', async (route) => {
      attempts.push(route.request().postData() ?? '');
      if (attempts.length === 1) {
        const response = await route.fetch();
        expect(response.status()).toBe(201);
        stored = (await response.json()).receipt.body;
        await server.kill();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    const code = await sign(page);
    // The phone tries again while the server is down: it cannot connect,
    // and the version waits for the network.
    await expect.poll(() => attempts.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await expect(badge(page)).toContainText('PV à envoyer (1)');
    expect(stored).not.toBeNull();

    // The server comes back on the same address, from its data folder.
    await server.start();
    // Someone at the bureau, told the server is back, does not wait for
    // the next try.
    await main(page).getByRole('button', { name: 'Envoyer maintenant' }).tap();
    await expect(badge(page)).toContainText(`PV reçu par le serveur central · n° ${stored!.sequence}`, {
      timeout: 30_000,
    });
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts).size).toBe(1);
    const record = await recordOf(page, server, 'DEMO-002');
    expect(record).toHaveLength(1);
    expect(record[0].sequence).toBe(stored!.sequence);
    await expect(main(page).locator('.human-code')).toHaveText(code);
    // Nothing waits any more: no button to send.
    await expect(main(page).getByRole('button', { name: 'Envoyer maintenant' })).toHaveCount(0);
  });
});

test('a version and its correction, both unsent, handed over by QR codes scanned in the wrong order: both received, in order', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await onEnrolledServer(page, 'DEMO-003', async (server) => {
    await page.context().setOffline(true);
    const m = main(page);
    const v1 = await sign(page);
    // Corrected before any network came: a spoiled ballot was blank.
    await m.getByRole('button', { name: 'Corriger le PV' }).tap();
    await m.getByLabel('Motif de la correction').fill('Un bulletin compté nul était blanc.');
    await m.getByRole('checkbox', { name: 'Bulletins blancs' }).check();
    await m.getByRole('checkbox', { name: 'Bulletins nuls' }).check();
    await m.getByRole('button', { name: 'Commencer la correction' }).tap();
    for (const name of ['Chloé Petit', 'Bruno Martin']) {
      // The second form shows once the first entry is on disk, as a person sees it.
      await typist(page, name, name === 'Chloé Petit');
      await m.getByLabel('Bulletins blancs', { exact: true }).fill('22');
      await m.getByLabel('Bulletins nuls', { exact: true }).fill('16');
      await m.getByRole('button', { name: 'Terminer ma saisie' }).tap();
    }
    const v2 = await sign(page);
    await expect(badge(page)).toContainText('PV à envoyer (2)');

    // Each version's file can be carried too (version 1 first).
    const [file1] = await Promise.all([
      page.waitForEvent('download'),
      m.getByRole('link', { name: 'Fichier de la version 1' }).click(),
    ]);
    expect(JSON.parse(readFileSync((await file1.path())!, 'utf8')).body.version).toBe(1);
    await expect(m.getByRole('link', { name: 'Fichier de la version 2' })).toBeVisible();

    // The codes carry both versions, the one replaced first.
    await m.getByRole('button', { name: 'Montrer en codes QR' }).tap();
    const codes = await scanAll(page);
    const byVersion: Record<string, string[]> = { 'Version 1': [], 'Version 2': [] };
    for (const { text, version } of codes) byVersion[version!].push(text);
    expect(byVersion['Version 1'].length).toBeGreaterThanOrEqual(2);
    expect(byVersion['Version 2'].length).toBeGreaterThanOrEqual(2);
    expect(byVersion['Version 1'].length + byVersion['Version 2'].length).toBe(codes.length);

    // The helper phone reads the correction first: the server cannot take
    // it before the version it replaces, and the page says why.
    const helper = await helperPhone(browser);
    const reader = await helper.newPage();
    for (const url of byVersion['Version 2']) await openCode(reader, url);
    await expect(reader.getByRole('main')).toContainText(`PV lu en entier : bureau DEMO-003, version 2, code ${v2}.`);
    await expect(reader.getByRole('alert')).toBeVisible();
    // Then version 1: both leave, version 1 first.
    for (const url of byVersion['Version 1']) await openCode(reader, url);
    const received = reader.getByRole('status').filter({ hasText: 'Reçu par le serveur central' });
    await expect(received).toHaveCount(2, { timeout: 20_000 });
    await expect(received.nth(0)).toContainText(`version 2, code ${v2}`);
    await expect(received.nth(1)).toContainText(`version 1, code ${v1}`);
    await expect(reader.getByRole('alert')).toHaveCount(0);
    await reader.screenshot({ path: test.info().outputPath('deposit-two-versions-fr.png'), fullPage: true });
    await expectAccessible(reader, 'deposit-two-versions-fr');
    await helper.close();

    const record = await recordOf(page, server, 'DEMO-003');
    expect(record.map((r) => r.return.body.version)).toEqual([1, 2]);
    // The bureau's phone, back online, gets both receipts.
    await page.context().setOffline(false);
    await expect(badge(page)).toContainText(`PV reçu par le serveur central · n° ${record[1].sequence}`, { timeout: 20_000 });
  });
});

test('on the deposit page, a return refused for good is parked with what to do, and another bureau’s return still goes through', async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  await onEnrolledServer(page, 'DEMO-004', async (server) => {
    // Two bureaux without a network sign, and show their returns as codes.
    await page.context().setOffline(true);
    await sign(page);
    await main(page).getByRole('button', { name: 'Montrer en codes QR' }).tap();
    const first = (await scanAll(page)).map((c) => c.text);
    const other = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    const second = await other.newPage();
    await enroll(second, 'DEMO-005', server);
    await second.goto(`${server.url}/pv`);
    await firstEntry(second, 'Chloé Petit', CLEAN);
    await secondEntry(second, 'David Roux', CLEAN);
    await other.setOffline(true);
    const secondCode = await sign(second);
    await main(second).getByRole('button', { name: 'Montrer en codes QR' }).tap();
    const secondCodes = (await scanAll(second)).map((c) => c.text);
    await other.close();
    // Meanwhile, the central team reissued DEMO-004's code: its phone's key
    // is revoked, and its return will be refused for good.
    execFileSync(process.env.POINTAGE_SERVER_BIN!, [
      'election', 'codes', '--election', 'demo-2027-t1', '--reissue', 'DEMO-004', '--data-dir', server.dataDir,
    ]);

    const helper = await helperPhone(browser);
    const reader = await helper.newPage();
    let sends = 0;
    reader.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/returns')) sends++;
    });
    for (const url of first) await openCode(reader, url);
    const parked = reader.getByRole('status').filter({ hasText: 'bureau DEMO-004' });
    await expect(parked).toContainText(
      'Refusé par le serveur central\u00a0: le téléphone qui l’a signé n’est plus enrôlé pour son bureau',
    );
    await expect(parked).toContainText('prévenez l’équipe centrale');
    await expect(parked.getByRole('button', { name: 'Réessayer l’envoi' })).toBeVisible();
    expect(sends).toBe(1);
    // The other bureau's return, read next, goes through; the parked one is
    // not sent again by itself.
    for (const url of secondCodes) await openCode(reader, url);
    const received = reader.getByRole('status').filter({ hasText: 'Reçu par le serveur central' });
    await expect(received).toContainText(`bureau DEMO-005, version 1, code ${secondCode}`, { timeout: 20_000 });
    expect(sends).toBe(2);
    await reader.screenshot({ path: test.info().outputPath('deposit-parked-fr.png'), fullPage: true });
    await expectAccessible(reader, 'deposit-parked-fr');
    // Still parked after a reload, in English too.
    await reader.reload();
    await reader.getByRole('button', { name: 'English' }).tap();
    await expect(reader.getByRole('status').filter({ hasText: 'DEMO-004' })).toContainText(
      'Refused by the central server: the phone that signed it is no longer enrolled',
    );
    await expectAccessible(reader, 'deposit-parked-en');
    await reader.getByRole('button', { name: 'Français' }).tap();
    expect(sends).toBe(2);
    // Asked for by hand, it goes once more, and is refused again.
    await parked.getByRole('button', { name: 'Réessayer l’envoi' }).tap();
    await expect.poll(() => sends, { timeout: 10_000 }).toBe(3);
    await expect(parked).toContainText('Refusé par le serveur central');
    expect((await recordOf(reader, server, 'DEMO-004')).length).toBe(0);
    expect((await recordOf(reader, server, 'DEMO-005')).length).toBe(1);
    await helper.close();
  });
});

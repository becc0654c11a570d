// A bureau counted at two tables on four phones, with no network in the
// room: the bureau's phone closes the polls and invites table 1's two
// recorders and table 2's one; each table phone joins by its code, counts
// its packets by the number on their band, and signs its sheet; every sheet
// reaches the bureau's phone through its own camera (Chromium's fake camera
// fed with the sheet's QR codes, screenshotted off the table phone). Table
// 1's B recorder mistypes packet 1: the two phones show different
// fingerprints at the packet, the gathering catches it again, B recounts
// and signs again. The PV is entered twice and signed with the sheets; back
// online, the server takes the return and its sheets, and the results
// count it.
import { chromium, expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCodes, expectAccessible, expectNoSideScroll, recordReturns } from './helpers';
import { onOwnServer } from './own-server';
import { CANDIDATES, badge, firstEntry, main, secondEntry, sign, type Figures } from './pv-helpers';

/** One phone: a browser of its own, on a profile that outlives a restart. */
class Phone {
  readonly profile = mkdtempSync(join(tmpdir(), 'pointage-phone-'));
  context: BrowserContext | null = null;
  page!: Page;

  /** Starts (or starts again) the phone's browser, its camera showing `camera` (an MJPEG file). */
  async start(camera?: string) {
    const args = [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      ...(camera ? [`--use-file-for-fake-video-capture=${camera}`] : []),
    ];
    this.context = await chromium.launchPersistentContext(this.profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
      permissions: ['camera'],
    });
    this.context.setDefaultTimeout(20_000);
    this.context.setDefaultNavigationTimeout(20_000);
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
  }

  async stop() {
    await this.context?.close();
    this.context = null;
  }

  /**
   * Loads its app once with a network (the bureau app, or a table phone's
   * own), and waits until it starts without one.
   */
  async install(url: string, app: 'bureau' | 'table') {
    const [path, cacheName, kept] =
      app === 'bureau'
        ? ['/', 'pointage-app', ['/', '/pointage-scan_bg.wasm']]
        : ['/rejoindre', 'pointage-table', ['/table', '/journal.js']];
    await this.page.goto(url.endsWith(path) ? url : url + path);
    await this.page.evaluate(
      async ([cacheName, kept]) => {
        await navigator.serviceWorker.ready;
        for (let i = 0; i < 100; i++) {
          const cache = await caches.open(cacheName as string);
          const keys = (await cache.keys()).map((r) => new URL(r.url).pathname);
          if ((kept as string[]).every((k) => keys.includes(k))) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('the app was not kept for offline use');
      },
      [cacheName, kept] as const,
    );
  }

  async offline(off = true) {
    await this.context!.setOffline(off);
  }

  remove() {
    rmSync(this.profile, { recursive: true, force: true });
  }
}

function m(page: Page): Locator {
  return main(page);
}

/** Table 1's packet 1 (10 envelopes) and table 2's packet 2 (5): by candidate, in panel order. */
const PACKET_1 = [4, 3, 2, 1];
const PACKET_1_MISTYPED = [3, 4, 2, 1];
const PACKET_2 = [1, 2, 1, 1];
const PV: Figures = {
  emargements: 15,
  enveloppes: 15,
  blancs: 0,
  nuls: 0,
  voix: [5, 5, 3, 2],
  exprimes: 15,
};

/** The bureau's phone shows the join code of `table`/`slot`; the link it holds. */
async function joinCode(bureau: Page, table: number, slot: 'A' | 'B'): Promise<string> {
  const b = m(bureau);
  await b.getByRole('textbox', { name: 'Numéro de la table' }).fill(String(table));
  await b.getByRole('radio', { name: `Pointeur ${slot}` }).check();
  await b.getByRole('button', { name: 'Afficher le code pour rejoindre' }).tap();
  await expect(b.getByRole('heading', { name: `Table ${table} · pointeur ${slot} : code pour rejoindre` })).toBeVisible();
  const code = b.getByRole('img', { name: 'Code QR 1 sur 1' });
  await expect(code).toHaveAttribute('data-link', /\/rejoindre#PTJ1-1-1-/);
  const link = await code.getAttribute('data-link');
  await b.getByRole('button', { name: 'Fermer le code' }).tap();
  return link!;
}

/** A table phone opens the join link (as its camera app would) and joins. */
async function joinTable(phone: Page, link: string, table: number, slot: 'A' | 'B') {
  await phone.goto(link);
  const t = m(phone);
  await expect(t.getByRole('heading', { name: `Bureau DEMO-001 · table ${table} · pointeur ${slot}` })).toBeVisible();
  if (table === 1 && slot === 'A') {
    await phone.screenshot({ path: test.info().outputPath('table-join-fr.png'), fullPage: true });
    await expectAccessible(phone, 'table-join-fr');
  }
  await t.getByRole('button', { name: 'Rejoindre cette table' }).tap();
  await expect(phone.getByRole('heading', { name: 'Ma table', level: 1 })).toBeVisible();
}

/** Counts one packet on a table phone, and returns the fingerprint it shows. */
async function countPacket(phone: Page, band: number, voix: number[]): Promise<string> {
  const t = m(phone);
  const envelopes = voix.reduce((a, b) => a + b, 0);
  await t.getByRole('textbox', { name: 'Numéro du paquet (écrit sur sa bande)' }).fill(String(band));
  await t.getByRole('textbox', { name: 'Enveloppes dans ce paquet' }).fill(String(envelopes));
  await t.getByRole('button', { name: `Ouvrir le paquet n° ${band}` }).tap();
  await expect(t.getByRole('heading', { name: `Paquet n° ${band}` })).toBeVisible();
  for (let c = 0; c < CANDIDATES.length; c++) {
    for (let i = 0; i < voix[c]; i++) {
      await t.getByRole('button', { name: CANDIDATES[c], exact: true }).tap();
    }
  }
  await t.getByRole('button', { name: 'Fermer le paquet' }).tap();
  await expect(t.getByRole('heading', { name: `Paquet n° ${band} fermé` })).toBeVisible();
  return (await t.getByLabel('Empreinte du paquet').textContent())!;
}

async function handed(phone: Page, envelopes: number) {
  const t = m(phone);
  await t.getByRole('textbox', { name: 'Enveloppes remises à la table' }).fill(String(envelopes));
  await t.getByRole('button', { name: 'Enregistrer les enveloppes' }).tap();
  await expect(t).toContainText(`${envelopes} enveloppes remises à cette table`);
}

async function signSheet(phone: Page, name: string) {
  const t = m(phone);
  await t.getByRole('textbox', { name: 'Votre nom' }).fill(name);
  await t.getByRole('button', { name: 'Signer ma feuille' }).tap();
  await expect(t.getByRole('button', { name: 'Signer ma feuille' })).toHaveCount(0);
  await expect(t.getByRole('heading', { name: 'Ma feuille signée' })).toBeVisible();
}

/**
 * The sheet's QR codes as the table phone shows them (they change by
 * themselves), each screenshotted once, into an MJPEG file for the bureau's
 * camera: every code shown for a while, then the next, in a loop.
 */
async function cameraFile(phone: Page, file: string): Promise<number> {
  const codes = m(phone).locator('svg.qr-code');
  const frames = new Map<string, Buffer>();
  let count = 1;
  for (let i = 0; i < 200 && frames.size < count; i++) {
    const link = (await codes.getAttribute('data-link'))!;
    count = Number(/PTS1-\d+-(\d+)-/.exec(link)![1]);
    if (!frames.has(link)) {
      const started = Date.now();
      const jpeg = await codes.screenshot({ type: 'jpeg', quality: 92 });
      // The code changes by itself every 1.5 s: a picture taken as it
      // changed may show the next one, and would leave this one out of
      // the camera's file for good (seen on a busy machine: 2 of a
      // sheet's codes read, then nothing). Kept only if the same code was
      // shown before and after, less than one change apart.
      const same = (await codes.getAttribute('data-link')) === link;
      if (same && Date.now() - started < 1000) frames.set(link, jpeg);
    }
    await phone.waitForTimeout(200);
  }
  expect(frames.size).toBe(count);
  // Each code held for about a second (the fake camera plays some 30
  // frames a second), as a table phone holds each for 1.5 s: a busy
  // machine's slower reads still see every one.
  const out: Buffer[] = [];
  for (const jpeg of frames.values()) for (let i = 0; i < 30; i++) out.push(jpeg);
  writeFileSync(file, Buffer.concat(out));
  return count;
}

/** The addresses of a sheet's QR codes, as a camera app would open them. */
async function partLinks(phone: Page): Promise<string[]> {
  const codes = m(phone).locator('svg.qr-code');
  const links = new Set<string>();
  let count = 1;
  for (let i = 0; i < 200 && links.size < count; i++) {
    const link = (await codes.getAttribute('data-link'))!;
    count = Number(/PTS1-\d+-(\d+)-/.exec(link)![1]);
    links.add(link);
    await phone.waitForTimeout(200);
  }
  return [...links];
}

/** The bureau's phone, started again with its camera on `file`, reads a sheet. */
async function scan(bureau: Phone, file: string, said: RegExp, shot?: string) {
  await bureau.stop();
  await bureau.start(file);
  await bureau.offline();
  await bureau.page.goto(URL_OF.bureau + '/tables');
  const b = m(bureau.page);
  await b.getByRole('button', { name: 'Ouvrir la caméra' }).tap();
  if (shot) {
    // The camera's picture shows (a sheet may be read before the shot).
    await bureau.page.waitForFunction(() => (document.querySelector('video.scanner-view') as HTMLVideoElement | null)?.readyState! >= 2);
    await bureau.page.screenshot({ path: test.info().outputPath(shot), fullPage: true });
    await expectAccessible(bureau.page, shot);
  }
  await expect(b.getByText(said)).toBeVisible({ timeout: 30_000 });
  await b.getByRole('button', { name: 'Fermer la caméra' }).tap();
}

const URL_OF = { bureau: '' };

test('a phone that cannot keep the table app is told so when it is prepared', async ({ browser }) => {
  // No service worker can run (as in some private browsing): nothing is
  // kept, and the scrutateur is told before the evening, not at the count.
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto('/rejoindre');
  await expect(main(page).getByRole('heading', { name: 'Ce téléphone n’a pas pu garder l’application' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(main(page).getByRole('status')).toContainText('ce soir, ce téléphone aura besoin de réseau');
  await expectAccessible(page, 'table-not-kept-fr');
  await context.close();
});

test('four phones count a bureau at two tables with no network, and the server takes its sheets', async () => {
  test.setTimeout(300_000);
  await onOwnServer(async (server) => {
  URL_OF.bureau = server.url;
  const phones = { bureau: new Phone(), t1a: new Phone(), t1b: new Phone(), t2a: new Phone() };
  const dir = mkdtempSync(join(tmpdir(), 'pointage-camera-'));
  try {
    for (const p of Object.values(phones)) await p.start();
    // The bureau's phone is enrolled; every phone has loaded its app once
    // (a table phone, its own: never the bureau's).
    const { path } = demoCodes(server.codesCsv).get('DEMO-001')!;
    const bureau = phones.bureau.page;
    await bureau.goto(server.url + path);
    await bureau.getByRole('button', { name: 'Enrôler ce téléphone' }).tap();
    await expect(bureau.getByRole('heading', { name: 'Téléphone enrôlé' })).toBeVisible();
    await phones.bureau.install(server.url, 'bureau');
    // In the morning, with a network: the bureau's phone shows the code
    // that prepares the table phones; each scrutateur's camera opens it.
    await bureau.goto(server.url + '/tables');
    await m(bureau).getByRole('button', { name: 'Afficher le code pour préparer les téléphones' }).tap();
    const prepare = m(bureau).getByRole('img', { name: 'Code QR pour préparer un téléphone de table' });
    await expect(prepare).toBeVisible();
    await bureau.screenshot({ path: test.info().outputPath('tables-prepare-fr.png'), fullPage: true });
    await expectAccessible(bureau, 'tables-prepare-fr');
    const prepared = (await prepare.getAttribute('data-link'))!;
    expect(prepared).toBe(`${server.url}/rejoindre`);
    const tableFetched: string[] = [];
    for (const p of [phones.t1a, phones.t1b, phones.t2a]) {
      p.context!.on('request', (r) => tableFetched.push(new URL(r.url()).pathname));
      await p.install(prepared, 'table');
      // Ready, and the camera not opened yet.
      await expect(m(p.page).getByRole('heading', { name: 'Ce téléphone est prêt' })).toBeVisible();
      await expect(p.page.locator('video')).toHaveCount(0);
    }
    await phones.t1a.page.screenshot({ path: test.info().outputPath('table-prepared-fr.png'), fullPage: true });
    await expectAccessible(phones.t1a.page, 'table-prepared-fr');
    // Then the whole room is without a network until the count is done.
    for (const p of Object.values(phones)) await p.offline();
    for (const p of [phones.t1a, phones.t1b, phones.t2a]) {
      // A scrutateur's phone holds its app alone, not the bureau's.
      expect(await p.page.evaluate(() => caches.has('pointage-app'))).toBe(false);
    }

    // The close of polls, on the bureau's phone.
    await bureau.goto(server.url + '/compter');
    await m(bureau).getByRole('textbox', { name: 'Émargements (signatures sur la liste)' }).fill('15');
    await m(bureau).getByRole('textbox', { name: 'Enveloppes trouvées dans l’urne' }).fill('15');
    await m(bureau).getByRole('button', { name: 'Enregistrer la clôture' }).tap();
    await expect(m(bureau)).toContainText('15 émargements · 15 enveloppes dans l’urne');

    // Three join codes, three phones joined.
    await bureau.goto(server.url + '/');
    await bureau.getByRole('link', { name: 'Inviter les tables et lire leurs feuilles' }).first().tap();
    await expect(m(bureau).getByRole('heading', { name: 'Inviter un pointeur' })).toBeVisible();
    // A table 21 is refused, under the form, and nothing is shown to join.
    await m(bureau).getByRole('textbox', { name: 'Numéro de la table' }).fill('21');
    await m(bureau).getByRole('button', { name: 'Afficher le code pour rejoindre' }).tap();
    await expect(m(bureau).getByRole('form', { name: 'Inviter un pointeur' }).getByRole('alert')).toHaveText(
      'Une table est numérotée de 1 à 20.',
    );
    await expect(m(bureau).locator('svg.qr-code')).toHaveCount(0);
    await m(bureau).getByRole('textbox', { name: 'Numéro de la table' }).fill('1');
    await m(bureau).getByRole('button', { name: 'Afficher le code pour rejoindre' }).tap();
    await bureau.screenshot({ path: test.info().outputPath('tables-join-code-fr.png'), fullPage: true });
    await expectAccessible(bureau, 'tables-join-code-fr');
    await m(bureau).getByRole('button', { name: 'Fermer le code' }).tap();
    const links = {
      t1a: await joinCode(bureau, 1, 'A'),
      t1b: await joinCode(bureau, 1, 'B'),
      t2a: await joinCode(bureau, 2, 'A'),
    };
    await joinTable(phones.t1a.page, links.t1a, 1, 'A');
    await phones.t1a.page.screenshot({ path: test.info().outputPath('table-joined-fr.png'), fullPage: true });
    await expectAccessible(phones.t1a.page, 'table-joined-fr');
    await joinTable(phones.t1b.page, links.t1b, 1, 'B');
    await joinTable(phones.t2a.page, links.t2a, 2, 'A');
    await expect(m(bureau).getByText('en attente des feuilles')).toHaveCount(2);
    // No table phone ever fetched the bureau app's code, nor the deposit
    // page's: its own app only.
    expect(tableFetched.filter((p) => /^\/pointage-[0-9a-f]+(?:_bg\.wasm|\.js)$/.test(p) || p.startsWith('/public/'))).toEqual([]);
    expect(tableFetched.some((p) => p.startsWith('/table-phone/'))).toBe(true);

    // Table 1 counts packet 1; B mistypes two ballots: the fingerprints differ.
    await handed(phones.t1a.page, 10);
    await handed(phones.t1b.page, 10);
    const fa = await countPacket(phones.t1a.page, 1, PACKET_1);
    const fb = await countPacket(phones.t1b.page, 1, PACKET_1_MISTYPED);
    expect(fa, 'the two recorders read different fingerprints').not.toBe(fb);
    await phones.t1b.page.screenshot({ path: test.info().outputPath('table-packet-closed-fr.png'), fullPage: true });
    await expectNoSideScroll(phones.t1b.page);
    // ...and confirm all the same (the mistake the gathering catches).
    for (const p of [phones.t1a.page, phones.t1b.page]) {
      await m(p).getByRole('button', { name: 'Les feuilles concordent' }).tap();
    }
    await handed(phones.t2a.page, 5);
    await countPacket(phones.t2a.page, 2, PACKET_2);
    await m(phones.t2a.page).getByRole('button', { name: 'Les feuilles concordent' }).tap();

    await signSheet(phones.t1a.page, 'Élise Bernard');
    const said = (await m(phones.t1a.page).getByText(/^Code de la feuille/).textContent())!;
    const sheetCode = /([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(said)![1];
    await phones.t1a.page.screenshot({ path: test.info().outputPath('table-sheet-codes-fr.png'), fullPage: true });
    await expectAccessible(phones.t1a.page, 'table-sheet-codes-fr');
    await signSheet(phones.t1b.page, 'Farid Benali');
    await signSheet(phones.t2a.page, 'Gaëlle Rousseau');

    // Every sheet read by the bureau's camera.
    for (const [key, table, slot] of [['t1a', 1, 'A'], ['t1b', 1, 'B'], ['t2a', 2, 'A']] as const) {
      const file = join(dir, `${key}.mjpeg`);
      await cameraFile(phones[key].page, file);
      await scan(
        phones.bureau,
        file,
        new RegExp(`Feuille de la table ${table}, pointeur ${slot}, reçue`),
        key === 't1a' ? 'tables-camera-fr.png' : undefined,
      );
    }
    // The fallback: table 2's sheet opened code by code by the bureau
    // phone's camera app, each an address of its own, is put back together
    // (and is the sheet already taken).
    const links2 = await partLinks(phones.t2a.page);
    expect(links2.length).toBeGreaterThan(1);
    for (const [i, link] of links2.entries()) {
      await phones.bureau.page.goto(link);
      const said = i + 1 < links2.length ? 'Code gardé. Lisez les codes suivants de la feuille.' : 'La feuille de la table 2, pointeur A, est déjà reçue.';
      await expect(m(phones.bureau.page).getByText(said)).toBeVisible();
      expect(new URL(phones.bureau.page.url()).hash, 'the part leaves the address').toBe('');
    }
    let b = m(phones.bureau.page);
    await expect(b.getByText('les deux feuilles diffèrent (paquet n° 1) : à recompter')).toBeVisible();
    await expect(b.getByText('Paquet n° 1 : à recompter à la table 1')).toBeVisible();
    await expect(b.getByText('une feuille (pointeur A)')).toBeVisible();
    // The recorder finds their sheet's code on the bureau's phone.
    await expect(b.getByText(`feuille A : ${sheetCode}`)).toBeVisible();
    await phones.bureau.page.screenshot({ path: test.info().outputPath('tables-disagree-fr.png'), fullPage: true });
    await expectAccessible(phones.bureau.page, 'tables-disagree-fr');
    // Table 1 A's code shown again (a tap on a place already invited): the
    // same code, and its sheet stays.
    expect(await joinCode(phones.bureau.page, 1, 'A')).toBe(links.t1a);
    await expect(b.getByText(`feuille A : ${sheetCode}`)).toBeVisible();

    // B recounts packet 1, signs again; the bureau reads the new sheet.
    const t1b = m(phones.t1b.page);
    await t1b.getByRole('textbox', { name: 'Numéro du paquet (écrit sur sa bande)' }).last().fill('1');
    await t1b.getByRole('button', { name: 'Recompter ce paquet' }).tap();
    await expect(t1b.getByRole('heading', { name: 'Paquet n° 1' })).toBeVisible();
    for (let c = 0; c < CANDIDATES.length; c++) {
      for (let i = 0; i < PACKET_1[c]; i++) {
        await t1b.getByRole('button', { name: CANDIDATES[c], exact: true }).tap();
      }
    }
    await t1b.getByRole('button', { name: 'Fermer le paquet' }).tap();
    await expect(t1b.getByLabel('Empreinte du paquet')).toHaveText(fa);
    await t1b.getByRole('button', { name: 'Les feuilles concordent' }).tap();
    await signSheet(phones.t1b.page, 'Farid Benali');
    const again = join(dir, 't1b-again.mjpeg');
    await cameraFile(phones.t1b.page, again);
    await scan(phones.bureau, again, /Nouvelle feuille de la table 1, pointeur B, reçue/);
    b = m(phones.bureau.page);
    await expect(b.getByText('les deux feuilles concordent')).toBeVisible();
    await expect(b.getByText('Toutes les tables concordent')).toBeVisible();
    await phones.bureau.page.screenshot({ path: test.info().outputPath('tables-ready-fr.png'), fullPage: true });
    for (const width of [320, 360]) {
      await phones.bureau.page.setViewportSize({ width, height: width === 320 ? 640 : 740 });
      await expectNoSideScroll(phones.bureau.page);
      await phones.bureau.page.screenshot({ path: test.info().outputPath(`tables-ready-${width}-fr.png`), fullPage: true });
    }
    await phones.bureau.page.setViewportSize({ width: 390, height: 844 });

    // The same screens in English.
    await phones.bureau.page.getByRole('button', { name: 'English' }).tap();
    await expect(m(phones.bureau.page).getByText('Every table agrees')).toBeVisible();
    await expect(m(phones.bureau.page).getByText('New sheet of table 1, recorder B, received')).toBeVisible();
    await phones.bureau.page.screenshot({ path: test.info().outputPath('tables-ready-en.png'), fullPage: true });
    await expectAccessible(phones.bureau.page, 'tables-ready-en');
    await phones.t1a.page.getByRole('button', { name: 'English' }).tap();
    await expect(m(phones.t1a.page).getByRole('heading', { name: 'My signed sheet' })).toBeVisible();
    // Every line follows the language, the seat's and the codes' too.
    await expect(m(phones.t1a.page)).toContainText('Polling station DEMO-001 · table 1 · recorder A');
    await expect(m(phones.t1a.page)).toContainText('Keep the screen on until it says “received”.');
    await expect(m(phones.t1a.page)).not.toContainText('téléphone du bureau');
    await phones.t1a.page.screenshot({ path: test.info().outputPath('table-sheet-codes-en.png'), fullPage: true });
    await expectAccessible(phones.t1a.page, 'table-sheet-codes-en');
    await phones.t1a.page.goto(links.t2a);
    await expect(m(phones.t1a.page).getByRole('heading', { name: 'Polling station DEMO-001 · table 2 · recorder A' })).toBeVisible();
    await phones.t1a.page.screenshot({ path: test.info().outputPath('table-join-en.png'), fullPage: true });
    await expectAccessible(phones.t1a.page, 'table-join-en');
    await m(phones.t1a.page).getByRole('button', { name: 'Join this table' }).tap();
    await expect(m(phones.t1a.page).getByRole('alert')).toContainText('This phone already counts for table 1, recorder A');
    await phones.bureau.page.getByRole('button', { name: 'Français' }).tap();

    // The PV, entered twice, checked against the tables, signed with W6 explained.
    const page = phones.bureau.page;
    await b.getByRole('link', { name: 'Saisir le procès-verbal' }).tap();
    await firstEntry(page, 'Louise Perrin', PV);
    await secondEntry(page, 'Hugo Lambert', PV);
    await m(page).getByRole('textbox', { name: /W6|une feuille/ }).first().fill('Le second pointeur de la table 2 a pointé sur papier.');
    const code = await sign(page);

    // Back online: the server takes the return and its sheets.
    await phones.bureau.offline(false);
    await expect(badge(page)).toContainText(/reçu|Reçu/, { timeout: 30_000 });
    const record = await (await fetch(server.url + '/api/v1/record')).text();
    const ret = recordReturns(record)[0].return.body;
    expect(ret.format).toBe('pointage-return/2');
    expect(ret.tally.tables.length).toBe(3);
    const results = await (await fetch(server.url + '/api/v1/results')).json();
    expect(results.bureaux.received).toBe(1);
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  } finally {
    for (const p of Object.values(phones)) {
      await p.stop();
      p.remove();
    }
    rmSync(dir, { recursive: true, force: true });
  }
  });
});

// Turnout during the day, on a server of the journey's own with an election
// of three bureaux that have inscrits and a day (08:00, 12:00, 17:00): the
// bureau opens, reports 12:00 online (a slip caught first: the two entries
// differ), corrects it, reports 17:00 offline and has a helper's phone
// carry it by QR code to the deposit page, then counts and signs a PV whose
// émargements are below 17:00's, which W7 makes the bureau explain. The
// results page says each checkpoint with its coverage and participation
// over the reporting bureaux only. In French at 390×844, in English at
// 320×640.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enroll, expectAccessible, expectNoSideScroll, expectThumbSizedButtons } from './helpers';
import { type OwnServer, onOwnServer } from './own-server';
import { ELECTION, importElection } from './day-election';
import { CLEAN, fill, handOver, main, scanScreen } from './pv-helpers';

const WORDS = {
  fr: {
    day: 'La journée',
    next: 'Relever maintenant : Ouverture du bureau (08:00)',
    report: 'Relever',
    correct: 'Corriger ce relevé',
    member: (n: number) => `Membre ${n}`,
    count: 'Signatures sur la liste d’émargement',
    again: 'Le même nombre, saisi une seconde fois',
    reason: 'Raison de la correction',
    submit: 'Signer ce relevé',
    differ: /Les deux saisies diffèrent/,
    over: /8\s000\ssignatures, c’est plus que les 2\s500\sinscrits du bureau/,
    kept: (label: string) => `${label} : signé et gardé sur ce téléphone. Il part dès que le réseau le permet.`,
    opening: 'Ouverture du bureau (08:00)',
    noon: 'Relevé de 12:00',
    five: 'Relevé de 17:00',
    opened: /ouvert, 2\smembres présents · reçu par le serveur central \(n°\s\d+\)/,
    noonDone: /800\sémargements · version 2 · reçu par le serveur central/,
    waiting: '1 950 émargements · gardé sur ce téléphone, en attente d’envoi',
    received: /1\s950\sémargements · reçu par le serveur central/,
    showQr: 'Montrer en codes QR',
    qrImg: (k: number, n: number) => `Code QR ${k} sur ${n} du relevé signé`,
    position: /^Code 1 sur (\d+)$/,
    nextCode: 'Code suivant',
    readWhole: 'Relevé de participation lu en entier : bureau J-001, relevé « 17h », version 1.',
    delivered: /^Reçu par le serveur central\s: relevé de participation du bureau J-001, relevé «\s17h\s», version 1 \(n°\s\d+\)\.$/,
    first: 'Première saisie',
    name: 'Votre nom (la personne qui saisit)',
    president: 'Président',
    secretaire: 'Secrétaire',
    assesseurs: 'Assesseurs (un nom par ligne)',
    finish: 'Terminer ma saisie',
    w7: 'Explication (W7)',
    inscrits: 'Inscrits',
    sign: 'Signer le procès-verbal',
    yes: 'Oui, signer',
    signed: 'Procès-verbal signé',
    results: [
      '08:00 : 1 bureau ouvert sur 3.',
      '12:00 : 800 émargements dans 1 bureau sur 3, soit 32,00 % de leurs inscrits.',
      '17:00 : 1 950 émargements dans 1 bureau sur 3, soit 78,00 % de leurs inscrits.',
    ],
  },
  en: {
    day: 'The day',
    next: 'Report now: Station opening (08:00)',
    report: 'Report',
    correct: 'Correct this count',
    member: (n: number) => `Member ${n}`,
    count: 'Signatures on the register',
    again: 'The same number, typed a second time',
    reason: 'Why it is corrected',
    submit: 'Sign this count',
    differ: /The two entries differ/,
    over: /8,000 signatures is more than the station's 2,500 registered voters/,
    kept: (label: string) => `${label}: signed and kept on this phone. It leaves as soon as there is a network.`,
    opening: 'Station opening (08:00)',
    noon: 'Turnout at 12:00',
    five: 'Turnout at 17:00',
    opened: /open, 2 members present · received by the central server \(no\. \d+\)/,
    noonDone: /800 signatures · version 2 · received by the central server/,
    waiting: '1,950 signatures · kept on this phone, waiting to be sent',
    received: /1,950 signatures · received by the central server/,
    showQr: 'Show as QR codes',
    qrImg: (k: number, n: number) => `QR code ${k} of ${n} of the signed count`,
    position: /^Code 1 of (\d+)$/,
    nextCode: 'Next code',
    readWhole: 'Turnout count read in full: station J-001, checkpoint "17h", version 1.',
    delivered: /^Received by the central server: turnout count of station J-001, checkpoint "17h", version 1 \(no\. \d+\)\.$/,
    first: 'First entry',
    name: 'Your name (the person typing)',
    president: 'Presiding officer (président)',
    secretaire: 'Secretary',
    assesseurs: 'Assessors (one name per line)',
    finish: 'Finish my entry',
    w7: 'Explanation (W7)',
    inscrits: 'Registered voters',
    sign: 'Sign the report',
    yes: 'Yes, sign',
    signed: 'Report signed',
    results: [
      '08:00: 1 of 3 stations open.',
      '12:00: 800 signatures in 1 of 3 stations, 32.00% of their registered voters.',
      '17:00: 1,950 signatures in 1 of 3 stations, 78.00% of their registered voters.',
    ],
  },
};

/**
 * An open-data file as a spreadsheet reads it: fetched from the server,
 * opened by LibreOffice (headless; `;`-separated UTF-8) and written again
 * as plain CSV, then split into cells. LibreOffice failing to read it fails
 * the journey.
 */
async function throughLibreOffice(page: Page, server: OwnServer, file: string): Promise<string[][]> {
  const soffice = process.env.SOFFICE;
  if (!soffice) throw new Error('SOFFICE: LibreOffice is needed (cargo xtask test installs it)');
  const answer = await page.request.get(`${server.url}/api/v1/open-data/${file}?election=${ELECTION.id}`);
  expect(answer.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const dir = join(server.dataDir, 'open-data');
  const out = join(dir, 'read');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(dir, file), await answer.body());
  execFileSync(soffice, [
    `-env:UserInstallation=file://${join(server.dataDir, 'lo-profile')}`,
    '--headless', '--norestore',
    '--infilter=CSV:59,34,76,1',
    '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1',
    '--outdir', out, join(dir, file),
  ], { stdio: 'pipe', timeout: 60_000 });
  return parseCsv(readFileSync(join(out, file), 'utf8'));
}

/** RFC 4180 cells, `,`-separated. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += ch;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

/** The checkpoint's line in the day's list. */
function item(page: Page, id: string) {
  return main(page).locator(`#checkpoint-${id}`);
}

for (const { lang, width, height } of [
  { lang: 'fr' as const, width: 390, height: 844 },
  { lang: 'en' as const, width: 320, height: 640 },
]) {
  test(`the day reported, one count carried by QR, a PV below it explained (${lang}, ${width}×${height})`, async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const w = WORDS[lang];
    const phone = { viewport: { width, height }, isMobile: true, hasTouch: true, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' };
    await onOwnServer(async (server) => {
      const codesCsv = importElection(server);
      const context = await browser.newContext(phone);
      const page = await context.newPage();
      await enroll(page, 'J-001', { url: server.url, codesCsv });
      await page.goto(`${server.url}/`);
      if (lang === 'en') await page.getByRole('button', { name: 'English' }).tap();
      const m = main(page);
      const day = m.locator('section.day');
      await expect(day.getByRole('heading', { name: w.day })).toBeVisible();
      await expect(day.locator('li')).toHaveCount(3);
      await day.getByRole('link', { name: w.next }).tap();

      // The opening: who is there.
      await item(page, 'ouverture').getByRole('button', { name: w.report }).tap();
      await expect(m.getByRole('heading', { name: w.opening })).toBeVisible();
      await m.getByLabel(w.member(1)).fill('Louise Perrin');
      await m.getByLabel(w.member(2)).fill('Hugo Lambert');
      await expectNoSideScroll(page);
      await expectThumbSizedButtons(page);
      await m.getByRole('button', { name: w.submit }).tap();
      await expect(m.getByRole('status')).toHaveText(w.kept(w.opening));
      await expect(item(page, 'ouverture')).toContainText(w.opened);

      // 12:00: the two entries differ, then a count over the inscrits,
      // then 880 typed twice (the true count is 800): signed and received.
      await item(page, '12h').getByRole('button', { name: w.report }).tap();
      await m.getByLabel(w.count).fill('800');
      await m.getByLabel(w.again).fill('8000');
      await m.getByRole('button', { name: w.submit }).tap();
      await expect(m.getByRole('alert')).toHaveText(w.differ);
      await m.getByLabel(w.count).fill('8000');
      await m.getByRole('button', { name: w.submit }).tap();
      await expect(m.getByRole('alert')).toHaveText(w.over);
      await page.screenshot({ path: test.info().outputPath(`turnout-slip-${lang}.png`), fullPage: true });
      await m.getByLabel(w.count).fill('880');
      await m.getByLabel(w.again).fill('880');
      await m.getByRole('button', { name: w.submit }).tap();
      await expect(m.getByRole('status')).toHaveText(w.kept(w.noon));
      // The correction: a new version, with its reason.
      await item(page, '12h').getByRole('button', { name: w.correct }).tap();
      await m.getByLabel(w.count).fill('800');
      await m.getByLabel(w.again).fill('800');
      await m.getByRole('button', { name: w.submit }).tap();
      await expect(m.getByRole('alert')).toBeVisible();
      await m.getByLabel(w.reason).fill(lang === 'fr' ? 'Chiffres inversés : 800 et non 880.' : 'Digits swapped: 800, not 880.');
      await m.getByRole('button', { name: w.submit }).tap();
      await expect(item(page, '12h')).toContainText(w.noonDone);
      await expectAccessible(page, `turnout-day-${lang}`);

      // 17:00 without a network: kept, waiting; shown as QR codes.
      await context.setOffline(true);
      await item(page, '17h').getByRole('button', { name: w.report }).tap();
      await m.getByLabel(w.count).fill('1950');
      await m.getByLabel(w.again).fill('1 950');
      await m.getByRole('button', { name: w.submit }).tap();
      await expect(item(page, '17h')).toContainText(w.waiting);
      await page.screenshot({ path: test.info().outputPath(`turnout-day-${lang}.png`), fullPage: true });
      await item(page, '17h').getByRole('button', { name: w.showQr }).tap();
      const count = Number((await m.locator('section.qr .badge').textContent())!.match(w.position)![1]);
      const codes: string[] = [];
      for (let k = 1; k <= count; k++) {
        await expect(m.getByRole('img', { name: w.qrImg(k, count) })).toBeVisible();
        codes.push(await scanScreen(page));
        if (k < count) await m.getByRole('button', { name: w.nextCode }).tap();
      }
      await page.screenshot({ path: test.info().outputPath(`turnout-qr-${lang}.png`), fullPage: true });

      // A helper's phone with a network reads them: the deposit page sends
      // the report to the server.
      const helper = await browser.newContext(phone);
      const h = await helper.newPage();
      if (lang === 'en') {
        await h.goto(`${server.url}/deposer`);
        await h.getByRole('button', { name: 'English' }).tap();
      }
      for (const c of codes) {
        await h.goto(c);
        await h.waitForFunction(() => location.hash === '');
      }
      await expect(main(h).getByRole('status').filter({ hasText: w.delivered })).toHaveCount(1, { timeout: 20_000 });
      await h.screenshot({ path: test.info().outputPath(`turnout-deposit-${lang}.png`), fullPage: true });
      await helper.close();

      // The phone gets its network back: its own send gets the same
      // receipt, and the report shows received.
      await context.setOffline(false);
      await page.goto(`${server.url}/journee`);
      await expect(item(page, '17h')).toContainText(w.received, { timeout: 20_000 });

      // The PV: 1 940 émargements, below 17:00's 1 950: W7 asks why.
      await page.goto(`${server.url}/pv`);
      await expect(m.getByRole('heading', { name: w.first })).toBeVisible();
      await m.getByLabel(w.name).fill('Awa Diallo');
      await fill(m, CLEAN, lang);
      await m.getByLabel(w.inscrits, { exact: true }).fill('2500');
      await m.getByLabel(w.president, { exact: true }).fill('Louise Perrin');
      await m.getByLabel(w.secretaire, { exact: true }).fill('Hugo Lambert');
      await m.getByLabel(w.assesseurs).fill('Sarah Roux\nMalik Benali');
      await m.getByRole('button', { name: w.finish }).tap();
      await handOver(page, 'Bruno Martin', lang);
      await fill(m, CLEAN, lang);
      await m.getByLabel(w.inscrits, { exact: true }).fill('2500');
      await m.getByRole('button', { name: w.finish }).tap();
      await m.getByLabel(w.w7).fill(
        lang === 'fr' ? 'Dix électeurs ont signé à 17 h puis sont repartis sans voter.' : 'Ten voters signed at 17:00, then left without voting.',
      );
      await page.screenshot({ path: test.info().outputPath(`turnout-w7-${lang}.png`), fullPage: true });
      await m.getByRole('button', { name: w.sign }).tap();
      await m.getByRole('button', { name: w.yes }).tap();
      await expect(m.getByRole('heading', { name: w.signed, exact: true })).toBeVisible();

      // The results page: each checkpoint, its coverage, participation
      // over the reporting bureau's inscrits only.
      await page.goto(`${server.url}/resultats?lang=${lang}`);
      await expect(page.locator('#turnout li')).toHaveText(w.results);
      await expectNoSideScroll(page);
      await page.screenshot({ path: test.info().outputPath(`turnout-results-${lang}.png`), fullPage: true });
      const record = await (await page.request.get(`${server.url}/api/v1/record`)).text();
      expect(record.match(/"type":"report"/g)?.length).toBe(4);

      // The open data, opened by LibreOffice as a journalist would: read
      // without an error, and its totals are the API's.
      const api = async () => (await page.request.get(`${server.url}/api/v1/results?election=${ELECTION.id}`)).json();
      await expect.poll(async () => (await api()).results.coverage.reporting, { timeout: 20_000 }).toBe(1);
      const published = await api();
      const results = await throughLibreOffice(page, server, 'results.csv');
      expect(results[0][0]).toMatch(/^# pointage-open-data\/1$/);
      expect(results[1].slice(0, 8)).toEqual(['Code du b.vote', 'Libellé du b.vote', 'Commune', 'Inscrits', 'Votants', 'Blancs', 'Nuls', 'Exprimés']);
      expect(results).toHaveLength(2 + ELECTION.bureaux.length);
      const sum = (rows: string[][], col: number) => rows.slice(2).reduce((n, r) => n + Number(r[col] || 0), 0);
      published.results.candidates.forEach((c: { name: string; votes: number }, i: number) => {
        expect(results[1][8 + i]).toBe(c.name);
        expect(sum(results, 8 + i)).toBe(c.votes);
      });
      expect(sum(results, 7)).toBe(published.results.exprimes);
      expect(sum(results, 4)).toBe(published.results.emargements);
      const turnout = await throughLibreOffice(page, server, 'turnout.csv');
      expect(turnout[1].slice(4)).toEqual(['Ouverture 08:00 (membres présents)', 'Émargements 12:00', 'Émargements 17:00']);
      published.turnout.forEach((t: { signatures: number }, i: number) => {
        if (i > 0) expect(sum(turnout, 5 + i - 1)).toBe(t.signatures);
      });
      expect(turnout[2].slice(4)).toEqual(['2', '800', '1950']);
      await context.close();
    });
  });
}

// The counting screen as a table uses it on a phone: close of polls, packets
// of 100 tapped ballot by ballot, undo, a nul with its reason, a reload in the
// middle of a packet, the fingerprint, the totals; a full storage; two tabs.
import { expect, type Locator, type Page } from '@playwright/test';
import { test } from './own-server';
import { enroll, expectNoSideScroll, expectThumbSizedButtons, expectAccessible } from './helpers';

const CANDIDATES = ['Camille Moreau', 'Jules Bertrand', 'Inès Lefèvre', 'Noah Garnier'];

/** The mark of ballot `i` of a packet: a fixed, uneven pattern. */
function markOf(i: number): string {
  const pattern = [0, 1, 0, 2, 0, 1, 3, 0, 1, 'Blanc'] as const;
  const m = pattern[i % pattern.length];
  return typeof m === 'number' ? CANDIDATES[m] : m;
}

class Tally {
  counts = new Map<string, number>();
  add(name: string, n = 1) {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }
  get(name: string) {
    return this.counts.get(name) ?? 0;
  }
}

function tapButton(main: Locator, name: string) {
  return main.getByRole('button', { name, exact: true });
}

async function tapMarks(main: Locator, from: number, to: number, tally: Tally) {
  for (let i = from; i < to; i++) {
    const name = markOf(i);
    await tapButton(main, name).tap();
    tally.add(name);
  }
}

async function expectProgress(main: Locator, marks: number, envelopes: number) {
  await expect(main.getByRole('status')).toHaveText(`Bulletins pointés dans ce paquet ${marks} / ${envelopes}`);
}

async function openPacket(main: Locator, number: number, envelopes: string) {
  await expect(main.getByRole('textbox', { name: 'Enveloppes dans ce paquet' })).toHaveValue(envelopes);
  await main.getByRole('button', { name: `Ouvrir le paquet n° ${number}` }).tap();
  await expect(main.getByRole('heading', { name: `Paquet n° ${number} · Table 1` })).toBeVisible();
}

async function closePacket(page: Page, main: Locator, number: number) {
  await main.getByRole('button', { name: 'Fermer le paquet' }).tap();
  await expect(main.getByRole('heading', { name: `Paquet n° ${number} fermé` })).toBeVisible();
  const fingerprint = main.getByLabel('Empreinte du paquet');
  await expect(fingerprint).toHaveText(/^[0-9A-HJKMNP-TV-Z]{5}$/);
  return fingerprint;
}

test('a table counts 250 ballots in three packets, with undos, a nul and a reload, and the totals match', async ({ page }) => {
  test.setTimeout(180_000);
  await enroll(page, 'DEMO-001');
  await page.goto('/');
  await page.getByRole('link', { name: 'Clôturer le scrutin' }).tap();
  const main = page.getByRole('main', { name: 'Dépouillement' });

  // Close of polls: a gap of one must be explained.
  await main.getByRole('textbox', { name: 'Émargements (signatures sur la liste)' }).fill('251');
  await main.getByRole('textbox', { name: 'Enveloppes trouvées dans l’urne' }).fill('250');
  await main.getByRole('button', { name: 'Enregistrer la clôture' }).tap();
  await expect(main.getByRole('alert')).toContainText('écrivez l’explication de l’écart');
  await page.screenshot({ path: test.info().outputPath('count-polls-fr.png'), fullPage: true });
  await expectAccessible(page, 'count-polls-fr');
  await main
    .getByRole('textbox', { name: 'Écart de 1 entre émargements et enveloppes : expliquez-le' })
    .fill('Un électeur a signé puis est reparti sans voter.');
  await main.getByRole('button', { name: 'Enregistrer la clôture' }).tap();
  await expect(main).toContainText('251 émargements · 250 enveloppes dans l’urne');

  const tally = new Tally();
  // Packet 1: 100 ballots, a mis-tap undone twice, one nul with its reason.
  await openPacket(main, 1, '100');
  await tapMarks(main, 0, 40, tally);
  await tapButton(main, 'Noah Garnier').tap();
  await tapButton(main, 'Blanc').tap();
  await expectProgress(main, 42, 100);
  await expect(main.getByRole('list', { name: 'Derniers pointages (le plus récent en premier)' }).getByRole('listitem').first()).toHaveText('Blanc');
  await main.getByRole('button', { name: 'Annuler le dernier' }).tap();
  // Each undo says which mark it took back.
  await expect(main.getByText('Pointage annulé : Blanc.')).toBeVisible();
  await main.getByRole('button', { name: 'Annuler le dernier' }).tap();
  await expect(main.getByText('Pointage annulé : Noah Garnier.')).toBeVisible();
  await expectProgress(main, 40, 100);
  await tapButton(main, 'Nul').tap();
  await expect(main.getByText(/^Pointage annulé/)).toHaveCount(0);
  const dialog = main.getByRole('dialog', { name: 'Bulletin nul : pour quelle raison ?' });
  await expect(dialog).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Compter ce bulletin nul' })).toBeDisabled();
  // While it asks, no other ballot can be counted by a slip of the thumb.
  await expect(tapButton(main, 'Blanc')).toBeDisabled();
  await expect(main.getByRole('button', { name: 'Annuler le dernier' })).toBeDisabled();
  // "Autre raison" without saying which: refused, and the choice stays.
  await dialog.getByRole('radio', { name: 'Autre raison' }).tap();
  await dialog.getByRole('button', { name: 'Compter ce bulletin nul' }).tap();
  await expect(main.getByRole('alert')).toContainText('Pour « Autre raison », écrivez laquelle.');
  await expect(dialog.getByRole('radio', { name: 'Autre raison' })).toBeChecked();
  await expectProgress(main, 40, 100);
  await dialog.getByRole('radio', { name: 'Signe distinctif, mention injurieuse' }).tap();
  await page.screenshot({ path: test.info().outputPath('count-nul-fr.png'), fullPage: true });
  await expectAccessible(page, 'count-nul-fr');
  await dialog.getByRole('button', { name: 'Compter ce bulletin nul' }).tap();
  await expect(dialog).toHaveCount(0);
  tally.add('Nul');
  await expect(main.getByRole('list', { name: 'Derniers pointages (le plus récent en premier)' }).getByRole('listitem').first())
    .toHaveText('Nul (Signe distinctif, mention injurieuse)');
  // Closing early says why, and keeps the packet open.
  await main.getByRole('button', { name: 'Fermer le paquet' }).tap();
  await expect(main.getByRole('alert')).toContainText('41 bulletins pointés sur 100. Il en manque 59.');
  await tapMarks(main, 41, 100, tally);
  await expectProgress(main, 100, 100);
  await expect(tapButton(main, 'Camille Moreau')).toContainText(String(tally.get('Camille Moreau')));
  await expectNoSideScroll(page);
  await expectThumbSizedButtons(page);
  await page.screenshot({ path: test.info().outputPath('count-packet-full-fr.png'), fullPage: true });
  await expectAccessible(page, 'count-packet-full-fr');
  // Going over is refused and said.
  await tapButton(main, 'Blanc').tap();
  await expect(main.getByRole('alert')).toContainText('Toutes les enveloppes de ce paquet sont déjà pointées');
  await expectProgress(main, 100, 100);
  await closePacket(page, main, 1);
  await page.screenshot({ path: test.info().outputPath('count-fingerprint-fr.png'), fullPage: true });
  await expectAccessible(page, 'count-fingerprint-fr');
  await main.getByRole('button', { name: 'Les feuilles concordent' }).tap();

  // Packet 2: a reload in the middle finds every mark.
  await openPacket(main, 2, '100');
  await tapMarks(main, 0, 50, tally);
  await expectProgress(main, 50, 100);
  await page.reload();
  await expect(main.getByRole('heading', { name: 'Paquet n° 2 · Table 1' })).toBeVisible();
  await expectProgress(main, 50, 100);
  for (const name of [...CANDIDATES, 'Blanc']) {
    const inPacket = [...Array(50).keys()].filter((i) => markOf(i) === name).length;
    await expect(tapButton(main, name)).toContainText(String(inPacket));
  }
  await tapMarks(main, 50, 100, tally);
  const fingerprint2 = await (await closePacket(page, main, 2)).textContent();
  // A reload before the two sheets are compared: the check is still there.
  await page.reload();
  await expect(main.getByRole('heading', { name: 'Paquet n° 2 fermé' })).toBeVisible();
  await expect(main.getByLabel('Empreinte du paquet')).toHaveText(fingerprint2!);
  await expect(main.getByRole('button', { name: 'Elles diffèrent : recompter' })).toBeVisible();
  await expect(main.getByRole('button', { name: /Ouvrir le paquet/ })).toHaveCount(0);
  await main.getByRole('button', { name: 'Les feuilles concordent' }).tap();

  // Packet 3: the remainder, 50, is proposed.
  await openPacket(main, 3, '50');
  await tapMarks(main, 0, 50, tally);
  await closePacket(page, main, 3);
  await main.getByRole('button', { name: 'Les feuilles concordent' }).tap();
  await expect(main).toContainText('250 sur 250 trouvées');

  await main.getByRole('button', { name: 'Voir les totaux' }).tap();
  const totals = main.getByRole('table').first();
  for (const name of [...CANDIDATES, 'Blanc', 'Nul']) {
    await expect(totals.getByRole('row', { name: new RegExp(`^${name} `) })).toContainText(String(tally.get(name)));
  }
  let sum = 0;
  for (const n of tally.counts.values()) sum += n;
  expect(sum).toBe(250);
  await expect(totals.getByRole('row', { name: /Paquets fermés/ })).toContainText('3 / 3');
  await expect(main).toContainText('Toutes les enveloppes trouvées sont pointées.');
  await expectNoSideScroll(page);
  await page.screenshot({ path: test.info().outputPath('count-totals-fr.png'), fullPage: true });
  await expectAccessible(page, 'count-totals-fr');
});

test('a recount starts the packet again from zero, and a second tab cannot overwrite the first', async ({ page }) => {
  await enroll(page, 'DEMO-005');
  await page.goto('/compter');
  const main = page.getByRole('main', { name: 'Dépouillement' });
  await main.getByRole('textbox', { name: 'Émargements (signatures sur la liste)' }).fill('6');
  await main.getByRole('textbox', { name: 'Enveloppes trouvées dans l’urne' }).fill('6');
  await main.getByRole('button', { name: 'Enregistrer la clôture' }).tap();
  await main.getByRole('textbox', { name: 'Enveloppes dans ce paquet' }).fill('3');
  await openPacket(main, 1, '3');
  for (const name of ['Camille Moreau', 'Camille Moreau', 'Blanc']) await tapButton(main, name).tap();
  const first = await (await closePacket(page, main, 1)).textContent();
  // The packet's counts are shown beside its fingerprint, for a paper sheet.
  const counts = main.getByRole('table');
  await expect(counts.getByRole('row', { name: /^Camille Moreau / })).toContainText('2');
  await expect(counts.getByRole('row', { name: /^Blanc / })).toContainText('1');
  await expect(counts.getByRole('row', { name: /^Jules Bertrand / })).toContainText('0');
  await main.getByRole('button', { name: 'Elles diffèrent : recompter' }).tap();
  await main.getByRole('button', { name: 'Oui, recompter depuis zéro' }).tap();
  await expect(main).toContainText('Recomptage n° 1 de ce paquet');
  await expectProgress(main, 0, 3);
  for (const name of ['Camille Moreau', 'Jules Bertrand', 'Blanc']) await tapButton(main, name).tap();
  const second = await closePacket(page, main, 1);
  await expect(second).not.toHaveText(first!);

  // A second tab on the same bureau becomes read-only instead of
  // overwriting: the first tab writes, the second learns it at once.
  const other = await page.context().newPage();
  await other.goto('/compter');
  const otherMain = other.getByRole('main', { name: 'Dépouillement' });
  await expect(otherMain.getByRole('button', { name: 'Les feuilles concordent' })).toBeVisible();
  await main.getByRole('button', { name: 'Les feuilles concordent' }).tap();
  await main.getByRole('button', { name: 'Ouvrir le paquet n° 2' }).tap();
  await expect(otherMain.getByRole('alert').filter({ hasText: 'compté dans un autre onglet' })).toBeVisible();
  await expect(otherMain.getByRole('button', { name: 'Recharger la page' })).toBeVisible();
  await other.screenshot({ path: test.info().outputPath('count-second-tab-fr.png'), fullPage: true });
  await expectAccessible(other, 'count-second-tab-fr');
  // What it shows cannot be saved: the first tab's count is untouched.
  await otherMain.getByRole('button', { name: 'Les feuilles concordent' }).tap();
  await expect(main.getByRole('heading', { name: 'Paquet n° 2 · Table 1' })).toBeVisible();
  await other.reload();
  await expect(otherMain.getByRole('heading', { name: 'Paquet n° 2 · Table 1' })).toBeVisible();
});

test('a full storage refuses the tap, says so, and loses nothing counted (in English)', async ({ page }) => {
  await enroll(page, 'DEMO-003');
  await page.goto('/compter');
  await page.getByRole('button', { name: 'English' }).tap();
  const main = page.getByRole('main', { name: 'Counting' });
  await main.getByRole('textbox', { name: 'Signatures on the voters’ list' }).fill('120');
  await main.getByRole('textbox', { name: 'Envelopes found in the ballot box' }).fill('120');
  await main.getByRole('button', { name: 'Save the close of polls' }).tap();
  await main.getByRole('button', { name: 'Open packet 1' }).tap();
  for (const name of ['Camille Moreau', 'Jules Bertrand', 'Blank']) await tapButton(main, name).tap();
  const status = main.getByRole('status');
  await expect(status).toHaveText('Ballots marked in this packet 3 / 100');
  await expectNoSideScroll(page);
  await expectThumbSizedButtons(page);
  await page.screenshot({ path: test.info().outputPath('count-packet-en.png'), fullPage: true });
  await expectAccessible(page, 'count-packet-en');
  // One-handed on the smallest phones.
  await page.setViewportSize({ width: 360, height: 740 });
  await expectNoSideScroll(page);
  await expectThumbSizedButtons(page);
  await page.screenshot({ path: test.info().outputPath('count-packet-360-en.png'), fullPage: true });
  await expectAccessible(page, 'count-packet-360-en');

  // The phone's storage is full. (CDP's Storage.overrideQuotaForOrigin did
  // not reliably make Chromium refuse a write of an origin that had
  // written before, so the full storage is made as Chromium reports it:
  // the write's transaction aborts with a QuotaExceededError.)
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    // @ts-expect-error the test's own switch
    window.__unfill = () => (IDBObjectStore.prototype.put = put);
    IDBObjectStore.prototype.put = function () {
      const tx = this.transaction;
      Object.defineProperty(tx, 'error', {
        configurable: true,
        get: () => new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
      });
      tx.abort();
      return {} as IDBRequest;
    };
  });
  await tapButton(main, 'Noah Garnier').tap();
  await expect(main.getByRole('alert')).toContainText('This ballot was NOT counted');
  await expect(main.getByRole('alert')).toContainText('storage full');
  await expect(status).toHaveText('Ballots marked in this packet 3 / 100');
  await expect(tapButton(main, 'Noah Garnier')).toContainText('0');
  await page.screenshot({ path: test.info().outputPath('count-storage-full-en.png'), fullPage: true });
  await expectAccessible(page, 'count-storage-full-en');

  // Room again.
  // @ts-expect-error the test's own switch
  await page.evaluate(() => window.__unfill());
  await page.reload();
  await expect(status).toHaveText('Ballots marked in this packet 3 / 100');
  await tapButton(main, 'Noah Garnier').tap();
  await expect(status).toHaveText('Ballots marked in this packet 4 / 100');
});

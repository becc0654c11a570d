// What a new volunteer hit (issue 39), each finding walked as that person
// would, at 360×740 in French and 390×844 in English, with screenshots.
import { expect, test, type Page } from '@playwright/test';
import { enroll, expectAccessible, expectNoSideScroll } from './helpers';
import { onOwnServer } from './own-server';
import { CANDIDATES, CLEAN, HANDOVER, type Figures, fill, main, press } from './pv-helpers';

type Lang = 'fr' | 'en';

const WORDS = {
  fr: {
    first: 'Première saisie',
    name: 'Votre nom (la personne qui saisit)',
    president: 'Président',
    secretaire: 'Secrétaire',
    assesseurs: 'Assesseurs (un nom par ligne)',
    finish: 'Terminer ma saisie',
    differ: 'Les deux saisies diffèrent',
    redoAs: (n: string) => `Je suis ${n}\u00a0: ressaisir`,
    discard: (n: string) => `${n}\u00a0: effacer ma saisie`,
    same: 'Claire Dupont a fait la première saisie. La seconde doit être faite par une autre personne',
    notMe: 'Je ne suis pas Mehdi Haddad',
    notMeYes: 'Oui, effacer et rendre',
    voix: (n: string) => (/^[AEIOUYÉ]/.test(n) ? `Voix d’${n}` : `Voix de ${n}`),
    agreed: 'Les saisies de Claire Dupont et de Mehdi Haddad concordent.',
  },
  en: {
    first: 'First entry',
    name: 'Your name (the person typing)',
    president: 'Presiding officer (président)',
    secretaire: 'Secretary',
    assesseurs: 'Assessors (one name per line)',
    finish: 'Finish my entry',
    differ: 'The two entries differ',
    redoAs: (n: string) => `I am ${n}: re-type`,
    discard: (n: string) => `${n}: delete my entry`,
    same: 'Claire Dupont did the first entry. The second must be done by someone else',
    notMe: 'I am not Mehdi Haddad',
    notMeYes: 'Yes, delete and give back',
    voix: (n: string) => `Votes for ${n}`,
    agreed: 'The entries of Claire Dupont and Mehdi Haddad agree.',
  },
};

const COUNT = {
  fr: {
    main: 'Dépouillement',
    goPolls: 'Clôturer le scrutin',
    emargements: 'Émargements (signatures sur la liste)',
    enveloppes: 'Enveloppes trouvées dans l’urne',
    savePolls: 'Enregistrer la clôture',
    envelopes: 'Enveloppes dans ce paquet',
    tableIs: 'Compté à la table « Table 1 ».',
    otherTable: 'Une autre table ?',
    fullHint: '100, ou le nombre écrit sur le dernier paquet',
    open: 'Ouvrir le paquet n° 1',
    nul: 'Nul',
    nulDialog: 'Bulletin nul : pour quelle raison ?',
    other: 'Autre raison',
    note: 'Précision (obligatoire pour « Autre raison »)',
    countNul: 'Compter ce bulletin nul',
    needsNote: 'Pour « Autre raison », écrivez laquelle.',
    undo: 'Annuler le dernier',
    close: 'Fermer le paquet',
    fix: 'Le nombre d’enveloppes de ce paquet est faux',
    closed: 'Paquet n° 1 fermé',
    against: 'Comparez ces nombres à la feuille de pointage de l’autre pointeur',
    agree: 'Les feuilles concordent',
    totals: 'Voir les totaux',
    counted: 'Enveloppes pointées',
    perTable: 'Par table',
    blanc: 'Blanc',
  },
  en: {
    main: 'Counting',
    goPolls: 'Close the polls',
    emargements: 'Signatures on the voters’ list',
    enveloppes: 'Envelopes found in the ballot box',
    savePolls: 'Save the close of polls',
    envelopes: 'Envelopes in this packet',
    tableIs: 'Counted at table “Table 1”.',
    otherTable: 'Another table?',
    fullHint: '100, or the number written on the last packet',
    open: 'Open packet 1',
    nul: 'Spoiled',
    nulDialog: 'Spoiled ballot: why?',
    other: 'Other reason',
    note: 'Details (required for “Other reason”)',
    countNul: 'Count this spoiled ballot',
    needsNote: 'For “Other reason”, write which one.',
    undo: 'Undo last',
    close: 'Close the packet',
    fix: 'This packet’s number of envelopes is wrong',
    closed: 'Packet 1 closed',
    against: 'Compare these numbers with the other recorder’s tally sheet',
    agree: 'The sheets agree',
    totals: 'See the totals',
    counted: 'Envelopes counted',
    perTable: 'By table',
    blanc: 'Blank',
  },
};

const RUNS: { width: number; height: number; lang: Lang; bureau: string }[] = [
  { width: 360, height: 740, lang: 'fr', bureau: 'DEMO-001' },
  { width: 390, height: 844, lang: 'en', bureau: 'DEMO-002' },
];

async function shot(page: Page, name: string) {
  await expectNoSideScroll(page);
  await expectAccessible(page, name);
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

/**
 * An enrolled phone, in the run's language, on which Claire Dupont has
 * typed the first entry (the clean PV, the bureau's members) and finished
 * it: the hand-over is on screen.
 */
async function claireFirst(page: Page, run: (typeof RUNS)[number], server: { url: string; codesCsv: string }) {
  const w = WORDS[run.lang];
  await enroll(page, run.bureau, server);
  await page.goto(`${server.url}/pv`);
  if (run.lang === 'en') await page.getByRole('button', { name: 'English' }).tap();
  const m = main(page);
  await expect(m.getByRole('heading', { name: w.first })).toBeVisible();
  await m.getByLabel(w.name).fill('Claire Dupont');
  await fill(m, CLEAN, run.lang);
  await m.getByLabel(w.president, { exact: true }).fill('Louise Perrin');
  await m.getByLabel(w.secretaire, { exact: true }).fill('Hugo Lambert');
  await m.getByLabel(w.assesseurs).fill('Sarah Roux\nMalik Benali');
  await press(m.getByRole('button', { name: w.finish }));
  return m;
}

for (const run of RUNS) {
  test.describe(`at ${run.width}×${run.height} in ${run.lang}`, () => {
    test.use({ viewport: { width: run.width, height: run.height }, hasTouch: true });

    test('1. the first typist who keeps the phone is stopped before the blind form, and none of her figures reach the second', async ({
      page,
    }) => {
      await onOwnServer(async (server) => {
        const w = WORDS[run.lang];
        const h = HANDOVER[run.lang];
        const tag = `${run.width}-${run.lang}`;
        const m = await claireFirst(page, run, server);

        // Claire keeps the phone and gives her own name: refused there, in
        // the box she typed in, before any figure is asked.
        await expect(m.getByRole('heading', { name: h.title })).toBeVisible();
        await shot(page, `v1-handover-${tag}`);
        const box = m.getByLabel(h.name);
        await box.fill('claire  DUPONT');
        await press(m.getByRole('button', { name: h.go }));
        const said = m.getByRole('alert');
        await expect(said).toContainText(w.same);
        await expect(box).toHaveAttribute('aria-invalid', 'true');
        await expect(box).toBeFocused();
        await expect(said).toBeInViewport();
        await expect(m.getByRole('textbox', { name: w.voix(CANDIDATES[1]) })).toHaveCount(0);
        await shot(page, `v1-handover-refused-${tag}`);

        // She tries again with the next person's name and types his figures
        // herself (a planted difference), then sees the form is Mehdi's.
        await box.fill('Mehdi Haddad');
        await press(m.getByRole('button', { name: h.go }));
        await expect(m.getByRole('heading', { name: h.second })).toBeVisible();
        await expect(m.locator('.entrant-line')).toHaveText(h.by('Mehdi Haddad'));
        const hers: Figures = { ...CLEAN, voix: [61, 1799, 44, 21] };
        await fill(m, hers, run.lang);
        await shot(page, `v1-second-by-mehdi-${tag}`);
        await press(m.getByRole('button', { name: w.notMe }));
        await press(m.getByRole('button', { name: w.notMeYes }));

        // The hand-over again, empty; Mehdi gives his name, and his form is
        // empty too: nothing Claire typed is on the page.
        await expect(m.getByRole('heading', { name: h.title })).toBeVisible();
        await expect(box).toHaveValue('');
        await box.fill('Mehdi Haddad');
        await press(m.getByRole('button', { name: h.go }));
        await expect(m.getByRole('heading', { name: h.second })).toBeVisible();
        for (const c of CANDIDATES) await expect(m.getByLabel(w.voix(c), { exact: true })).toHaveValue('');
        expect(await page.content()).not.toContain('1799');
        // A reload finds his form, still empty.
        await page.reload();
        await expect(m.locator('.entrant-line')).toHaveText(h.by('Mehdi Haddad'));
        await expect(m.getByLabel(w.voix(CANDIDATES[1]), { exact: true })).toHaveValue('');
        await shot(page, `v1-second-empty-${tag}`);
        await fill(m, CLEAN, run.lang);
        await press(m.getByRole('button', { name: w.finish }));
        await expect(m).toContainText(w.agreed);
      });
    });

    test('6. when the entries differ, re-typing is the step, and deleting an entry is a small link below', async ({
      page,
    }) => {
      await onOwnServer(async (server) => {
        const w = WORDS[run.lang];
        const h = HANDOVER[run.lang];
        const tag = `${run.width}-${run.lang}`;
        const m = await claireFirst(page, run, server);
        await m.getByLabel(h.name).fill('Mehdi Haddad');
        await press(m.getByRole('button', { name: h.go }));
        // Mehdi reads one figure differently.
        await fill(m, { ...CLEAN, voix: [CLEAN.voix[0] + 1, ...CLEAN.voix.slice(1)] }, run.lang);
        await press(m.getByRole('button', { name: w.finish }));

        await expect(m.getByRole('heading', { name: w.differ })).toBeVisible();
        const redo = m.getByRole('button', { name: w.redoAs('Claire Dupont') });
        const other = m.getByRole('button', { name: w.redoAs('Mehdi Haddad') });
        const discard = m.getByRole('button', { name: w.discard('Claire Dupont') });
        await expect(redo).toHaveClass(/next-step/);
        await expect(discard).toHaveClass(/link/);
        const [r, o, d] = [(await redo.boundingBox())!, (await other.boundingBox())!, (await discard.boundingBox())!];
        // The two ways to go on are thumb-sized buttons; deleting one's
        // entry weighs less and sits below them, out of the tapping zone.
        expect(r.height).toBeGreaterThanOrEqual(48);
        expect(o.height).toBeGreaterThanOrEqual(48);
        // (still a 48 px target for the thumb, but drawn as a link: no
        // button's fill, a lighter weight)
        expect(d.y).toBeGreaterThan(Math.max(r.y + r.height, o.y + o.height));
        const background = (e: Element) => getComputedStyle(e).backgroundColor;
        expect(await discard.evaluate(background)).toBe('rgba(0, 0, 0, 0)');
        expect(await redo.evaluate(background)).not.toBe('rgba(0, 0, 0, 0)');
        expect(
          await discard.evaluate((e) => parseFloat(getComputedStyle(e).fontWeight)),
        ).toBeLessThan(await redo.evaluate((e) => parseFloat(getComputedStyle(e).fontWeight)));
        await shot(page, `v6-differ-${tag}`);
      });
    });

    test('2, 3, 4, 7, 10, 11. a one-phone, one-table bureau counts a packet: refusals where the eye is, the counter in view, the checks it needs', async ({
      page,
    }) => {
      await onOwnServer(async (server) => {
        const c = COUNT[run.lang];
        const tag = `${run.width}-${run.lang}`;
        await enroll(page, run.bureau, server);
        await page.goto(`${server.url}/`);
        if (run.lang === 'en') await page.getByRole('button', { name: 'English' }).tap();
        await page.getByRole('link', { name: c.goPolls }).tap();
        const m = page.getByRole('main', { name: c.main });
        await m.getByRole('textbox', { name: c.emargements }).fill('30');
        await m.getByRole('textbox', { name: c.enveloppes }).fill('30');
        await m.getByRole('button', { name: c.savePolls }).tap();

        // 11. One table: not asked for it (a link opens the field); 30 left,
        // so no "100, or the number on the last packet".
        await expect(m.getByRole('textbox', { name: c.envelopes })).toHaveValue('30');
        await expect(m.getByRole('textbox', { name: 'Table', exact: true })).toHaveCount(0);
        await expect(m).toContainText(c.tableIs);
        await expect(m).not.toContainText(c.fullHint);
        await shot(page, `v11-open-${tag}`);
        await m.getByRole('button', { name: c.otherTable }).tap();
        await expect(m.getByRole('textbox', { name: 'Table', exact: true })).toHaveValue('Table 1');
        await m.getByRole('button', { name: c.open }).tap();

        // 7. The grid, then "undo" alone under it; "close" after the last
        // marks; the packet's fixes as small links at the end.
        const grid = m.locator('.taps');
        const undo = m.getByRole('button', { name: c.undo });
        const close = m.getByRole('button', { name: c.close });
        const fix = m.getByRole('button', { name: c.fix });
        for (let i = 0; i < 10; i++) await m.getByRole('button', { name: c.blanc, exact: true }).tap();
        const [g, u, cl, f] = await Promise.all([grid, undo, close, fix].map(async (l) => (await l.boundingBox())!));
        expect(u.y).toBeGreaterThanOrEqual(g.y + g.height);
        expect(cl.y).toBeGreaterThan(u.y + u.height);
        expect(f.y).toBeGreaterThan(cl.y + cl.height);
        await expect(fix).toHaveClass(/link/);
        await shot(page, `v7-packet-${tag}`);

        // 2. "Other reason" with no detail: refused inside the dialog, on the
        // box to fill, focused; nothing counted.
        await m.getByRole('button', { name: c.nul, exact: true }).tap();
        const dialog = m.getByRole('dialog', { name: c.nulDialog });
        await dialog.getByRole('radio', { name: c.other }).tap();
        await dialog.getByRole('button', { name: c.countNul }).tap();
        const said = dialog.getByRole('alert');
        await expect(said).toContainText(c.needsNote);
        await expect(said).toBeInViewport();
        const note = dialog.getByRole('textbox', { name: c.note });
        await expect(note).toHaveAttribute('aria-invalid', 'true');
        await expect(note).toBeFocused();
        await shot(page, `v2-nul-refused-${tag}`);
        await note.fill('Bulletin déchiré');
        await dialog.getByRole('button', { name: c.countNul }).tap();
        await expect(dialog).toHaveCount(0);

        // 3. After the nul, the counter is on screen, and stays there while
        // tapping on.
        const counter = m.getByRole('status').filter({ hasText: '/ 30' });
        await expect(counter).toContainText('11 / 30');
        await expect(counter).toBeInViewport();
        for (let i = 0; i < 19; i++) await m.getByRole('button', { name: c.blanc, exact: true }).tap();
        await expect(counter).toContainText('30 / 30');
        await expect(counter).toBeInViewport();
        await shot(page, `v3-counter-${tag}`);

        // 4. Closed: the counts against the paper sheet first and large; the
        // fingerprint small, after them.
        await close.tap();
        await expect(m.getByRole('heading', { name: c.closed })).toBeVisible();
        const counts = m.getByRole('table', { name: c.against });
        await expect(counts).toBeVisible();
        const fp = m.locator('.fingerprint-small');
        const [t, p] = [(await counts.boundingBox())!, (await fp.boundingBox())!];
        expect(p.y).toBeGreaterThan(t.y);
        expect(await fp.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeLessThan(24);
        await expect(m.locator('p.fingerprint')).toHaveCount(0);
        await shot(page, `v4-closed-${tag}`);
        await m.getByRole('button', { name: c.agree }).tap();

        // 10. The totals say the envelopes once, no "by table" at one table.
        await m.getByRole('button', { name: c.totals }).tap();
        await expect(m.getByText(c.counted)).toHaveCount(1);
        await expect(m.getByRole('heading', { name: c.perTable })).toHaveCount(0);
        await shot(page, `v10-totals-${tag}`);
      });
    });
  });
}

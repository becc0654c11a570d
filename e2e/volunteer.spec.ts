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
    same: 'Claire Dupont a fait la première saisie. La seconde doit être faite par une autre personne',
    notMe: 'Je ne suis pas Mehdi Haddad',
    notMeYes: 'Oui, effacer et rendre',
    voix: (n: string) => (/^[AEIOUYÉ]/.test(n) ? `Voix d’${n}` : `Voix de ${n}`),
    agreed: 'Les saisies de Claire Dupont et de Mehdi Haddad concordent.',
  },
  en: {
    first: 'First entry',
    name: 'Your name (the person typing)',
    president: 'Chair (président)',
    secretaire: 'Secretary',
    assesseurs: 'Assessors (one name per line)',
    finish: 'Finish my entry',
    same: 'Claire Dupont did the first entry. The second must be done by someone else',
    notMe: 'I am not Mehdi Haddad',
    notMeYes: 'Yes, delete and give back',
    voix: (n: string) => `Votes for ${n}`,
    agreed: 'The entries of Claire Dupont and Mehdi Haddad agree.',
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
  });
}

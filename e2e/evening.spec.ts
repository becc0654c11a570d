// The bureau's evening, guided: from a fresh enrollment to the server's
// receipt, a volunteer taps only the one "next step" button of each screen
// and fills what the screen asks — at 320×640, 360×740 and 390×844, in French
// then in English. On every screen there is exactly one next step, thumb
// sized, and axe finds nothing; each screen is photographed.
import { expect, test, type Page } from '@playwright/test';
import { demoCodes, expectAccessible, expectNoSideScroll } from './helpers';
import { onOwnServer } from './own-server';
import { paperPvPng } from './paper-pv';

type Lang = 'fr' | 'en';

const WORDS = {
  fr: {
    enroll: 'Enrôler ce téléphone',
    emargements: 'Émargements (signatures sur la liste)',
    enveloppes: 'Enveloppes trouvées dans l’urne',
    blanc: 'Blanc',
    name: 'Votre nom (la personne qui saisit)',
    secondName: 'Votre nom (seconde saisie)',
    pvEmargements: 'Émargements (votants)',
    pvEnveloppes: 'Enveloppes trouvées dans l’urne',
    blancs: 'Bulletins blancs',
    nuls: 'Bulletins nuls',
    exprimes: 'Suffrages exprimés',
    voix: (n: string) => (/^[AEIOUYÉ]/.test(n) ? `Voix d’${n}` : `Voix de ${n}`),
    president: 'Président',
    secretaire: 'Secrétaire',
    assesseurs: 'Assesseurs (un nom par ligne)',
    dayNext: /^Relever maintenant\u00a0: Ouverture/,
    goPolls: 'Clôturer le scrutin',
    steps: ['Clôture du scrutin', 'Dépouillement', 'Première saisie du PV', 'Seconde saisie, à l’aveugle', 'Les deux saisies concordent', 'Signature du PV', 'Photos du PV papier', 'Reçu par le serveur central'],
    finished: 'La soirée du bureau est terminée',
    headings: {
      enrolled: 'Téléphone enrôlé',
      home: 'La soirée du bureau',
      polls: 'Clôture du scrutin',
      open: 'Ouvrir un paquet',
      packet: /^Paquet n° 1 · /,
      check: 'Paquet n° 1 fermé',
      counted: 'Toutes les enveloppes sont comptées',
      first: 'Première saisie',
      handover: 'Passez le téléphone à la seconde personne',
      second: 'Seconde saisie, à l’aveugle',
      review: 'Vérification du procès-verbal',
      signed: 'Procès-verbal signé',
      photos: 'Photos du PV papier',
    },
    keepPage: 'Garder cette page',
    page1: 'Page 1',
    signPhotos: 'Signer et envoyer la page',
    back: 'Revenir à la soirée',
  },
  en: {
    enroll: 'Enroll this phone',
    emargements: 'Signatures on the voters’ list',
    enveloppes: 'Envelopes found in the ballot box',
    blanc: 'Blank',
    name: 'Your name (the person typing)',
    secondName: 'Your name (second entry)',
    pvEmargements: 'Signatures (voters)',
    pvEnveloppes: 'Envelopes found in the ballot box',
    blancs: 'Blank ballots',
    nuls: 'Spoiled ballots',
    exprimes: 'Valid votes',
    voix: (n: string) => `Votes for ${n}`,
    president: 'Presiding officer (président)',
    secretaire: 'Secretary',
    assesseurs: 'Assessors (one name per line)',
    dayNext: /^Report now: Station opening/,
    goPolls: 'Close the polls',
    steps: ['Close of polls', 'Counting', 'First entry of the report', 'Second entry, blind', 'Both entries agree', 'Signing the report', 'Photos of the paper report', 'Received by the central server'],
    finished: 'The polling station’s evening is over',
    headings: {
      enrolled: 'Phone enrolled',
      home: 'The polling station’s evening',
      polls: 'Close of polls',
      open: 'Open a packet',
      packet: /^Packet 1 · /,
      check: 'Packet 1 closed',
      counted: 'Every envelope is counted',
      first: 'First entry',
      handover: 'Hand the phone to the second person',
      second: 'Second entry, blind',
      review: 'Checking the report',
      signed: 'Report signed',
      photos: 'Photos of the paper report',
    },
    keepPage: 'Keep this page',
    page1: 'Page 1',
    signPhotos: 'Sign and send the page',
    back: 'Back to the evening',
  },
};

/** Four ballots: Camille Moreau twice, Jules Bertrand once, one blank. */
const BALLOTS = ['Camille Moreau', 'Jules Bertrand', 'Camille Moreau', 'blanc'];
const VOIX: [string, number][] = [
  ['Camille Moreau', 2],
  ['Jules Bertrand', 1],
  ['Inès Lefèvre', 0],
  ['Noah Garnier', 0],
];

const RUNS: { width: number; height: number; bureau: string }[] = [
  { width: 320, height: 640, bureau: 'DEMO-001' },
  { width: 360, height: 740, bureau: 'DEMO-003' },
  { width: 390, height: 844, bureau: 'DEMO-002' },
];

for (const size of RUNS) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });
    for (const lang of ['fr', 'en'] as Lang[]) {
      test(`${lang}: a fresh enrollment to a received return, tapping only the next step`, async ({ page }) => {
        test.setTimeout(180_000);
        await onOwnServer((server) => evening(page, server.url, server.codesCsv, size.bureau, lang, `${size.width}-${lang}`));
      });
    }
  });
}

async function evening(page: Page, url: string, codesCsv: string, bureau: string, lang: Lang, tag: string) {
  const w = WORDS[lang];
  const m = page.getByRole('main');
  let shot = 0;
  const h = w.headings;
  /**
   * The screen (known by its heading) has one next step: checked,
   * photographed, tapped.
   */
  const next = async (screen: string, heading?: string | RegExp) => {
    if (heading) await expect(m.getByRole('heading', { name: heading, exact: typeof heading === 'string' })).toBeVisible();
    const button = page.locator('.next-step:visible');
    await expect(button, `one next step on ${screen}`).toHaveCount(1);
    await button.scrollIntoViewIfNeeded();
    const box = (await button.boundingBox())!;
    expect(box.height, `the next step of ${screen} is thumb sized`).toBeGreaterThanOrEqual(48);
    await expectNoSideScroll(page);
    await expectAccessible(page, `${screen}-${tag}`);
    await page.screenshot({ path: test.info().outputPath(`${String(++shot).padStart(2, '0')}-${screen}-${tag}.png`) });
    await button.tap();
  };
  /** The home checklist says which step is the one to take now. */
  const homeAt = async (step: number) => {
    await expect(m.locator('li[aria-current=step] .step-name')).toHaveText(w.steps[step]);
    await expect(m.locator('.steps li.done')).toHaveCount(step);
  };

  const { path } = demoCodes(codesCsv).get(bureau)!;
  await page.goto(url + path);
  if (lang === 'en') await page.getByRole('button', { name: 'English' }).tap();
  await expect(m.getByRole('button', { name: w.enroll })).toBeVisible();
  await next('enroll');
  await next('enrolled', h.enrolled);

  await expect(m.getByRole('heading', { name: h.home })).toBeVisible();
  await homeAt(0);
  // The demo election has a day: its next report leads until the evening
  // begins, and the evening's first step is a tap away (reports never
  // block the count).
  const step = m.locator('li[aria-current=step]').getByRole('link', { name: w.goPolls });
  await expect(page.locator('.next-step:visible')).toHaveText(w.dayNext);
  await expect(step).toBeVisible();
  await expectAccessible(page, `home-day-${tag}`);
  await page.screenshot({ path: test.info().outputPath(`${String(++shot).padStart(2, '0')}-home-day-${tag}.png`) });
  await step.tap();
  await m.getByLabel(w.emargements).fill('4');
  await m.getByLabel(w.enveloppes).fill('4');
  await next('count-polls', h.polls);
  // The table and the packet's size are offered: nothing to fill.
  await next('count-open', h.open);
  for (const ballot of BALLOTS) {
    await m.getByRole('button', { name: ballot === 'blanc' ? w.blanc : ballot, exact: true }).tap();
  }
  await next('count-packet', h.packet);
  await next('count-check', h.check);
  await next('count-done', h.counted);

  const entry = async (name: string, first: boolean) => {
    if (first) await m.getByLabel(w.name).fill(name);
    await m.getByLabel(w.pvEmargements, { exact: true }).fill('4');
    await m.getByLabel(w.pvEnveloppes, { exact: true }).fill('4');
    await m.getByLabel(w.blancs, { exact: true }).fill('1');
    await m.getByLabel(w.nuls, { exact: true }).fill('0');
    for (const [c, n] of VOIX) await m.getByLabel(w.voix(c), { exact: true }).fill(String(n));
    await m.getByLabel(w.exprimes, { exact: true }).fill('3');
    if (first) {
      await m.getByLabel(w.president, { exact: true }).fill('Louise Perrin');
      await m.getByLabel(w.secretaire, { exact: true }).fill('Hugo Lambert');
      await m.getByLabel(w.assesseurs).fill('Sarah Roux\nMalik Benali');
    }
  };
  await expect(m.getByRole('heading', { name: h.first, exact: true })).toBeVisible();
  await entry('Awa Diallo', true);
  await next('pv-first', h.first);
  // The hand-over: nothing of Awa's figures; the second person's name,
  // one button.
  await expect(m).toContainText('Awa Diallo');
  await expect(m.locator('input')).toHaveCount(1);
  await m.getByLabel(w.secondName).fill('Bruno Martin');
  await next('pv-handover', h.handover);
  await expect(m.getByRole('heading', { name: h.second })).toBeVisible();
  await entry('Bruno Martin', false);
  await next('pv-second', h.second);

  // Four ballots, one blank and two candidates with none: the warnings
  // ask for an explanation each, in writing.
  await expect(m.getByRole('heading', { name: h.review })).toBeVisible();
  const explanations = m.locator('textarea');
  expect(await explanations.count()).toBeGreaterThan(0);
  for (const box of await explanations.all()) await box.fill(lang === 'fr' ? 'Bureau de quatre votants, de test.' : 'A test bureau of four voters.');
  await next('pv-review', h.review);
  await next('pv-confirm');

  // The signed screen opens on the code, in view, with the instruction.
  await expect(m.getByRole('heading', { name: h.signed, exact: true })).toBeVisible();
  const code = m.locator('.human-code');
  await expect(code).toHaveText(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  await expect(code).toBeInViewport();
  const signed = (await code.textContent())!;
  await next('pv-signed', h.signed);

  // Back home: the paper PV's photos are asked next, while the phone
  // sends by itself.
  await expect(m.getByText(signed)).toBeVisible();
  // (With a network the receipt may be in already: 6 or 7 steps done.)
  await expect(m.locator('li[aria-current=step] .step-name')).toHaveText(w.steps[6]);
  await next('home-photos', h.home);
  await expect(m.getByRole('heading', { name: h.photos })).toBeVisible();
  // A phone whose camera does not open in the app: the picture taken with
  // its camera app, through the file picker.
  const png = await paperPvPng(page.context().browser()!, 1, signed, ['Émargements=4', 'Exprimés=3']);
  await m.locator('input[type=file]').setInputFiles({ name: 'pv.png', mimeType: 'image/png', buffer: png });
  await expect(m.locator('.photo-check img')).toBeVisible({ timeout: 20_000 });
  await expectNoSideScroll(page);
  await expectAccessible(page, `photos-check-${tag}`);
  await page.screenshot({ path: test.info().outputPath(`${String(++shot).padStart(2, '0')}-photos-check-${tag}.png`) });
  await m.getByRole('button', { name: w.keepPage }).tap();
  await expect(m.getByText(w.page1, { exact: true })).toBeVisible();
  await m.getByRole('button', { name: w.signPhotos }).tap();
  await expect(m.locator('.photos-status')).toContainText(/page\(s\)/);
  await expectNoSideScroll(page);
  await expectAccessible(page, `photos-signed-${tag}`);
  await page.screenshot({ path: test.info().outputPath(`${String(++shot).padStart(2, '0')}-photos-signed-${tag}.png`) });
  await m.getByRole('link', { name: w.back }).tap();

  // "Envoyer maintenant" if it has not sent yet.
  const done = m.getByText(w.finished);
  await expect(m.locator('.steps li.done').nth(6)).toBeVisible();
  if (!(await done.isVisible())) {
    await homeAt(7);
    await next('home-send', h.home);
  }
  await expect(done).toBeVisible({ timeout: 30_000 });
  await expect(m.locator('.steps li.done')).toHaveCount(8);
  await expect(page.locator('.next-step:visible')).toHaveCount(0);
  await expectAccessible(page, `home-finished-${tag}`);
  await page.screenshot({ path: test.info().outputPath(`${String(++shot).padStart(2, '0')}-home-finished-${tag}.png`) });
  // The server has it, and the results page (through the top bar's link,
  // in the phone's language) shows its figures at once, above the fold,
  // with the bureaux they cover.
  const record = await (await page.request.get(`${url}/api/v1/record`)).text();
  expect(record).toContain(`"bureau":"${bureau}"`);
  await page.getByRole('navigation').getByRole('link', { name: lang === 'fr' ? 'Résultats' : 'Results' }).tap();
  await expect(page).toHaveURL(new RegExp(`/resultats\\?lang=${lang}$`));
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  const camille = m.getByRole('row', { name: /Camille Moreau/ });
  await expect(camille).toContainText('2');
  await expect(camille).toBeInViewport();
  await expect(m.locator('.coverage')).toBeInViewport();
  await expectAccessible(page, `results-${tag}`);
  await page.screenshot({ path: test.info().outputPath(`${String(++shot).padStart(2, '0')}-results-${tag}.png`) });
}

// What the procès-verbal journeys share: the demo panel, a clean PV, and
// the steps two people take to enter and sign it on one phone.
import { expect, type Locator, type Page } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export const CANDIDATES = ['Camille Moreau', 'Jules Bertrand', 'Inès Lefèvre', 'Noah Garnier'];

export type Figures = {
  emargements: number;
  enveloppes: number;
  blancs: number;
  nuls: number;
  voix: number[];
  exprimes: number;
};

const LABELS_FR: Record<string, string> = {
  emargements: 'Émargements (votants)',
  enveloppes: 'Enveloppes trouvées dans l’urne',
  blancs: 'Bulletins blancs',
  nuls: 'Bulletins nuls',
  exprimes: 'Suffrages exprimés',
};
const LABELS_EN: Record<string, string> = {
  emargements: 'Signatures (voters)',
  enveloppes: 'Envelopes found in the ballot box',
  blancs: 'Blank ballots',
  nuls: 'Spoiled ballots',
  exprimes: 'Valid votes',
};

/** A PV that breaks no rule and raises no warning. */
export const CLEAN: Figures = {
  emargements: 1940,
  enveloppes: 1940,
  blancs: 21,
  nuls: 17,
  voix: [62, 1787, 35, 18],
  exprimes: 1902,
};

/**
 * How a person presses a button: a tap on the journeys' touch phone; a
 * click in a browser the test started itself (kill.spec.ts), whose context
 * Playwright cannot give touch to.
 */
let pressing: 'tap' | 'click' = 'tap';
export function pressWith(how: 'tap' | 'click') {
  pressing = how;
}
export function press(l: Locator) {
  return pressing === 'tap' ? l.tap() : l.click();
}

export function main(page: Page) {
  return page.getByRole('main');
}

export async function fill(m: Locator, f: Figures, lang: 'fr' | 'en' = 'fr') {
  const labels = lang === 'fr' ? LABELS_FR : LABELS_EN;
  // French elides "de" before a vowel: "Voix d’Inès Lefèvre".
  const voix = (name: string) =>
    lang === 'en' ? `Votes for ${name}` : /^[AEIOUYÉÈÊÀÂÎÔ]/.test(name) ? `Voix d’${name}` : `Voix de ${name}`;
  for (const key of ['emargements', 'enveloppes', 'blancs', 'nuls', 'exprimes'] as const) {
    await m.getByLabel(labels[key], { exact: true }).fill(String(f[key]));
  }
  for (let i = 0; i < CANDIDATES.length; i++) {
    await m.getByLabel(voix(CANDIDATES[i]), { exact: true }).fill(String(f.voix[i]));
  }
}

export async function firstEntry(page: Page, name: string, f: Figures) {
  const m = main(page);
  await expect(m.getByRole('heading', { name: 'Première saisie' })).toBeVisible();
  await m.getByLabel('Votre nom (la personne qui saisit)').fill(name);
  await fill(m, f);
  await m.getByLabel('Président', { exact: true }).fill('Louise Perrin');
  await m.getByLabel('Secrétaire', { exact: true }).fill('Hugo Lambert');
  await m.getByLabel('Assesseurs (un nom par ligne)').fill('Sarah Roux\nMalik Benali');
  await press(m.getByRole('button', { name: 'Terminer ma saisie' }));
  await expect(m.getByRole('heading', { name: HANDOVER.fr.title })).toBeVisible();
}

export const HANDOVER = {
  fr: {
    title: 'Passez le téléphone à la seconde personne',
    name: 'Votre nom (seconde saisie)',
    go: 'Commencer la seconde saisie',
    second: 'Seconde saisie, à l’aveugle',
    by: (name: string) => `Saisie de ${name}`,
  },
  en: {
    title: 'Hand the phone to the second person',
    name: 'Your name (second entry)',
    go: 'Start the second entry',
    second: 'Second entry, blind',
    by: (name: string) => `Entry by ${name}`,
  },
};

/**
 * The first person hands the phone over: a screen of its own, where the
 * second person gives their name before the blind form opens.
 */
export async function handOver(page: Page, name: string, lang: 'fr' | 'en' = 'fr') {
  const m = main(page);
  const w = HANDOVER[lang];
  await expect(m.getByRole('heading', { name: w.title })).toBeVisible();
  await m.getByLabel(w.name).fill(name);
  await press(m.getByRole('button', { name: w.go }));
  await expect(m.getByRole('heading', { name: w.second })).toBeVisible();
  await expect(m.locator('.entrant-line')).toHaveText(w.by(name.trim()));
}

/**
 * Who types an entry: the first person writes their name in the form, the
 * second gives it at the hand-over.
 */
export async function typist(page: Page, name: string, first: boolean, lang: 'fr' | 'en' = 'fr') {
  if (first) {
    await main(page).getByLabel(lang === 'fr' ? 'Votre nom (la personne qui saisit)' : 'Your name (the person typing)').fill(name);
  } else {
    await handOver(page, name, lang);
  }
}

/** The second entry, from the hand-over (or from its form, once handed over). */
export async function secondEntry(page: Page, name: string, f: Figures, opts: { handedOver?: boolean } = {}) {
  const m = main(page);
  if (!opts.handedOver) await handOver(page, name);
  await fill(m, f);
  await press(m.getByRole('button', { name: 'Terminer ma saisie' }));
}

export async function sign(page: Page) {
  const m = main(page);
  await press(m.getByRole('button', { name: 'Signer le procès-verbal' }));
  await press(m.getByRole('button', { name: 'Oui, signer' }));
  await expect(m.getByRole('heading', { name: 'Procès-verbal signé', exact: true })).toBeVisible();
  const code = m.locator('.human-code');
  await expect(code).toHaveText(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  return (await code.textContent())!;
}

export function badge(page: Page) {
  return page.getByRole('banner').getByRole('status');
}

/** Reads the QR code on the screen as a camera would, from its pixels. */
export async function scanScreen(page: Page): Promise<string> {
  const png = PNG.sync.read(await main(page).locator('svg.qr-code').screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(found, 'a QR code readable off the screen').not.toBeNull();
  return found!.data;
}

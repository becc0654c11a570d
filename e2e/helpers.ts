// What the journeys share: the demo codes and a phone's layout checks.
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

/**
 * The demo election's codes: bureau → { code, url path }, of the test's own
 * server (`test` of own-server.ts: every journey that enrolls a phone has
 * one, so no journey depends on which bureaux another enrolled), or of
 * `file`.
 */
export function demoCodes(file = process.env.DEMO_CODES_CSV): Map<string, { code: string; path: string }> {
  if (!file) throw new Error('DEMO_CODES_CSV is not set: run the journeys with `cargo xtask test`');
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  const codes = new Map<string, { code: string; path: string }>();
  for (const row of rows) {
    const cells = row.split(',');
    const url = new URL(cells[cells.length - 1]);
    codes.set(cells[0], { code: cells[cells.length - 2], path: url.pathname + url.search + url.hash });
  }
  return codes;
}

export async function expectNoSideScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
}

/** Every visible button is at least 48×48 CSS pixels: a thumb's target. */
export async function expectThumbSizedButtons(page: Page) {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('button, a.button')]
      .map((b) => ({ name: (b.textContent ?? '').trim(), r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0 && (r.width < 48 || r.height < 48))
      .map(({ name, r }) => `${name} (${Math.round(r.width)}×${Math.round(r.height)})`),
  );
  expect(small, 'buttons smaller than 48 px').toEqual([]);
}

/**
 * Enrolls the page's phone for a demo bureau through its printed link: on
 * the journeys' shared server, or on a server of the journey's own.
 */
export async function enroll(page: Page, bureau: string, server?: { url: string; codesCsv: string }) {
  const { path } = demoCodes(server?.codesCsv).get(bureau)!;
  await page.goto(server ? server.url + path : path);
  await page.getByRole('button', { name: /Enrôler ce téléphone|Enroll this phone/ }).tap();
  await expect(page.getByRole('heading', { name: /Téléphone enrôlé|Phone enrolled/ })).toBeVisible();
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2 A and AA rules find nothing on the screen as it is now.
 * axe is evaluated through the DevTools protocol, which the page's
 * Content-Security-Policy (rightly) does not let a script tag do.
 */
export async function expectAccessible(page: Page, screen: string) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is the script just evaluated.
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map(
      (v: { id: string; help: string; nodes: { target: string[] }[] }) =>
        `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`,
    );
  });
  expect(violations, `axe on ${screen}`).toEqual([]);
}

/**
 * The returns of a public record (docs/return-format.md §7): its return
 * leaves, each with its leaf's number (what its receipt names as
 * `sequence`) and the signed return.
 */
export function recordReturns(text: string): { sequence: number; return: any }[] {
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => l.type === 'leaf' && l.entry.type === 'return')
    .map((l) => ({ sequence: l.index, return: l.entry.return }));
}

/** A value the app keeps in IndexedDB (database `pointage`, store `kv`). */
export function idbGet(page: Page, key: string): Promise<string | null> {
  return page.evaluate(
    (key) =>
      new Promise<string | null>((resolve, reject) => {
        const open = indexedDB.open('pointage');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('kv').objectStore('kv').get(key);
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result ?? null);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}

/** Writes values into the app's IndexedDB, as the app would have (bench set-up). */
export function idbPut(page: Page, entries: [string, string | null][]): Promise<void> {
  return page.evaluate(
    (entries) =>
      new Promise<void>((resolve, reject) => {
        // The app has opened (and shaped) the database already.
        const open = indexedDB.open('pointage');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          const kv = tx.objectStore('kv');
          for (const [k, v] of entries) {
            if (v === null) kv.delete(k);
            else kv.put(v, k);
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    entries,
  );
}

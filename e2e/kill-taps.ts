// Taps, then the whole browser killed at a random moment, again and again:
// after each restart the counting screen must show at least every ballot it
// had shown as counted before the kill (and never more than were tapped).
// kill.spec.ts runs a short version in CI; bench/kill.bench.ts the long one.
import { expect, type Page } from '@playwright/test';
import { KilledBrowser } from './killed-browser';
import { demoCodes } from './helpers';
import type { OwnServer } from './own-server';

/** A generator of the test's random choices, seeded so a failure replays. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function enrollByClick(page: Page, server: OwnServer, bureau: string) {
  const { path } = demoCodes(server.codesCsv).get(bureau)!;
  await page.goto(server.url + path);
  await page.getByRole('button', { name: 'Enrôler ce téléphone' }).click();
  await expect(page.getByRole('heading', { name: 'Téléphone enrôlé' })).toBeVisible();
}

/** What the counting screen shows: the open packet and its marks, or none. */
async function shown(
  page: Page,
): Promise<{ packet: number; marks: number } | { between: number } | { wiped: true }> {
  const main = page.getByRole('main');
  const open = main.getByRole('button', { name: /^Ouvrir le paquet n° \d+$/ });
  const status = main.getByRole('status');
  const unenrolled = main.getByRole('heading', { name: 'Ce téléphone n’est rattaché à aucun bureau' });
  const agree = main.getByRole('button', { name: 'Les feuilles concordent' });
  await expect(open.or(status).or(unenrolled).or(agree).first()).toBeVisible();
  if (await unenrolled.isVisible()) return { wiped: true };
  if (await agree.isVisible()) {
    // A closed packet waits for its check: the sheets agree, and the next
    // packet is offered.
    await agree.click();
    await expect(open).toBeVisible();
  }
  if (await open.isVisible()) {
    const name = (await open.textContent())!;
    return { between: Number(name.match(/(\d+)$/)![1]) };
  }
  const heading = (await main.getByRole('heading', { level: 2 }).first().textContent())!;
  const text = (await status.textContent())!;
  return { packet: Number(heading.match(/(\d+)/)![1]), marks: Number(text.match(/(\d+) \/ 100/)![1]) };
}

/** The marks read off the screen right now, in one synchronous look. */
function marksNow(page: Page) {
  return page.evaluate(() => {
    const s = document.querySelector('[role=status] strong');
    return s ? Number(s.textContent) : -1;
  });
}

export type KillResult = {
  shown: number;
  lost: number;
  kills: number;
  extra: number;
  wiped?: boolean;
  /** Restarts on which Chromium had deleted the IndexedDB and the app wrote it back from its journal. */
  restored: number;
};

/** Whether the app says it wrote its storage back from the journal. */
async function restoredNotice(page: Page) {
  return page.getByRole('alert').filter({ hasText: 'copie de secours' }).isVisible();
}

/**
 * Counts `taps` ballots on `server`'s bureau `bureau`, killing the browser
 * after every few taps (1 to `perRound`, clicked at once) at a random delay,
 * and after each packet closes. Returns the ballots shown as counted at the
 * kills, and how many of those a restart did not show.
 */
export async function tapAndKill(
  server: OwnServer,
  bureau: string,
  taps: number,
  perRound: number,
  when: 'during-writes' | 'after-shown',
  seed = Date.now(),
): Promise<KillResult> {
  const rnd = random(seed);
  console.log(`kill-taps: seed ${seed}`);
  const b = new KilledBrowser();
  let page = await b.start();
  const result: KillResult = { shown: 0, lost: 0, kills: 0, extra: 0, restored: 0 };
  try {
    await enrollByClick(page, server, bureau);
    await page.goto(server.url + '/compter');
    const main = page.getByRole('main');
    await main.getByLabel('Émargements (signatures sur la liste)').fill('20000');
    await main.getByLabel('Enveloppes trouvées dans l’urne').fill('20000');
    await main.getByRole('button', { name: 'Enregistrer la clôture' }).click();
    await expect(main.getByRole('button', { name: 'Ouvrir le paquet n° 1' })).toBeVisible();
    await b.kill();

    // What the screen had shown as kept before the last kill.
    let expectPacket = 1;
    let shownMarks = 0; // in the open packet; -1: the packet was shown closed
    let tapped = 0; // marks in the open packet the person had tapped
    let total = 0;
    // Everything is gone, the enrollment too: Chromium destroyed the site's
    // IndexedDB when it opened it again after the kill. The journey (kills
    // after the screen said "kept") fails on it by name; the bench counts it.
    const wipedOut = () => {
      result.lost += total;
      result.wiped = true;
      console.log(`kill-taps: wiped, profile ${b.profile}`);
      if (when === 'after-shown') {
        throw new Error(`after kill ${b.kills}, the phone's whole IndexedDB was gone (the enrollment and ${total} taps shown)`);
      }
    };
    while (total < taps) {
      page = await b.start();
      await page.goto(server.url + '/compter');
      const now = await shown(page);
      if (await restoredNotice(page)) result.restored++;
      if ('wiped' in now) {
        wipedOut();
        break;
      }
      if ('between' in now) {
        // Between packets: the last one was shown closed, or never opened.
        expect(now.between, 'the packet shown closed is closed').toBe(expectPacket + (shownMarks === -1 ? 1 : 0));
        if (shownMarks === -1) {
          expectPacket++;
          shownMarks = 0;
          tapped = 0;
        }
        if (shownMarks > 0) {
          result.lost += shownMarks;
          throw new Error(`packet ${expectPacket}: ${shownMarks} marks shown, none after the restart`);
        }
        await page.getByRole('main').getByRole('button', { name: `Ouvrir le paquet n° ${expectPacket}` }).click();
        await expect(page.getByRole('main').getByRole('status')).toContainText('0 / 100');
      } else {
        expect(shownMarks, 'a packet shown closed is not open again').not.toBe(-1);
        expect(now.packet).toBe(expectPacket);
        if (now.marks < shownMarks) result.lost += shownMarks - now.marks;
        expect(now.marks, 'every mark shown before the kill is there').toBeGreaterThanOrEqual(shownMarks);
        expect(now.marks, 'no mark that was not tapped').toBeLessThanOrEqual(tapped);
        result.extra += now.marks - shownMarks;
        shownMarks = now.marks;
        tapped = now.marks;
      }
      if (shownMarks === 100) {
        // The packet is full: close it, and kill as soon as it shows closed.
        await page.getByRole('main').getByRole('button', { name: 'Fermer le paquet' }).click();
        await expect(page.getByRole('main').getByRole('button', { name: 'Les feuilles concordent' })).toBeVisible();
        await new Promise((r) => setTimeout(r, rnd() * 100));
        shownMarks = -1;
        await b.kill();
        continue;
      }
      const k = Math.min(1 + Math.floor(rnd() * perRound), 100 - shownMarks, taps - total);
      // Taps in quick succession: each click is a real event on a button,
      // fired at once, as a fast thumb would.
      const which = Array.from({ length: k }, () => Math.floor(rnd() * 5));
      await page.evaluate((which) => {
        const buttons = [...document.querySelectorAll<HTMLButtonElement>('button.tap:not(.nul)')];
        for (const i of which) buttons[i % buttons.length].click();
      }, which);
      tapped += k;
      if (when === 'after-shown') {
        // Every tap shown as counted, then the kill at a random moment.
        await page.waitForFunction(
          (n) => Number(document.querySelector('[role=status] strong')?.textContent) === n,
          shownMarks + k,
        );
        await new Promise((r) => setTimeout(r, rnd() * 400));
      } else {
        // Kill at a random moment: during the writes, or just after.
        await new Promise((r) => setTimeout(r, rnd() * (rnd() < 0.5 ? 30 : 400)));
      }
      const seen = await marksNow(page);
      await b.kill();
      const newly = Math.max(0, seen - shownMarks);
      result.shown += newly;
      total += newly;
      shownMarks = Math.max(shownMarks, seen);
    }
    // The last kill's marks must be there too.
    if (result.wiped) return result;
    page = await b.start();
    await page.goto(server.url + '/compter');
    const last = await shown(page);
    if (await restoredNotice(page)) result.restored++;
    if ('wiped' in last) {
      wipedOut();
    } else if ('packet' in last) {
      if (last.marks < shownMarks) result.lost += shownMarks - last.marks;
      expect(last.marks).toBeGreaterThanOrEqual(shownMarks);
    }
  } finally {
    result.kills = b.kills;
    await b.close();
  }
  console.log(
    `kill-taps: taps shown ${result.shown}, taps lost ${result.lost}, kills ${result.kills}, ` +
      `written back from the journal ${result.restored}`,
  );
  return result;
}

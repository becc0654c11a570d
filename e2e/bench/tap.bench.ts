// Time from a tap to the updated count on the counting screen, at ballot 10
// and at ballot 10,000 of the bureau's log, in the release app.
//
// The log is written straight into the app's IndexedDB in its own segment
// format (as if those ballots had been tapped), then the screen is loaded.
// Each measured tap is a click on a candidate's button inside the page (no
// Playwright round trip): the time runs from just before the click to the
// moment the button's count changes in the DOM (a MutationObserver), which is
// the app's whole work for a tap: core's check, the storage write, core's
// append and the redraw. "Next frame" adds the wait for the browser's next
// animation frame, which depends on the display's refresh, not on the app.
import { expect, test } from '@playwright/test';
import { enroll, idbGet, idbPut } from '../helpers';

const TAPS = 400;

type Device = { election: { hash: string; bureau: { code: string }; candidates: { id: string }[] } };

function mean(xs: number[]) {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function quantile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

test('tap to updated count, at ballot 10 and at ballot 10,000', async ({ page }) => {
  await enroll(page, 'DEMO-001');
  const device: Device = JSON.parse((await idbGet(page, 'pointage.device'))!);
  const prefix = `pointage.tally.${device.election.hash}.${device.election.bureau.code}.`;
  const ids = device.election.candidates.map((c) => c.id);
  // The page's clock ticks in steps of 0.1 ms (Chromium, no cross-origin
  // isolation): the ratio of the two sizes is taken on the means, which the
  // steps do not round away.
  const means: number[] = [];
  for (const ballots of [10, 10_000]) {
    await page.goto('/');
    const events: unknown[] = [{ close_polls: { emargements: 20_000, enveloppes: 20_000, explanation: '' } }];
    let left = ballots;
    while (left >= 100) {
      events.push({ open_packet: { table: 'Table 1', envelopes: 100 } });
      for (let i = 0; i < 100; i++) events.push({ mark: { candidate: ids[i % ids.length] } });
      events.push('close_packet');
      left -= 100;
    }
    events.push({ open_packet: { table: 'Table 1', envelopes: 100 } });
    for (let i = 0; i < left; i++) events.push({ mark: 'blanc' });
    const segments = Math.ceil(events.length / 64);
    const entries: [string, string | null][] = [];
    // The previous size's segments go: the log is this one alone.
    for (let n = 0; n < 400; n++) {
      entries.push([
        prefix + n,
        n < segments ? JSON.stringify({ first: n * 64, events: events.slice(n * 64, n * 64 + 64) }) : null,
      ]);
    }
    await idbPut(page, entries);
    const loadStart = Date.now();
    await page.goto('/compter');
    await expect(page.getByRole('status')).toContainText(`${ballots % 100} / 100`);
    const loadMs = Date.now() - loadStart;

    const result = await page.evaluate(async (taps) => {
      const tap = document.querySelector<HTMLButtonElement>('button.tap')!;
      const count = tap.querySelector('.tap-count')!;
      const undo = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Annuler le dernier')!;
      const changed = () =>
        new Promise<number>((resolve) => {
          const o = new MutationObserver(() => {
            o.disconnect();
            resolve(performance.now());
          });
          o.observe(count, { childList: true, characterData: true, subtree: true });
        });
      const frame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
      const dom: number[] = [];
      const toFrame: number[] = [];
      for (let i = 0; i < taps; i++) {
        await frame();
        const before = count.textContent;
        const seen = changed();
        const t0 = performance.now();
        tap.click();
        const t1 = await seen;
        const t2 = await frame();
        if (count.textContent === before) throw new Error('the count did not change');
        dom.push(t1 - t0);
        toFrame.push(t2 - t0);
        const back = changed();
        undo.click();
        await back;
      }
      return { dom, toFrame };
    }, TAPS);
    const dom = [...result.dom].sort((a, b) => a - b);
    const fr = [...result.toFrame].sort((a, b) => a - b);
    means.push(mean(dom));
    console.log(
      `tap bench: at ballot ${ballots} (log of ${events.length} events, screen loaded in ${loadMs} ms): ` +
        `tap → count in DOM p50 ${quantile(dom, 0.5).toFixed(2)} ms, p95 ${quantile(dom, 0.95).toFixed(2)} ms, ` +
        `mean ${mean(dom).toFixed(3)} ms, ` +
        `max ${dom[dom.length - 1].toFixed(2)} ms; → next frame p50 ${quantile(fr, 0.5).toFixed(1)} ms, ` +
        `p95 ${quantile(fr, 0.95).toFixed(1)} ms (${TAPS} taps, each undone)`,
    );
  }
  console.log(
    `tap bench: per-tap cost at ballot 10,000 / at ballot 10 (means): ${(means[1] / means[0]).toFixed(2)}; ` +
      'goals: p95 ≤ 8 ms, ratio ≤ 1.3',
  );
});

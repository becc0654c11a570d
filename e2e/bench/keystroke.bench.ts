// Keystroke to paint on the PV form, with the CPU slowed 4× (a cheap
// phone): how long after a key is pressed in a field its letter is on
// screen. Measured by the browser itself (the Event Timing API: from the
// key event's time to the next paint after its handlers), for real key
// events sent through the DevTools protocol, in the président field and in
// a figure, 60 keys each, one every 150 ms as a person types.
//
// The Event Timing API reports only events over 16 ms: a key it does not
// report took at most that, and is counted as 16 ms. The président's first
// keys, typed as soon as the form shows, are also given alone: the first
// write of a draft, and the first run of code the page had not needed yet,
// are where a stall would hide.
import { expect, test } from '@playwright/test';
import { enroll } from '../helpers';

const KEYS = 60;
const FIRST = 8;

function quantile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

test('keystroke to paint on the PV form, CPU slowed 4×', async ({ page }) => {
  await enroll(page, 'DEMO-004');
  // Slowed from the load on: the first keys, typed as soon as the form
  // shows, are the ones a person notices.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto('/pv');
  const m = page.getByRole('main');
  await expect(m.getByRole('heading', { name: 'Première saisie' })).toBeVisible();
  await page.evaluate(() => {
    const w = window as unknown as { keyTimes: Map<number, number> };
    w.keyTimes = new Map();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as PerformanceEventTiming[]) {
        if (!e.interactionId) continue;
        w.keyTimes.set(e.interactionId, Math.max(w.keyTimes.get(e.interactionId) ?? 0, e.duration));
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
  });
  const lines: string[] = [];
  for (const [what, label, text] of [
    ['président', 'Président', 'Louise Perrin-Dubois de la Fontaine '],
    ['a figure', 'Voix de Camille Moreau', '1234567890'],
  ] as const) {
    const field = m.getByLabel(label, { exact: true });
    await field.focus();
    await page.evaluate(() => (window as unknown as { keyTimes: Map<number, number> }).keyTimes.clear());
    for (let i = 0; i < KEYS; i++) {
      const key = text[i % text.length];
      if (i > 0 && i % text.length === 0) await field.fill('');
      await page.keyboard.press(key === ' ' ? 'Space' : key);
      await page.waitForTimeout(150);
    }
    await page.waitForTimeout(500);
    // In the order typed (interaction ids grow).
    const reported: number[] = await page.evaluate(() =>
      [...(window as unknown as { keyTimes: Map<number, number> }).keyTimes.entries()]
        .sort((a, b) => a[0] - b[0])
        .map((e) => e[1]),
    );
    if (what === 'président') {
      const first = reported.slice(0, FIRST);
      lines.push(`keystroke bench: président, first ${FIRST} keys: ${first.join(' ')} ms (max ${Math.max(16, ...first)} ms)`);
    }
    // Every key is one interaction; the ones not reported took ≤ 16 ms.
    const all = [...reported, ...Array(Math.max(0, KEYS - reported.length)).fill(16)].sort((a, b) => a - b);
    lines.push(
      `keystroke bench: ${what}: keystroke → paint p50 ${quantile(all, 0.5)} ms, p95 ${quantile(all, 0.95)} ms, ` +
        `max ${all[all.length - 1]} ms (${KEYS} keys, ${reported.length} over 16 ms)`,
    );
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  for (const l of lines) console.log(l);
  console.log('keystroke bench: goal p95 ≤ 50 ms (CPU slowed 4×)');
});

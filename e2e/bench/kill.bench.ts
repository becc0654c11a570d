// `cargo xtask bench`: 1,000 taps or more, the browser killed (SIGKILL to
// every process of its profile) after every 1 to 8 taps and after every
// packet closed, at random moments. Prints "taps shown N, taps lost M";
// M must be 0.
import { expect, test } from '@playwright/test';
import { tapAndKill } from '../kill-taps';
import { onOwnServer } from '../own-server';

test('1,000 taps, the browser killed at random moments: taps shown, taps lost', async () => {
  await onOwnServer(async (server) => {
    // Kills during the writes too. Chromium then sometimes deletes the
    // site's IndexedDB on reopening it, and the app writes it back from its
    // journal (counted). Should a phone ever come back empty all the same,
    // its taps count as lost, the run on that bureau ends (its code is
    // used) and counting goes on with the next bureau.
    const goal = Number(process.env.KILL_TAPS ?? 1000);
    const total = { shown: 0, lost: 0, kills: 0, wiped: 0, restored: 0 };
    for (let n = 1; n <= 13 && total.shown < goal; n++) {
      const bureau = `DEMO-${String(n).padStart(3, '0')}`;
      const r = await tapAndKill(server, bureau, goal - total.shown, 8, 'during-writes');
      total.shown += r.shown;
      total.lost += r.lost;
      total.kills += r.kills;
      total.restored += r.restored;
      if (r.wiped) total.wiped++;
    }
    console.log(
      `BENCH kill: taps shown ${total.shown}, taps lost ${total.lost} (${total.kills} kills; ` +
        `Chromium deleted the site's IndexedDB on reopening it ${total.restored} times, and the app ` +
        `wrote it back from its journal; ${total.wiped} times the phone came back empty)`,
    );
    expect(total.lost).toBe(0);
  });
});

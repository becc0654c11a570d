// How long a bureau's phone takes to check its part of a national
// election's log, with Chromium's CPU slowed 4× (DevTools' throttling):
// the server's signatures (head and list, by WebCrypto), every proof (its
// leaves' inclusion, the head extending its receipt's tree), the head kept.
// The browser's own measure around that work (`pointage-witness-check`,
// src/sync.rs), the fetch not counted.
//
// The log: the phone's enrollment and return on a server of the bench's
// own, then 70,000 leaves appended behind them with SQLite's command line
// (their hashes only matter: no other bureau's leaf is sent to the phone),
// so that every proof is as long as a national election's.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { enroll, idbGet, idbPut } from '../helpers';
import { onOwnServer } from '../own-server';
import { CLEAN, badge, firstEntry, main, secondEntry, sign } from '../pv-helpers';

const RUNS = 7;
const THROTTLE = 4;
const LEAVES = 70_000;

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

test('a phone checks its part of a log of 70,000 leaves, at 4× CPU throttling', async ({ page }) => {
  await onOwnServer(async (server) => {
    await enroll(page, 'DEMO-001', server);
    await page.goto(`${server.url}/pv`);
    await firstEntry(page, 'Awa Diallo', CLEAN);
    await secondEntry(page, 'Bruno Martin', CLEAN);
    await sign(page);
    await expect(badge(page)).toContainText(/PV reçu par le serveur central/, { timeout: 30_000 });
    await expect(main(page).locator('p.witness')).toBeVisible({ timeout: 30_000 });

    await server.kill();
    const sql = `
      WITH RECURSIVE
        start(s) AS (SELECT MAX(i) + 1 FROM
          (SELECT idx AS i FROM log_entry UNION ALL SELECT election_sequence FROM return_version)),
        n(i) AS (SELECT s FROM start UNION ALL SELECT i + 1 FROM n, start WHERE i < s + ${LEAVES - 1})
      INSERT INTO log_entry (election_id, idx, bureau, at, hash, entry)
        SELECT 'demo-2027-t1', i, NULL, 9000000000000, randomblob(32), X'7B7D' FROM n;`;
    execFileSync(process.env.SQLITE3 ?? 'sqlite3', [join(server.dataDir, 'pointage.sqlite3'), sql]);
    await server.start();

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    const device = JSON.parse((await idbGet(page, 'pointage.device'))!);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Forget the head kept, so that each start proves the whole way
      // from the receipt's tree to the log's.
      await idbPut(page, [[`pointage.witness.${device.election.hash}.DEMO-001`, null]]);
      await page.reload();
      const ms = await page.waitForFunction(
        () => performance.getEntriesByName('pointage-witness-check')[0]?.duration,
        null,
        { timeout: 60_000 },
      );
      times.push(Number(await ms.jsonValue()));
      await expect(main(page).locator('p.witness')).toContainText('Dans le registre public');
    }
    console.log(
      `a phone's check of its part of a log of ${LEAVES + 3} leaves (signatures, proofs, head kept), CPU ${THROTTLE}× slower: ` +
        `median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)} ` +
        `(${RUNS} runs; goal ≤ 50 ms)`,
    );
  });
});

// `cargo xtask bench`: 1,000 taps or more, the browser killed (SIGKILL to
// every process of its profile) after every 1 to 8 taps and after every
// packet closed, at random moments. Prints "taps shown N, taps lost M";
// M must be 0.
import { expect, test } from '@playwright/test';
import { rmSync } from 'node:fs';
import { tapAndKill } from '../kill-taps';
import { OwnServer } from '../own-server';

test('1,000 taps, the browser killed at random moments: taps shown, taps lost', async () => {
  const server = new OwnServer();
  await server.start();
  try {
    const r = await tapAndKill(server, 'DEMO-001', Number(process.env.KILL_TAPS ?? 1000), 8);
    console.log(`BENCH kill: taps shown ${r.shown}, taps lost ${r.lost} (${r.kills} kills)`);
    expect(r.lost).toBe(0);
  } finally {
    await server.kill();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
});

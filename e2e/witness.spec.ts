// The phone as the first witness of the public register (THREATS.md,
// promise 3): after its receipt, it checks its bureau's part of the log and
// says so ("dans le registre public, vérifié à 21 h 42"). When the operator
// rewrites the database behind its back (a leaf before its return removed,
// the log numbered again and signed again whole), the phone's next check
// says plainly that the register no longer holds its PV as received, and
// what to do; in French, then in English.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { demoCodes, enroll, expectAccessible, expectNoSideScroll } from './helpers';
import { onOwnServer } from './own-server';
import { CLEAN, badge, firstEntry, main, secondEntry, sign } from './pv-helpers';

/** The Ed25519 public key (hex) of a 32-byte seed. */
function publicKeyOf(seed: Buffer) {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const key = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
}

/**
 * What a dishonest operator does with the database: removes the leaf of
 * `bureau`'s enrollment and numbers every later leaf one down, so that the
 * log has no gap (the server signs its heads again from it).
 */
function removeEnrollmentLeaf(dataDir: string, bureau: string) {
  const sqlite3 = process.env.SQLITE3 ?? 'sqlite3';
  const sql = `
    BEGIN;
    CREATE TEMP TABLE gone AS SELECT idx FROM log_entry WHERE bureau = '${bureau}';
    DELETE FROM log_entry WHERE idx IN (SELECT idx FROM gone);
    UPDATE log_entry SET idx = -idx WHERE idx > (SELECT idx FROM gone);
    UPDATE log_entry SET idx = -idx - 1 WHERE idx < 0;
    UPDATE return_version SET election_sequence = -election_sequence
      WHERE election_sequence > (SELECT idx FROM gone);
    UPDATE return_version SET election_sequence = -election_sequence - 1 WHERE election_sequence < 0;
    COMMIT;`;
  execFileSync(sqlite3, [join(dataDir, 'pointage.sqlite3'), sql]);
}

test('the phone checks its PV in the public register, and says so when the register is rewritten behind its back', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await onOwnServer(async (server) => {
    // Another bureau enrolls first: its leaf comes before this phone's.
    const { code } = demoCodes(server.codesCsv).get('DEMO-002')!;
    const other = await page.request.post(`${server.url}/api/v1/enroll`, {
      data: { code, device_key: publicKeyOf(Buffer.alloc(32, 9)) },
    });
    expect(other.status()).toBe(200);

    await enroll(page, 'DEMO-001', server);
    await page.goto(`${server.url}/pv`);
    await firstEntry(page, 'Awa Diallo', CLEAN);
    await secondEntry(page, 'Bruno Martin', CLEAN);
    await sign(page);
    await expect(badge(page)).toContainText(/PV reçu par le serveur central · n° \d+/, { timeout: 30_000 });
    const m = main(page);
    await expect(m.locator('p.witness')).toHaveText(/^Dans le registre public, vérifié à \d{1,2}\sh\s\d{2}\.$/, {
      timeout: 30_000,
    });
    await page.screenshot({ path: test.info().outputPath('witness-holds-fr.png'), fullPage: true });

    // Behind the phone's back: the server stopped, its database rewritten,
    // started again.
    await server.kill();
    removeEnrollmentLeaf(server.dataDir, 'DEMO-002');
    await server.start();

    // The phone's next check (at its next start) says so, on every screen.
    await page.reload();
    const alert = page.getByRole('banner').getByRole('alert');
    await expect(alert).toContainText(
      'Le registre public ne contient plus votre PV tel que le serveur central l’a reçu.',
      { timeout: 30_000 },
    );
    await expect(alert).toContainText(
      'Gardez ce téléphone tel quel, appelez l’équipe centrale et montrez le reçu à un délégué.',
    );
    await expect(m.locator('p.witness')).toHaveCount(0);
    await expectNoSideScroll(page);
    await expectAccessible(page, 'witness-broken-fr');
    await page.screenshot({ path: test.info().outputPath('witness-broken-fr.png'), fullPage: true });
    await page.goto(`${server.url}/`);
    await expect(page.getByRole('banner').getByRole('alert')).toContainText('Le registre public ne contient plus');

    // In English, at 320 px.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.getByRole('button', { name: 'English' }).tap();
    const en = page.getByRole('banner').getByRole('alert');
    await expect(en).toContainText('The public register no longer holds your report as the central server received it.');
    await expect(en).toContainText('Keep this phone as it is, call the central team and show the receipt');
    await expectNoSideScroll(page);
    await expectAccessible(page, 'witness-broken-en');
    await page.screenshot({ path: test.info().outputPath('witness-broken-en.png'), fullPage: true });
  });
});

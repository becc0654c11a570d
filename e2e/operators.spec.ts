// The central team's accounts, as people use them: the first admin
// invited from the server's command line makes a passkey on a laptop
// (Chromium's virtual authenticator, through the DevTools protocol),
// invites a coordinator, who makes one on a phone, signs out everywhere,
// signs in again and reissues a bureau's code; signed out, the board sends
// to the sign-in. Both languages, axe on every page.
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { expectAccessible, expectNoSideScroll } from './helpers';
import { test } from './own-server';

/** The site as the central team opens it: passkeys need a host name. */
function site(url: string) {
  return url.replace('127.0.0.1', 'localhost');
}

/** A browser with a passkey authenticator of its own (a laptop's or a phone's). */
async function withAuthenticator(browser: Browser, phone: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(
    phone ? { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } : { viewport: { width: 1280, height: 800 } },
  );
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { context, page };
}

test('an admin invited from the command line invites a coordinator, who reissues a code', async ({ browser, server }) => {
  const base = site(server.url);
  const cli = spawnSync(
    process.env.POINTAGE_SERVER_BIN!,
    ['operator', 'invite', '--name', 'Claire Martin', '--role', 'admin', '--public-url', base, '--data-dir', server.dataDir],
    { encoding: 'utf8' },
  );
  expect(cli.status, cli.stderr).toBe(0);
  const adminLink = cli.stdout.match(/(http\S+\/operateur\/invitation#\S+)/)![1];

  // Signed out, the board is the sign-in.
  const { context: laptop, page } = await withAuthenticator(browser, false);
  await page.goto(`${base}/operateur`);
  await expect(page).toHaveURL(/\/operateur\/connexion/);
  await expect(page.getByRole('heading', { name: 'Connexion de l’équipe centrale' })).toBeVisible();
  await expectAccessible(page, 'operator-signin-fr');

  // The admin's passkey, made from the invitation.
  await page.goto(adminLink);
  await expectAccessible(page, 'operator-invitation-fr');
  await page.getByRole('button', { name: 'Créer ma clé d’accès' }).click();
  await expect(page).toHaveURL(/\/operateur(\?|$)/);
  await expect(page.locator('.who strong')).toHaveText('Claire Martin');
  await expect(page.getByText('(administrateur)')).toBeVisible();
  await expect(page.locator('tr[data-bureau]')).toHaveCount(13);
  await page.screenshot({ path: test.info().outputPath('operator-board-fr-1280.png'), fullPage: true });
  await expectAccessible(page, 'operator-board-fr');
  // The same link again: used.
  const again = await laptop.newPage();
  await again.goto(adminLink);
  await again.getByRole('button', { name: 'Créer ma clé d’accès' }).click();
  await expect(again.getByRole('alert')).toHaveText('Cette invitation a déjà servi ou a expiré : demandez-en une nouvelle.');
  await again.close();

  // The admin invites a coordinator.
  await page.getByLabel('Nom du compte').fill('Malik Benali');
  await page.getByLabel('Rôle').selectOption('coordinator');
  await page.getByRole('button', { name: 'Créer l’invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Invitation créée' })).toBeVisible();
  const coordinatorLink = (await page.locator('code.once').textContent())!;
  expect(coordinatorLink).toContain('/operateur/invitation#');

  // The coordinator, on a phone.
  const { context: phone, page: p } = await withAuthenticator(browser, true);
  await p.goto(coordinatorLink);
  await p.getByRole('button', { name: 'Créer ma clé d’accès' }).click();
  await expect(p.getByText('(coordinateur)')).toBeVisible();
  await expect(p.getByRole('heading', { name: 'Inviter une personne' })).toHaveCount(0);
  await expectNoSideScroll(p);
  await p.screenshot({ path: test.info().outputPath('operator-board-fr-390.png'), fullPage: true });

  // Sign out everywhere, then in again with the passkey.
  await p.getByRole('button', { name: 'Se déconnecter partout' }).click();
  await expect(p).toHaveURL(/\/operateur\/connexion/);
  await p.goto(`${base}/operateur`);
  await expect(p).toHaveURL(/\/operateur\/connexion/);
  await p.getByLabel('Nom du compte').fill('Personne');
  await p.getByRole('button', { name: 'Se connecter avec ma clé d’accès' }).click();
  await expect(p.getByRole('alert')).toHaveText('Aucun compte ne porte ce nom sur ce serveur.');
  await p.getByLabel('Nom du compte').fill('Malik Benali');
  await p.getByRole('button', { name: 'Se connecter avec ma clé d’accès' }).click();
  await expect(p.getByText('(coordinateur)')).toBeVisible();

  // A reissue, confirmed: the new code is shown once, with its link.
  p.once('dialog', (d) => d.accept());
  await p.getByRole('button', { name: 'Réémettre le code DEMO-003' }).click();
  await expect(p.getByRole('heading', { name: 'Nouveau code du bureau' })).toBeVisible();
  const shown = await p.locator('code.once').allTextContents();
  expect(shown[0]).toMatch(/^DEMO-003 — \S+$/);
  expect(shown[1]).toContain('/enroler#code=');
  await expectNoSideScroll(p);
  await expectAccessible(p, 'operator-reissued-fr');
  // The old code no longer enrolls; the new one is what the président gets.
  const old = (await import('./helpers')).demoCodes(server.codesCsv).get('DEMO-003')!.code;
  const refused = await p.request.post(`${base}/api/v1/enroll`, {
    data: { code: old, device_key: 'aa'.repeat(32) },
  });
  expect(refused.status()).toBeGreaterThanOrEqual(400);

  // English.
  await page.goto(`${base}/operateur?lang=en`);
  await expect(page.getByText('(admin)')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'The bureaux, the latest first' })).toBeVisible();
  await expectAccessible(page, 'operator-board-en');
  await p.goto(`${base}/operateur?lang=en`);
  await expectAccessible(p, 'operator-board-en-390');
  const signedOut = await browser.newPage();
  await signedOut.goto(`${base}/operateur/connexion?lang=en`);
  await expectAccessible(signedOut, 'operator-signin-en');
  await signedOut.goto(`${base}/operateur/invitation?lang=en`);
  await expect(signedOut.getByRole('alert')).toHaveText('This invitation link is incomplete: open the whole link you were sent.');
  await expectAccessible(signedOut, 'operator-invitation-en');
  await signedOut.close();
  await laptop.close();
  await phone.close();
});

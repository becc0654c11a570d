// What the central team's journeys share: the site by its host name (a
// passkey needs one), a browser with a passkey authenticator, and the
// first admin's invitation from the server's command line.
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';

/** The site as the central team opens it: passkeys need a host name. */
export function site(url: string) {
  return url.replace('127.0.0.1', 'localhost');
}

/** A browser with a passkey authenticator of its own (a laptop's or a phone's). */
export async function withAuthenticator(browser: Browser, phone: boolean): Promise<{ context: BrowserContext; page: Page }> {
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

/** The first admin's invitation, printed by the server's command line. */
export function inviteAdmin(base: string, dataDir: string, name: string) {
  const cli = spawnSync(
    process.env.POINTAGE_SERVER_BIN!,
    ['operator', 'invite', '--name', name, '--role', 'admin', '--public-url', base, '--data-dir', dataDir],
    { encoding: 'utf8' },
  );
  expect(cli.status, cli.stderr).toBe(0);
  return cli.stdout.match(/(http\S+\/operateur\/invitation#\S+)/)![1];
}


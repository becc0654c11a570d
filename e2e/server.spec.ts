// What the server sends a phone: health, and the app's files with the right
// content type and compressed.
import { chromium, expect, test } from '@playwright/test';
import { expectAccessible } from './helpers';

test('health says the server and its database answer', async ({ request }) => {
  const res = await request.get('/api/v1/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
});

test('the wasm module is served as application/wasm, compressed', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const wasm = html.match(/["'(]\/?([^"'()]+_bg\.wasm)/)?.[1];
  expect(wasm, 'index.html names the wasm module').toBeTruthy();
  for (const encoding of ['gzip', 'br']) {
    const res = await request.get(`/${wasm}`, { headers: { 'Accept-Encoding': encoding } });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/wasm');
    expect(res.headers()['content-encoding']).toBe(encoding);
  }
});

test('the app is served with a policy that loads nothing but its own files', async ({ request, page }) => {
  const resp = await request.get('/');
  const csp = resp.headers()['content-security-policy'];
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  // And the app still starts under it, with no policy violation reported.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) violations.push(m.text());
  });
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto('/deposer');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto('/resultats');
  await expect(page.getByRole('main', { name: 'Résultats' })).toContainText('bureau');
  expect(violations).toEqual([]);
});

test('the results page comes with its figures in it, and no app to download', async ({ page, request }) => {
  const resp = await request.get('/resultats');
  expect(resp.headers()['content-security-policy']).toContain("script-src 'self';");
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto('/resultats');
  await expect(page.getByRole('main', { name: 'Résultats' })).toContainText('Ces totaux portent sur');
  // The page, the stylesheet and icon it shares with the bureau app, and
  // its refresh script: no WebAssembly, no call to the API.
  expect(fetched.filter((p) => /\.wasm$/.test(p) || p.startsWith('/api/'))).toEqual([]);
  expect(fetched.filter((p) => /\.js$/.test(p))).toEqual(['/resultats.js']);
});

test('the wall screen reads across a room and on a phone, in both languages, with nothing to download', async ({ browser }) => {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ]) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto('/mur');
    await expect(page.getByRole('main', { name: 'Avancement des bureaux' })).toContainText('Téléphones de bureau enrôlés');
    await page.screenshot({ path: test.info().outputPath(`wall-fr-${width}.png`) });
    await expectAccessible(page, `wall-fr-${width}`);
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('main', { name: 'Polling stations’ progress' })).toContainText('Signed reports received');
    await expectAccessible(page, `wall-en-${width}`);
    // No side scroll on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(fetched.filter((p) => /\.wasm$/.test(p) || p.startsWith('/api/'))).toEqual([]);
    await context.close();
  }
});

test('the API contract is served', async ({ request }) => {
  const doc = await (await request.get('/api/v1/openapi.json')).json();
  expect(doc.openapi).toMatch(/^3\./);
  expect(Object.keys(doc.paths)).toContain('/api/v1/returns');
});

test('the app is installable by Chromium’s own criteria, with its service worker running', async ({ request }) => {
  const manifest = await request.get('/manifest.webmanifest');
  expect(manifest.ok()).toBe(true);
  expect(manifest.headers()['content-type']).toContain('manifest+json');
  // A browser profile of its own: Playwright's usual contexts are incognito,
  // where Chromium never offers to install an app.
  const context = await chromium.launchPersistentContext(test.info().outputPath('profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    viewport: { width: 390, height: 844 },
  });
  try {
    const page = await context.newPage();
    await page.goto(process.env.BASE_URL!);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a new version of the app waits for the person, then replaces the running one', async ({ page, context }) => {
  await page.goto('/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  const update = page.getByRole('button', { name: 'Mettre à jour maintenant' });
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(update).toHaveCount(0);
  // The server now has a new version of the page.
  await context.route(
    (url) => url.pathname === '/',
    async (route) => {
      const res = await route.fetch();
      const html = (await res.text()).replace('<title>Pointage</title>', '<title>Pointage v2</title>');
      await route.fulfill({ response: res, body: html });
    },
  );
  await page.reload();
  // The running version stays until the person says so.
  await expect(update).toBeVisible();
  await expect(page).toHaveTitle('Pointage');
  await page.screenshot({ path: test.info().outputPath('update-ready-fr.png'), fullPage: true });
  await expectAccessible(page, 'update-ready-fr');
  await update.click();
  await expect(page).toHaveTitle('Pointage v2');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('a bureau phone with no network opens the results page it saw last, and is told the figures may have changed', async ({ page, context }) => {
  await page.clock.install();
  // The bureau app installs its service worker; the results page, opened
  // once with a network, is kept apart from it.
  await page.goto('/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.goto('/resultats');
  const main = page.getByRole('main', { name: 'Résultats' });
  await expect(main).toContainText('Ces totaux portent sur');
  await expect(main.getByRole('alert')).toHaveCount(0);
  const kept = async () =>
    page.evaluate(async () => {
      const c = await caches.open('pointage-results');
      return (await c.keys()).map((r) => new URL(r.url).pathname);
    });
  await expect.poll(async () => (await kept()).sort()).toEqual(['/resultats', '/resultats.js']);
  // The bureau app's cache holds no public page's files.
  const bureauCache = await page.evaluate(async () =>
    (await (await caches.open('pointage-app')).keys()).map((r) => new URL(r.url).pathname),
  );
  expect(bureauCache.filter((p) => p.startsWith('/public/') || p.startsWith('/resultats'))).toEqual([]);

  await context.setOffline(true);
  await page.reload();
  await expect(main.getByRole('alert')).toContainText('Le serveur central est injoignable : ces chiffres sont ceux qu’il a envoyés à ce téléphone la dernière fois');
  // The figures it had, with the bureaux they cover, styled as the app.
  await expect(main).toContainText('Ces totaux portent sur');
  await expect(main.getByRole('row', { name: /Camille Moreau/ })).toBeVisible();
  // (the bureau app's stylesheet, which this phone keeps: the brand's blue)
  expect(await page.locator('.topbar').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(29, 58, 110)');
  await page.screenshot({ path: test.info().outputPath('results-offline-fr.png'), fullPage: true });
  // The network is back: the page takes the figures again by itself.
  await context.setOffline(false);
  await page.clock.fastForward(31_000);
  await expect(main.getByRole('alert')).toHaveCount(0);
  await expect(main).toContainText('Ces totaux portent sur');
});

test('the results page says so when its refresh cannot reach the server, and recovers', async ({ page, context }) => {
  await page.clock.install();
  await page.goto('/resultats');
  const main = page.getByRole('main', { name: 'Résultats' });
  await expect(main).toContainText('Ces totaux portent sur');
  await context.setOffline(true);
  await page.clock.fastForward(31_000);
  await expect(main.getByRole('alert')).toContainText('Le serveur central est injoignable');
  await expect(main.getByRole('row', { name: /Camille Moreau/ })).toBeVisible();
  await context.setOffline(false);
  await page.clock.fastForward(31_000);
  await expect(page.getByRole('main', { name: 'Résultats' }).getByRole('alert')).toHaveCount(0);
});

// What the server sends a phone: health, and the app's files with the right
// content type and compressed.
import { expect, test } from '@playwright/test';

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
  await page.goto('/resultats');
  await expect(page.getByRole('main', { name: 'Résultats' })).toContainText('bureau');
  expect(violations).toEqual([]);
});

test('the API contract is served', async ({ request }) => {
  const doc = await (await request.get('/api/v1/openapi.json')).json();
  expect(doc.openapi).toMatch(/^3\./);
  expect(Object.keys(doc.paths)).toContain('/api/v1/returns');
});

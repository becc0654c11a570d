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

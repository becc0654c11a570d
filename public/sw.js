// Pointage's service worker: the app starts and runs with no network.
//
// - The app's files are kept in one cache: the page ('/') and every file it
//   names (hashed names, so a file never changes under its name). They are
//   fetched whole at install, and again after each page load with a network,
//   files first and the page last, so the cached page never names a file the
//   cache lacks. Files no longer named are dropped.
// - A page load asks the network first, but waits at most NAV_TIMEOUT_MS
//   (a bureau's coverage can be poor), then starts from the cached page:
//   every screen is the same page, routed by the app.
// - The API is never cached: returns, receipts and results always go to the
//   server (the app's outbox retries on its own).
const CACHE = 'pointage-app';
const NAV_TIMEOUT_MS = 3000;
const NAMED = /["'](\/[^"'?#\s]+\.(?:js|wasm|css|svg|png|webmanifest))["']/g;

async function keepApp() {
  const res = await fetch('/', { cache: 'no-cache' });
  if (!res.ok) return;
  const html = await res.clone().text();
  const named = [...html.matchAll(NAMED)].map((m) => m[1]);
  // addAll refuses a file named twice.
  const files = [...new Set([...named, '/manifest.webmanifest', '/icon-192.png', '/icon-512.png', '/icon-maskable-512.png'])];
  const cache = await caches.open(CACHE);
  await cache.addAll(files);
  await cache.put('/', res);
  const keep = new Set(files.map((f) => new URL(f, location.origin).href));
  keep.add(new URL('/', location.origin).href);
  for (const req of await cache.keys()) {
    if (!keep.has(req.url)) await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepApp().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms));
}

async function page(event) {
  try {
    const res = await Promise.race([fetch(event.request), timeout(NAV_TIMEOUT_MS)]);
    if (res.ok) event.waitUntil(keepApp().catch(() => {}));
    return res;
  } catch {
    const cached = await caches.match('/');
    return cached ?? Response.error();
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(page(event));
    return;
  }
  event.respondWith(caches.match(req, { ignoreSearch: true }).then((hit) => hit ?? fetch(req)));
});

// Pointage's service worker: the app starts and runs with no network, and a
// new version never replaces the running one behind a volunteer's back.
//
// - CACHE holds the version in use: the page ('/') and every file it names
//   (hashed names: a file never changes under its name). Every screen is
//   that page, routed by the app, and it is served from CACHE at once, with
//   or without a network.
// - After each page load, the server's page is fetched in the background.
//   If it differs, the new version is fetched whole into NEXT (files first,
//   the page last, so a page never names a file its cache lacks), and the
//   open pages are told 'update-ready'. It is used only when the person taps
//   "Mettre à jour" (message 'apply-update'): nothing counted or typed is
//   lost, since every screen keeps its state on the phone.
// - The API is never cached: returns, receipts and results always go to the
//   server (the app's outbox retries on its own).
// - The deposit app (/deposer, its files under /public/) is another build,
//   kept apart in PUBLIC_CACHE, and only on a phone that opened it: a
//   bureau phone never downloads it otherwise, and a helper's phone that
//   opened /deposer never downloads the bureau app. Its page is taken from
//   the network first (it is always the newest when there is one) and from
//   PUBLIC_CACHE with no network, so a helper who walks out of coverage
//   still reads the bureau's QR codes; its files are kept as the page loads
//   them.
// - A table phone's app (/rejoindre and /table, its files under
//   /table-phone/) is a third build, kept the same way in TABLE_CACHE (its
//   page under /table), with the journal's worker it writes its count
//   through: a scrutateur's own phone never downloads the bureau app, and
//   counts with no network once it has opened the invitation.
// - The results page (/resultats) is written by the server and registers no
//   worker. On a phone that has one (a bureau phone), the last results page
//   the server sent is kept in RESULTS_CACHE, and opened with no network
//   with its "server out of reach, these figures may have changed" line
//   shown (the server writes it hidden: OFFLINE_LINE), rather than the
//   browser's error; its refresh script is kept beside it, so the page
//   takes the figures again by itself once the network is back.
const CACHE = 'pointage-app';
const NEXT = 'pointage-next';
const PUBLIC_CACHE = 'pointage-public';
const PUBLIC_PAGE = '/deposer';
const TABLE_CACHE = 'pointage-table';
const TABLE_PAGE = '/table';
const TABLE_FILES = '/table-phone/';
const RESULTS_CACHE = 'pointage-results';
const RESULTS_PAGE = '/resultats';
// Its refresh script (no hash in its name: always asked for first).
const RESULTS_SCRIPT = '/resultats.js';
const NAMED = /["'](\/[^"'?#\s]+\.(?:js|wasm|css|svg|png|webmanifest))["']/g;
const PUBLIC_PATH = /^\/deposer\/?$/;
const TABLE_PATH = /^\/(?:rejoindre|table)\/?$/;
const RESULTS_PATH = /^\/resultats\/?$/;
// The wall screen (/mur), written by the server like the results page: a
// projector's page, never kept here; the network's answer as it is.
const WALL_PATH = /^\/mur\/?$/;
// The results page's hidden "server out of reach" line (the server's
// results_page/view.rs writes it so, and its test checks it).
const OFFLINE_LINE = /(<p [^>]*id="offline"[^>]*) hidden>/;
const ALWAYS = ['/journal.js', '/manifest.webmanifest', '/icon-192.png', '/icon-512.png', '/icon-maskable-512.png'];
// The QR decoder worker is named by no page (the scanning screen starts it
// where the browser has no BarcodeDetector), and only a bureau's phone
// reads table sheets: not part of the first load, it is kept once the app
// says the phone is enrolled (message 'keep-scanner', which it sends at
// each start of an enrolled phone), and from then on with every version,
// so that the bureau reads table sheets offline. So is the paper PV's
// photo encoder (the photos screen's worker): only an enrolled bureau
// photographs its PV.
const SCANNER = ['/pointage-scan_loader.js', '/pointage-scan.js', '/pointage-scan_bg.wasm', '/photo-worker.js'];

/** Whether CACHE holds the QR decoder. */
async function scannerKept() {
  const cache = await caches.open(CACHE);
  for (const f of SCANNER) if (!(await cache.match(f))) return false;
  return true;
}

/** Keeps the QR decoder in CACHE, beside the bureau app (once it is kept). */
async function keepScanner() {
  const cache = await caches.open(CACHE);
  if (!(await cache.match('/')) || (await scannerKept())) return;
  await cache.addAll(SCANNER);
}

/**
 * Keeps the version whose page is `res` in cache `name` under `page`, and
 * drops what that page does not name. With `fetchFiles`, every file it
 * names is fetched into the cache first (else they are kept as the page
 * loads them).
 */
async function keep(name, res, { page = '/', always = ALWAYS, fetchFiles = true } = {}) {
  // A version of the bureau app: with the decoder, if the one in use has it.
  if (always === ALWAYS && (await scannerKept())) always = [...ALWAYS, ...SCANNER];
  const html = await res.clone().text();
  // addAll refuses a file named twice.
  const files = [...new Set([...[...html.matchAll(NAMED)].map((m) => m[1]), ...always])];
  const cache = await caches.open(name);
  if (fetchFiles) await cache.addAll(files);
  await cache.put(page, res);
  const wanted = new Set([...files, page].map((f) => new URL(f, location.origin).href));
  for (const req of await cache.keys()) {
    if (!wanted.has(req.url)) await cache.delete(req);
  }
}

/** Keeps the deposit page (`res`) in its cache of its own. */
function keepPublic(res, fetchFiles) {
  return keep(PUBLIC_CACHE, res, { page: PUBLIC_PAGE, always: [], fetchFiles });
}

/** A table phone's app (`res`), in its cache of its own. */
function keepTable(res, fetchFiles) {
  return keep(TABLE_CACHE, res, { page: TABLE_PAGE, always: ['/journal.js'], fetchFiles });
}

/** Which app a page at `path` is. */
function appOf(path) {
  if (PUBLIC_PATH.test(path)) return 'deposit';
  if (TABLE_PATH.test(path)) return 'table';
  if (RESULTS_PATH.test(path)) return 'results';
  return 'bureau';
}

/**
 * Which app the open pages (the one that registered this worker among
 * them) are: 'bureau' if any is the bureau app's (or none is open), else
 * 'table', 'deposit' or 'results', in that order.
 */
async function openedBy() {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const apps = new Set(pages.map((c) => appOf(new URL(c.url).pathname)));
  if (apps.size === 0) return 'bureau';
  return ['bureau', 'table', 'deposit', 'results'].find((app) => apps.has(app));
}

async function serverPage() {
  const res = await fetch('/', { cache: 'no-cache' });
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  return res;
}

async function tell(message) {
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    client.postMessage(message);
  }
}

/** Looks for a new version on the server; fetches it into NEXT if there is one. */
async function lookForUpdate() {
  const current = await (await caches.open(CACHE)).match('/');
  const res = await serverPage();
  const [now, then] = await Promise.all([res.clone().text(), current ? current.text() : '']);
  if (now === then) {
    await caches.delete(NEXT);
    return;
  }
  await keep(NEXT, res);
  await tell('update-ready');
}

async function updateReady() {
  return Boolean(await (await caches.open(NEXT)).match('/'));
}

/** Makes NEXT the version in use. */
async function applyUpdate() {
  const next = await caches.open(NEXT);
  const page = await next.match('/');
  if (!page) return;
  const cache = await caches.open(CACHE);
  const reqs = await next.keys();
  for (const req of reqs) {
    if (new URL(req.url).pathname !== '/') await cache.put(req, await next.match(req));
  }
  await cache.put('/', page);
  const wanted = new Set(reqs.map((r) => r.url));
  for (const req of await cache.keys()) {
    if (!wanted.has(req.url)) await cache.delete(req);
  }
  await caches.delete(NEXT);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const by = await openedBy();
      if (by === 'deposit') {
        const res = await fetch(PUBLIC_PAGE, { cache: 'no-cache' });
        if (res.ok) await keepPublic(res, true);
      } else if (by === 'table') {
        const res = await fetch(TABLE_PAGE, { cache: 'no-cache' });
        if (res.ok) await keepTable(res, true);
      } else if (by === 'bureau' && !(await caches.match('/', { cacheName: CACHE }))) {
        await keep(CACHE, await serverPage());
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // The results page and its script alone: an older version kept a
      // results app's files there too.
      const results = await caches.open(RESULTS_CACHE);
      for (const req of await results.keys()) {
        const path = new URL(req.url).pathname;
        if (path !== RESULTS_PAGE && path !== RESULTS_SCRIPT) await results.delete(req);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const reply = (m) => event.source && event.source.postMessage(m);
  if (event.data === 'is-update-ready') {
    event.waitUntil(updateReady().then((ready) => ready && reply('update-ready')));
  } else if (event.data === 'keep-scanner') {
    event.waitUntil(keepScanner().catch(() => {}));
  } else if (event.data === 'apply-update') {
    event.waitUntil(applyUpdate().then(() => reply('update-applied')));
  }
});

async function page(event) {
  const cached = await caches.match('/', { cacheName: CACHE });
  if (cached) {
    event.waitUntil(lookForUpdate().catch(() => {}));
    return cached;
  }
  // Installed by the public app: the bureau app is kept the first time it
  // is opened.
  const res = await fetch(event.request);
  if (res.ok) event.waitUntil(keep(CACHE, res.clone()).catch(() => {}));
  return res;
}

/**
 * `event`'s answer from the network, kept by `keepCopy` when it is good;
 * with no network, `page` from `cacheName`, as `offlineCopy` makes it.
 */
async function networkElseKept(event, cacheName, page, keepCopy, offlineCopy = (kept) => kept) {
  try {
    const res = await fetch(event.request);
    if (res.ok) event.waitUntil(keepCopy(res.clone()).catch(() => {}));
    return res;
  } catch (offline) {
    const kept = await caches.match(page, { cacheName });
    if (!kept) throw offline;
    return offlineCopy(kept);
  }
}

/** The deposit page: from the network, else from its cache. */
function publicPage(event) {
  return networkElseKept(event, PUBLIC_CACHE, PUBLIC_PAGE, (res) => keepPublic(res, false));
}

/** A table phone's page: from the network, else from its cache. */
function tablePage(event) {
  return networkElseKept(event, TABLE_CACHE, TABLE_PAGE, (res) => keepTable(res, false));
}

/** Keeps `res` in RESULTS_CACHE under `key`. */
function keepResults(key) {
  return (res) => caches.open(RESULTS_CACHE).then((c) => c.put(key, res));
}

/** The results page's script: from the network, else the copy kept. */
function resultsScript(event) {
  return networkElseKept(event, RESULTS_CACHE, RESULTS_SCRIPT, keepResults(RESULTS_SCRIPT));
}

/**
 * The results page: from the network (the last one sent is kept); with
 * none, the last one kept, its "out of reach" line shown. Its stylesheet
 * is the bureau app's, which this phone keeps.
 */
function resultsPage(event) {
  return networkElseKept(event, RESULTS_CACHE, RESULTS_PAGE, keepResults(RESULTS_PAGE), async (kept) => {
    const html = (await kept.text()).replace(OFFLINE_LINE, '$1>');
    const headers = { 'content-type': 'text/html; charset=utf-8' };
    const policy = kept.headers.get('content-security-policy');
    if (policy) headers['content-security-policy'] = policy;
    return new Response(html, { headers });
  });
}

/** A file: from a cache, else from the network (a public file is then kept). */
async function file(req, url) {
  const hit = await caches.match(req, { ignoreSearch: true });
  if (hit) return hit;
  const res = await fetch(req);
  const cacheName = url.pathname.startsWith('/public/')
    ? PUBLIC_CACHE
    : url.pathname.startsWith(TABLE_FILES) ? TABLE_CACHE : null;
  if (res.ok && cacheName) {
    const copy = res.clone();
    caches.open(cacheName).then((c) => c.put(url.pathname, copy)).catch(() => {});
  }
  return res;
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  if (WALL_PATH.test(url.pathname)) return;
  if (req.mode === 'navigate') {
    if (PUBLIC_PATH.test(url.pathname)) event.respondWith(publicPage(event));
    else if (TABLE_PATH.test(url.pathname)) event.respondWith(tablePage(event));
    else if (RESULTS_PATH.test(url.pathname)) event.respondWith(resultsPage(event));
    else event.respondWith(page(event));
    return;
  }
  // Not from a cache first, as the files named by a hash are.
  if (url.pathname === RESULTS_SCRIPT) {
    event.respondWith(resultsScript(event));
    return;
  }
  event.respondWith(file(req, url));
});

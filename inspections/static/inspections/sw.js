// Service worker of the filing page: keeps the page and its assets so it opens without a
// connection. Network first (fresh CSRF token and plans when online), cache when offline.
// Only GET requests of the filing page and static files are touched; the API never is.
// At log-out the page asks it to drop every cache (the cached page holds the user's plans).
const CACHE = "fupin-filing-v2";
const PAGE = "/inspections/file/";
const ASSETS = [
  "/static/css/app.css", "/static/js/app.js", "/static/js/drafts.js", "/static/inspections/file.js",
  "/static/inspections/file.css",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll([PAGE, ...ASSETS]).catch(() => undefined)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  const isPage = url.pathname === PAGE;
  if (!isPage && !ASSETS.includes(url.pathname)) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(isPage ? PAGE : event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(isPage ? PAGE : event.request)),
  );
});

self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "logout") return;
  const done = caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k))));
  event.waitUntil(done.then(() => event.ports[0] && event.ports[0].postMessage("cleared")));
});

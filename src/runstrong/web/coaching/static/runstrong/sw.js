// runstrong's service worker: the athlete's pages for a gym without signal.
//
// CONFIG comes in front of this file (views/offline.py): the version, the static assets to
// keep, and the Today and login paths. The session page tells the worker which pages to keep
// (Today, today's and the next sessions, the ones still to log late); those are fetched from
// the network first and answered from the phone when there is no connection. Taps are not
// handled here: the page queues them itself and sends them with their Idempotency-Key.
/* global CONFIG */
"use strict";

const STATIC = "runstrong-static-" + CONFIG.version;
const PAGES = "runstrong-pages";
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC)
      .then(function (cache) { return cache.addAll(CONFIG.assets); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("runstrong-static-") === 0 && name !== STATIC;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function signedOut(response) {
  return response.redirected && new URL(response.url).pathname === CONFIG.login;
}

// Which version of each kept page the phone holds (see phone.py `offline_pages`).
const KEPT = new URL("/__runstrong-kept__", self.location).href;

// Keep exactly these pages: fetch the ones missing or changed, drop the ones no longer listed.
// The page asking has just come from the network (or from here), so it is current as it is.
async function keep(pages, current) {
  const cache = await caches.open(PAGES);
  const stored = await cache.match(KEPT);
  const versions = stored ? await stored.json() : {};
  const wanted = {};
  pages.forEach(function (page) { wanted[new URL(page.url, self.location).href] = page.version; });
  for (const request of await cache.keys()) {
    if (request.url !== KEPT && !(request.url in wanted)) await cache.delete(request);
  }
  const here = new URL(current || "/", self.location).href;
  const now = {};
  for (const url of Object.keys(wanted)) {
    const have = await cache.match(url);
    if (have && (versions[url] === wanted[url] || url === here)) {
      now[url] = wanted[url];
      continue;
    }
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (signedOut(response)) return caches.delete(PAGES);
      if (response.ok) {
        await cache.put(url, response);
        now[url] = wanted[url];
      }
    } catch (error) {
      if (have) now[url] = versions[url]; // offline now: the copy kept earlier stays
    }
  }
  await cache.put(KEPT, new Response(JSON.stringify(now), {
    headers: { "Content-Type": "application/json" },
  }));
}

self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.pages)) {
    event.waitUntil(keep(data.pages, data.current));
  }
  // A page that loaded while this worker was still installing asks to be controlled.
  if (data.type === "claim") event.waitUntil(self.clients.claim());
});

function offlinePage(back) {
  const link = back ? '<p><a href="' + back + '">Back to the page</a></p>' : "";
  const body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Offline · runstrong</title></head>" +
    '<body style="font: 17px/1.45 system-ui, sans-serif; margin: 24px;">' +
    "<h1>No connection</h1><p>This page is not kept on the phone. Today and your next " +
    'sessions are: <a href="' + CONFIG.today + '">open Today</a>.</p>' + link +
    "</body></html>";
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    const timer = setTimeout(function () { reject(new Error("slow network")); }, ms);
    promise.then(
      function (value) { clearTimeout(timer); resolve(value); },
      function (error) { clearTimeout(timer); reject(error); }
    );
  });
}

// A page: from the network (refreshing the kept copy), else the kept copy, else a note.
async function page(request) {
  const cache = await caches.open(PAGES);
  const kept = await cache.match(request.url);
  const network = fetch(request);
  try {
    // Lie-fi in a gym basement: with a kept copy, wait a few seconds at most.
    const response = await (kept ? withTimeout(network, NETWORK_WAIT_MS) : network);
    if (signedOut(response)) {
      await caches.delete(PAGES);
    } else if (kept && response.ok) {
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (error) {
    if (kept) {
      // Let the slow answer still refresh the copy when it comes.
      network.then(function (late) {
        if (late.ok && !signedOut(late)) cache.put(request.url, late);
      }).catch(function () {});
      return kept;
    }
    return offlinePage(request.referrer);
  }
}

async function asset(request) {
  const kept = await caches.match(request, { cacheName: STATIC });
  return kept || fetch(request);
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.login) {
    // Signed out (or about to sign in as someone else): the kept pages were the last person's.
    event.respondWith(caches.delete(PAGES).then(function () { return fetch(request); })
      .catch(function () { return offlinePage(request.referrer); }));
  } else if (request.mode === "navigate" && request.method === "GET") {
    event.respondWith(page(request));
  } else if (request.mode === "navigate") {
    // A form posted without a connection (JavaScript off): a note, not the browser's error.
    event.respondWith(fetch(request).catch(function () { return offlinePage(request.referrer); }));
  } else if (request.method === "GET" && CONFIG.assets.indexOf(url.pathname) >= 0) {
    event.respondWith(asset(request));
  }
});

// calfcoach's service worker: the app shell and this week's pages from a cache when the
// network is gone, and the sets logged offline sent by Background Sync when it is back.
// A small worker of our own rather than Workbox: it needs three strategies (cache-first for
// static files, network-first for pages, none for the API) and one sync handler, about a
// hundred lines that read top to bottom, with nothing to vendor and keep up to date.
"use strict";
importScripts("/static/offline-queue.js");

// A new name on every change of a file in SHELL: the shell is served cache-first, so a phone
// keeps the old app.js until the worker installs again, which a change of this file starts
// (v2: the Today page hides "Log the whole session" once every set waits or is stored; v3:
// waiting items and kept pages belong to the account signed in, issue 13; v4: the notes of
// a Background Sync reach the page, offline-queue.js's describe; v5: an unreadable box logs
// nothing, a decimal comma is a point, a double tap logs one set, the browser's time zone,
// tables scroll in their own box on a 320 px phone, a hold can be stopped, the first-run
// unit selects follow Units).
var CACHE = "calfcoach-v5";
// The pages kept for offline use, apart from the shell: they are one account's diary, and
// the page deletes them when another account (or nobody) is signed in on this phone.
var PAGES = "calfcoach-pages";
var SHELL = [
  "/static/app.css",
  "/static/app.js",
  "/static/offline-queue.js",
  "/static/favicon.svg",
  "/static/icon-192.png",
  "/static/icon-512.png",
  "/static/icons.svg",
  "/manifest.webmanifest"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE && n !== PAGES; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page asks for this week's pages to be kept (it knows the athlete and the week).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "cache-pages" || !Array.isArray(data.urls)) { return; }
  // redirect "manual": a page that now redirects (the session ended, so to /signin) is not
  // followed. Following it rendered the sign-in page in the background, whose fresh CSRF
  // cookie replaced the one of the sign-in form on screen ("the form has expired").
  event.waitUntil(caches.open(PAGES).then(function (cache) {
    return Promise.all(data.urls.map(function (url) {
      return fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
        if (response.ok && response.type === "basic" && !response.redirected) {
          return cache.put(url, response).then(function () { return 1; });
        }
        return 0;
      }).catch(function () { return 0; /* offline now: keep what is cached */ });
    }));
  }).then(function (kept) {
    // Tell the page how many pages it can now open offline.
    var total = kept.reduce(function (a, b) { return a + b; }, 0);
    if (event.source) { event.source.postMessage({ type: "pages-kept", id: data.id, count: total }); }
  }));
});

// The page's address without the one-off "logged" marker, so a page reloaded after a log
// finds the copy cached without it.
function pageKey(url) {
  var parsed = new URL(url);
  parsed.searchParams.delete("logged");
  parsed.hash = "";
  return parsed.toString();
}

var NAMES = { "/today": "Today", "/week": "Week", "/checkin": "Check-in" };

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
  });
}

// The page for an address not kept on this phone: links to the pages that are (each with
// its athlete and day, as kept), so none of them leads back here (issue 13).
function offlinePage() {
  return caches.open(PAGES).then(function (cache) { return cache.keys(); }).then(function (keys) {
    var links = [];
    keys.forEach(function (request) {
      var url = new URL(request.url);
      var name = NAMES[url.pathname];
      if (!name) { return; }
      var athlete = url.searchParams.get("athlete");
      var day = url.searchParams.get("date");
      var text = name + (day ? " " + day : "") + (athlete ? " (" + athlete + ")" : "");
      links.push({ day: day || "", text: text, href: url.pathname + url.search });
    });
    links.sort(function (a, b) { return a.day < b.day ? -1 : a.day > b.day ? 1 : 0; });
    var body = links.length
      ? "<p>This page was not saved on this phone. These open offline:</p><ul>" +
        links.map(function (l) {
          return "<li><a href=\"" + escapeHtml(l.href) + "\">" + escapeHtml(l.text) + "</a></li>";
        }).join("") + "</ul>"
      : "<p>This page was not saved on this phone, and no page is: open Today once online " +
        "and it is kept for offline use.</p>";
    return new Response("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
      "<title>Offline · calfcoach</title><link rel=\"stylesheet\" href=\"/static/app.css\">" +
      "<main id=\"main\"><h1>Offline</h1>" + body + "</main></html>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

// A form posted with no network (undo, "Log the whole session", a check-in on a connection
// that only looked alive): a page that says so, rather than the browser's error page.
function notSentPage(referrer) {
  var back = "";
  try {
    var from = new URL(referrer);
    if (from.origin === self.location.origin) {
      back = " <a href=\"" + escapeHtml(from.pathname + from.search) + "\">Back</a>";
    }
  } catch (e) { back = ""; }
  return new Response("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>Not sent · calfcoach</title><link rel=\"stylesheet\" href=\"/static/app.css\">" +
    "<main id=\"main\"><h1>Not sent: no connection</h1><p>This needs a connection and " +
    "nothing was changed. Try again once online." + back + "</p></main></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method === "POST" && request.mode === "navigate" && url.origin === self.location.origin) {
    event.respondWith(fetch(request).catch(function () { return notSentPage(request.referrer); }));
    return;
  }
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/api/") === 0 || url.pathname === "/sw.js") { return; }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname === "/manifest.webmanifest") {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (request.mode !== "navigate") { return; }
  var key = pageKey(request.url);
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(key); }).then(function (hit) {
      return hit || offlinePage();
    });
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag !== self.CalfQueue.SYNC_TAG) { return; }
  event.waitUntil(self.CalfQueue.flush().then(function (outcome) {
    var changed = outcome.sent.length + outcome.refused.length;
    var notes = self.CalfQueue.describe(outcome);
    var told = self.clients.matchAll({ type: "window" }).then(function (windows) {
      // The open pages reload and say what was stored (a check-in's zone, anything refused);
      // with none open, the next page to open says it.
      windows.forEach(function (w) { w.postMessage({ type: "synced", outcome: changed, notes: notes }); });
      if (!windows.length && notes.length) { return self.CalfQueue.keepNote(notes.join(" ")); }
    });
    return told.then(function () {
      if (outcome.left) { throw new Error("still offline"); } // the browser retries later
    });
  }));
});

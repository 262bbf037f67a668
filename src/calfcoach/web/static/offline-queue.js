// Sets waiting to be sent: an IndexedDB store shared by the pages (app.js) and the service
// worker (sw.js, for Background Sync). Each item is one set under the UUID made when it was
// tapped; the server stores a UUID once (PUT /api/v1/sets/{uuid}), so sending an item twice
// (the page and the worker both flushing, or a reply lost on a bad network) is harmless.
(function (scope) {
  "use strict";
  var DB_NAME = "calfcoach";
  var STORE = "pending-sets";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function add(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function all() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.order - b.order; });
    });
  }
  function remove(id) { return run("readwrite", function (s) { return s.delete(id); }); }

  // Send every waiting set, oldest first; stop at the first network failure (still offline).
  // Resolves to {sent: [{item, reply}], refused: [{item, message}], left: n}.
  var flushing = null;
  function flush() {
    if (flushing) { return flushing; }
    var outcome = { sent: [], refused: [], left: 0 };
    flushing = all().then(function (items) {
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (online) {
          if (!online) { outcome.left += 1; return false; }
          return scope.fetch(item.url, {
            method: "PUT",
            headers: { "Content-Type": "application/json", "Accept": "application/json" },
            body: JSON.stringify(item.body),
            credentials: "same-origin"
          }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (reply) {
              if (response.ok) {
                outcome.sent.push({ item: item, reply: reply });
                return remove(item.id).then(function () { return true; });
              }
              if (response.status >= 500 || response.status === 401 || response.status === 429) {
                outcome.left += 1; // try again later; nothing is dropped
                return false;
              }
              // Refused for good (e.g. the exercise left the catalog): say so, keep nothing.
              var message = (reply.error && reply.error.message) || ("HTTP " + response.status);
              outcome.refused.push({ item: item, message: message });
              return remove(item.id).then(function () { return true; });
            });
          }, function () { outcome.left += 1; return false; });
        });
      });
      return chain;
    }).then(function () { flushing = null; return outcome; },
            function (error) { flushing = null; throw error; });
    return flushing;
  }

  scope.CalfQueue = { add: add, all: all, remove: remove, flush: flush, SYNC_TAG: "calfcoach-sets" };
})(self);

// What waits to be sent: an IndexedDB store shared by the pages (app.js) and the service
// worker (sw.js, for Background Sync). Each item is one set under the UUID made when it was
// tapped; the server stores a UUID once (PUT /api/v1/sets/{uuid}), so sending an item twice
// (the page and the worker both flushing, or a reply lost on a bad network) is harmless. A
// check-in saved offline waits here too (POST /api/v1/checkins): the server keeps one a day,
// so sending it twice stores it once.
//
// Each item belongs to the account that made it (item.account, from the page's
// data-account), and the store knows the account now signed in on this phone (the "meta"
// store, written by each page): only that account's items are sent or shown. On a shared
// phone a set logged by one runner waits while another is signed in, and is sent under its
// own account when that one signs in again (issue 13).
(function (scope) {
  "use strict";
  var DB_NAME = "calfcoach";
  var STORE = "pending-sets";
  var META = "meta";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 2);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(STORE)) { db.createObjectStore(STORE, { keyPath: "id" }); }
        if (!db.objectStoreNames.contains(META)) { db.createObjectStore(META); }
      };
      request.onsuccess = function () {
        request.result.onversionchange = function () { request.result.close(); };
        resolve(request.result);
      };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work, store) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store || STORE, mode);
        var request = work(tx.objectStore(store || STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function add(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function everything() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.order - b.order; });
    });
  }
  function remove(id) { return run("readwrite", function (s) { return s.delete(id); }); }

  // The account signed in on this phone now ("" once signed out); null before any page said.
  function account() {
    return run("readonly", function (s) { return s.get("account"); }, META).then(function (found) {
      return found === undefined ? null : found;
    });
  }
  function setAccount(name) {
    return run("readwrite", function (s) { return s.put(name, "account"); }, META);
  }
  // An item made before items named their account (an older app.js) is taken as the
  // signed-in account's: the phone's one user until then.
  function mine(item, current) {
    return item.account === undefined ? current !== "" : item.account === current;
  }
  // The signed-in account's items, oldest first.
  function all() {
    return Promise.all([everything(), account()]).then(function (found) {
      return found[0].filter(function (item) { return mine(item, found[1]); });
    });
  }

  // Send the signed-in account's waiting items, oldest first; stop at the first network
  // failure (still offline). Resolves to {sent: [{item, reply}], refused: [{item, message}],
  // left: n}; another account's items are neither sent nor counted.
  var flushing = null;
  function flush() {
    if (flushing) { return flushing; }
    var outcome = { sent: [], refused: [], left: 0 };
    flushing = all().then(function (items) {
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (online) {
          if (!online) { outcome.left += 1; return false; }
          var headers = { "Content-Type": "application/json", "Accept": "application/json" };
          if (item.account) { headers["X-Calfcoach-Account"] = item.account; }
          return scope.fetch(item.url, {
            method: item.method || "PUT",
            headers: headers,
            body: JSON.stringify(item.body),
            credentials: "same-origin"
          }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (reply) {
              if (response.ok) {
                outcome.sent.push({ item: item, reply: reply });
                return remove(item.id).then(function () { return true; });
              }
              // 409: the phone is signed in as someone else now; 401: signed out.
              if (response.status >= 500 || response.status === 401 || response.status === 409 ||
                  response.status === 429) {
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

  // What a flush's outcome tells the runner, one sentence an item that needs one (a check-in
  // stored with its zone, a set another device's later edit kept out, an edit that replaced
  // another, anything refused). Here, not in app.js: the worker's Background Sync sends the
  // queue too, and the page it wakes must say the same as after its own flush.
  function describe(outcome) {
    var notes = [];
    outcome.sent.forEach(function (s) {
      if (s.item.kind === "checkin") {
        notes.push(s.item.label + ": stored" + (s.reply.zone ? " (" + s.reply.zone + " zone" +
          (s.reply.advice ? ": " + s.reply.advice : "") + ")" : "") + ".");
      } else if (s.reply.outcome === "kept_newer") {
        notes.push(s.item.exercise + ": a later edit of this set from another device was kept; yours (" + s.item.label + ") was not stored.");
      } else if (s.reply.outcome === "updated" && s.reply.other) {
        notes.push(s.item.exercise + ": your edit replaced an earlier one (" + s.reply.other.reps + " × " + s.reply.other.load_kg + " kg).");
      }
    });
    outcome.refused.forEach(function (r) {
      notes.push("Not stored: " + (r.item.kind === "checkin" ? "" : r.item.exercise + " ") +
        r.item.label + ": " + r.message);
    });
    return notes;
  }

  // A note the worker could give no open page (it synced with none open): kept in the meta
  // store, under the account whose items it sent, until that account's next page shows it
  // (takeNote reads and forgets it). On a shared phone nobody else reads it.
  function keepNote(text) {
    return account().then(function (current) {
      return run("readwrite", function (s) {
        return s.put({ account: current, text: text }, "note");
      }, META);
    });
  }
  function takeNote(current) {
    return run("readonly", function (s) { return s.get("note"); }, META).then(function (kept) {
      if (!kept || current === null || kept.account !== current) { return ""; }
      return run("readwrite", function (s) { return s.delete("note"); }, META).then(function () {
        return kept.text;
      });
    });
  }

  scope.CalfQueue = {
    add: add, all: all, remove: remove, flush: flush, account: account, setAccount: setAccount,
    describe: describe, keepNote: keepNote, takeNote: takeNote, SYNC_TAG: "calfcoach-sets"
  };
})(self);

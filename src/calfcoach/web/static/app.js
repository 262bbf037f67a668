// Progressive enhancement for calfcoach's pages. Everything works without it: forms POST
// and the page reloads. With it:
// - the app installs and opens offline (sw.js keeps the shell and this week's pages);
// - a tapped set gets a UUID, waits in IndexedDB (offline-queue.js) shown as "waiting to
//   sync", and is sent with PUT /api/v1/sets/{uuid} now or when the network returns;
// - steppers move through the loads the server lists for the athlete's equipment;
// - holds count down (3-2-1, then the seconds, a beep and a vibration), a side at a time;
// - a rest timer that outlives pages and reloads (its end time is in localStorage);
// - undo keeps the place on the page; an optional tempo metronome;
// - a check-in saved offline waits like a set; undo and "Log the whole session" offline say
//   they need a connection rather than leaving for the browser's error page;
// - what the phone keeps (pages, waiting items, the rest timer) is the signed-in account's:
//   another account, or signing out, does not find it (issue 13).
(function () {
  "use strict";
  var REST_KEY = "calfcoach-rest";
  var NOTE_KEY = "calfcoach-note";
  var SCROLL_KEY = "calfcoach-scroll";
  var PAGES = "calfcoach-pages"; // the service worker's cache of pages (sw.js)

  // Who is signed in, as the page says ("" on the sign-in page); null on a page that does
  // not say (then nothing is cleared or claimed).
  function currentAccount() {
    return document.body ? document.body.getAttribute("data-account") : null;
  }

  // ------------------------------------------------------------------ sound and vibration
  var audio = null;
  function unlockAudio() { // browsers start audio only after a tap
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) { audio = new Context(); }
    if (audio && audio.state === "suspended") { audio.resume(); }
  }
  function beep(length, pitch) {
    if (audio) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = pitch || 880;
      gain.gain.value = 0.2;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + (length || 0.25));
    }
  }
  function alarm() {
    beep(0.4, 880);
    if (navigator.vibrate) { navigator.vibrate([200, 100, 200]); }
  }

  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  // ------------------------------------------------------------------ rest timer
  function startRest(seconds, label) {
    if (!seconds) { return; }
    localStorage.setItem(REST_KEY, JSON.stringify({
      ends: Date.now() + seconds * 1000, label: label, account: currentAccount()
    }));
    showRest();
  }
  var restTick = null;
  function showRest() {
    var bar = document.getElementById("rest-bar");
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(REST_KEY) || "null"); } catch (e) { saved = null; }
    if (saved && currentAccount() !== null && (saved.account || null) !== currentAccount()) {
      localStorage.removeItem(REST_KEY); // another runner's rest, on a shared phone
      saved = null;
    }
    if (!bar || !saved) { return; }
    if (restTick) { window.clearTimeout(restTick); }
    bar.hidden = false;
    bar.textContent = "";
    var text = document.createElement("span");
    var skip = document.createElement("button");
    skip.type = "button"; skip.className = "link-button"; skip.textContent = "skip";
    skip.setAttribute("aria-label", "Skip the rest");
    skip.addEventListener("click", function () {
      localStorage.removeItem(REST_KEY); bar.hidden = true; window.clearTimeout(restTick);
    });
    bar.appendChild(text); bar.appendChild(skip);
    function tick() {
      var left = (saved.ends - Date.now()) / 1000;
      if (left > 0) {
        text.textContent = "Rest " + clock(left) + " · " + saved.label;
        restTick = window.setTimeout(tick, 250);
        return;
      }
      localStorage.removeItem(REST_KEY);
      bar.classList.add("over");
      text.textContent = "Rest over: next set";
      if (left > -3) { alarm(); } // not for a timer that ran out while no page was open
      restTick = window.setTimeout(function () { bar.hidden = true; bar.classList.remove("over"); }, 8000);
    }
    tick();
  }

  // ------------------------------------------------------------------ steppers
  function addSteppers(input) {
    var loads = input.hasAttribute("data-loads") ? JSON.parse(input.getAttribute("data-loads")) : null;
    var step = parseFloat(input.getAttribute("data-step") || "1");
    var label = document.querySelector('label[for="' + input.id + '"]');
    var name = label ? label.textContent.trim() : input.name;
    var wrap = document.createElement("span");
    wrap.className = "stepper";
    input.parentNode.insertBefore(wrap, input);
    function next(direction) {
      var value = number(input.value) || 0;
      if (loads && loads.length) { // the next load that can be built, not value ± a fixed step
        var found = direction > 0
          ? loads.filter(function (l) { return l > value + 1e-6; })[0]
          : loads.filter(function (l) { return l < value - 1e-6; }).pop();
        return found === undefined ? value : found;
      }
      return Math.max(parseFloat(input.min || "0"), Math.round((value + direction * step) * 10) / 10);
    }
    [["−", -1, "less"], ["+", 1, "more"]].forEach(function (spec, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "step";
      button.textContent = spec[0];
      button.setAttribute("aria-label", spec[2] + " " + name);
      button.addEventListener("click", function () {
        input.value = String(next(spec[1]));
        input.dispatchEvent(new Event("change"));
      });
      wrap.appendChild(button);
      if (index === 0) { wrap.appendChild(input); }
    });
  }

  // ------------------------------------------------------------------ logging through the queue
  // A typed number, a decimal comma taken as a point (a phone's decimal keypad gives "22,5"
  // in much of Europe; a number box read it as 225); NaN for anything else, and for a comma
  // before exactly three digits ("1,000": a thousands separator or a decimal? not guessed).
  function number(text) {
    var t = String(text === null || text === undefined ? "" : text).trim();
    if (!/^[0-9]+(\.[0-9]+|,[0-9]+)?$/.test(t) || /,[0-9]{3}$/.test(t)) { return NaN; }
    return parseFloat(t.replace(",", "."));
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16)); // plain http on a LAN has no randomUUID
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function setsFromForm(form, holdSeconds, sides) {
    var card = form.closest("article.card");
    var data = new FormData(form);
    var imperial = card.getAttribute("data-units") === "imperial";
    var load = number(data.get("load")) || 0;
    var loadKg = Math.round((imperial ? load * 0.45359237 : load) * 100) / 100;
    var rpe = data.get("rpe") ? parseFloat(data.get("rpe")) : null;
    var hold = holdSeconds || (data.get("hold_s") ? parseInt(data.get("hold_s"), 10) : null);
    var athlete = new URL(form.action, location.href).searchParams.get("athlete");
    var perSide = card.hasAttribute("data-per-side");
    var order = Date.now();
    return (sides || (perSide ? ["left", "right"] : [null])).map(function (side, n) {
      var id = uuid();
      return {
        id: id,
        order: order + n,
        account: currentAccount() === null ? undefined : currentAccount(),
        url: "/api/v1/sets/" + id + (athlete ? "?athlete=" + encodeURIComponent(athlete) : ""),
        exercise: data.get("exercise"),
        day: data.get("date"),
        // What the fields said, to pre-fill the next set after a reload (in the page's units).
        fields: { reps: data.get("reps"), load: data.get("load"), rpe: data.get("rpe"), hold_s: hold },
        label: (side ? "(" + side + ") " : "") +
          (hold ? hold + " s hold" : (data.get("reps") + " × " + (load ? load + (imperial ? " lb" : " kg") : "body weight"))) +
          (rpe ? ", RPE " + rpe : ""),
        body: {
          date: data.get("date"), exercise: data.get("exercise"),
          reps: parseInt(data.get("reps") || "0", 10), load_kg: loadKg, rpe: rpe,
          side: side, hold_s: hold, client_updated_at: new Date().toISOString()
        }
      };
    });
  }

  // The next set starts from the one just logged (the page did so for sets it knows): after a
  // reload, the fields are as the page rendered them and take the waiting set's values. A
  // field the runner has changed since is theirs: the set being stored (slowly, on a busy
  // phone) must not put back the reps they have just typed for the next one.
  function untouched(field) {
    if (field.tagName === "SELECT") {
      // The option the page marked selected, else the first (what a browser shows then).
      var marked = Array.prototype.filter.call(field.options, function (o) { return o.defaultSelected; });
      var shown = marked.length ? marked[0] : field.options[0];
      return !shown || field.value === shown.value;
    }
    return field.value === field.defaultValue;
  }

  function prefill(card, fields) {
    Object.keys(fields).forEach(function (name) {
      var field = card.querySelector('.log-form [name="' + name + '"]');
      if (field && field.type !== "hidden" && fields[name] !== null && fields[name] !== undefined &&
          untouched(field)) {
        field.value = String(fields[name]);
      }
    });
  }

  function showPending() {
    if (!window.CalfQueue) { return Promise.resolve([]); }
    return CalfQueue.all().then(function (items) {
      document.querySelectorAll("li.pending").forEach(function (li) { li.remove(); });
      var last = {}; // each card's last waiting set, whose values the next set starts from
      var checkins = document.querySelector("ul.pending-checkins");
      if (checkins) { checkins.hidden = true; }
      items.forEach(function (item) {
        if (item.kind === "checkin") {
          if (checkins) { checkins.appendChild(pendingItem(item)); checkins.hidden = false; }
          return;
        }
        var card = document.getElementById(item.exercise);
        var form = card && card.querySelector(".log-form input[name=date]");
        if (!card || !form || form.value !== item.day) { return; }
        card.querySelector("ol.logged").appendChild(pendingItem(item));
        last[item.exercise] = { card: card, fields: item.fields || {} };
      });
      Object.keys(last).forEach(function (id) { prefill(last[id].card, last[id].fields); });
      var cards = document.querySelectorAll("article.card");
      var unfinished = 0;
      cards.forEach(function (card) {
        var waiting = card.querySelectorAll("li.pending").length;
        var sides = card.hasAttribute("data-per-side") ? 2 : 1;
        var done = parseInt(card.getAttribute("data-done") || "0", 10) + Math.ceil(waiting / sides);
        var total = parseInt(card.getAttribute("data-sets") || "0", 10);
        if (done < total) { unfinished += 1; }
        var button = card.querySelector("button.log");
        if (button) {
          button.textContent = done >= total ? "Log an extra set" : "Log set " + (done + 1) + " of " + total;
          button.classList.toggle("secondary", done >= total);
        }
      });
      // Every prescribed set logged or waiting to sync: nothing is left to log as prescribed
      // (the server leaves the button out of a page whose sets are all stored).
      var logAll = document.querySelector(".log-all-form");
      if (logAll && cards.length) { logAll.hidden = unfinished === 0; }
      return items;
    });
  }

  // A waiting item as the page lists it, with a button that takes it back before it is sent.
  function pendingItem(item) {
    var li = document.createElement("li");
    li.className = "pending";
    li.appendChild(document.createTextNode(item.label + " — waiting to sync "));
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link-button";
    remove.textContent = "remove";
    remove.setAttribute("aria-label", "Remove " + (item.kind === "checkin" ? "the waiting " : "the waiting set ") + item.label);
    remove.addEventListener("click", function () {
      remove.disabled = true;
      CalfQueue.remove(item.id).then(showPending, showPending);
    });
    li.appendChild(remove);
    return li;
  }

  function note(text) {
    var box = document.getElementById("sync-note");
    if (box && text) { box.textContent = text; box.hidden = false; }
  }

  // Set once the page starts to leave (a tap on another page's link): a log acknowledged
  // after that must not reload this page, which would cancel the runner's navigation.
  var leaving = false;
  window.addEventListener("beforeunload", function () { leaving = true; });
  window.addEventListener("pageshow", function () { leaving = false; }); // back from the cache

  function reloadKeepingPlace() {
    if (leaving) { return; } // the next page shows the stored set anyway
    sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ path: location.pathname + location.search, y: window.scrollY }));
    location.reload();
  }

  // Send what waits; when something was stored, show the day as the server has it now.
  function flush() {
    if (!window.CalfQueue) { return Promise.resolve(); }
    return CalfQueue.flush().then(function (outcome) {
      var notes = CalfQueue.describe(outcome);
      if (notes.length) { sessionStorage.setItem(NOTE_KEY, notes.join(" ")); }
      if (outcome.sent.length || outcome.refused.length) { reloadKeepingPlace(); }
      else { showPending(); }
    }).catch(function () { showPending(); });
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register(CalfQueue.SYNC_TAG); }
    }).catch(function () { /* no Background Sync: the online event and next load send it */ });
  }

  function queueSets(form, holdSeconds, sides) {
    var card = form.closest("article.card");
    var items = setsFromForm(form, holdSeconds, sides);
    var saved = items.reduce(function (chain, item) {
      return chain.then(function () { return CalfQueue.add(item); });
    }, Promise.resolve());
    return saved.then(showPending).then(function () {
      startRest(parseInt(card.getAttribute("data-rest-s") || "0", 10), card.getAttribute("data-name"));
      if (navigator.onLine) { return flush(); }
      askForSync();
    });
  }

  // A number box the browser could not read ("22,5" where a point is wanted: its value is
  // then empty) or left empty is refused here, as the plain form post refuses it: read as 0,
  // it logged a set of 0 reps at body weight (a trial's finding). Reported beside the box.
  function unreadable(form) {
    var boxes = form.querySelectorAll('input[type="number"], input[name="load"]');
    for (var i = 0; i < boxes.length; i += 1) {
      var box = boxes[i];
      var why = "";
      if (box.name === "load") { // blank is body weight; a comma is a decimal point
        var kg = box.value.trim() === "" ? 0 : number(box.value);
        var most = parseFloat(box.getAttribute("data-max") || "Infinity");
        if (isNaN(kg)) { why = "Not a load: a number, as 22.5 or 22,5."; }
        else if (kg > most) { why = "At most " + most + "."; }
      } else if (box.validity.badInput || box.value.trim() === "") {
        why = "A whole number, please.";
      }
      if (why || !box.checkValidity()) {
        box.setCustomValidity(why);
        box.reportValidity();
        return true;
      }
    }
    return false;
  }

  function enhanceLogForm(form) {
    var last = { what: null, at: 0 };
    // A refusal's message goes once the box changes, typed or stepped (− / + fire change):
    // left, it blocked every later tap (a review's finding).
    form.querySelectorAll('input[type="number"], input[name="load"]').forEach(function (box) {
      ["input", "change"].forEach(function (kind) {
        box.addEventListener(kind, function () { box.setCustomValidity(""); });
      });
    });
    form.addEventListener("submit", function (event) {
      if (!window.CalfQueue || !window.indexedDB) { return; } // the plain form post
      event.preventDefault();
      if (unreadable(form)) { return; }
      // The same tap again within a second, before the page has moved on to the next set (its
      // button still says the same), is a double tap (a trial's stored two sets). Another set
      // (the next one's button, other reps or load) is logged however soon.
      var button = event.submitter || form.querySelector('[type="submit"]');
      var what = new URLSearchParams(new FormData(form)).toString() + "|" +
        (button ? button.textContent : "");
      if (what === last.what && Date.now() - last.at < 1000) {
        note("That tap logged the same set again within a second: kept once.");
        return;
      }
      last = { what: what, at: Date.now() };
      unlockAudio();
      queueSets(form).catch(function () { form.submit(); });
    });
  }

  // ------------------------------------------------------------------ offline check-in
  // Pain drives the load cuts: a check-in saved with no network waits on the phone like a
  // set (the server keeps one check-in a day, so sending it twice stores it once) and the
  // form keeps what was entered. Online, the form posts as it always did.
  function longDay(iso) {
    return new Date(iso + "T12:00:00")
      .toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" });
  }

  function enhanceCheckin(form) {
    var list = document.createElement("ul");
    list.className = "pending-checkins";
    list.setAttribute("aria-label", "Check-ins waiting to sync");
    list.hidden = true;
    form.parentNode.insertBefore(list, form);
    form.addEventListener("submit", function (event) {
      if (navigator.onLine || !window.CalfQueue || !window.indexedDB) { return; }
      event.preventDefault();
      var data = new FormData(form);
      function pain(name) { return data.get(name) ? parseInt(data.get(name), 10) : null; }
      var athlete = new URL(form.action, location.href).searchParams.get("athlete");
      var day = data.get("date");
      var during = pain("pain_during");
      var id = uuid();
      var item = {
        id: id,
        kind: "checkin",
        order: Date.now(),
        account: currentAccount() === null ? undefined : currentAccount(),
        method: "POST",
        url: "/api/v1/checkins" + (athlete ? "?athlete=" + encodeURIComponent(athlete) : ""),
        day: day,
        label: "Check-in of " + longDay(day) + ": pain during " + during,
        body: {
          date: day, pain_during: during, pain_next_morning: pain("pain_next_morning"),
          pain_before: pain("pain_before"), red_flag: data.get("red_flag") || null,
          cleared_by_clinician: Boolean(data.get("cleared_by_clinician"))
        }
      };
      CalfQueue.add(item).then(showPending).then(function () {
        note("No connection: the check-in is kept on this phone and sent when the network is back.");
        askForSync();
      }).catch(function () {
        note("No connection, and this phone could not keep the check-in: save it again once online.");
      });
    });
  }

  // Undo and "Log the whole session" change what the server stores: with no network they
  // say so here and change nothing, rather than leaving for the browser's error page.
  function needsConnection(form, what) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      note("No connection: " + what + " needs one. Nothing was changed; try again once online.");
    });
  }

  // ------------------------------------------------------------------ one phone, several runners
  function forgetPages() {
    localStorage.removeItem(REST_KEY);
    return window.caches ? caches.delete(PAGES).catch(function () { return false; }) : Promise.resolve(false);
  }

  // A page says who is signed in: when that is someone else than last time (or nobody), the
  // pages kept for the last one and their rest timer go; their waiting items stay in the
  // store, sent only once they sign in again (offline-queue.js).
  function claimPhone() {
    var account = currentAccount();
    if (account === null || !window.CalfQueue || !window.indexedDB) { return Promise.resolve(); }
    return CalfQueue.account().then(function (before) {
      if (before === account) { return false; }
      return forgetPages().then(function () { return CalfQueue.setAccount(account); })
        .then(function () { return true; });
    }).catch(function () { return false; /* no IndexedDB (a private window): nothing to claim */ });
  }

  function enhanceSignOut(form) {
    if (window.CalfQueue && window.indexedDB) { // what signing out leaves waiting, said first
      CalfQueue.all().then(function (items) {
        if (!items.length) { return; }
        var said = document.createElement("p");
        said.className = "small waiting-note";
        said.textContent = items.length + (items.length === 1 ? " entry waits" : " entries wait") +
          " to sync on this phone: signed out, it stays here (nobody else sees it) and is sent " +
          "when you sign in again on this phone.";
        form.parentNode.insertBefore(said, form);
      }).catch(function () { /* nothing to say */ });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var left = window.CalfQueue && window.indexedDB
        ? CalfQueue.setAccount("").catch(function () { return null; }) : Promise.resolve();
      Promise.all([forgetPages(), left]).then(function () { form.submit(); },
                                              function () { form.submit(); });
    });
  }

  // ------------------------------------------------------------------ days to come
  // A set may not be logged for a day still to come (DOMAIN.md §6: refused), and "today" is
  // the phone's own date. The page keeps its forms (its offline copy, fetched earlier in the
  // week, is the one used on the day); until the day comes they wait, saying when.
  function localDay() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  }

  function waitForTheDay(form) {
    var day = form.querySelector("input[name=date]");
    if (!day) { return; }
    var waiting = day.value > localDay();
    // Asked again when the page is shown again (a phone left on it past midnight, a page
    // back from the cache): only a change of state touches the buttons (a hold under way
    // disables its own).
    if (waiting === (form.getAttribute("data-waiting") === "true")) { return; }
    form.setAttribute("data-waiting", String(waiting));
    form.querySelectorAll("button").forEach(function (button) { button.disabled = waiting; });
    var shown = form.querySelector(".not-yet");
    if (!waiting) { if (shown) { shown.remove(); } return; }
    var when = document.createElement("p");
    when.className = "small not-yet";
    when.textContent = "Log these on the day: " + new Date(day.value + "T12:00:00")
      .toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" }) + ".";
    form.appendChild(when);
  }

  function waitForTheDays() {
    document.querySelectorAll(".log-form, .log-all-form").forEach(waitForTheDay);
  }

  // ------------------------------------------------------------------ holds
  function enhanceHold(form) {
    var card = form.closest("article.card");
    var start = form.querySelector("button.start-hold");
    var display = form.querySelector(".countdown");
    var field = form.querySelector("input[name=hold_s]");
    if (!start || !display || !field) { return; }
    start.hidden = false;
    display.hidden = false;
    display.textContent = "Tap start: 3 s to get ready, then hold.";
    var label = start.textContent;
    var running = null; // while a hold runs: what a tap on the button does (stop it)
    function countdown(seconds, show, done) {
      var ends = Date.now() + seconds * 1000;
      var lastShown = null;
      var timer = null;
      function tick() {
        var left = (ends - Date.now()) / 1000;
        if (left <= 0) { done(); return; }
        var shown = Math.ceil(left);
        if (shown !== lastShown) { show(shown); lastShown = shown; }
        timer = window.setTimeout(tick, 100);
      }
      tick();
      // Stopped: the whole seconds held so far.
      return function () { window.clearTimeout(timer); return Math.floor(seconds - Math.max(0, (ends - Date.now()) / 1000)); };
    }
    function finish(text) {
      running = null;
      start.textContent = label;
      display.textContent = text;
    }
    start.addEventListener("click", function () {
      unlockAudio();
      if (running) { running(); return; }
      var seconds = parseInt(field.value, 10);
      if (!(seconds >= 1 && seconds <= 600)) { field.focus(); return; }
      var sides = card.hasAttribute("data-per-side") ? ["left", "right"] : [null];
      start.textContent = "Stop";
      // A runner who cannot hold to the end stops it: the seconds held are logged, those of
      // the sides already done in full (a trial's runner could only log the full hold).
      function holdSide(index) {
        var side = sides[index];
        var who = side ? side + " leg: " : "";
        var stop = countdown(3, function (n) {
          display.textContent = (index > 0 ? "Switch sides. " : "") + who + "get ready " + n;
          beep(0.08, 660);
        }, function () {
          beep(0.15, 990);
          var stopHold = countdown(seconds, function (n) { display.textContent = who + "hold " + clock(n); }, function () {
            alarm();
            if (index + 1 < sides.length) { holdSide(index + 1); return; }
            finish("Hold done: " + seconds + " s" + (side ? " a side" : "") + ".");
            queueSets(form, seconds, sides);
          });
          running = function () {
            var held = stopHold();
            if (index > 0) { queueSets(form, seconds, sides.slice(0, index)); }
            if (held >= 1) {
              queueSets(form, held, [side]);
              finish("Stopped: " + held + " s held" + (side ? " (" + side + ")" : "") + ".");
            } else {
              finish("Stopped before a second was held: nothing logged for it.");
            }
          };
        });
        running = function () { // still getting ready: nothing held on this side yet
          stop();
          if (index > 0) { queueSets(form, seconds, sides.slice(0, index)); }
          finish(index > 0 ? "Stopped: the " + sides[0] + " leg's hold is logged." : "Stopped: nothing logged.");
        };
      }
      holdSide(0);
    });
  }

  // ------------------------------------------------------------------ tempo metronome
  function enhanceMetronome(button) {
    var card = button.closest("article.card");
    var phases = (card.getAttribute("data-tempo") || "").split("-").map(Number)
      .filter(function (n) { return !isNaN(n); });
    if (phases.length < 2) { return; }
    button.hidden = false;
    var timer = null;
    button.addEventListener("click", function () {
      unlockAudio();
      if (timer) {
        window.clearTimeout(timer); timer = null;
        button.setAttribute("aria-pressed", "false");
        return;
      }
      button.setAttribute("aria-pressed", "true");
      var index = 0;
      (function phase() { // a high beep starts each phase: down, pause, up, pause
        var seconds = phases[index % phases.length];
        index += 1;
        if (!seconds) { timer = window.setTimeout(phase, 0); return; }
        beep(0.08, index % phases.length === 1 ? 990 : 660);
        timer = window.setTimeout(phase, seconds * 1000);
      })();
    });
  }

  // ------------------------------------------------------------------ offline install
  // forgot: the kept pages were just forgotten (another account), this page's copy with them.
  function registerWorker(forgot) {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var pages = (document.body.getAttribute("data-offline-pages") || "").split(" ").filter(Boolean);
      if (forgot && currentAccount()) { // (not the sign-in page: its fetch renews the CSRF cookie)
        var here = new URL(location.href);
        here.searchParams.delete("logged");
        if (pages.indexOf(here.pathname + here.search) < 0) { pages.push(here.pathname + here.search); }
      }
      if (pages.length && registration.active) {
        registration.active.postMessage({ type: "cache-pages", urls: pages });
      }
    }).catch(function () { /* not a secure context (plain http on a LAN): online only */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      // The worker's Background Sync sent the queue (it may win the race with this page's
      // own "online" flush, which then finds nothing to send): its notes are this page's.
      var data = event.data || {};
      if (data.type !== "synced" || !data.outcome) { return; }
      if (data.notes && data.notes.length) {
        var before = sessionStorage.getItem(NOTE_KEY);
        sessionStorage.setItem(NOTE_KEY, (before ? before + " " : "") + data.notes.join(" "));
      }
      reloadKeepingPlace();
    });
  }

  // ------------------------------------------------------------------ the browser's day
  // "Today" is the browser's date (DOMAIN.md §6): the server reads it in the time zone this
  // cookie names (web/clock.py). A page made for another day (the first visit, or a phone
  // that moved zones) is reloaded once, with the zone known.
  function localISODate() {
    var now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
  }

  function keepTimeZone() {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    // An IANA name ("Europe/Paris") is all cookie-safe characters: sent as it is.
    if (!/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) { return; }
    var had = document.cookie.split("; ").indexOf("calfcoach_tz=" + zone) >= 0;
    if (had) { return; }
    document.cookie = "calfcoach_tz=" + zone +
      "; path=/; max-age=31536000; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
    var made = document.body.getAttribute("data-today");
    if (made && made !== localISODate() && !sessionStorage.getItem("calfcoach-zone-reload")) {
      sessionStorage.setItem("calfcoach-zone-reload", "1");
      location.reload();
    }
  }

  // ------------------------------------------------------------------ first-run units
  // The first-run form's unit selects follow its Units choice until the runner picks one
  // themselves: an imperial runner typing 150 beside a "kg" left as it was got 150 kg (a
  // review's finding). Without the script each select is still there to choose.
  function followUnits() {
    var units = document.getElementById("units");
    if (!units) { return; }
    var picks = [["mass-unit", "lb", "kg"], ["seated-1rm-unit", "lb", "kg"], ["distance-unit", "mi", "km"]];
    var chosen = {};
    picks.forEach(function (p) {
      var select = document.getElementById(p[0]);
      if (select) { select.addEventListener("change", function () { chosen[p[0]] = true; }); }
    });
    units.addEventListener("change", function () {
      var imperial = units.value === "imperial";
      picks.forEach(function (p) {
        var select = document.getElementById(p[0]);
        if (select && !chosen[p[0]]) { select.value = imperial ? p[1] : p[2]; }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    keepTimeZone();
    followUnits();
    var place = null;
    try { place = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null"); } catch (e) { place = null; }
    sessionStorage.removeItem(SCROLL_KEY);
    document.querySelectorAll(".log-form input[data-step], .log-form input[data-loads]").forEach(addSteppers);
    document.querySelectorAll(".log-form").forEach(enhanceLogForm);
    document.querySelectorAll(".log-form").forEach(enhanceHold);
    document.querySelectorAll("button.metronome").forEach(enhanceMetronome);
    waitForTheDays();
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { waitForTheDays(); }
    });
    window.addEventListener("pageshow", waitForTheDays);
    document.querySelectorAll(".undo-form").forEach(function (form) { needsConnection(form, "undo"); });
    document.querySelectorAll(".log-all-form").forEach(function (form) {
      needsConnection(form, "logging the whole session");
    });
    document.querySelectorAll(".checkin-form").forEach(enhanceCheckin);
    document.querySelectorAll(".signout-form").forEach(enhanceSignOut);
    document.querySelectorAll(".undo-form").forEach(function (form) {
      form.addEventListener("submit", function () {
        sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ path: location.pathname + location.search, y: window.scrollY }));
      });
    });
    var saved = sessionStorage.getItem(NOTE_KEY);
    if (saved) { note(saved); sessionStorage.removeItem(NOTE_KEY); }
    if (window.CalfQueue && window.indexedDB && currentAccount() !== null) {
      // What the worker sent while no page was open to say it (not on the sign-in page:
      // nobody is signed in there to read it).
      CalfQueue.takeNote(currentAccount()).then(function (kept) {
        if (kept) { note(saved ? saved + " " + kept : kept); }
      }).catch(function () { /* no store: nothing kept */ });
    }
    if (place) { // back where the runner was (undo, or the reload after a sync)
      window.scrollTo(0, place.y);
      window.addEventListener("load", function () { window.scrollTo(0, place.y); });
    } else {
      var logged = document.querySelector(".just-logged");
      if (logged && logged.scrollIntoView) { logged.scrollIntoView({ block: "start" }); }
    }
    claimPhone().then(function (forgot) {
      // The plain post's rest note becomes the bar (which outlives this page).
      document.querySelectorAll(".timer[data-rest-s]").forEach(function (element) {
        if (!localStorage.getItem(REST_KEY)) {
          startRest(parseInt(element.getAttribute("data-rest-s"), 10), element.getAttribute("data-label") || "");
        }
        element.remove();
      });
      showRest();
      registerWorker(forgot);
      return showPending();
    }).then(function (items) {
      if (items.length && navigator.onLine) { flush(); }
    });
    window.addEventListener("online", flush);
  });
})();

// Progressive enhancement for calfcoach's pages. Everything works without it: forms POST
// and the page reloads. With it: −/+ steppers beside reps and load (two taps adjust a set),
// and a rest timer that counts down after a set is logged.
(function () {
  "use strict";

  function addSteppers(input) {
    var step = parseFloat(input.getAttribute("data-step") || "1");
    var label = document.querySelector('label[for="' + input.id + '"]');
    var name = label ? label.textContent.trim() : input.name;
    var wrap = document.createElement("span");
    wrap.className = "stepper";
    input.parentNode.insertBefore(wrap, input);
    [["−", -step, "less"], ["+", step, "more"]].forEach(function (spec, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "step";
      button.textContent = spec[0];
      button.setAttribute("aria-label", spec[2] + " " + name);
      button.addEventListener("click", function () {
        var value = parseFloat(input.value || "0") + spec[1];
        var min = parseFloat(input.min || "0");
        input.value = String(Math.max(min, Math.round(value * 10) / 10));
        input.dispatchEvent(new Event("change"));
      });
      if (index === 0) { wrap.appendChild(button); wrap.appendChild(input); }
      else { wrap.appendChild(button); }
    });
  }

  function startTimer(element) {
    var total = parseInt(element.getAttribute("data-rest-s"), 10);
    if (!total) { return; }
    var ends = Date.now() + total * 1000;
    element.classList.add("running");
    function tick() {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = String(left % 60).padStart(2, "0");
      element.textContent = left > 0 ? "Rest " + minutes + ":" + seconds : "Rest over: next set";
      if (left > 0) { window.setTimeout(tick, 250); }
      else {
        element.classList.remove("running");
        element.classList.add("over");
        if (navigator.vibrate) { navigator.vibrate(200); }
      }
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".log-form input[data-step]").forEach(addSteppers);
    document.querySelectorAll(".timer[data-rest-s]").forEach(startTimer);
    var logged = document.querySelector(".just-logged");
    if (logged && logged.scrollIntoView) { logged.scrollIntoView({ block: "start" }); }
  });
})();

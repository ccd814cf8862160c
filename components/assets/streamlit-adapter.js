/* The one place in the browser that knows Streamlit's page markup (installed in the page by
   components/streamlit_dom.py; the map's frame reaches it as window.parent.footprintStreamlit).
   Written for the Streamlit version in config.writtenFor: when another runs, or the markup it
   expects is not there, it says so on the console as an error (and tests/test_browser.py fails). */
(function (config) {
  "use strict";
  if (window.footprintStreamlit) return;  // one adapter per page, kept across reruns
  var doc = document;
  // This script's element: gone once the page shows another view (briefing, no slider).
  var installed = doc.currentScript;
  var DAY_MS = 86400000;

  // A keyed widget: Streamlit gives its element container the class "st-key-" + its key.
  function widget(key) {
    return doc.querySelector(".st-key-" + CSS.escape(String(key)));
  }

  // A date slider's input: react-aria's hidden range input, holding microseconds since 1970.
  function sliderInput(key) {
    var box = widget(key);
    return box ? box.querySelector('input[type="range"]') : null;
  }

  // The input's day (days since 1970, midnight UTC), or null when it holds none.
  function sliderDay(input) {
    if (!input || !input.isConnected || input.value === "") return null;
    var micros = Number(input.value);
    return isFinite(micros) ? Math.round(micros / (DAY_MS * 1000)) : null;
  }

  // Calls back on every change of the slider's value (keys, dragging, reruns): React writes
  // the input's value attribute each time. Returns the function that stops watching.
  function watchSlider(input, callback) {
    var observer = new MutationObserver(callback);
    observer.observe(input, { attributes: true, attributeFilter: ["value"] });
    return function () { observer.disconnect(); };
  }

  function pressButton(key) {
    var box = widget(key);
    var button = box && box.querySelector("button");
    if (!button) return false;
    button.click();
    return true;
  }

  // The same day `months` later (earlier when negative); the 31st becomes the month's last day.
  function shiftMonths(day, months) {
    var date = new Date(day * DAY_MS);
    var target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
    var length = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(date.getUTCDate(), length));
    return Math.round(target.getTime() / DAY_MS);
  }

  // Moves a date slider to a day and sends it, as if the user had put it there.
  // react-aria sends a value on (Streamlit's rerun) only at the end of a drag, which its arrow
  // keys make; so the thumb goes to one step short of the day through the input's own change
  // event (shown, not sent), then one arrow press, in the next task once React has drawn that
  // value, takes the last step and sends it. Up and Down never depend on the page's direction.
  function moveSliderTo(input, day) {
    var step = Number(input.step) || DAY_MS * 1000;
    var now = Number(input.value);
    var target = Math.min(Math.max(day * DAY_MS * 1000, Number(input.min)), Number(input.max));
    if (!isFinite(target) || target === now) return false;
    var forward = target > now;
    var setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    setValue.call(input, String(forward ? target - step : target + step));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    window.setTimeout(function () {
      input.dispatchEvent(new KeyboardEvent("keydown", {
        key: forward ? "ArrowUp" : "ArrowDown", bubbles: true, cancelable: true
      }));
      input.dispatchEvent(new KeyboardEvent("keyup", {
        key: forward ? "ArrowUp" : "ArrowDown", bubbles: true, cancelable: true
      }));
    }, 0);
    return true;
  }

  // Page Up / Page Down on a focused date slider move a month (a year with Shift), instead of
  // react-aria's tenth of the range (about 2.4 years on the bundled data).
  doc.addEventListener("keydown", function (event) {
    if (event.key !== "PageUp" && event.key !== "PageDown") return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var input = event.target;
    var keyed = input && input.closest && input.closest(config.monthKeysOn.map(function (key) {
      return ".st-key-" + CSS.escape(key);
    }).join(","));
    if (!keyed || input.tagName !== "INPUT" || input.type !== "range") return;
    event.preventDefault();
    event.stopPropagation();  // before react-aria's own Page keys (this listens first)
    var day = sliderDay(input);
    if (day === null) return;
    var months = (event.key === "PageUp" ? 1 : -1) * (event.shiftKey ? 12 : 1);
    moveSliderTo(input, shiftMonths(day, months));
  }, true);

  // What the app needs of Streamlit's markup, checked on the page as it is: a list of problems.
  function check() {
    var problems = [];
    if (config.running !== config.writtenFor) {
      problems.push("running Streamlit " + config.running + ", selectors written for " + config.writtenFor);
    }
    config.monthKeysOn.forEach(function (key) {
      var input = sliderInput(key);
      if (!widget(key)) problems.push("no element .st-key-" + key);
      else if (!input) problems.push("no range input in .st-key-" + key);
      else if (sliderDay(input) === null || !isFinite(Number(input.min)) || !isFinite(Number(input.max))) {
        problems.push("the range input in .st-key-" + key + " holds no microseconds since 1970");
      }
    });
    return problems;
  }

  function report(problems) {
    problems.forEach(function (problem) {
      console.error("footprint: Streamlit's page is not as components/streamlit_dom.py expects: " + problem);
    });
  }

  window.footprintStreamlit = {
    writtenFor: config.writtenFor, running: config.running, widget: widget,
    sliderInput: sliderInput, sliderDay: sliderDay, watchSlider: watchSlider,
    pressButton: pressButton, shiftMonths: shiftMonths, moveSliderTo: moveSliderTo, check: check
  };

  // Fail loudly: a version mismatch at once; missing markup once the page has had time to draw.
  if (config.running !== config.writtenFor) report(check().slice(0, 1));
  var tries = 0;
  (function look() {
    var problems = check().filter(function (p) { return p.indexOf("running Streamlit") !== 0; });
    if (!problems.length || (installed && !installed.isConnected)) return;
    if (tries++ < 50) window.setTimeout(look, 200);
    else report(problems);
  })();
})(FOOTPRINT_STREAMLIT_CONFIG);

/* The presenter's keys in briefing mode: each presses one of the slide buttons, found by its
   key's class (footprint-map.js hands the keys up from the map). Installed once per page. */
(function () {
  var doc = document;
  if (window.footprintPresenter) return;
  var KEYS = {
    ArrowRight: "brief_next", " ": "brief_next", PageDown: "brief_next", n: "brief_next",
    N: "brief_next", ArrowLeft: "brief_previous", PageUp: "brief_previous", p: "brief_previous",
    P: "brief_previous", Home: "brief_first", End: "brief_last"
  };
  function press(key) {
    var name = KEYS[key];
    if (!name) return false;
    var next = doc.querySelector(".st-key-brief_next");
    // Right to left, "next" lies to the left: the arrow keys follow the buttons' arrows.
    if (next && getComputedStyle(next).direction === "rtl" && /^Arrow/.test(key)) {
      name = key === "ArrowLeft" ? "brief_next" : "brief_previous";
    }
    var button = doc.querySelector(".st-key-" + name + " button");
    if (!button) return false;
    if (!button.disabled) button.click();
    return true;
  }
  window.footprintPresenter = { handle: press };
  doc.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || !KEYS[event.key]) return;
    var focus = doc.activeElement;
    var tag = focus ? focus.tagName : "BODY";
    // Typing in a field, moving a slider or choosing in a list keeps its keys.
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || (focus && (focus.isContentEditable ||
        focus.closest("[role=slider], [role=combobox], [role=listbox], [data-baseweb=select]")))) return;
    // A focused button presses itself on Space.
    if (tag === "BUTTON" && event.key === " ") return;
    if (press(event.key)) event.preventDefault();
  }, true);
  // Presenting starts with the sidebar (settings, uploads) out of the way: collapsed once, as soon
  // as Streamlit has laid it out (within 3 s), and left to the presenter after that.
  var tries = 0;
  (function collapseSidebar() {
    var sidebar = doc.querySelector('[data-testid="stSidebar"]');
    var collapse = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    var open = sidebar && sidebar.getAttribute("data-collapsed") === "false" &&
      sidebar.getBoundingClientRect().width > 0;
    if (open && collapse) { collapse.click(); return; }
    if (tries++ < 30) setTimeout(collapseSidebar, 100);
  })();
})();

/* Draws the footprint map's layers (sites, movements, outlines, legend) from data sent by Python.
   All text from the data is put into the page as text nodes or HTML-escaped strings, never as markup. */
(function () {
  "use strict";

  // Marker colours and shapes, movement and land colours: components/style.py sends them with
  // setStyle before anything is drawn (the deck's pictures read the same vocabulary).
  var STATUS = {};
  var CERTAINTY = {};
  var COLORS = { movement: "", changed: "", land: { border: "", home: "", other: "", homeName: "" } };

  function setStyle(style) {
    STATUS = {};
    CERTAINTY = {};
    Object.keys(style.status).forEach(function (key) {
      var s = style.status[key];
      STATUS[key] = { color: String(s.color), shape: String(s.shape), label: key };
    });
    Object.keys(style.certainty).forEach(function (key) {
      var c = style.certainty[key];
      CERTAINTY[key] = { stroke: String(c.stroke), dash: String(c.dash), width: Number(c.width), fill: Number(c.fill), label: key };
    });
    COLORS = { movement: String(style.movement), changed: String(style.changed), land: style.land };
  }

  // Words shown on the map; the page sends its language's words with setLabels.
  var LABELS = { legendStatus: "Status:", legendOutline: "Outline:", legendMovement: "Movement", since: "since", lang: "en" };

  function setLabels(labels) {
    Object.keys(labels.status || {}).forEach(function (key) {
      if (STATUS[key]) STATUS[key].label = String(labels.status[key]);
    });
    Object.keys(labels.certainty || {}).forEach(function (key) {
      if (CERTAINTY[key]) CERTAINTY[key].label = String(labels.certainty[key]);
    });
    ["legendStatus", "legendOutline", "legendMovement", "since", "lang"].forEach(function (key) {
      if (labels[key]) LABELS[key] = String(labels[key]);
    });
  }

  // Room kept free for the legend and scale (bottom left) when fitting the data into view.
  var LEGEND_SPACE = 95;

  // Leaflet focuses the map on mouse-down so the arrow keys pan it; in a page where the map is
  // partly below the fold that focus scrolls the page, the marker moves away from the pointer
  // before mouse-up, and the click is lost. Focus without scrolling (must run before maps exist).
  if (L.Map.Keyboard) {
    L.Map.Keyboard.prototype._onMouseDown = function () {
      if (this._focused) return;
      this._map._container.focus({ preventScroll: true });
    };
  }

  function escapeHtml(value) {
    return String(value).replace(/[&<>"'`$]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function shapeSvg(status, certainty, size) {
    var s = STATUS[status] || STATUS.active;
    var c = CERTAINTY[certainty] || CERTAINTY.reported;
    var stroke = ' stroke="' + c.stroke + '" stroke-width="' + c.width + '"' +
      (c.dash ? ' stroke-dasharray="' + c.dash + '"' : "");
    var fill = ' fill="' + s.color + '" fill-opacity="' + c.fill + '"';
    var shape;
    if (s.shape === "circle") shape = '<circle cx="10" cy="10" r="7"' + fill + stroke + "/>";
    else if (s.shape === "triangle") shape = '<polygon points="10,17 2.5,4 17.5,4"' + fill + stroke + "/>";
    else if (s.shape === "square") shape = '<rect x="3.5" y="3.5" width="13" height="13"' + fill + stroke + "/>";
    else shape = '<path d="M4 7 L7 4 L10 7 L13 4 L16 7 L13 10 L16 13 L13 16 L10 13 L7 16 L4 13 L7 10 Z"' + fill + stroke + "/>";
    return '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size +
      '" viewBox="0 0 20 20" aria-hidden="true">' + shape + "</svg>";
  }

  var iconCache = {};
  function icon(status, certainty, changed) {
    var key = status + "|" + certainty + "|" + (changed ? 1 : 0);
    if (!iconCache[key]) {
      var known = STATUS[status] ? status : "active";
      var sure = CERTAINTY[certainty] ? certainty : "reported";
      iconCache[key] = L.divIcon({
        html: shapeSvg(known, sure, 22),
        className: "fp-marker fp-status-" + known + " fp-certainty-" + sure + (changed ? " fp-changed" : ""),
        iconSize: [22, 22],
        iconAnchor: [11, 11],
        tooltipAnchor: [10, 0],
        popupAnchor: [0, -10]
      });
    }
    return iconCache[key];
  }

  // Each dataset's catalogue (sites' places and names, sources) is one static file, fetched once;
  // the layer sent on every date change carries only statuses, as indices into it.
  var catalogs = {};
  function loadCatalog(url) {
    // A standalone export carries its catalogue inline instead of a URL.
    if (typeof url !== "string") return Promise.resolve(url);
    if (!catalogs[url]) {
      catalogs[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
    }
    return catalogs[url];
  }

  function sourceItem(source) {
    var item = element("li", source[0] + ", " + source[1]);
    if (source[2] && /^https?:\/\//.test(source[2])) {
      var link = element("a", "link");
      link.href = source[2];
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      item.appendChild(document.createTextNode(" "));
      item.appendChild(link);
    }
    return item;
  }

  function statusLabel(status) {
    return STATUS[status] ? STATUS[status].label : String(status);
  }

  // place: [id, lat, lon, name, arabic name]; state: [place index, status, certainty, since, [source index...]].
  function popupContent(place, state, catalog) {
    var box = element("div", null, "fp-popup");
    box.appendChild(element("div", place[3], "fp-popup-name"));
    if (place[4]) {
      var arabic = element("div", place[4], "fp-popup-name-ar");
      arabic.dir = "rtl";
      arabic.lang = "ar";
      box.appendChild(arabic);
    }
    var certainty = CERTAINTY[state[2]] ? CERTAINTY[state[2]].label : String(state[2]);
    box.appendChild(element("div", statusLabel(state[1]) + " " + LABELS.since + " " + state[3] + " (" + certainty + ")", "fp-popup-status"));
    var list = element("ul", null, "fp-popup-sources");
    var shown = {};
    (state[4] || []).forEach(function (index) {
      var source = catalog.sources[index];
      // Several passages of one article are one line here; the site detail lists each quote.
      var key = source && JSON.stringify(source);
      if (!source || shown[key]) return;
      shown[key] = true;
      list.appendChild(sourceItem(source));
    });
    box.appendChild(list);
    return box;
  }

  // Past this many sites, markers are drawn on one canvas: thousands of DOM markers take seconds
  // to replace on every date change, one canvas a fraction of that. Below it, DOM markers stay
  // focusable from the keyboard.
  var CANVAS_THRESHOLD = 500;
  var canvasRenderer = null;

  // A canvas marker that draws the status shape (triangle, square, cross) instead of a circle;
  // Leaflet's canvas renderer still finds it under the pointer for tooltips and clicks.
  var ShapeMarker = L.CircleMarker.extend({
    _updatePath: function () {
      var renderer = this._renderer;
      var shape = this.options.shape;
      if (!renderer._ctx || shape === "circle") return L.CircleMarker.prototype._updatePath.call(this);
      if (!renderer._drawing || this._empty()) return;
      var ctx = renderer._ctx, p = this._point, r = this._radius;
      ctx.beginPath();
      if (shape === "triangle") {
        ctx.moveTo(p.x, p.y + r); ctx.lineTo(p.x - r, p.y - r * 0.8); ctx.lineTo(p.x + r, p.y - r * 0.8);
      } else if (shape === "square") {
        ctx.rect(p.x - r * 0.85, p.y - r * 0.85, r * 1.7, r * 1.7);
      } else {
        var a = r * 0.35;
        ctx.moveTo(p.x - r, p.y - r + a); ctx.lineTo(p.x - r + a, p.y - r); ctx.lineTo(p.x, p.y - a);
        ctx.lineTo(p.x + r - a, p.y - r); ctx.lineTo(p.x + r, p.y - r + a); ctx.lineTo(p.x + a, p.y);
        ctx.lineTo(p.x + r, p.y + r - a); ctx.lineTo(p.x + r - a, p.y + r); ctx.lineTo(p.x, p.y + a);
        ctx.lineTo(p.x - r + a, p.y + r); ctx.lineTo(p.x - r, p.y + r - a); ctx.lineTo(p.x - a, p.y);
      }
      ctx.closePath();
      renderer._fillStroke(ctx, this);
    }
  });

  function canvasMarker(place, state) {
    if (!canvasRenderer) canvasRenderer = L.canvas({ padding: 0.5 });
    var s = STATUS[state[1]] || STATUS.active;
    var c = CERTAINTY[state[2]] || CERTAINTY.reported;
    return new ShapeMarker([place[1], place[2]], {
      renderer: canvasRenderer,
      shape: s.shape,
      radius: 6,
      color: state[5] ? COLORS.changed : c.stroke,
      weight: state[5] ? 3 : c.width,
      dashArray: c.dash || null,
      fillColor: s.color,
      fillOpacity: c.fill
    });
  }

  function drawSites(group, states, catalog) {
    var onCanvas = states.length > CANVAS_THRESHOLD;
    states.forEach(function (state) {
      var place = catalog.sites[state[0]];
      if (!place) return;
      var marker = onCanvas ? canvasMarker(place, state) : L.marker([place[1], place[2]], {
        // Briefing steps ring the sites whose status changed since the previous step.
        icon: icon(state[1], state[2], Boolean(state[5])),
        keyboard: true,
        riseOnHover: true
      });
      // Names in the script of the page's language where the data has them.
      var name = LABELS.lang === "ar" && place[4] ? place[4] : place[3];
      var tooltip = escapeHtml(name) + " &mdash; " + escapeHtml(statusLabel(state[1]));
      var popup = function () { return popupContent(place, state, catalog); };
      if (onCanvas) {
        // Thousands of bindings cost more than the drawing: bind on first use instead.
        marker.once("mouseover", function () { marker.bindTooltip(tooltip).openTooltip(); });
        marker.once("click", function (e) { marker.bindPopup(popup, { maxWidth: 320 }).openPopup(e.latlng); });
      } else {
        marker.bindTooltip(tooltip);
        marker.bindPopup(popup, { maxWidth: 320 });
      }
      marker.addTo(group);
    });
  }

  // A movement arrives as [from lat, from lon, to lat, to lon, label, certainty].
  function drawMoves(group, moves) {
    moves.forEach(function (move) {
      var planned = move[5] !== "reported";
      L.polyline([[move[0], move[1]], [move[2], move[3]]], {
        color: COLORS.movement, weight: 3, opacity: 0.9, dashArray: planned ? "8,6" : null,
        className: "fp-move"
      }).bindTooltip(escapeHtml(move[4])).addTo(group);
      var angle = Math.atan2(move[2] - move[0], move[3] - move[1]) * 180 / Math.PI;
      L.marker([move[2], move[3]], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({
          className: "fp-arrow",
          iconSize: [16, 16],
          iconAnchor: [8, 8],
          html: '<svg width="16" height="16" viewBox="0 0 16 16" style="transform: rotate(' +
            (-angle).toFixed(1) + 'deg)"><polygon points="16,8 2,2 5,8 2,14" fill="' + COLORS.movement + '"/></svg>'
        })
      }).addTo(group);
    });
  }

  var DAY_MS = 86400000;

  function isoDay(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  // What the catalogue says is on the map on `day` (days since 1970): the same choice Python's
  // snapshot makes (a period covers the day, both ends included) and the same movement window.
  function layerOn(day, catalog, windowDays) {
    var sites = [];
    catalog.spans.forEach(function (span, row) {
      if (span[0] <= day && (span[1] === null || day <= span[1])) sites.push(catalog.states[row]);
    });
    var moves = [];
    (catalog.moves || []).forEach(function (move) {
      var last = move[1] === null ? Infinity : move[1];
      if (last >= day - windowDays && move[0] <= day + windowDays) moves.push(move.slice(2));
    });
    return { date: isoDay(day), sites: sites, moves: moves };
  }

  // The map follows the page's date slider in the browser: Streamlit sends the new date only
  // after its rerun (100 to 250 ms on the full page, see BENCHMARKS.md) and not at all while
  // the slider is being dragged, so the map would lag behind the hand. The app's iframe is served from the page's own origin, so it can watch the slider;
  // when it cannot (another origin, no slider), the map simply waits for the rerun as before.
  // shownKey: "catalogue|date" now on the map; ahead: the map shows a slider date that no rerun
  // has confirmed yet (the user moved the slider); ticket: the newest layer Python sent.
  var follower = {
    selector: null, windowDays: 0, input: null, observer: null, layer: null,
    catalog: null, catalogUrl: null, shownKey: null, ahead: false, ticket: 0
  };

  function followSlider(map, selector, windowDays) {
    follower.selector = selector;
    follower.windowDays = windowDays;
    // Sites are drawn into one group of our own, not into the group streamlit-folium swaps on
    // every rerun: then a rerun that brings the date the map already shows costs no redraw.
    // It is on the map before streamlit-folium starts, which binds its click handler to it.
    follower.layer = L.featureGroup().addTo(map);
    watchSlider();
  }

  function watchSlider() {
    var input = null;
    try {
      var host = window.frameElement && window.parent.document;
      input = host ? host.querySelector(follower.selector) : null;
    } catch (error) {
      input = null;  // a page from another origin: no following
    }
    if (input === follower.input) return;
    if (follower.observer) follower.observer.disconnect();
    follower.input = input;
    follower.observer = null;
    if (input) {
      // React writes the value attribute on every change (keys, dragging, buttons, reruns).
      follower.observer = new MutationObserver(scheduleSliderDate);
      follower.observer.observe(input, { attributes: true, attributeFilter: ["value"] });
    }
  }

  // The slider's day (days since 1970), or null when there is no slider to follow.
  function sliderDay() {
    var input = follower.input;
    if (!input || !input.isConnected) return null;
    var micros = Number(input.value);
    // Streamlit's date slider holds microseconds since 1970 (midnight UTC of the day).
    return input.value !== "" && isFinite(micros) ? Math.round(micros / (DAY_MS * 1000)) : null;
  }

  // Draws just after the task that moved the slider, not inside it: that task goes on to send
  // Streamlit's rerun request, which a large layer drawn first would hold back. Moves that come
  // faster than the map can draw are folded into one draw of the latest date.
  var followTimer = 0;
  function scheduleSliderDate() {
    if (!followTimer) {
      followTimer = window.setTimeout(function () {
        followTimer = 0;
        drawSliderDate();
      }, 0);
    }
  }

  function drawSliderDate() {
    var day = sliderDay();
    if (day === null || !follower.catalog || !follower.catalog.spans) return;
    var key = follower.catalogUrl + "|" + isoDay(day);
    if (key === follower.shownKey) return;
    drawLayer(follower.layer, layerOn(day, follower.catalog, follower.windowDays), follower.catalog);
    follower.shownKey = key;
    follower.ahead = true;
  }

  function drawLayer(group, layer, catalog) {
    group.clearLayers();
    drawMoves(group, layer.moves || []);
    drawSites(group, layer.sites || [], catalog);
    // The date this layer shows, so tests and tools can tell the map is up to date.
    window.footprintMapDate = layer.date;
  }

  function addSites(group, payload) {
    if (payload.fit && window.map) {
      window.map.fitBounds(payload.fit, { paddingTopLeft: [20, 20], paddingBottomRight: [20, LEGEND_SPACE] });
    }
    var target = follower.layer || group;
    if (follower.selector) watchSlider();
    var ticket = ++follower.ticket;
    loadCatalog(payload.catalog).then(function (catalog) {
      // A catalogue that arrives after a newer layer was sent (another dataset) is stale.
      if (ticket !== follower.ticket) return;
      follower.catalog = catalog;
      follower.catalogUrl = String(payload.catalog);
      // The date Python last sent, for tools that want the server's own layer.
      window.footprintServerDate = payload.date;
      var key = follower.catalogUrl + "|" + payload.date;
      var day = sliderDay();
      var sliderKey = day === null ? null : follower.catalogUrl + "|" + isoDay(day);
      // A briefing step's layer (a view to fit, sites ringed) always wins.
      var marked = payload.fit || (payload.sites || []).some(function (state) { return state[5]; });
      // Skipping a draw keeps what is in our own group; without one (no following: briefing,
      // the exported file) streamlit-folium's new group starts empty and must be drawn.
      var kept = follower.layer && !marked;
      if (kept && follower.ahead && sliderKey === follower.shownKey && key !== sliderKey) {
        // The user moved the slider on while this rerun ran and the map already shows where it
        // is now: keep it, so the map never jumps back; the rerun for that date is coming.
      } else if (kept && key === follower.shownKey) {
        // Already drawn from the slider, from the same catalogue rows (a browser test holds
        // the two to the same result): nothing to redraw.
        follower.ahead = false;
      } else {
        drawLayer(target, payload, catalog);
        // Marked layers differ from the plain date's layer, so they match no slider key.
        follower.shownKey = marked ? null : key;
        follower.ahead = false;
      }
    }).catch(function (error) {
      var note = L.control({ position: "bottomleft" });
      note.onAdd = function () {
        return element("div", "The map's site list could not be loaded (" + error.message + ").", "fp-note");
      };
      note.addTo(group._map || window.map);
    });
  }

  function addOutlines(map, url, filled) {
    // A standalone export passes the outlines themselves instead of a URL.
    var countriesLoaded = typeof url === "string" ?
      fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }) : Promise.resolve(url);
    countriesLoaded.then(function (countries) {
      var layer = L.geoJSON(countries, {
        interactive: false,
        style: function (feature) {
          var home = feature.properties && feature.properties.name === COLORS.land.homeName;
          return {
            color: COLORS.land.border, weight: home ? 1.6 : 0.8, fillColor: home ? COLORS.land.home : COLORS.land.other,
            fillOpacity: filled ? 1 : 0
          };
        }
      });
      layer.addTo(map);
      layer.bringToBack();
    }).catch(function (error) {
      var note = L.control({ position: "bottomleft" });
      note.onAdd = function () {
        return element("div", "Country outlines could not be loaded (" + error.message + ").", "fp-note");
      };
      note.addTo(map);
    });
  }

  // A compact two-line legend along the bottom, so it hides as little of the map as it can.
  function legendItem(svg, label) {
    var item = element("span", null, "fp-legend-item");
    item.innerHTML = svg;  // our own constant SVG, never data
    item.appendChild(element("span", label));
    return item;
  }

  function addLegend(map) {
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var box = element("div", null, "fp-legend");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Map legend");
      var statuses = element("div", null, "fp-legend-row");
      statuses.appendChild(element("span", LABELS.legendStatus, "fp-legend-title"));
      Object.keys(STATUS).forEach(function (key) {
        statuses.appendChild(legendItem(shapeSvg(key, "reported", 16), STATUS[key].label));
      });
      var sureness = element("div", null, "fp-legend-row");
      sureness.appendChild(element("span", LABELS.legendOutline, "fp-legend-title"));
      Object.keys(CERTAINTY).forEach(function (key) {
        sureness.appendChild(legendItem(shapeSvg("active", key, 16), CERTAINTY[key].label));
      });
      sureness.appendChild(legendItem(
        '<svg width="16" height="16" viewBox="0 0 16 16"><line x1="1" y1="8" x2="15" y2="8" stroke="' + COLORS.movement + '" stroke-width="3"/></svg>',
        LABELS.legendMovement
      ));
      box.appendChild(statuses);
      box.appendChild(sureness);
      return box;
    };
    legend.addTo(map);
  }

  // Fits the data into the part of the map the legend leaves free, once, when the map is made.
  // The component sizes the map's box after this script runs, so wait for the layout first.
  function fitBesideLegend(map, bounds) {
    var tries = 0;
    function fit() {
      map.invalidateSize(false);
      var size = map.getSize();
      if (!size.x || !size.y) {
        // Not laid out yet: keep the initial view and look again shortly (for up to 2 s).
        if (tries++ < 40) window.setTimeout(fit, 50);
        return;
      }
      // A fixed height, not the legend's measured one: the stylesheet may still be loading.
      var height = size.y - LEGEND_SPACE >= 200 ? LEGEND_SPACE : 10;
      map.fitBounds(bounds, { paddingTopLeft: [10, 10], paddingBottomRight: [10, height], animate: false });
    }
    window.setTimeout(fit, 0);
  }

  window.footprintMap = { setStyle: setStyle, setLabels: setLabels, fitBesideLegend: fitBesideLegend, addSites: addSites, followSlider: followSlider, layerOn: layerOn, addOutlines: addOutlines, addLegend: addLegend, escapeHtml: escapeHtml };
})();

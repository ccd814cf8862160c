/* Draws the footprint map's layers (sites, movements, outlines, legend) from data sent by Python.
   All text from the data is put into the page as text nodes or HTML-escaped strings, never as markup. */
(function () {
  "use strict";

  // Marker colours and shapes, movement and land colours: components/style.py sends them with
  // setStyle before anything is drawn (the deck's pictures read the same vocabulary).
  var STATUS = {};
  var CERTAINTY = {};
  var COLORS = { movement: "", changed: "", land: { border: "", home: "", other: "", homeName: "" }, basemap: {} };

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
    COLORS = { movement: String(style.movement), changed: String(style.changed), land: style.land, basemap: style.basemap || {} };
  }

  // Words shown on the map; the page sends its language's words with setLabels.
  var LABELS = {
    legendStatus: "Status:", legendOutline: "Outline:", legendMovement: "Movement", since: "since",
    lang: "en", link: "link", legendName: "Map legend", fullscreen: "Full screen",
    exitFullscreen: "Leave full screen", catalogFailed: "The map's site list could not be loaded",
    outlinesFailed: "Country outlines could not be loaded", compareWith: "Compared with",
    changedRing: "changed", ghost: "on the map only then", notOnMap: "not on the map", arrow: "\u2192"
  };
  var LABEL_KEYS = Object.keys(LABELS);

  function setLabels(labels) {
    Object.keys(labels.status || {}).forEach(function (key) {
      if (STATUS[key]) STATUS[key].label = String(labels.status[key]);
    });
    Object.keys(labels.certainty || {}).forEach(function (key) {
      if (CERTAINTY[key]) CERTAINTY[key].label = String(labels.certainty[key]);
    });
    LABEL_KEYS.forEach(function (key) {
      if (labels[key]) LABELS[key] = String(labels[key]);
    });
  }

  // Room kept free for the legend and scale (bottom left) when fitting the data into view.
  var LEGEND_SPACE = 85;

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

  // A site on the map only at the compared date: its shape hollow and dashed, drawn apart.
  function ghostSvg(status, size) {
    var s = STATUS[status] || STATUS.active;
    return shapeSvg(status, "reported", size)
      .replace(/fill-opacity="[^"]*"/, 'fill-opacity="0.12"')
      .replace(/stroke="[^"]*" stroke-width="[^"]*"/, 'stroke="' + s.color + '" stroke-width="2" stroke-dasharray="2.5,2"');
  }

  var iconCache = {};
  function icon(status, certainty, changed, ghost) {
    var key = status + "|" + certainty + "|" + (changed ? 1 : 0) + "|" + (ghost ? 1 : 0);
    if (!iconCache[key]) {
      var known = STATUS[status] ? status : "active";
      var sure = CERTAINTY[certainty] ? certainty : "reported";
      iconCache[key] = L.divIcon({
        html: ghost ? ghostSvg(known, 22) : shapeSvg(known, sure, 22),
        className: "fp-marker fp-status-" + known + " fp-certainty-" + sure + (changed ? " fp-changed" : "") +
          (ghost ? " fp-ghost" : ""),
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

  // A citation mixes scripts (an Arabic outlet, a Latin date): each run is isolated so both
  // read in order whatever the page's direction.
  function isolated(text) {
    var run = element("bdi", text);
    run.dir = "auto";
    return run;
  }

  function sourceItem(source) {
    var item = element("li");
    item.appendChild(isolated(source[0]));
    item.appendChild(document.createTextNode(", "));
    item.appendChild(isolated(source[1]));
    if (source[2] && /^https?:\/\//.test(source[2])) {
      var link = element("a", LABELS.link);
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
    var arabicFirst = LABELS.lang === "ar";
    box.dir = arabicFirst ? "rtl" : "ltr";
    var english = element("div", place[3], arabicFirst ? "fp-popup-name-en" : "fp-popup-name");
    english.dir = "ltr";
    english.lang = "en";
    if (!arabicFirst) box.appendChild(english);
    if (place[4]) {
      var arabic = element("div", place[4], arabicFirst ? "fp-popup-name" : "fp-popup-name-ar");
      arabic.dir = "rtl";
      arabic.lang = "ar";
      box.appendChild(arabic);
    }
    if (arabicFirst) box.appendChild(english);
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

  function canvasMarker(place, state, ghost) {
    if (!canvasRenderer) canvasRenderer = L.canvas({ padding: 0.5 });
    var s = STATUS[state[1]] || STATUS.active;
    var c = CERTAINTY[state[2]] || CERTAINTY.reported;
    return new ShapeMarker([place[1], place[2]], {
      renderer: canvasRenderer,
      shape: s.shape,
      radius: 6,
      color: ghost ? s.color : (state[5] ? COLORS.changed : c.stroke),
      weight: ghost ? 2 : (state[5] ? 3 : c.width),
      dashArray: ghost ? "2.5,2" : (c.dash || null),
      fillColor: s.color,
      fillOpacity: ghost ? 0.12 : c.fill
    });
  }

  function statusOrAbsent(status) {
    return status === null || status === undefined ? LABELS.notOnMap : statusLabel(status);
  }

  // Compare mode: "status (earlier date) -> status (later date)" for a site that changed;
  // `now` is its state on the map's date, `then` at the other date (either may be missing).
  function changeWords(now, then, compare) {
    var before = compare.shownIsLater ? then : now;
    var after = compare.shownIsLater ? now : then;
    return statusOrAbsent(before && before[1]) + " (" + compare.earlier + ") " + LABELS.arrow + " " +
      statusOrAbsent(after && after[1]) + " (" + compare.later + ")";
  }

  // The site a marker stands for, in its tooltip where streamlit-folium reads it on a click
  // (last_object_clicked_tooltip): markers moved apart (see arrange) report moved positions,
  // and two sites may share one place, so the position alone cannot say which was clicked.
  function siteTag(id) {
    return '<span class="fp-site-id" hidden>[[' + escapeHtml(id) + "]]</span>";
  }

  // `compare` (compare mode): before -> after in the changed sites' tooltips, and the ghosts,
  // sites on the map only at the other date, drawn apart (hollow, dashed).
  function drawSites(group, states, catalog, compare) {
    var ghosts = (compare && compare.ghosts) || [];
    var onCanvas = states.length + ghosts.length > CANVAS_THRESHOLD;
    // Each site's state at the other date, from the catalogue as when following the slider
    // (a browser test holds layerOn to Python's snapshot on every boundary of the data).
    var then = {};
    if (compare && catalog.spans) {
      layerOn(compare.day, catalog, 0).sites.forEach(function (state) { then[state[0]] = state; });
    }
    var drawn = [];
    function draw(state, ghost) {
      var place = catalog.sites[state[0]];
      if (!place) return;
      var marker = onCanvas ? canvasMarker(place, state, ghost) : L.marker([place[1], place[2]], {
        // Briefing steps and compare mode ring the sites whose status changed.
        icon: icon(state[1], state[2], Boolean(state[5]) && !ghost, ghost),
        keyboard: true,
        riseOnHover: true,
        title: ""
      });
      // Names in the script of the page's language where the data has them.
      var name = LABELS.lang === "ar" && place[4] ? place[4] : place[3];
      var what = statusLabel(state[1]);
      if (compare && ghost) what = changeWords(null, state, compare);
      else if (compare && state[5]) what = changeWords(state, then[state[0]], compare);
      var tooltip = siteTag(place[0]) + escapeHtml(name) + " &mdash; " + escapeHtml(what);
      var popup = function () { return popupContent(place, state, catalog); };
      if (onCanvas) {
        // Thousands of bindings cost more than the drawing: bind on first use instead.
        marker.once("mouseover", function () { marker.bindTooltip(tooltip).openTooltip(); });
        marker.once("click", function (e) { marker.bindPopup(popup, { maxWidth: 320 }).openPopup(e.latlng); });
      } else {
        marker.bindTooltip(tooltip);
        marker.bindPopup(popup, { maxWidth: 320 });
        var shortName = LABELS.lang === "ar" && place[4] ? place[4] : (place[5] || place[3]);
        drawn.push({
          marker: marker, home: L.latLng(place[1], place[2]), label: shortName, id: place[0],
          // Named first: forces reported there on this date; then forces planned or no longer
          // confirmed there; then the rest (see placeLabels).
          rank: (state[1] === "active" || state[1] === "drawdown") && !ghost
            ? (state[2] === "planned" || state[2] === "unconfirmed" ? 1 : 0) : 2
        });
      }
      marker.addTo(group);
    }
    states.forEach(function (state) { draw(state, false); });
    ghosts.forEach(function (state) { draw(state, true); });
    if (!onCanvas) arrange(group, drawn);
    compareLegend(group._map || window.map, compare);
  }

  // Compare mode adds a legend row for the ring and the ghosts; without it the row goes.
  function compareLegend(map, compare) {
    var box = map && map.__fpLegend;
    if (!box) return;
    var row = box.querySelector(".fp-legend-compare");
    if (row) row.remove();
    if (!compare) return;
    row = element("div", null, "fp-legend-row fp-legend-compare");
    row.appendChild(element("span", LABELS.compareWith + " " + compare.other + ":", "fp-legend-title"));
    row.appendChild(legendItem(
      '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="5.5" fill="none" stroke="' +
        COLORS.changed + '" stroke-width="3"/></svg>', LABELS.changedRing
    ));
    row.appendChild(legendItem(ghostSvg("active", 16), LABELS.ghost));
    box.appendChild(row);
  }

  // --- Crowded places: markers moved apart, short names beside them ---------------------------

  var MARKER_SIZE = 22;
  var SPREAD_GAP = 25;  // px at least between the centres of two markers
  var arranged = { group: null, items: [], extras: null };

  // Markers closer than a marker's width are moved onto a small ring around their centre, with a
  // thin line back to where they are, so each can be seen, hovered and clicked; then each gets
  // its short name on the side where it collides with no other name or marker (or none at all).
  function arrange(group, items) {
    var map = group._map || window.map;
    if (!map) return;
    if (arranged.extras) arranged.extras.remove();
    arranged = { group: group, items: items, extras: L.layerGroup().addTo(map) };
    if (!map.__fpArranges) {
      map.__fpArranges = true;
      // Under the markers, over the outlines; never in the way of a click.
      var pane = map.createPane("fpLabels");
      pane.style.zIndex = 590;
      pane.style.pointerEvents = "none";
      map.on("moveend", function () { if (arranged.group) arrange(arranged.group, arranged.items); });
    }
    if (!items.length || !map.getSize().x) return;
    var points = items.map(function (item) { return map.latLngToLayerPoint(item.home); });
    var shown = spreadApart(points, SPREAD_GAP);
    points.forEach(function (home, n) {
      if (home.distanceTo(shown[n]) < 3) return;
      L.polyline([items[n].home, map.layerPointToLatLng(shown[n])], {
        color: COLORS.basemap.leader, weight: 1, opacity: 0.6, interactive: false, className: "fp-leader"
      }).addTo(arranged.extras);
      L.circleMarker(items[n].home, {
        radius: 2, weight: 0, fillColor: COLORS.basemap.leader, fillOpacity: 0.8, interactive: false
      }).addTo(arranged.extras);
    });
    items.forEach(function (item, n) {
      item.marker.setLatLng(map.layerPointToLatLng(shown[n]));
      var box = item.marker.getElement();
      if (box) {
        box.setAttribute("aria-label", item.label);
        box.setAttribute("data-site", item.id);  // for tools and tests: which site this marker is
      }
    });
    placeLabels(map, items, shown);
  }

  // Pushes points apart until no two are closer than `gap` (or 200 rounds have passed): each
  // round moves both of every too-close pair half the shortfall away from each other. Points on
  // the very same spot start apart in a fixed direction per pair, so the result never varies.
  function spreadApart(points, gap) {
    var shown = points.map(function (p) { return L.point(p.x, p.y); });
    for (var round = 0; round < 200; round++) {
      var moved = false;
      for (var i = 0; i < shown.length; i++) {
        for (var j = i + 1; j < shown.length; j++) {
          var dx = shown[j].x - shown[i].x, dy = shown[j].y - shown[i].y;
          var distance = Math.sqrt(dx * dx + dy * dy);
          if (distance >= gap - 0.01) continue;
          if (distance < 0.01) {
            var angle = (i * 7 + j * 3) % 12 * Math.PI / 6;
            dx = Math.cos(angle); dy = Math.sin(angle); distance = 1;
          }
          var push = (gap - distance) / 2 / distance;
          shown[i].x -= dx * push; shown[i].y -= dy * push;
          shown[j].x += dx * push; shown[j].y += dy * push;
          moved = true;
        }
      }
      if (!moved) break;
    }
    return shown;
  }

  function overlaps(a, b) {
    return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
  }

  var measure = null;
  function labelWidth(text) {
    if (!measure) measure = document.createElement("canvas").getContext("2d");
    measure.font = "600 13px Helvetica Neue, Arial, sans-serif";
    return Math.ceil(measure.measureText(text).width) + 8;
  }

  // Greedy placement, most crowded markers first: right, left, above, below the marker.
  function placeLabels(map, items, shown) {
    var half = MARKER_SIZE / 2, height = 18;
    var taken = shown.map(function (p) {
      return L.bounds(p.subtract(L.point(half, half)), p.add(L.point(half, half)));
    });
    // No name under the zoom and full-screen buttons or the legend: on a phone they cover a
    // good part of the map.
    var frame = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (control) {
      var r = control.getBoundingClientRect();
      if (!r.width || !r.height) return;
      taken.push(L.bounds(
        map.containerPointToLayerPoint([r.left - frame.left, r.top - frame.top]),
        map.containerPointToLayerPoint([r.right - frame.left, r.bottom - frame.top])
      ));
    });
    var view = map.getPixelBounds();
    var origin = map.getPixelOrigin();
    var visible = L.bounds(view.min.subtract(origin), view.max.subtract(origin));
    // Named in this order, each on the first side of its marker or dot that is free: sites
    // where forces are reported on this date (what the slide is about: Erbil Air Base, not only
    // the city beside it), sites where they are planned or unconfirmed, the main cities (the
    // room finds its way by them), the other sites, and the other cities where room is left.
    var cities = map.__fpCities || [];
    var shownMinor = map.getZoom() >= MINOR_CITY_ZOOM;
    var indices = items.map(function (item, n) { return n; });
    var ranked = function (rank) { return indices.filter(function (n) { return items[n].rank === rank; }); };
    placeSiteLabels(map, items, shown, taken, visible, half, height, ranked(0).concat(ranked(1)));
    cities.forEach(function (city) { if (city.rank === 1) placeCity(map, city, taken, visible); });
    placeSiteLabels(map, items, shown, taken, visible, half, height, ranked(2));
    cities.forEach(function (city) {
      if (city.rank !== 1) placeCity(map, city, taken, visible, !shownMinor);
    });
  }

  function placeCity(map, city, taken, visible, hidden) {
    var element = city.marker.getElement();
    var span = element && element.firstChild;
    if (!span) return;
    var p = map.latLngToLayerPoint(city.at), w = city.width, h = 15;
    // Beside the dot first, then around it a little further out (crowded places).
    var sides = [];
    if (!hidden) {
      [0, 16, 30].forEach(function (reach) {
        for (var k = 0; k < 8; k++) {
          var dx = Math.round(Math.cos(k * Math.PI / 4) * 100) / 100;
          var dy = Math.round(Math.sin(k * Math.PI / 4) * 100) / 100;
          var x = dx > 0.3 ? 5 : (dx < -0.3 ? -5 - w : -w / 2);
          var y = dy > 0.3 ? 4 : (dy < -0.3 ? -19 : -8);
          sides.push([x + dx * reach, y + dy * reach]);
        }
      });
    }
    for (var n = 0; n < sides.length; n++) {
      var corner = p.add(L.point(sides[n][0], sides[n][1]));
      var box = L.bounds(corner, corner.add(L.point(w, h)));
      if (!visible.contains(box) || taken.some(function (other) { return overlaps(box, other); })) continue;
      taken.push(box);
      span.style.left = sides[n][0] + "px";
      span.style.top = sides[n][1] + "px";
      element.style.visibility = "";
      return;
    }
    element.style.visibility = "hidden";
  }

  var DIAGONAL_REACH = 8;  // px further out than the four sides; more reads as another marker's
  function placeSiteLabels(map, items, shown, taken, visible, half, height, order) {
    order.forEach(function (n) {
      var item = items[n];
      var p = shown[n], width = labelWidth(item.label);
      var candidates = [
        [L.point(half + 2, -height / 2), "right"],
        [L.point(-half - 2 - width, -height / 2), "left"],
        [L.point(-width / 2, -half - 2 - height), "above"],
        [L.point(-width / 2, half + 2), "below"]
      ];
      // Where a city's name or a neighbour takes all four sides (Erbil Air Base beside Erbil),
      // a little further out on the diagonals too, rather than no name at all.
      var reach = DIAGONAL_REACH;
      candidates.push(
        [L.point(half + 2 + reach, -height - reach / 2), "upper right"],
        [L.point(half + 2 + reach, reach / 2), "lower right"],
        [L.point(-half - 2 - width - reach, -height - reach / 2), "upper left"],
        [L.point(-half - 2 - width - reach, reach / 2), "lower left"]
      );
      for (var c = 0; c < candidates.length; c++) {
        var corner = p.add(candidates[c][0]);
        var box = L.bounds(corner, corner.add(L.point(width, height)));
        if (!visible.contains(box)) continue;
        if (taken.some(function (other) { return overlaps(box, other); })) continue;
        taken.push(box);
        L.marker(map.layerPointToLatLng(corner), {
          interactive: false,
          keyboard: false,
          pane: "fpLabels",
          icon: L.divIcon({
            className: "fp-site-label",
            html: "<span>" + escapeHtml(item.label) + "</span>",
            iconSize: [width, height],
            iconAnchor: [0, 0]
          })
        }).addTo(arranged.extras);
        break;
      }
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

  // Streamlit's page markup is known only to the page's adapter (streamlit-adapter.js, put
  // there by components/streamlit_dom.py); null when there is none (another origin, no app).
  function streamlitAdapter() {
    try {
      return (window.frameElement && window.parent.footprintStreamlit) || null;
    } catch (error) {
      return null;  // a page from another origin
    }
  }

  // The map follows the page's date slider in the browser: Streamlit sends the new date only
  // after its rerun (100 to 250 ms on the full page, see BENCHMARKS.md) and not at all while
  // the slider is being dragged, so the map would lag behind the hand. The app's iframe is served
  // from the page's own origin, so it can watch the slider through the page's adapter; when it
  // cannot (another origin, no slider), the map simply waits for the rerun as before.
  // shownKey: "catalogue|date" now on the map; ahead: the map shows a slider date that no rerun
  // has confirmed yet (the user moved the slider); ticket: the newest layer Python sent.
  var follower = {
    sliderKey: null, windowDays: 0, input: null, stopWatching: null, layer: null,
    catalog: null, catalogUrl: null, shownKey: null, ahead: false, ticket: 0, looks: 0
  };

  // `sliderKey` is the slider's widget key in the page ("date").
  function followSlider(map, sliderKey, windowDays) {
    follower.sliderKey = sliderKey;
    follower.windowDays = windowDays;
    // Sites are drawn into one group of our own, not into the group streamlit-folium swaps on
    // every rerun: then a rerun that brings the date the map already shows costs no redraw.
    // It is on the map before streamlit-folium starts, which binds its click handler to it.
    follower.layer = L.featureGroup().addTo(map);
    watchSlider();
    awaitSlider();
  }

  // A session's first run sends the map before its slider (components/first_screen.py), and the
  // run that brings the slider may bring no new layer: until the slider is on the page, look for
  // it whenever the page changes.
  var sliderSearch = null;
  function awaitSlider() {
    if (follower.input || sliderSearch) return;
    var host = null;
    try {
      host = window.frameElement && window.parent.document;
    } catch (error) {
      host = null;  // a page from another origin: no following
    }
    if (!host || !host.body) return;
    sliderSearch = new MutationObserver(function () {
      if (!follower.input) watchSlider();
      if (follower.input) {
        sliderSearch.disconnect();
        sliderSearch = null;
      }
    });
    sliderSearch.observe(host.body, { childList: true, subtree: true });
  }

  function watchSlider() {
    var adapter = streamlitAdapter();
    var input = adapter ? adapter.sliderInput(follower.sliderKey) : null;
    if (!input && window.frameElement && follower.looks++ < 50) {
      // The page's adapter or slider may be drawn after the map's frame: look again shortly.
      window.setTimeout(watchSlider, 100);
    }
    if (input === follower.input) return;
    if (follower.stopWatching) follower.stopWatching();
    follower.input = input;
    follower.stopWatching = input ? adapter.watchSlider(input, scheduleSliderDate) : null;
  }

  // The slider's day (days since 1970), or null when there is no slider to follow.
  function sliderDay() {
    var adapter = streamlitAdapter();
    return adapter && follower.input ? adapter.sliderDay(follower.input) : null;
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
    drawSites(group, layer.sites || [], catalog, layer.compare);
    // The date this layer shows, so tests and tools can tell the map is up to date.
    window.footprintMapDate = layer.date;
    signalPainted();
  }

  // The page holds back what is below the map until the map has painted (views/analyst.py,
  // below_the_map_ready): once the first markers are on screen, press its hidden button.
  var paintSignalled = false;
  function signalPainted() {
    if (paintSignalled) return;
    paintSignalled = true;
    var tries = 0;
    window.requestAnimationFrame(function press() {
      var adapter = streamlitAdapter();
      if (adapter && adapter.pressButton("map_painted")) return;
      if (tries++ < 20 && window.frameElement) window.setTimeout(press, 100);
    });
  }

  function addSites(group, payload) {
    if (payload.fit && window.map) {
      window.map.fitBounds(payload.fit, { paddingTopLeft: [20, 20], paddingBottomRight: [20, LEGEND_SPACE] });
    }
    var target = follower.layer || group;
    if (follower.sliderKey) watchSlider();
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
      var marked = payload.fit || payload.compare ||
        (payload.sites || []).some(function (state) { return state[5]; });
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
        return element("div", LABELS.catalogFailed + " (" + error.message + ").", "fp-note");
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
        return element("div", LABELS.outlinesFailed + " (" + error.message + ").", "fp-note");
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

  // On a phone the open legend covers about a third of the map: on a small screen (the page's,
  // not the frame's, so a narrow map column on a desktop keeps its legend open) it starts folded
  // into one button that opens it. On wider screens there is no button and it is always open.
  var SMALL_SCREEN = "(max-width: 640px)";

  function smallScreenQuery() {
    try {
      if (window.top !== window && window.top.matchMedia) return window.top.matchMedia(SMALL_SCREEN);
    } catch (error) { /* a page from another origin: the frame's own width decides */ }
    return window.matchMedia(SMALL_SCREEN);
  }

  var legendCount = 0;
  function addLegend(map) {
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var box = element("div", null, "fp-legend");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", LABELS.legendName);
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
      var rows = element("div", null, "fp-legend-rows");
      rows.id = "fp-legend-rows-" + (++legendCount);
      rows.appendChild(statuses);
      rows.appendChild(sureness);
      var toggle = element("button", null, "fp-legend-toggle");
      toggle.type = "button";
      toggle.setAttribute("aria-controls", rows.id);
      toggle.innerHTML = '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">' +
        '<path d="M2 9l5-5 5 5" fill="none" stroke="currentColor" stroke-width="2"/></svg>';  // constant
      toggle.appendChild(element("span", LABELS.legendName));
      function open(shown) {
        rows.hidden = !shown;
        toggle.setAttribute("aria-expanded", shown ? "true" : "false");
        box.classList.toggle("fp-legend-folded", !shown);
      }
      function fitScreen(small) {
        box.classList.toggle("fp-legend-compact", small);
        toggle.hidden = !small;
        open(!small);
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      L.DomEvent.on(toggle, "click", function () { open(rows.hidden); });
      box.appendChild(toggle);
      box.appendChild(rows);
      // Compare mode's legend row joins the rows, so it folds with them on a phone.
      map.__fpLegend = rows;
      var query = smallScreenQuery();
      fitScreen(query.matches);
      if (query.addEventListener) {
        query.addEventListener("change", function (event) { fitScreen(event.matches); });
      }
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


  // --- The offline basemap's context: governorates, the Kurdistan Region, rivers, cities ------

  // Cities of rank 2 are named from this zoom on (the briefing's closer views); rank 1 always.
  var MINOR_CITY_ZOOM = 7;

  function addBasemap(map, url) {
    var loaded = typeof url === "string" ?
      fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }) : Promise.resolve(url);
    if (!map.getPane("fpPlaces")) {
      var pane = map.createPane("fpPlaces");
      pane.style.zIndex = 420;  // over the outlines, under movements and markers
      pane.style.pointerEvents = "none";
    }
    return loaded.then(function (basemap) {
      var arabic = LABELS.lang === "ar";
      var byKind = { governorate: [], region: [], river: [], city: [] };
      (basemap.features || []).forEach(function (f) {
        var kind = f.properties && f.properties.kind;
        if (byKind[kind]) byKind[kind].push(f);
      });
      var layers = L.layerGroup();
      L.geoJSON({ type: "FeatureCollection", features: byKind.governorate }, {
        interactive: false, pane: "fpPlaces",
        style: { color: COLORS.basemap.governorate, weight: 0.8, dashArray: "4,3", fill: false, className: "fp-governorate" }
      }).addTo(layers);
      L.geoJSON({ type: "FeatureCollection", features: byKind.river }, {
        interactive: false, pane: "fpPlaces",
        style: { color: COLORS.basemap.river, weight: 2.2, opacity: 0.85, className: "fp-river" }
      }).addTo(layers);
      L.geoJSON({ type: "FeatureCollection", features: byKind.region }, {
        interactive: false, pane: "fpPlaces",
        style: { color: COLORS.basemap.region, weight: 2.5, opacity: 0.9, dashArray: "7,4", className: "fp-region" }
      }).addTo(layers);
      function nameOf(f) { return arabic && f.properties.name_ar ? f.properties.name_ar : f.properties.name; }
      var cities = [];
      function placeLabel(latlng, text, className, anchor) {
        return L.marker(latlng, {
          interactive: false, keyboard: false, pane: "fpPlaces",
          icon: L.divIcon({
            className: className,
            html: '<span dir="auto">' + escapeHtml(text) + "</span>",
            iconSize: null,
            iconAnchor: anchor || [0, 0]
          })
        }).addTo(layers);
      }
      byKind.city.forEach(function (f) {
        var at = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
        var minor = f.properties.rank > 1 ? " fp-city-minor" : "";
        L.circleMarker(at, {
          pane: "fpPlaces", radius: 3, weight: 1, color: COLORS.basemap.city_edge, fillColor: COLORS.basemap.city_fill,
          fillOpacity: 1, interactive: false, className: "fp-city-dot" + minor
        }).addTo(layers);
        var label = placeLabel(at, nameOf(f), "fp-city" + minor, [0, 0]);
        cities.push({ marker: label, at: at, rank: f.properties.rank, width: labelWidth(nameOf(f)) - 12 });
      });
      map.__fpCities = cities;
      // The region's and the rivers' names where their lines are, not at a corner.
      // The region's name by its north-eastern border, where the mountains leave room.
      byKind.region.forEach(function (f) {
        var box = L.geoJSON(f).getBounds();
        placeLabel(L.latLng(box.getNorth() - 0.1, box.getEast() + 0.15), nameOf(f), "fp-region-label");
      });
      byKind.river.forEach(function (f) {
        if (f.properties.name === "Shatt al Arab") return;  // too short to name at these zooms
        var runs = f.geometry.coordinates.slice().sort(function (a, b) { return b.length - a.length; });
        var run = runs[0];
        var middle = run[Math.floor(run.length * 0.45)];
        placeLabel(L.latLng(middle[1], middle[0]), nameOf(f), "fp-river-label");
      });
      layers.addTo(map);
      if (arranged.group) arrange(arranged.group, arranged.items);
      function zoomClass() {
        var low = map.getZoom() < MINOR_CITY_ZOOM;
        map.getContainer().classList.toggle("fp-zoomed-out", low);
      }
      map.on("zoomend", zoomClass);
      zoomClass();
      window.footprintBasemapReady = true;
      return layers;
    }).catch(function (error) {
      var note = L.control({ position: "bottomleft" });
      note.onAdd = function () {
        return element("div", LABELS.outlinesFailed + " (" + error.message + ").", "fp-note");
      };
      note.addTo(map);
    });
  }

  // --- Full screen, with the browser's own API (nothing fetched) ---------------------------------

  // The map's box follows its frame's height: the page sizes the frame to the screen (views/page.css),
  // and full screen makes the frame as large as the screen.
  function fillFrame(map) {
    map.getContainer().style.setProperty("height", "100vh", "important");
    window.addEventListener("resize", function () { map.invalidateSize(); });
    map.invalidateSize();
  }

  // Inside the app the frame itself goes full screen (same origin); a file opened on its own, the page.
  function fullscreenTarget() {
    try {
      if (window.frameElement && window.frameElement.requestFullscreen) return window.frameElement;
    } catch (error) { /* another origin */ }
    return document.documentElement;
  }

  function fullscreenDocument() {
    var target = fullscreenTarget();
    return target.ownerDocument || document;
  }

  function addFullscreen(map) {
    if (!document.documentElement.requestFullscreen) return;
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var bar = element("div", null, "leaflet-bar fp-fullscreen");
      var button = element("button", null, "fp-fullscreen-button");
      button.type = "button";
      button.innerHTML = '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">' +
        '<path d="M2 7V2h5M11 2h5v5M16 11v5h-5M7 16H2v-5" fill="none" stroke="currentColor" stroke-width="2"/></svg>';
      function label() {
        var on = Boolean(fullscreenDocument().fullscreenElement);
        button.setAttribute("aria-label", on ? LABELS.exitFullscreen : LABELS.fullscreen);
        button.title = on ? LABELS.exitFullscreen : LABELS.fullscreen;
        button.setAttribute("aria-pressed", on ? "true" : "false");
      }
      label();
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(button, "click", function () {
        var owner = fullscreenDocument();
        if (owner.fullscreenElement) owner.exitFullscreen();
        else fullscreenTarget().requestFullscreen().catch(function () { /* refused: the map stays */ });
      });
      fullscreenDocument().addEventListener("fullscreenchange", function () {
        label();
        map.invalidateSize();
      });
      bar.appendChild(button);
      return bar;
    };
    control.addTo(map);
  }

  // --- A presenter's keys while the map has the focus --------------------------------------------

  // The page (streamlit_dom.py, presenter.js) handles the slide keys; when the map has the focus the keys arrive here, so
  // they are handed up to it instead of panning the map.
  var PRESENTER_KEYS = ["ArrowRight", "ArrowLeft", " ", "PageDown", "PageUp", "Home", "End", "n", "N", "p", "P"];

  function forwardPresenterKeys() {
    document.addEventListener("keydown", function (event) {
      if (PRESENTER_KEYS.indexOf(event.key) < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
      var target = event.target;
      if (target && target.closest && target.closest("input, textarea, select, button, a, .leaflet-popup")) return;
      var presenter = null;
      try { presenter = window.parent !== window && window.parent.footprintPresenter; } catch (error) { presenter = null; }
      if (presenter && presenter.handle(event.key)) {
        event.preventDefault();
        event.stopPropagation();
      }
    }, true);
  }

  window.footprintMap = { setStyle: setStyle, setLabels: setLabels, fitBesideLegend: fitBesideLegend, addSites: addSites, followSlider: followSlider, layerOn: layerOn, addOutlines: addOutlines, addLegend: addLegend, escapeHtml: escapeHtml,
    addBasemap: addBasemap, addFullscreen: addFullscreen, fillFrame: fillFrame, forwardPresenterKeys: forwardPresenterKeys };
})();

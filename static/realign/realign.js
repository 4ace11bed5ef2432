/* Leaflet plugin of the Korea realignment map.
 *
 * Builds the whole story map from one JSON spec made by the Python core
 * (realignment/webmap.py): the offline vector basemap, the overlay groups,
 * place labels, edge callouts, the legend, a full-screen and a measuring
 * control. Geometry is fetched from the app's own static files, so the map
 * script stays small and the browser caches the layers.
 *
 * Every text from the content files reaches the page through esc() or
 * textContent, never as raw HTML.
 */
(function () {
  "use strict";

  function esc(value) {
    return String(value)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Icons drawn inline (no icon font, no emoji font needed on the presenter's machine).
  var ICON_FULLSCREEN =
    '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" style="vertical-align:middle">' +
    '<path d="M2 7V2h5M11 2h5v5M16 11v5h-5M7 16H2v-5" fill="none" stroke="#222" stroke-width="2"/></svg>';
  var ICON_MEASURE =
    '<svg width="20" height="18" viewBox="0 0 20 18" aria-hidden="true" style="vertical-align:middle">' +
    '<rect x="1" y="5" width="18" height="8" fill="none" stroke="#222" stroke-width="1.6"/>' +
    '<path d="M5 5v4M9 5v3M13 5v4M17 5v3" stroke="#222" stroke-width="1.4"/></svg>';

  var state = {
    map: null,
    spec: null,
    places: {}, // place id -> {layers: [...], item: spec item}
    selected: null,
    groups: {},
    clicks: 0,
    pending: 0,
  };

  function loadGeoJSON(url, layer, onload) {
    state.pending += 1;
    // a stand-alone export carries its layers in spec.preloaded (keyed by url) instead of fetching them
    var preloaded = state.spec && state.spec.preloaded;
    (preloaded && Object.prototype.hasOwnProperty.call(preloaded, url)
      ? Promise.resolve(preloaded[url])
      : fetch(url, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      }))
      .then(function (data) {
        layer.addData(data);
        if (onload) onload(layer);
      })
      .catch(function (err) {
        console.warn("realign: could not load " + url, err);
        showProblem("Could not load map layer " + url.split("/").pop());
      })
      .finally(function () {
        state.pending -= 1;
        if (state.pending === 0 && state.map) {
          state.map.getContainer().setAttribute("data-layers-loaded", "true");
          // when, in this frame's clock, the last layer was drawn (read by the benchmark)
          state.map.getContainer().setAttribute("data-loaded-ms", String(Math.round(performance.now())));
          applySelection();
        }
      });
  }

  function showProblem(text) {
    if (!state.map) return;
    var box = state.map.getContainer().querySelector(".realign-problem");
    if (!box) {
      box = el("div", "realign-problem");
      box.setAttribute("role", "alert");
      state.map.getContainer().appendChild(box);
    }
    box.appendChild(el("div", null, text));
  }

  function styleFor(style, selected) {
    var s = {
      color: style.color,
      weight: style.weight,
      dashArray: style.dash || null,
      fillColor: style.fillColor || style.color,
      fillOpacity: style.fillOpacity,
      opacity: 1,
    };
    if (selected) {
      s.weight = style.weight + 3;
      s.fillOpacity = Math.min(0.6, style.fillOpacity + 0.2);
    }
    return s;
  }

  // streamlit-folium reports a click only after a 250 ms debounce. For a click on a place we send the
  // same value it would send, at once, and record it as already sent so its debounced report is a no-op.
  function reportNow(e, label) {
    var data = window.__GLOBAL_DATA__;
    var host = window.Streamlit;
    if (!data || !host || !data.returned_objects || !label) return;
    var value = {};
    data.returned_objects.forEach(function (k) {
      if (k === "last_object_clicked") value[k] = e.latlng;
      else if (k === "last_object_clicked_tooltip") value[k] = label;
    });
    if (Object.keys(value).length !== data.returned_objects.length) return; // a shape we do not know: let it be
    var ordered = {};
    ["last_object_clicked", "last_object_clicked_tooltip"].forEach(function (k) { if (k in value) ordered[k] = value[k]; });
    // what streamlit-folium's own (debounced) report will say: marked as sent, so it sends nothing more
    data.previous_data = JSON.parse(JSON.stringify(ordered));
    // a click counter makes a second click on the same place a new value, so it selects that place again
    state.clicks += 1;
    if (ordered.last_object_clicked) {
      ordered.last_object_clicked = { lat: e.latlng.lat, lng: e.latlng.lng, click: state.clicks };
    }
    host.setComponentValue(ordered);
  }

  function register(id, layer, item) {
    if (!id) return;
    if (!state.places[id]) state.places[id] = { layers: [], item: item };
    state.places[id].layers.push({ layer: layer, item: item });
  }

  // Chrome puts a shape with a hover label in the Tab order (Leaflet listens for its focus to show the label).
  // Such a stop gets the label as its name; a place's shape is a button: Enter or Space selects it, as a click does.
  function keyboardShape(layer, item) {
    if (!item.label) return;
    function onKey(e) {
      if (e.key !== "Enter" && e.key !== " ") return;
      L.DomEvent.preventDefault(e);
      var at = layer.getCenter ? layer.getCenter() : layer.getBounds().getCenter();
      layer.fire("click", { latlng: at, originalEvent: e }, true);
    }
    layer.on("add", function () {
      var path = layer.getElement && layer.getElement();
      if (!path) return;
      path.setAttribute("aria-label", item.label);
      path.setAttribute("role", item.place ? "button" : "img");
      if (item.place) L.DomEvent.on(path, "keydown", onKey);
    });
  }

  function addItem(map, group, item) {
    var layer = null;
    if (item.type === "geojson") {
      layer = L.geoJSON(null, {
        style: function () { return styleFor(item.style, false); },
        interactive: item.interactive !== false,
        onEachFeature: function (feature, sub) {
          if (item.label) sub.bindTooltip(esc(item.label), { sticky: true, className: "realign-tip" });
          keyboardShape(sub, item);
        },
      });
      loadGeoJSON(item.url, layer);
    } else if (item.type === "point") {
      layer = L.circleMarker([item.lat, item.lon], {
        pane: "realign-places",
        radius: item.radius || 7,
        color: "#000",
        weight: 1.5,
        fillColor: item.style.color,
        fillOpacity: item.style.fillOpacity,
      });
      if (item.label) {
        layer.bindTooltip(esc(item.label), {
          permanent: true,
          direction: item.labelDir || "right",
          className: "realign-label" + (item.major ? " realign-label-major" : ""),
          offset: item.labelDir === "left" ? [-8, 0] : [8, 0],
        });
      }
    } else if (item.type === "line") {
      layer = L.polyline(item.coords, L.extend(styleFor(item.style, false), { pane: "realign-lines" }));
      if (item.label) {
        layer.bindTooltip(esc(item.label), {
          permanent: !!item.permanentLabel,
          sticky: !item.permanentLabel,
          direction: "center",
          className: "realign-line-label",
        });
        if (!item.permanentLabel) keyboardShape(layer, item);
      }
    } else if (item.type === "text") {
      layer = L.marker([item.lat, item.lon], { icon: L.divIcon({ className: "realign-text-anchor", iconSize: [0, 0] }),
        interactive: false, keyboard: false });
      layer.bindTooltip(esc(item.label), { permanent: true, direction: "right", className: "realign-band-label" });
    } else if (item.type === "callout") {
      var html =
        '<div class="realign-callout-arrow" style="transform: rotate(' +
        Number(item.bearing) + 'deg)">&#x2191;</div>' +
        '<div class="realign-callout-text"><strong>' + esc(item.label) + "</strong><br>" +
        esc(item.detail) + "</div>";
      var east = item.anchor === "east";
      layer = L.marker([item.lat, item.lon], {
        icon: L.divIcon({ className: "realign-callout" + (east ? " realign-callout-east" : ""), html: html,
          iconSize: [170, 52], iconAnchor: east ? [170, 26] : [0, 26] }),
        keyboard: true,
        title: item.label + " — " + item.detail,
      });
      layer.bindTooltip(esc(item.label), { direction: "top", className: "realign-tip", opacity: 0.95 });
    }
    if (!layer) return;
    if (item.place && item.label) layer.on("click", function (e) { reportNow(e, item.label); });
    register(item.place, layer, item);
    layer.addTo(group);
  }

  function legendControl(spec) {
    var Legend = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function (map) {
        var box = el("div", "realign-legend leaflet-bar");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", spec.text.legend);
        var title = el("button", "realign-legend-title", spec.text.legend);
        title.type = "button";
        var rows = el("div", "realign-legend-rows");
        // open where there is room for it (wide maps, full screen); one click away on narrower ones
        var open = spec.legendOpen === true || (spec.legendOpen !== false && map.getSize().x >= 1100);
        function setOpen(v) { open = v; rows.style.display = v ? "" : "none";
          title.setAttribute("aria-expanded", String(v)); title.textContent = spec.text.legend + (v ? " \u25BE" : " \u25B8"); }
        L.DomEvent.on(title, "click", function (e) { L.DomEvent.stopPropagation(e); setOpen(!open); });
        box.appendChild(title);
        box.appendChild(rows);
        spec.groups.forEach(function (g) {
          var row = el("div", "realign-legend-row");
          row.setAttribute("data-group", g.id);
          var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
          svg.setAttribute("width", "34");
          svg.setAttribute("height", "14");
          svg.setAttribute("aria-hidden", "true");
          var shape;
          if (g.symbol === "point") {
            shape = document.createElementNS(svg.namespaceURI, "circle");
            shape.setAttribute("cx", "17"); shape.setAttribute("cy", "7"); shape.setAttribute("r", "5");
            shape.setAttribute("fill", g.color); shape.setAttribute("stroke", "#000");
          } else if (g.symbol === "callout") {
            // as on the map: an arrow beside a dashed box, not a line that looks like the MDL's
            shape = document.createElementNS(svg.namespaceURI, "g");
            shape.setAttribute("fill", "none"); shape.setAttribute("stroke", g.color);
            var arrow = document.createElementNS(svg.namespaceURI, "path");
            arrow.setAttribute("d", "M5 13V2M1.5 5.5L5 2l3.5 3.5"); arrow.setAttribute("stroke-width", "1.5");
            var note = document.createElementNS(svg.namespaceURI, "rect");
            note.setAttribute("x", "11"); note.setAttribute("y", "2"); note.setAttribute("width", "21");
            note.setAttribute("height", "10"); note.setAttribute("fill", "#fff"); note.setAttribute("stroke-dasharray", "2 2");
            shape.appendChild(arrow); shape.appendChild(note);
          } else if (g.symbol === "line") {
            shape = document.createElementNS(svg.namespaceURI, "line");
            shape.setAttribute("x1", "2"); shape.setAttribute("y1", "7");
            shape.setAttribute("x2", "32"); shape.setAttribute("y2", "7");
            shape.setAttribute("stroke", g.color); shape.setAttribute("stroke-width", String(g.weight + 0.5));
          } else {
            shape = document.createElementNS(svg.namespaceURI, "rect");
            shape.setAttribute("x", "2"); shape.setAttribute("y", "2");
            shape.setAttribute("width", "30"); shape.setAttribute("height", "10");
            shape.setAttribute("fill", g.color); shape.setAttribute("fill-opacity", String(Math.max(g.fillOpacity, 0.15)));
            shape.setAttribute("stroke", g.color); shape.setAttribute("stroke-width", String(g.weight));
          }
          if (g.dash) shape.setAttribute("stroke-dasharray", g.dash);
          svg.appendChild(shape);
          row.appendChild(svg);
          row.appendChild(el("span", null, g.label));
          rows.appendChild(row);
        });
        setOpen(open);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        map.on("resize", function (e) { if (spec.legendOpen === undefined) setOpen(e.newSize.x >= 1100); });
        return box;
      },
    });
    return new Legend();
  }

  // a link with role=button answers Space as a button does (Enter already clicks it)
  function spaceActivates(a) {
    L.DomEvent.on(a, "keydown", function (e) {
      if (e.key !== " ") return;
      L.DomEvent.preventDefault(e);
      a.click();
    });
  }

  function fullscreenControl(spec) {
    var Full = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function (map) {
        var box = el("div", "leaflet-bar realign-fullscreen");
        var a = el("a");
        a.innerHTML = ICON_FULLSCREEN;
        a.href = "#";
        a.setAttribute("role", "button");
        a.title = spec.text.fullscreen;
        a.setAttribute("aria-label", spec.text.fullscreen);
        spaceActivates(a);
        box.appendChild(a);
        L.DomEvent.on(a, "click", function (e) {
          L.DomEvent.preventDefault(e);
          L.DomEvent.stopPropagation(e);
          var container = map.getContainer();
          var doc = document;
          if (doc.fullscreenElement) {
            doc.exitFullscreen();
          } else if (container.requestFullscreen) {
            container.requestFullscreen().catch(function () {
              container.classList.toggle("realign-pseudo-fullscreen");
              map.invalidateSize();
            });
          }
        });
        document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
        return box;
      },
    });
    return new Full();
  }

  function formatKm(metres) {
    var km = metres / 1000;
    return (km >= 1000 ? km.toFixed(0) : km >= 10 ? km.toFixed(1) : km.toFixed(2)) + " km";
  }

  function measureControl(spec) {
    var Measure = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function (map) {
        var box = el("div", "leaflet-bar realign-measure");
        var a = el("a");
        a.innerHTML = ICON_MEASURE;
        a.href = "#";
        a.setAttribute("role", "button");
        a.title = spec.text.measure;
        a.setAttribute("aria-label", spec.text.measure);
        a.setAttribute("aria-pressed", "false");
        spaceActivates(a);
        box.appendChild(a);
        var active = false, points = [], line = null, marks = L.layerGroup();
        function total() {
          var d = 0;
          for (var i = 1; i < points.length; i++) d += map.distance(points[i - 1], points[i]);
          return d;
        }
        function redraw() {
          marks.clearLayers();
          if (line) map.removeLayer(line);
          line = L.polyline(points, { color: "#000", weight: 2, dashArray: "4 4", interactive: false }).addTo(map);
          points.forEach(function (p) { L.circleMarker(p, { radius: 3, color: "#000", interactive: false }).addTo(marks); });
          if (points.length > 1) {
            var last = points[points.length - 1];
            L.tooltip({ permanent: true, direction: "right", className: "realign-measure-label" })
              .setLatLng(last).setContent(formatKm(total())).addTo(marks);
          }
        }
        function onClick(e) { points.push(e.latlng); redraw(); }
        function stop() { active = false; a.setAttribute("aria-pressed", "false"); box.classList.remove("active");
          map.off("click", onClick); map.doubleClickZoom.enable(); map.getContainer().style.cursor = ""; }
        L.DomEvent.on(a, "click", function (e) {
          L.DomEvent.preventDefault(e);
          L.DomEvent.stopPropagation(e);
          if (active) { stop(); points = []; marks.clearLayers(); if (line) map.removeLayer(line); line = null; return; }
          active = true; points = []; a.setAttribute("aria-pressed", "true"); box.classList.add("active");
          marks.addTo(map); map.on("click", onClick); map.doubleClickZoom.disable();
          map.getContainer().style.cursor = "crosshair";
        });
        map.on("dblclick", function () { if (active) stop(); });
        return box;
      },
    });
    return new Measure();
  }

  function applySelection() {
    var id = state.selected;
    Object.keys(state.places).forEach(function (pid) {
      state.places[pid].layers.forEach(function (entry) {
        var on = pid === id;
        var item = entry.item;
        if (item.type === "geojson" || item.type === "line") {
          entry.layer.setStyle(styleFor(item.style, on));
          if (on && entry.layer.bringToFront) entry.layer.bringToFront();
        } else if (item.type === "point") {
          entry.layer.setStyle({ weight: on ? 4 : 1.5, radius: on ? (item.radius || 7) + 4 : item.radius || 7 });
          var tip = entry.layer.getTooltip && entry.layer.getTooltip();
          if (tip && tip.getElement()) tip.getElement().classList.toggle("realign-label-selected", on);
        } else if (item.type === "callout") {
          var icon = entry.layer.getElement && entry.layer.getElement();
          if (icon) icon.classList.toggle("realign-callout-selected", on);
        }
      });
    });
    if (state.map) state.map.getContainer().setAttribute("data-selected", id || "");
  }

  function showGroups(map, ids) {
    // a briefing scene says which layer groups are visible; the layer control follows
    Object.keys(state.groups).forEach(function (gid) {
      var group = state.groups[gid];
      var on = ids.indexOf(gid) >= 0;
      if (on && !map.hasLayer(group)) group.addTo(map);
      if (!on && map.hasLayer(group)) map.removeLayer(group);
    });
  }

  function select(map, id, options) {
    options = options || {};
    state.selected = id || null;
    if (options.layers) showGroups(map, options.layers);
    applySelection();
    var box = map.getContainer();
    var done = function () {
      box.setAttribute("data-view", String(options.nonce || 0));
      box.setAttribute("data-view-ms", String(Math.round(performance.now())));
    };
    if (options.fit && options.bounds) {
      // a scene: frame all its places at once, briefly animated so the audience sees where it went
      map.once("moveend", done);
      map.flyToBounds(options.bounds, { duration: 0.35, padding: [24, 24], maxZoom: options.maxZoom || 11 });
    } else if (options.fly && options.bounds) {
      map.once("moveend", done);
      map.flyToBounds(options.bounds, { maxZoom: options.maxZoom || 11, duration: 0.6, padding: [30, 30] });
    } else {
      done();
    }
  }

  function forwardPresenterKeys() {
    // a presentation clicker sends PageUp/PageDown; with the focus inside the map frame, pass them on to the page
    document.addEventListener("keydown", function (e) {
      if (e.key !== "PageDown" && e.key !== "PageUp") return;
      try {
        window.parent.document.dispatchEvent(new KeyboardEvent("keydown", { key: e.key, bubbles: true }));
        e.preventDefault();
      } catch (err) {
        /* not embedded in the app: nothing to forward to */
      }
    });
  }

  function build(map, spec) {
    state.map = map;
    state.spec = spec;
    // labels are in the view's language: say so, for screen readers and hyphenation
    if (spec.lang) document.documentElement.lang = spec.lang;
    map.getContainer().style.background = spec.sea;
    if (map.keyboard && map.keyboard.enabled()) {
      // Leaflet focuses the map on mouse-down for its keyboard handler; in a frame that scrolls the page
      // under the pointer, and the click lands beside the place. Focus without scrolling.
      map.keyboard.disable();
      map.keyboard._onMouseDown = function () {
        if (this._focused) return;
        this._map._container.focus({ preventScroll: true });
      };
      map.keyboard.enable();
    }
    map.getContainer().setAttribute("data-realign", "ready");
    if (map.attributionControl) {
      map.attributionControl.setPrefix(false);
      spec.attributions.forEach(function (a) { map.attributionControl.addAttribution(esc(a)); });
    }
    // Areas arrive asynchronously into the overlay pane (400); lines and place markers sit above them
    // in panes of their own, so a late-loading area never covers a marker.
    map.createPane("basemap");
    map.getPane("basemap").style.zIndex = 250;
    map.createPane("realign-lines");
    map.getPane("realign-lines").style.zIndex = 420;
    map.createPane("realign-places");
    map.getPane("realign-places").style.zIndex = 440;

    var bases = {};
    var offline = L.layerGroup();
    var basemapItem = spec.basemap;
    var land = L.geoJSON(null, {
      pane: "basemap",
      interactive: false,
      style: function (f) {
        var c = basemapItem.colors[f.properties.country] || basemapItem.colors.other;
        return { color: basemapItem.coast, weight: 0.8, fillColor: c, fillOpacity: 1, opacity: 1 };
      },
    });
    loadGeoJSON(basemapItem.url, land);
    land.addTo(offline);
    offline.addTo(map);
    bases[spec.text.offline_basemap] = offline;
    spec.tiles.forEach(function (t) {
      // Created but never added: an online layer asks its tile server only when a user picks it.
      bases[t.label] = L.tileLayer(t.url, { attribution: esc(t.attribution), maxZoom: t.maxZoom });
    });

    var overlays = {};
    state.groups = {};
    spec.groups.forEach(function (g) {
      var group = L.featureGroup();
      state.groups[g.id] = group;
      spec.items.filter(function (it) { return it.group === g.id; }).forEach(function (it) { addItem(map, group, it); });
      if (g.visible) group.addTo(map);
      overlays[esc(g.label)] = group;
    });
    L.control.layers(bases, overlays, { collapsed: spec.collapsedControl, position: "topright" }).addTo(map);
    legendControl(spec).addTo(map);
    fullscreenControl(spec).addTo(map);
    measureControl(spec).addTo(map);
    if (state.pending === 0) map.getContainer().setAttribute("data-layers-loaded", "true");
    if (spec.presenterKeys) forwardPresenterKeys();
  }

  window.realign = { build: build, select: select, esc: esc, state: state };
})();

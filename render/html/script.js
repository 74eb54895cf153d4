// crudmap report: focus on a route or a table, filter the findings.
// Everything read from the page goes through textContent, dataset and
// classList; nothing is parsed as HTML.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("crudmap-data").textContent);
  var nodes = {}; // node id -> node
  var out = {}, inc = {}; // node id -> [edge]
  data.nodes.forEach(function (n) { nodes[n.id] = n; out[n.id] = []; inc[n.id] = []; });
  data.edges.forEach(function (e) {
    if (out[e.from]) out[e.from].push(e);
    if (inc[e.to]) inc[e.to].push(e);
  });

  function each(selector, f) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), f);
  }

  // reach returns the set of node ids reachable from start along edges
  // (forward) or against them (backward).
  function reach(start, forward) {
    var seen = {}, stack = [start];
    seen[start] = true;
    while (stack.length) {
      var id = stack.pop();
      ((forward ? out : inc)[id] || []).forEach(function (e) {
        var next = forward ? e.to : e.from;
        if (!seen[next]) { seen[next] = true; stack.push(next); }
      });
    }
    return seen;
  }

  // ---- Findings filters ----
  var routeFilter = document.getElementById("route-filter");

  function applyFilters() {
    var kinds = {};
    each("input.kind-filter", function (cb) { kinds[cb.value] = cb.checked; });
    var route = routeFilter ? routeFilter.value : "";
    var shown = 0, total = 0;
    each("tr.finding", function (tr) {
      var ok = kinds[tr.dataset.kind] !== false && (route === "" || tr.dataset.routes.split("\n").indexOf(route) >= 0);
      tr.hidden = !ok;
      total++;
      if (ok) shown++;
    });
    var count = document.getElementById("finding-count");
    if (count) count.textContent = shown + " of " + total + " shown";
  }

  function setRouteFilter(route) {
    if (!routeFilter) return;
    var found = false;
    Array.prototype.forEach.call(routeFilter.options, function (o) { if (o.value === route) found = true; });
    routeFilter.value = found ? route : "";
  }

  each("input.kind-filter", function (cb) { cb.addEventListener("change", applyFilters); });
  if (routeFilter) routeFilter.addEventListener("change", applyFilters);

  // ---- Focus ----
  var current = null; // {kind: "route"|"table", name: string} or null

  function setHidden(svgID, hidden) {
    var el = document.getElementById(svgID);
    if (el) el.classList.toggle("off", hidden);
  }

  function focusGraph(f) {
    var visible = null;
    if (f) {
      var id = f.kind + ":" + f.name;
      visible = nodes[id] ? reach(id, f.kind === "route") : {};
    }
    data.nodes.forEach(function (n) {
      setHidden(n.svg, visible !== null && !visible[n.id]);
    });
    data.edges.forEach(function (e) {
      setHidden(e.svg, visible !== null && !(visible[e.from] && visible[e.to]));
    });
    data.clusters.forEach(function (c) {
      var show = visible === null || c.nodes.some(function (svg) {
        var el = document.getElementById(svg);
        return el && !el.classList.contains("off");
      });
      setHidden(c.svg, !show);
    });
    return visible;
  }

  // crop fits an svg element to the groups of its graph that pass keep, so
  // that a route at the bottom of a tall graph does not sit below a blank
  // page; size holds the svg's own viewBox, width and height, which crop
  // first restores (and keeps when nothing passes).
  function crop(svgEl, size, keep) {
    svgEl.setAttribute("viewBox", size[0]);
    svgEl.setAttribute("width", size[1]);
    svgEl.setAttribute("height", size[2]);
    if (!keep) return;
    var vb = size[0].split(/[ ,]+/).map(Number);
    var box = svgEl.getBoundingClientRect();
    if (!box.width || !box.height) return;
    var sx = vb[2] / box.width, sy = vb[3] / box.height;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    Array.prototype.forEach.call(svgEl.querySelectorAll("g.node, g.edge, g.cluster"), function (g) {
      if (!keep(g)) return;
      var r = g.getBoundingClientRect();
      if (!r.width && !r.height) return;
      x0 = Math.min(x0, r.left); y0 = Math.min(y0, r.top);
      x1 = Math.max(x1, r.right); y1 = Math.max(y1, r.bottom);
    });
    if (x0 === Infinity) return;
    var pad = 10;
    var w = (x1 - x0) * sx + 2 * pad, h = (y1 - y0) * sy + 2 * pad;
    svgEl.setAttribute("viewBox", [vb[0] + (x0 - box.left) * sx - pad, vb[1] + (y0 - box.top) * sy - pad, w, h]
      .map(function (v) { return v.toFixed(2); }).join(" "));
    svgEl.setAttribute("width", w.toFixed(2) + "pt");
    svgEl.setAttribute("height", h.toFixed(2) + "pt");
  }

  function sizeOf(svgEl) {
    return svgEl && ["viewBox", "width", "height"].map(function (a) { return svgEl.getAttribute(a); });
  }

  // fitGraph crops the call graph to its visible part while a focus hides
  // the rest; without a focus it restores Graphviz's size.
  var graphBox = document.getElementById("graph-box");
  var svg = graphBox.querySelector("svg");
  var svgSize = sizeOf(svg);

  function fitGraph(focused) {
    if (!svg || !svgSize[0]) return;
    // The legend (the graph's label) would be cut by the crop: the page's
    // hint above the graph repeats it.
    each("#graph-box svg > g > text", function (t) { t.classList.toggle("off", focused); });
    crop(svg, svgSize, focused && function (g) { return !g.classList.contains("off"); });
  }

  // The focus atlas (a graph drawn by table): each route's and table's own
  // call graph, a cluster each, of which showPart shows one, cropped.
  var focusBox = document.getElementById("focus-box");
  var atlas = focusBox && focusBox.querySelector("svg");
  var atlasSize = sizeOf(atlas);

  function showPart(part) {
    var mine = function (g) { return g.id === part || g.id.indexOf(part + "_") === 0; };
    graphBox.hidden = !!part;
    focusBox.hidden = !part;
    Array.prototype.forEach.call(atlas.querySelectorAll("g.node, g.edge, g.cluster"), function (g) {
      g.classList.toggle("off", !!part && !mine(g));
    });
    if (part) crop(atlas, atlasSize, mine);
  }

  function focusMatrix(f) {
    each("#matrix-table tbody tr", function (tr) {
      var dim = false, focused = false;
      if (f && f.kind === "route") {
        focused = tr.dataset.route === f.name;
        dim = !focused;
      } else if (f && f.kind === "table") {
        var touches = false;
        Array.prototype.forEach.call(tr.querySelectorAll("td"), function (td) {
          if (td.dataset.table === f.name && td.textContent !== "") touches = true;
        });
        dim = !touches;
      }
      tr.classList.toggle("dim", dim);
      tr.classList.toggle("focused", focused);
    });
    each("#matrix-table [data-table]", function (cell) {
      var isTable = f && f.kind === "table";
      cell.classList.toggle("dim", !!isTable && cell.dataset.table !== f.name);
      cell.classList.toggle("focused", !!isTable && cell.dataset.table === f.name);
    });
  }

  function focusRoutes(f) {
    each("details.route", function (d) {
      var focused = !!f && f.kind === "route" && d.dataset.route === f.name;
      d.classList.toggle("focused", focused);
      if (focused) d.open = true;
    });
  }

  function focus(f, updateURL) {
    current = f;
    var part = f && atlas && data.focus[f.kind + ":" + f.name];
    if (atlas) showPart(part);
    focusGraph(part ? null : f);
    fitGraph(!!f && !part);
    focusMatrix(f);
    focusRoutes(f);
    if (f && f.kind === "route") {
      setRouteFilter(f.name);
    } else if (routeFilter) {
      routeFilter.value = "";
    }
    applyFilters();
    var bar = document.getElementById("focus-bar");
    bar.hidden = !f;
    document.getElementById("focus-label").textContent = f ? f.kind + " " + f.name : "";
    document.body.classList.toggle("has-focus", !!f);
    if (updateURL) {
      try {
        var params = new URLSearchParams(location.search);
        if (f) params.set("focus", f.kind + ":" + f.name); else params.delete("focus");
        var q = params.toString();
        history.replaceState(null, "", location.pathname + (q ? "?" + q : "") + location.hash);
      } catch (err) { /* file: URLs may refuse; the focus still applies */ }
    }
  }

  function toggle(kind, name) {
    if (current && current.kind === kind && current.name === name) focus(null, true);
    else focus({ kind: kind, name: name }, true);
  }

  function onActivate(el, f) {
    el.addEventListener("click", f);
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); f(); }
    });
  }

  each("#matrix-table th.route-head", function (th) {
    onActivate(th, function () { toggle("route", th.parentNode.dataset.route); });
  });
  each("#matrix-table th.table-head", function (th) {
    onActivate(th, function () { toggle("table", th.dataset.table); });
  });
  data.nodes.concat(data.focus_nodes).forEach(function (n) {
    if (n.kind !== "route" && n.kind !== "table") return;
    var el = document.getElementById(n.svg);
    if (el) el.addEventListener("click", function () { toggle(n.kind, n.name); });
  });
  document.getElementById("focus-clear").addEventListener("click", function () { focus(null, true); });

  // ---- Initial state from the URL: ?focus=route:GET /x, ?focus=table:t,
  // ?kind=n+1,unindexed (kinds to show), ?route=GET /x ----
  var params = new URLSearchParams(location.search);
  var kinds = params.get("kind");
  if (kinds !== null) {
    var want = {};
    // "+" in a query string reads as a space: n+1 arrives as "n 1".
    kinds.split(",").forEach(function (k) { want[k.trim().replace(/ /g, "+")] = true; });
    each("input.kind-filter", function (cb) { cb.checked = !!want[cb.value]; });
  }
  var initial = null;
  var spec = params.get("focus");
  if (spec) {
    var i = spec.indexOf(":");
    var kind = spec.slice(0, i), name = spec.slice(i + 1);
    if (i > 0 && (kind === "route" || kind === "table")) initial = { kind: kind, name: name };
  }
  focus(initial, false);
  if (params.get("route") !== null) {
    setRouteFilter(params.get("route"));
    applyFilters();
  }
  document.documentElement.setAttribute("data-ready", "1");
})();

/* kb site: pan, zoom and a time filter for the graph page (graph.html). No network, no library.

   Zoom and pan change the SVG's viewBox: the wheel zooms round the pointer, a drag moves, the
   buttons zoom round the middle or show the whole graph again. The filter keeps the lines and
   boxes with at least one meeting in the years chosen (their data-years: "2023:2 2024:1"). */
(function () {
  "use strict";
  var svg = document.querySelector(".graph-map svg");
  var tools = document.getElementById("graph-tools");
  if (!svg || !tools) return;
  tools.hidden = false;
  var original = svg.getAttribute("viewBox"), whole = original.split(" ").map(Number);
  var view = whole.slice();

  function show() { svg.setAttribute("viewBox", view.map(function (v) { return v.toFixed(1); }).join(" ")); }

  function zoom(factor, cx, cy) {
    var w = Math.min(Math.max(view[2] * factor, whole[2] / 20), whole[2] * 4);
    var h = w * whole[3] / whole[2];
    view = [cx - (cx - view[0]) * w / view[2], cy - (cy - view[1]) * h / view[3], w, h];
    show();
  }

  function point(event) {
    var box = svg.getBoundingClientRect();
    return [view[0] + (event.clientX - box.left) / box.width * view[2],
            view[1] + (event.clientY - box.top) / box.height * view[3]];
  }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var at = point(event);
    zoom(event.deltaY < 0 ? 0.8 : 1.25, at[0], at[1]);
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || event.target.closest("a")) return;
    drag = [event.clientX, event.clientY, view[0], view[1]];
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var box = svg.getBoundingClientRect();
    view[0] = drag[2] - (event.clientX - drag[0]) / box.width * view[2];
    view[1] = drag[3] - (event.clientY - drag[1]) / box.height * view[3];
    show();
  });
  svg.addEventListener("pointerup", function () { drag = null; });

  tools.addEventListener("click", function (event) {
    var how = event.target.getAttribute("data-zoom");
    if (how === "reset") { view = whole.slice(); svg.setAttribute("viewBox", original); }
    else if (how) zoom(how === "in" ? 0.7 : 1 / 0.7, view[0] + view[2] / 2, view[1] + view[3] / 2);
  });

  var from = document.getElementById("graph-from"), to = document.getElementById("graph-to");
  var status = document.getElementById("graph-status");

  function within(years, first, last) {
    var total = 0;
    (years || "").split(" ").forEach(function (pair) {
      var parts = pair.split(":"), year = Number(parts[0]);
      if (year >= first && year <= last) total += Number(parts[1]);
    });
    return total;
  }

  function filter() {
    var first = Number(from.value), last = Number(to.value), lines = 0, boxes = 0;
    if (first > last) { var swap = first; first = last; last = swap; }
    var edges = svg.querySelectorAll(".edges line"), nodes = svg.querySelectorAll(".nodes .node");
    edges.forEach(function (line) {
      var keep = within(line.getAttribute("data-years"), first, last) > 0;
      line.style.display = keep ? "" : "none";
      if (keep) lines++;
    });
    nodes.forEach(function (node) {
      var keep = within(node.getAttribute("data-years"), first, last) > 0;
      node.style.opacity = keep ? "" : "0.15";
      if (keep) boxes++;
    });
    status.textContent = first + "–" + last + ": " + boxes + " of " + nodes.length + " counterparts, " +
      lines + " of " + edges.length + " lines";
  }
  from.addEventListener("change", filter);
  to.addEventListener("change", filter);
  filter();
})();

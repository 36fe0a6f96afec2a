// ThingLedger explorer: live updates of the overview page. No libraries; the page works without it.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) { return; }
  var width = 600, height = 160, pad = 4;

  function draw(svg, values) {
    var line = svg.querySelector("polyline");
    // As the server draws it: scaled to the usual values (at most 1.5 x the 90th percentile), peaks at the top edge.
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var usual = sorted.length ? 1.5 * sorted[Math.floor(0.9 * (sorted.length - 1))] : 1;
    var max = Math.max(1, Math.min(Math.max.apply(null, values.concat([1])), usual));
    var step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
    var points = values.map(function (v, i) {
      return (pad + i * step).toFixed(1) + "," + (height - pad - (Math.min(v, max) / max) * (height - 2 * pad)).toFixed(1);
    });
    line.setAttribute("points", points.join(" "));
    var top = svg.querySelector("[data-max]");
    if (top) { top.textContent = max.toFixed(max < 10 ? 1 : 0) + "/s"; }
  }

  function text(name, value) {
    var el = live.querySelector('[data-live="' + name + '"]');
    if (el) { el.textContent = value; }
  }

  function cell(row, content, href) {
    var td = document.createElement("td");
    if (href) { var a = document.createElement("a"); a.href = href; a.textContent = content; td.appendChild(a); }
    else { td.textContent = content; }
    row.appendChild(td);
  }

  function blocks(list) {
    var body = document.getElementById("recent-blocks");
    if (!body) { return; }
    body.textContent = "";
    list.forEach(function (b) {
      var row = document.createElement("tr");
      cell(row, String(b.height), "/blocks/" + b.height);
      cell(row, b.hash.slice(0, 16) + "…", "/blocks/" + b.height);
      cell(row, new Date(b.timestamp).toISOString());
      cell(row, String(b.txCount));
      cell(row, String(b.certificate.length));
      body.appendChild(row);
    });
  }

  function refresh() {
    fetch("/v1/rates").then(function (r) { return r.json(); }).then(function (rates) {
      var tx = rates.points.map(function (p) { return p.txPerSecond; });
      var readings = rates.points.map(function (p) { return p.readingsPerSecond; });
      draw(document.querySelector('[data-chart="tx"]'), tx);
      draw(document.querySelector('[data-chart="readings"]'), readings);
      text("height", String(rates.height));
      text("tx-rate", (tx.length ? tx[tx.length - 1] : 0).toFixed(1));
      text("reading-rate", (readings.length ? readings[readings.length - 1] : 0).toFixed(1));
      live.setAttribute("data-updated", String(Date.now()));
    }).catch(function () { /* the next tick retries */ });
    fetch("/v1/blocks?limit=8").then(function (r) { return r.json(); }).then(function (page) { blocks(page.items); })
      .catch(function () { /* the next tick retries */ });
  }

  setInterval(refresh, 2000);
})();

/* graphbuild network view. Data arrive as JSON; every piece of data reaches the page
   through textContent, option.value/text or a vis "title" string (vis renders strings as
   text), never through innerHTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gb-data").textContent);
  var meta = data.meta;
  var interactions = data.interactions;
  var MAX_TOOLTIP = 8;
  var MAX_PANEL = 200;

  var modeLabel = {}, modeColor = {}, modeRank = {}, actLabel = {};
  data.modes.forEach(function (m, i) { modeLabel[m.key] = m.label; modeColor[m.key] = m.color; modeRank[m.key] = i; });
  data.acts.forEach(function (a) { actLabel[a.key] = a.label; });

  /* vis DataSets, made by the first computeVisibility() from data already holding its
     results: on big graphs, updating 10,000 items of a DataSet costs far more than
     creating them with the right values. */
  var nodes = null, edges = null;
  var edgeById = {}, nodeById = {}, edgesOfNode = {}, baseDegree = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; edgesOfNode[n.id] = []; baseDegree[n.id] = 0; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    edgesOfNode[e.from].push(e.id);
    if (e.to !== e.from) { edgesOfNode[e.to].push(e.id); }
    baseDegree[e.from] += e.count;
    baseDegree[e.to] += e.count;
  });

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function norm(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  function clip(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function plural(n, one, many) { return n + " " + (n > 1 ? many : one); }
  function widthFor(count) {  /* same formula as payload.edge_width() */
    return count > 0 ? Math.round(Math.min(12, 1.5 + 2.2 * Math.log2(count)) * 100) / 100 : 1.5;
  }

  /* ---------- text of tooltips ---------- */
  function who(it) { return it.source + (it.directed ? " → " : " — ") + it.target; }
  function interactionText(it) {
    var lines = [(it.date || "date inconnue") + " · " + (modeLabel[it.mode] || it.mode) + " · " + who(it)];
    if (it.acts.length) { lines.push("   actes : " + it.acts.map(function (a) { return actLabel[a] || a; }).join(", ")); }
    if (it.topics.length) { lines.push("   sujets : " + it.topics.join(", ")); }
    if (it.place) { lines.push("   lieu : " + it.place); }
    if (it.evidence.length) { lines.push("   « " + clip(it.evidence[0], 260) + " »"); }
    if (it.documents.length) {
      lines.push("   source : " + it.documents.map(function (d) { return d[1] ? d[0] + " (" + clip(d[1], 80) + ")" : d[0]; }).join(" ; "));
    }
    return lines.join("\n");
  }
  function edgeTitle(e, ix) {
    var a = meta[e.from].label, b = meta[e.to].label;
    var head = a + (e.directed ? " → " : " — ") + b + " : " + plural(ix.length, "interaction", "interactions");
    var parts = [head];
    ix.slice(0, MAX_TOOLTIP).forEach(function (i) { parts.push(interactionText(interactions[i])); });
    if (ix.length > MAX_TOOLTIP) { parts.push("… et " + (ix.length - MAX_TOOLTIP) + " autres (cliquer pour tout voir)"); }
    return parts.join("\n\n");
  }
  function nodeTitle(id, degree) {
    var m = meta[id];
    var sub = [m.typeLabel];
    if (m.role) { sub.push(m.role); }
    if (m.stateLabel && m.type !== "state") { sub.push(m.stateLabel); }
    else if (m.organization) { sub.push(m.organization); }
    var lines = [m.label, sub.join(" · ")];
    if (m.aliases.length) { lines.push("aussi : " + clip(m.aliases.join(", "), 200)); }
    if (m.members.length) { lines.push("dont : " + clip(m.members.join(", "), 200)); }
    lines.push(plural(degree, "interaction", "interactions"));
    return lines.join("\n");
  }

  /* ---------- filters ---------- */
  var filt = { modes: {}, acts: {}, state: "", from: "", to: "" };
  function resetFilterState() {
    filt.modes = {}; filt.acts = {};
    data.modes.forEach(function (m) { filt.modes[m.key] = true; });
    data.acts.forEach(function (a) { filt.acts[a.key] = true; });
    filt.state = ""; filt.from = ""; filt.to = "";
  }
  resetFilterState();

  function passes(it) {
    if (!filt.modes[it.mode]) { return false; }
    if (it.kind === "interaction") {
      if (it.acts.length) {
        if (!it.acts.some(function (a) { return filt.acts[a]; })) { return false; }
      } else if (filt.acts.none === false) { return false; }
    }
    if (filt.from || filt.to) {
      if (!it.date) { return false; }
      if (filt.from && it.date < filt.from) { return false; }
      if (filt.to && it.date > filt.to) { return false; }
    }
    return true;
  }
  function dominantMode(ix) {
    var counts = {}, best = null;
    ix.forEach(function (i) { var m = interactions[i].mode; counts[m] = (counts[m] || 0) + 1; });
    Object.keys(counts).forEach(function (m) {
      if (best === null || counts[m] > counts[best] ||
          (counts[m] === counts[best] && (modeRank[m] || 0) < (modeRank[best] || 0))) { best = m; }
    });
    return best;
  }
  var visibleIx = {}, visibleDegree = {};
  var applied = { nodes: {}, edges: {} };  /* what each item was last given */

  /* The fields of item that differ from those last applied to it (null when none). */
  function changed(kind, id, item) {
    var last = applied[kind][id], diff = null;
    Object.keys(item).forEach(function (k) {
      var same = last !== undefined && (k === "color" ? last.color.color === item.color.color : last[k] === item[k]);
      if (!same) { diff = diff || { id: id }; diff[k] = item[k]; }
    });
    applied[kind][id] = item;
    return diff;
  }
  function apply(set, items, byId, updates) {
    if (set) {
      if (updates.length) { set.update(updates); }
      return set;
    }
    updates.forEach(function (u) { Object.assign(byId[u.id], u); });
    return new vis.DataSet(items);
  }

  function computeVisibility() {
    var edgeUpdates = [], nodeUpdates = [];
    visibleDegree = {};
    data.nodes.forEach(function (n) { visibleDegree[n.id] = 0; });
    data.edges.forEach(function (e) {
      var ix = e.ix.filter(function (i) { return passes(interactions[i]); });
      if (filt.state && meta[e.from].state !== filt.state && meta[e.to].state !== filt.state) { ix = []; }
      visibleIx[e.id] = ix;
      var shown = ix.length ? ix : e.ix;
      var color = modeColor[dominantMode(shown)] || "#34495e";
      if (ix.length) { visibleDegree[e.from] += ix.length; visibleDegree[e.to] += ix.length; }
      var diff = changed("edges", e.id, { hidden: ix.length === 0, width: widthFor(shown.length),
        title: edgeTitle(e, shown),
        color: { color: color, highlight: color, hover: color, opacity: 0.9 } });
      if (diff) { edgeUpdates.push(diff); }
    });
    data.nodes.forEach(function (n) {
      var m = meta[n.id];
      var show = visibleDegree[n.id] > 0 ||
        (baseDegree[n.id] === 0 && (!filt.state || m.state === filt.state));
      var diff = changed("nodes", n.id, { hidden: !show, title: nodeTitle(n.id, show ? visibleDegree[n.id] : baseDegree[n.id]) });
      if (diff) { nodeUpdates.push(diff); }
    });
    edges = apply(edges, data.edges, edgeById, edgeUpdates);
    nodes = apply(nodes, data.nodes, nodeById, nodeUpdates);
    updateStats();
  }

  function visibleNodeIds() { return nodes.getIds({ filter: function (n) { return !n.hidden; } }); }
  function visibleEdgeIds() { return edges.getIds({ filter: function (e) { return !e.hidden; } }); }
  function updateStats() {
    var nv = visibleNodeIds().length, ev = 0;
    Object.keys(visibleIx).forEach(function (k) { ev += visibleIx[k].length; });
    var text = plural(nv, "acteur", "acteurs") + " · " + plural(ev, "interaction", "interactions");
    if (nv !== data.nodes.length || ev !== interactions.length) {
      text += " (sur " + data.nodes.length + " et " + interactions.length + ")";
    }
    $("gb-stats").textContent = text;
  }

  /* ---------- controls ---------- */
  function checkRow(container, item, checked, onChange, swatch) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = checked; box.value = item.key;
    box.addEventListener("change", function () { onChange(item.key, box.checked); });
    label.appendChild(box);
    if (swatch) { var sw = el("span", "gb-swatch"); sw.style.background = swatch; label.appendChild(sw); }
    label.appendChild(el("span", null, item.label));
    label.appendChild(el("span", "gb-count", item.count));
    container.appendChild(label);
    return box;
  }
  var modeBoxes = {}, actBoxes = {};
  data.modes.forEach(function (m) {
    modeBoxes[m.key] = checkRow($("gb-modes"), m, true, function (k, on) { filt.modes[k] = on; computeVisibility(); }, m.color);
  });
  data.acts.forEach(function (a) {
    actBoxes[a.key] = checkRow($("gb-acts"), a, true, function (k, on) { filt.acts[k] = on; computeVisibility(); });
  });
  if (!data.acts.length) { $("gb-acts").appendChild(el("p", "gb-hint", "Aucun acte.")); }
  data.states.forEach(function (s) {
    var opt = el("option", null, s.label);
    opt.value = s.key;
    $("gb-state").appendChild(opt);
  });
  $("gb-state").addEventListener("change", function () { filt.state = this.value; computeVisibility(); });
  ["gb-from", "gb-to"].forEach(function (id, i) {
    var input = $(id);
    if (data.dateRange[0]) { input.min = data.dateRange[0]; input.max = data.dateRange[1]; }
    input.addEventListener("change", function () {
      if (i === 0) { filt.from = input.value; } else { filt.to = input.value; }
      computeVisibility();
    });
  });
  data.types.forEach(function (t) {
    var li = el("li");
    var shape = el("span", "gb-shape gb-shape-" + t.shape);
    if (t.shape === "triangle") { shape.style.borderBottomColor = t.border; } else { shape.style.borderColor = t.border; }
    li.appendChild(shape);
    li.appendChild(el("span", null, t.label));
    $("gb-types").appendChild(li);
  });
  var MAX_COLORS = 14;  /* the palette has 16 colours: beyond, the key would mislead */
  data.affiliations.slice(0, MAX_COLORS).forEach(function (a) {
    var li = el("li");
    var dot = el("span", "gb-dot");
    dot.style.background = a.color;
    li.appendChild(dot);
    li.appendChild(el("span", null, a.label));
    $("gb-colors").appendChild(li);
  });
  if (data.affiliations.length > MAX_COLORS) {
    $("gb-colors").appendChild(el("li", "gb-hint", "+ " + (data.affiliations.length - MAX_COLORS) + " autres"));
  }
  var names = $("gb-names");
  data.nodes.map(function (n) { return meta[n.id].label; }).sort().forEach(function (label) {
    var opt = el("option"); opt.value = label; names.appendChild(opt);
  });

  function resetFilters() {
    resetFilterState();
    Object.keys(modeBoxes).forEach(function (k) { modeBoxes[k].checked = true; });
    Object.keys(actBoxes).forEach(function (k) { actBoxes[k].checked = true; });
    $("gb-state").value = ""; $("gb-from").value = ""; $("gb-to").value = "";
    computeVisibility();
  }
  function setModes(list) {
    var wanted = {};
    (list || []).forEach(function (k) { wanted[k] = true; });
    data.modes.forEach(function (m) { filt.modes[m.key] = !!wanted[m.key]; modeBoxes[m.key].checked = !!wanted[m.key]; });
    computeVisibility();
    return visibleEdgeIds().length;
  }
  $("gb-reset").addEventListener("click", resetFilters);

  /* ---------- side panel ---------- */
  var panel = $("gb-panel"), panelBody = $("gb-panel-body");
  function hidePanel() { panel.hidden = true; }
  $("gb-close").addEventListener("click", hidePanel);
  function addField(dl, name, value) {
    if (!value || (Array.isArray(value) && !value.length)) { return; }
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, Array.isArray(value) ? value.join(", ") : value));
  }
  function interactionItem(it) {
    var li = el("li");
    li.style.borderLeftColor = modeColor[it.mode] || "#ccc";
    li.appendChild(el("div", "gb-head", (it.date || "date inconnue") + " · " + (modeLabel[it.mode] || it.mode)));
    li.appendChild(el("div", null, who(it)));
    var bits = [];
    if (it.acts.length) { bits.push("actes : " + it.acts.map(function (a) { return actLabel[a] || a; }).join(", ")); }
    if (it.topics.length) { bits.push("sujets : " + it.topics.join(", ")); }
    if (it.place) { bits.push("lieu : " + it.place); }
    if (bits.length) { li.appendChild(el("div", "gb-meta", bits.join(" · "))); }
    it.evidence.forEach(function (ev) { li.appendChild(el("blockquote", null, "« " + ev + " »")); });
    it.quotes.forEach(function (q) { li.appendChild(el("blockquote", null, "citation : « " + q + " »")); });
    it.documents.forEach(function (d) { li.appendChild(el("div", "gb-src", "source : " + d[0] + (d[1] ? " — " + d[1] : ""))); });
    return li;
  }
  function interactionList(ix) {
    var list = el("ol", "gb-inter");
    ix.slice().sort(function (a, b) {
      var da = interactions[a].date || "9999", db = interactions[b].date || "9999";
      return da < db ? -1 : da > db ? 1 : a - b;
    }).slice(0, MAX_PANEL).forEach(function (i) { list.appendChild(interactionItem(interactions[i])); });
    return list;
  }
  function showNodePanel(id) {
    var m = meta[id];
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", null, m.label));
    panelBody.appendChild(el("p", "gb-sub", m.typeLabel + (m.role ? " · " + m.role : "")));
    var dl = el("dl");
    if (m.type !== "state") { addField(dl, "État", m.stateLabel); }
    addField(dl, "Organisation", m.organization);
    addField(dl, "Aussi appelé", m.aliases);
    addField(dl, "Regroupe", m.members);
    addField(dl, "Wikidata", m.wikidata);
    addField(dl, "Identifiant", m.key);
    panelBody.appendChild(dl);
    var ix = [];
    edgesOfNode[id].forEach(function (eid) { ix = ix.concat(visibleIx[eid] || []); });
    panelBody.appendChild(el("h3", null, "Interactions visibles (" + ix.length + ")"));
    panelBody.appendChild(interactionList(ix));
    if (ix.length > MAX_PANEL) { panelBody.appendChild(el("p", "gb-hint", "… " + (ix.length - MAX_PANEL) + " de plus")); }
    panel.hidden = false;
    panel.scrollTop = 0;
  }
  function showEdgePanel(eid) {
    var e = edgeById[eid];
    var ix = visibleIx[eid] && visibleIx[eid].length ? visibleIx[eid] : e.ix;
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", null, meta[e.from].label + (e.directed ? " → " : " — ") + meta[e.to].label));
    panelBody.appendChild(el("p", "gb-sub", plural(ix.length, "interaction", "interactions")));
    panelBody.appendChild(interactionList(ix));
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  /* ---------- network ---------- */
  computeVisibility();
  var container = $("gb-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  network.on("click", function (params) {
    if (params.nodes.length) { showNodePanel(params.nodes[0]); }
    else if (params.edges.length) { showEdgePanel(params.edges[0]); }
    else { hidePanel(); }
  });

  function search(q) {
    var nq = norm(q), best = null, bestRank = 99;
    var msg = $("gb-search-msg");
    msg.textContent = "";
    if (!nq) { return null; }
    data.nodes.forEach(function (n) {
      var m = meta[n.id], label = norm(m.label), aliases = m.aliases.map(norm), members = m.members.map(norm);
      var rank = label === nq ? 0 : aliases.indexOf(nq) >= 0 ? 1 : label.indexOf(nq) === 0 ? 2 :
        label.indexOf(nq) > 0 ? 3 : aliases.some(function (a) { return a.indexOf(nq) >= 0; }) ? 4 :
        members.some(function (a) { return a.indexOf(nq) >= 0; }) ? 5 : 99;
      if (rank < bestRank || (rank === bestRank && rank < 99 && baseDegree[n.id] > baseDegree[best])) {
        best = n.id; bestRank = rank;
      }
    });
    if (best === null) { msg.textContent = "Aucun acteur ne correspond."; return null; }
    if (nodes.get(best).hidden) { resetFilters(); }
    network.selectNodes([best]);
    network.focus(best, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 300 } });
    showNodePanel(best);
    return best;
  }
  $("gb-search").addEventListener("submit", function (ev) { ev.preventDefault(); search($("gb-q").value); });
  $("gb-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  function markReady() {
    if (document.body.dataset.ready !== "1") { document.body.dataset.ready = "1"; }
  }
  function settle() {
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    network.once("afterDrawing", markReady);
    network.redraw();
  }
  if (!data.physics) {
    /* positions computed in Python, physics off from the start: the first frame vis
       draws is the final one (a synchronous redraw here would only draw it twice) */
    network.once("afterDrawing", markReady);
    network.fit({ animation: false });
  } else if (data.nodes.length) {
    var settled = false;
    network.on("stabilizationProgress", function (p) {
      $("gb-loading").textContent = "Mise en page du graphe… " + Math.round(100 * p.iterations / p.total) + " %";
    });
    network.once("stabilizationIterationsDone", function () { if (!settled) { settled = true; settle(); } });
    setTimeout(function () { if (!settled) { settled = true; network.stopSimulation(); settle(); } }, 30000);
  } else {
    settle();
  }

  window.graphbuildView = {
    network: network, nodes: nodes, edges: edges, data: data,
    visibleNodeIds: visibleNodeIds, visibleEdgeIds: visibleEdgeIds,
    search: search, setModes: setModes, resetFilters: resetFilters,
    setActs: function (list) {
      var wanted = {};
      (list || []).forEach(function (k) { wanted[k] = true; });
      data.acts.forEach(function (a) { filt.acts[a.key] = !!wanted[a.key]; actBoxes[a.key].checked = !!wanted[a.key]; });
      computeVisibility();
      return visibleEdgeIds().length;
    },
    setState: function (key) { filt.state = key || ""; $("gb-state").value = filt.state; computeVisibility(); },
    setDates: function (from, to) {
      filt.from = from || ""; filt.to = to || "";
      $("gb-from").value = filt.from; $("gb-to").value = filt.to;
      computeVisibility();
    }
  };
}());

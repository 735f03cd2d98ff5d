// layoutkit viewer: no framework, no network beyond the files beside this one, so it works from
// the local server and from a folder opened on disk alike. Page data arrive as small scripts
// (data/<id>.js) because browsers refuse fetch() on file:// pages.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const pages = window.LAYOUTKIT_PAGES || [];
window.LAYOUTKIT_PAGE_DATA = window.LAYOUTKIT_PAGE_DATA || {};
const $ = (id) => document.getElementById(id);
const state = { index: -1, scale: 1, x: 0, y: 0, scene: null, selected: null };

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function html(tag, text, parent, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  if (parent) parent.appendChild(node);
  return node;
}

function points(poly) { return poly.map((p) => p[0] + "," + p[1]).join(" "); }

function loadData(page) {
  return new Promise((resolve, reject) => {
    if (window.LAYOUTKIT_PAGE_DATA[page.id]) return resolve(window.LAYOUTKIT_PAGE_DATA[page.id]);
    const s = document.createElement("script");
    s.src = page.data;
    s.onload = () => resolve(window.LAYOUTKIT_PAGE_DATA[page.id]);
    s.onerror = () => reject(new Error("could not load " + page.data));
    document.head.appendChild(s);
  });
}

function buildList() {
  const list = $("page-list");
  pages.forEach((p, i) => {
    const li = html("li", undefined, list, p.error ? "broken" : "");
    li.dataset.index = i;
    if (p.thumb) { const img = html("img", undefined, li); img.src = p.thumb; img.alt = p.name; }
    html("span", p.name + (p.error ? " (error)" : p.scan_error ? " (no scan)" : ""), li);
    li.addEventListener("click", () => show(i));
  });
}

async function show(i) {
  if (i < 0 || i >= pages.length) return;
  state.index = i;
  const page = pages[i];
  document.querySelectorAll("#page-list li").forEach((li) => li.classList.toggle("current", Number(li.dataset.index) === i));
  $("page-name").textContent = page.name + "  (" + (i + 1) + "/" + pages.length + ")";
  $("overlay").replaceChildren();
  for (const id of ["masthead", "captions", "text", "legend"]) $(id).replaceChildren();
  $("block-info").replaceChildren(html("h2", "Block"), html("p", "Click a block.", undefined, "hint"));
  $("notice").hidden = !page.scan_error;
  $("notice").textContent = page.scan_error ? "Scan not shown (white page): " + page.scan_error : "";
  if (page.error) {
    $("scan").removeAttribute("src");
    $("error").hidden = false;
    $("error").textContent = "This page could not be shown.\n\n" + page.error;
    return;
  }
  $("error").hidden = true;
  let scene;
  try { scene = await loadData(page); } catch (e) {
    $("error").hidden = false; $("error").textContent = String(e); return;
  }
  state.scene = scene;
  const img = $("scan");
  img.onload = () => { draw(scene); fit(); };
  img.onerror = () => { img.removeAttribute("src"); img.width = scene.width; img.height = scene.height; draw(scene); fit(); };
  if (page.image) img.src = page.image; else img.onerror();
  side(scene);
}

function draw(scene) {
  const img = $("scan");
  const w = img.naturalWidth || scene.width, h = img.naturalHeight || scene.height;
  img.width = w; img.height = h;
  const svg = $("overlay");
  svg.replaceChildren();
  svg.setAttribute("width", w); svg.setAttribute("height", h);
  svg.setAttribute("viewBox", "0 0 " + scene.width + " " + scene.height);
  const defs = el("defs", {}, svg);
  const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
  el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#000" }, marker);
  const layers = {};
  for (const name of ["blocks", "areas", "articles", "lines", "strings", "low", "separators", "links", "order"])
    layers[name] = el("g", { class: "layer", "data-layer": name }, svg);
  const byId = {};
  for (const b of scene.blocks) {
    byId[b.id] = b;
    const poly = el("polygon", { class: "block", points: points(b.polygon), fill: b.colour, stroke: b.colour, "data-id": b.id, "data-type": b.type }, layers.blocks);
    poly.addEventListener("mousemove", (ev) => tip(ev, b.type + "  " + b.id + (b.article ? "  article " + b.article : "") + "\nconfidence " + b.confidence.toFixed(3) + "\n" + (b.text || "(no text)")));
    poly.addEventListener("mouseleave", hideTip);
    poly.addEventListener("click", () => select(b));
    if (b.article_colour) {
      el("polygon", { class: "article", points: points(b.polygon), stroke: b.article_colour }, layers.articles);
      // One colour an article, over the type's fill: where one article runs into another shows at a glance.
      el("polygon", { class: "area", points: points(b.polygon), fill: b.article_colour }, layers.areas);
    }
    for (const ln of b.lines) {
      el("polygon", { class: "line", points: points(ln.polygon) }, layers.lines);
      for (const s of ln.strings) {
        const target = s.low ? layers.low : layers.strings;
        const r = el("rect", { class: s.low ? "low" : "string", x: s.box[0], y: s.box[1], width: s.box[2], height: s.box[3] }, target);
        r.addEventListener("mousemove", (ev) => tip(ev, s.text + "\nconfidence " + s.confidence.toFixed(3)));
        r.addEventListener("mouseleave", hideTip);
      }
    }
  }
  for (const s of scene.separators) el("polygon", { class: "separator", points: points(s.polygon) }, layers.separators);
  for (const l of scene.links) {
    const a = byId[l.from].centre, c = byId[l.to].centre;
    el("line", { class: "link", x1: a[0], y1: a[1], x2: c[0], y2: c[1], stroke: byId[l.to].colour }, layers.links);
  }
  const r = Math.max(scene.width, scene.height) / 140;
  scene.order.forEach((id, n) => {
    const c = byId[id].centre;
    if (n > 0) {
      const p = byId[scene.order[n - 1]].centre;
      el("line", { class: "order-line", x1: p[0], y1: p[1], x2: c[0], y2: c[1] }, layers.order);
    }
  });
  scene.order.forEach((id, n) => {
    const c = byId[id].centre;
    const g = el("g", { class: "order-num" }, layers.order);
    el("circle", { cx: c[0], cy: c[1], r: r }, g);
    const t = el("text", { x: c[0], y: c[1], "font-size": r * 1.2 }, g);
    t.textContent = String(n + 1);
  });
  applyLayers();
}

function side(scene) {
  const dl = $("masthead");
  if (!scene.masthead.length) html("p", "none found", dl, "hint");
  for (const f of scene.masthead) {
    html("dt", f.name, dl);
    html("dd", f.value + (f.flagged ? "  ⚠ " + f.flagged : ""), dl, f.flagged ? "flag" : "");
  }
  const byId = Object.fromEntries(scene.blocks.map((b) => [b.id, b]));
  const caps = $("captions");
  if (!scene.links.length) html("li", "none", caps, "hint");
  for (const l of scene.links) html("li", l.from + " → " + l.kind + " " + l.to + ": " + (byId[l.to].text || "").replace(/\n/g, ""), caps);
  const legend = $("legend");
  for (const [t, c] of Object.entries(scene.legend)) {
    const li = html("li", undefined, legend);
    const sw = html("span", undefined, li); sw.style.background = c;
    li.appendChild(document.createTextNode(t));
  }
  const text = $("text");
  for (const id of scene.order) {
    const b = byId[id];
    if (!b.text) continue;
    const p = html("p", b.text.replace(/\n/g, b.direction === "ttb" ? "" : " "), text);
    p.dataset.id = id;
    p.title = b.type + " " + id;
  }
}

function select(b) {
  state.selected = b.id;
  document.querySelectorAll(".block").forEach((p) => p.classList.toggle("selected", p.dataset.id === b.id));
  document.querySelectorAll("#text p").forEach((p) => p.classList.toggle("current", p.dataset.id === b.id));
  const box = $("block-info");
  box.replaceChildren(html("h2", "Block"));
  const dl = html("dl", undefined, box);
  dl.id = "block-details";
  const rows = [["ID", b.id], ["type", b.type], ["order", b.order === null ? "-" : String(b.order + 1)],
    ["article", b.article || "-"], ["confidence", b.confidence.toFixed(3)], ["direction", b.direction]];
  if (b.next) rows.push(["continues in", b.next]);
  if (b.caption_of) rows.push(["caption of", b.caption_of]);
  if (b.credit_of) rows.push(["credit of", b.credit_of]);
  for (const [k, v] of rows) { html("dt", k, dl); html("dd", v, dl).dataset.field = k; }
  const t = html("p", b.text || "(no text)", box);
  t.id = "block-text";
  t.style.whiteSpace = "pre-wrap";
}

function tip(ev, text) {
  const t = $("tooltip");
  t.textContent = text;
  t.hidden = false;
  t.style.left = ev.clientX + 14 + "px";
  t.style.top = ev.clientY + 14 + "px";
}
function hideTip() { $("tooltip").hidden = true; }

function applyLayers() {
  document.querySelectorAll("#toolbar input[data-layer]").forEach((box) => {
    document.querySelectorAll('g.layer[data-layer="' + box.dataset.layer + '"]').forEach((g) => {
      g.style.display = box.checked ? "" : "none";
    });
  });
}

function transform() {
  $("canvas").style.transform = "translate(" + state.x + "px," + state.y + "px) scale(" + state.scale + ")";
}
function fit() {
  const stage = $("stage"), img = $("scan");
  const w = img.width || 1, h = img.height || 1;
  state.scale = Math.min(stage.clientWidth / w, stage.clientHeight / h) * 0.98;
  state.x = (stage.clientWidth - w * state.scale) / 2; state.y = 4;
  transform();
}
function zoom(factor, cx, cy) {
  const stage = $("stage").getBoundingClientRect();
  const px = cx === undefined ? stage.width / 2 : cx - stage.left, py = cy === undefined ? stage.height / 2 : cy - stage.top;
  state.x = px - (px - state.x) * factor; state.y = py - (py - state.y) * factor;
  state.scale *= factor;
  transform();
}

function wire() {
  document.querySelectorAll("#toolbar input[data-layer]").forEach((box) => box.addEventListener("change", applyLayers));
  $("prev").addEventListener("click", () => show(state.index - 1));
  $("next").addEventListener("click", () => show(state.index + 1));
  $("zoom-in").addEventListener("click", () => zoom(1.25));
  $("zoom-out").addEventListener("click", () => zoom(0.8));
  $("fit").addEventListener("click", fit);
  const stage = $("stage");
  stage.addEventListener("wheel", (ev) => { ev.preventDefault(); zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX, ev.clientY); }, { passive: false });
  let drag = null;
  stage.addEventListener("mousedown", (ev) => { drag = { x: ev.clientX - state.x, y: ev.clientY - state.y, moved: false }; stage.classList.add("dragging"); });
  window.addEventListener("mousemove", (ev) => { if (drag) { state.x = ev.clientX - drag.x; state.y = ev.clientY - drag.y; transform(); } });
  window.addEventListener("mouseup", () => { drag = null; stage.classList.remove("dragging"); });
  window.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowRight" || ev.key === "PageDown") show(state.index + 1);
    if (ev.key === "ArrowLeft" || ev.key === "PageUp") show(state.index - 1);
  });
}

buildList();
wire();
if (pages.length) show(Math.max(0, pages.findIndex((p) => !p.error))); else { $("error").hidden = false; $("error").textContent = "No ALTO files found in this folder."; }

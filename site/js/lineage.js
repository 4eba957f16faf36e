// The lineage graph as inline SVG: one row per generation (parents above children), edges labelled with the operator
// that bred the child, a mark where this node re-ran the operator and got the same weights ("reproduced"), packages of
// other nodes drawn apart. Every known package is a link to its page.
import { h, s, host } from './dom.js';

const W = 200;
const H = 62;
const GAP_X = 28;
const GAP_Y = 74;
const MARGIN = 12;

/**
 * graph: the node's /v1/lineage answer; isHere(origin): whether an origin is this node's (packages from elsewhere are
 * marked); urlOf(origin): the URL another origin's site is at, or null.
 */
export function lineageGraph(graph, isHere, urlOf) {
  const nodes = new Map(graph.nodes.map((n) => [n.digest, n]));
  const edges = graph.edges.filter((e) => nodes.has(e.child) && nodes.has(e.parent));
  const rows = layers([...nodes.keys()], edges);
  const gen = new Map(rows.flatMap((row, g) => row.map((d) => [d, g])));
  const span = (e) => gen.get(e.child) - gen.get(e.parent);
  // room at the sides for the labels stacked beside a child of several parents
  const side = edges.some((e) => edges.filter((o) => o.child === e.child).length > 1) ? 70 : 0;
  const width = Math.max(...rows.map((r) => r.length)) * (W + GAP_X) - GAP_X + 2 * MARGIN + 2 * side;
  const height = rows.length * (H + GAP_Y) - GAP_Y + 2 * MARGIN;
  const pos = new Map();
  rows.forEach((row, gen) => {
    const rowWidth = row.length * (W + GAP_X) - GAP_X;
    const x0 = (width - rowWidth) / 2;
    row.forEach((d, i) => pos.set(d, { x: x0 + i * (W + GAP_X), y: MARGIN + gen * (H + GAP_Y) }));
  });
  const foreign = (n) => !!n.origin && !isHere(n.origin);
  const where = (n) => host(urlOf(n.origin) || n.origin);

  // fitted to its box: width 100% of the box (never wider than its natural size), the height following the viewBox
  const svg = s('svg', { class: 'graph', width: '100%', viewBox: `0 0 ${width} ${height}`,
    'aria-labelledby': 'lineage-title' },
  s('title', { id: 'lineage-title' }, 'Lineage of ' + label(nodes.get(graph.root))),
  s('defs', null, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
    orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z' }))));

  /** An edge that skips generations runs down the gap between the boxes of the rows it crosses nearest its child. */
  function skip(e, x1, y1, x2, y2) {
    const first = gen.get(e.parent) + 1;
    const last = gen.get(e.child) - 1;
    const row = rows[first];
    const left = pos.get(row[0]).x;
    const gaps = [left - GAP_X / 2, ...row.map((d) => pos.get(d).x + W + GAP_X / 2)];
    const gx = gaps.reduce((a, b) => (Math.abs(b - x2) < Math.abs(a - x2) ? b : a));
    const top = MARGIN + first * (H + GAP_Y);
    const bottom = MARGIN + last * (H + GAP_Y) + H;
    return `M${x1},${y1} C${x1},${top - GAP_Y / 3} ${gx},${top - GAP_Y / 2} ${gx},${top} L${gx},${bottom} `
      + `C${gx},${bottom + GAP_Y / 2} ${x2},${bottom + GAP_Y / 3} ${x2},${y2 - 2}`;
  }

  for (const e of edges) {
    const p = pos.get(e.parent);
    const c = pos.get(e.child);
    const child = nodes.get(e.child);
    const x1 = p.x + W / 2; const y1 = p.y + H;
    const x2 = c.x + W / 2; const y2 = c.y;
    const my = (y1 + y2) / 2;
    // the label sits near the child, so that the edges fanning out of one parent keep their labels apart; the labels
    // of a child of several parents are stacked beside the point where its edges meet
    const siblings = edges.filter((o) => o.child === e.child);
    const multi = siblings.length > 1;
    const lx = multi ? x2 + 8 : x1 + (x2 - x1) * 0.78;
    const ly = multi ? y2 - 10 - 15 * siblings.indexOf(e) : y1 + (y2 - y1) * 0.72;
    // one label says it when every edge into the child names the same operator (a merge of two parents)
    const labelled = !multi || siblings.indexOf(e) === 0 || siblings.some((o) => o.operator !== e.operator);
    const repro = child.reproduced;
    svg.append(s('g', { class: 'edge-group', 'data-operator': e.operator, 'data-parent': e.parent,
      'data-child': e.child, 'data-reproduced': repro == null ? 'unchecked' : String(repro) },
    // an adapter's edge is dashed: the child holds only a delta and runs over that parent, its base
    s('path', { class: e.operator === 'adapter' ? 'edge edge-adapter' : 'edge', 'marker-end': 'url(#arrow)', d: span(e) > 1 ? skip(e, x1, y1, x2, y2)
      : `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2 - 2}` }),
    labelled ? s('text', { class: 'edge-label', x: lx, y: ly, 'text-anchor': multi ? 'start' : 'middle' },
      e.operator,
      repro === true ? s('tspan', { class: 'repro' }, ' ✓ reproduced') : null,
      repro === false ? s('tspan', { class: 'norepro' }, ' not reproduced') : null,
      s('title', null, e.operator + (child.reproducedReason ? ': ' + child.reproducedReason : ''))) : null));
  }

  for (const [d, n] of nodes) {
    const { x, y } = pos.get(d);
    const classes = ['node', d === graph.root ? 'root' : '', foreign(n) ? 'foreign' : '', n.known ? '' : 'unknown']
      .filter(Boolean).join(' ');
    const [name, version] = splitRef(n.ref);
    const lines = [
      s('text', { class: 'title', x: x + 10, y: y + 20 }, clip(name || short(d), 28)),
      s('text', { class: 'muted', x: x + 10, y: y + 37 },
        [version, n.known ? n.operator : 'not on this node', n.yanked ? 'yanked' : null].filter(Boolean).join(' · ')),
      foreign(n) ? s('text', { class: 'origin', x: x + 10, y: y + 53 }, 'from ' + clip(where(n), 26))
        : d === graph.root ? s('text', { class: 'muted', x: x + 10, y: y + 53 }, 'this package') : null,
    ];
    const box = s('g', { class: 'graph-node', 'data-digest': d },
      s('rect', { class: classes, x, y, width: W, height: H, rx: 8 }), lines);
    const description = label(n) + (n.known ? ', ' + n.operator : ', held by another node')
      + (foreign(n) ? ', from ' + where(n) : '') + (n.reproduced ? ', operator reproduced by this node' : '')
      + (d === graph.root ? ' (this package)' : '');
    const href = n.known ? '#/d/' + d : urlOf(n.origin) && n.ref ? urlOf(n.origin) + '/#/p/' + n.ref : null;
    svg.append(href ? s('a', { href, 'aria-label': description }, box) : box);
  }

  const list = h('ul', null, edges.map((e) => {
    const child = nodes.get(e.child);
    return h('li', null, label(nodes.get(e.parent)), ' → ', label(child), ' by ', h('strong', null, e.operator),
      child.reproduced === true ? ' (reproduced by this node: ' + (child.reproducedReason || 'same weights') + ')'
        : child.reproduced === false ? ' (not reproduced: ' + (child.reproducedReason || '') + ')' : '');
  }));
  svg.style.maxWidth = width + 'px';
  const wrap = h('div', { class: 'graph-wrap', tabindex: '0', role: 'group',
    'aria-label': 'Lineage graph (zoom with the buttons, Ctrl and the mouse wheel, or + and −; drag to pan)' }, svg);
  const controls = zoomPan(svg, wrap, width, height);
  return h('div', null,
    controls,
    wrap,
    h('p', { class: 'muted small' }, 'Parents above, children below; each arrow is labelled with how the child was bred. ',
      '“✓ reproduced”: this node re-ran the operator on the parent’s weights and got the same tensors. ',
      'Dashed purple boxes are packages from other nodes. A dashed arrow is an adapter’s: the child holds only a '
      + 'low-rank delta and runs over that parent, its base, which is verified with it.'),
    edges.length ? h('details', null, h('summary', null, 'The graph as a list'), list)
      : h('p', null, 'No parents or children recorded: this package was trained from data.'));
}

/**
 * Zoom and pan by rewriting the viewBox: buttons (+, −, fit), Ctrl + wheel (or any wheel once zoomed in), the + / − / 0
 * keys on the focused graph, and dragging. The first view is the whole graph fitted to its box.
 */
function zoomPan(svg, wrap, width, height) {
  let k = 1;
  let cx = width / 2;
  let cy = height / 2;
  const apply = () => {
    const w = width / k;
    const hh = height / k;
    cx = Math.min(width - w / 2, Math.max(w / 2, cx));
    cy = Math.min(height - hh / 2, Math.max(hh / 2, cy));
    svg.setAttribute('viewBox', `${cx - w / 2} ${cy - hh / 2} ${w} ${hh}`);
    wrap.dataset.zoom = k.toFixed(2);
    wrap.classList.toggle('zoomed', k > 1);
  };
  const zoom = (factor, px, py) => {
    const next = Math.min(8, Math.max(1, k * factor));
    if (px != null) {
      // keep the point under the pointer where it is
      const rect = svg.getBoundingClientRect();
      const fx = (px - rect.left) / rect.width - 0.5;
      const fy = (py - rect.top) / rect.height - 0.5;
      cx += fx * (width / k - width / next);
      cy += fy * (height / k - height / next);
    }
    k = next;
    apply();
  };
  wrap.addEventListener('wheel', (e) => {
    if (!e.ctrlKey && k === 1) return; // the page scrolls on as usual
    e.preventDefault();
    zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX, e.clientY);
  }, { passive: false });
  wrap.addEventListener('keydown', (e) => {
    if (e.key === '+' || e.key === '=') zoom(1.25);
    else if (e.key === '-') zoom(1 / 1.25);
    else if (e.key === '0') { k = 1; apply(); }
  });
  let drag = null;
  wrap.addEventListener('pointerdown', (e) => {
    if (k === 1) return;
    drag = { x: e.clientX, y: e.clientY, cx, cy, moved: false };
    wrap.setPointerCapture(e.pointerId);
  });
  wrap.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const rect = svg.getBoundingClientRect();
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    cx = drag.cx - dx * (width / k) / rect.width;
    cy = drag.cy - dy * (height / k) / rect.height;
    apply();
  });
  const end = () => { drag = null; };
  wrap.addEventListener('pointerup', end);
  wrap.addEventListener('pointercancel', end);
  // a drag is not a click on the package box it ends on
  wrap.addEventListener('click', (e) => { if (drag && drag.moved) e.preventDefault(); }, true);
  const button = (label, text, fn) => h('button', { type: 'button', class: 'secondary', 'aria-label': label,
    onclick: fn }, text);
  return h('div', { class: 'graph-controls' },
    button('Zoom in', '+', () => zoom(1.25)),
    button('Zoom out', '−', () => zoom(1 / 1.25)),
    button('Fit the graph to its box', 'Fit', () => { k = 1; cx = width / 2; cy = height / 2; apply(); }));
}

/** Generations by longest path from the packages without parents; within a row, ordered near their parents. */
function layers(digests, edges) {
  const gen = new Map(digests.map((d) => [d, 0]));
  for (let i = 0; i < digests.length; i++) {
    let changed = false;
    for (const e of edges) {
      if (gen.get(e.child) < gen.get(e.parent) + 1) {
        gen.set(e.child, gen.get(e.parent) + 1);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = [];
  for (const d of digests) (rows[gen.get(d)] ||= []).push(d);
  const order = new Map();
  const place = () => rows.forEach((row) => row.forEach((d, i) => order.set(d, i)));
  place();
  for (let pass = 0; pass < 2; pass++) {
    for (let g = 1; g < rows.length; g++) {
      const center = (d) => {
        const ps = edges.filter((e) => e.child === d).map((e) => order.get(e.parent));
        return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : order.get(d);
      };
      rows[g].sort((a, b) => center(a) - center(b));
      place();
    }
  }
  return rows.filter(Boolean);
}

function splitRef(ref) {
  if (!ref) return [null, null];
  const at = ref.lastIndexOf('@');
  return at < 0 ? [ref, null] : [ref.slice(0, at), ref.slice(at + 1)];
}

function label(n) {
  return n && n.ref ? n.ref : short(n ? n.digest : '');
}

function short(d) {
  return String(d).replace(/^sha256:/, 'sha256:').slice(0, 19) + '…';
}

function clip(t, n) {
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

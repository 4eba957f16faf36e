// Element builders: every text goes in through textContent, never innerHTML, so package data cannot inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An HTML element: h('a', {href: '#/'}, 'text', child, ...). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, same shape as h. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** A key/value table; rows whose value is null or undefined are left out. */
export function kvTable(rows, caption) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'kv' },
    caption ? h('caption', { class: 'muted small' }, caption) : null,
    h('tbody', null, rows.filter(([, v]) => v != null && v !== '').map(([k, v]) => h('tr', null,
      h('th', { scope: 'row' }, k), h('td', null, v))))));
}

export function badge(text, cls) {
  return h('li', { class: 'badge' + (cls ? ' ' + cls : '') }, text);
}

export function bytes(n) {
  if (n == null) return '';
  // SI units everywhere on the site: 1 kB = 1000 bytes, 1 MB = 1000 kB
  if (n < 1000) return n + ' B';
  if (n < 1000 * 1000) return (n / 1000).toFixed(n < 10000 ? 1 : 0) + ' kB';
  return (n / 1000 / 1000).toFixed(1) + ' MB';
}

export function count(n) {
  return n == null ? '' : Number(n).toLocaleString('en');
}

/** sha256:abcd…wxyz, the full digest in the title. */
export function shortDigest(d) {
  if (!d) return '';
  const hex = String(d).replace(/^sha256:/, '');
  return h('code', { title: d }, 'sha256:' + hex.slice(0, 12) + '…');
}

/** The host of an http(s) URL; anything else (a mirrored package's log origin, say) as it is. */
export function host(url) {
  try {
    const u = new URL(url);
    if (/^https?:$/.test(u.protocol) && u.host) return u.host;
  } catch (e) { /* not a URL */ }
  return String(url || '');
}

export function date(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

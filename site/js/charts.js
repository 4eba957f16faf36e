// Horizontal bar charts as inline SVG. Positions are percentages of the chart's width, so the text keeps its size on a
// phone and the bars take what is left.
import { h, s } from './dom.js';

const ROW = 24;
const LABEL_END = 32;   // % of the width for the row label
const BAR_START = 33;
const BAR_END = 78;
const VALUE_AT = 80;

function pct(v) {
  return v.toFixed(2) + '%';
}

/**
 * rows: [{label, value, samples?, ci?: [lo, hi], note?}], values on [0, max]. options: {max, format(v), title,
 * caption, threshold: {value, label}, id}. Returns a <figure>; the numbers are also in each row's <title> and in
 * a visually hidden table, so the chart is readable without seeing it.
 */
export function barChart(rows, options = {}) {
  const max = options.max || Math.max(1e-9, ...rows.map((r) => Math.max(r.value, r.ci ? r.ci[1] : 0)));
  const format = options.format || ((v) => String(v));
  const x = (v) => BAR_START + (BAR_END - BAR_START) * Math.max(0, Math.min(1, v / max));
  // a row's note goes on its own line under the bar, so that on a phone it is not cut at the chart's right edge
  const NOTE = 16;
  const tops = [];
  let top = 3;
  for (const r of rows) { tops.push(top); top += ROW + (r.note ? NOTE : 0); }
  const height = top + 3;
  const svg = s('svg', { class: 'chart bars', width: '100%', height, role: 'img',
    'aria-label': (options.title || 'Chart') + ': ' + rows.map((r) => r.label + ' ' + format(r.value)
      + (r.samples != null ? ' (n=' + r.samples + ')' : '')).join(', ') });
  rows.forEach((r, i) => {
    const y = tops[i];
    const g = s('g', { class: 'row' },
      s('title', null, r.label + ': ' + format(r.value) + (r.samples != null ? ', n=' + r.samples : '')
        + (r.ci ? ', 95% interval ' + format(r.ci[0]) + '–' + format(r.ci[1]) : '')),
      s('text', { x: pct(LABEL_END), y: y + 15, 'text-anchor': 'end' }, r.label,
        r.samples != null ? s('tspan', { class: 'muted' }, ' n=' + r.samples) : null),
      s('rect', { class: 'track', x: pct(BAR_START), y: y + 3, width: pct(BAR_END - BAR_START), height: ROW - 8 }),
      s('rect', { class: 'bar' + (r.alt ? ' alt' : ''), x: pct(BAR_START), y: y + 3,
        width: pct(x(r.value) - BAR_START), height: ROW - 8 }),
      r.ci ? [
        s('line', { class: 'ci', x1: pct(x(r.ci[0])), x2: pct(x(r.ci[1])), y1: y + 11, y2: y + 11 }),
        s('line', { class: 'ci', x1: pct(x(r.ci[0])), x2: pct(x(r.ci[0])), y1: y + 6, y2: y + 16 }),
        s('line', { class: 'ci', x1: pct(x(r.ci[1])), x2: pct(x(r.ci[1])), y1: y + 6, y2: y + 16 }),
      ] : null,
      s('text', { x: pct(VALUE_AT), y: y + 15 }, format(r.value)),
      r.note ? s('text', { class: 'muted note', x: pct(BAR_START), y: y + ROW + 10 }, format(r.value) + ' ' + r.note) : null);
    svg.append(g);
  });
  if (options.threshold) {
    const tx = x(options.threshold.value);
    svg.append(s('line', { class: 'threshold', x1: pct(tx), x2: pct(tx), y1: 0, y2: height },
      s('title', null, options.threshold.label)));
  }
  return h('figure', { id: options.id || null },
    svg,
    options.caption ? h('figcaption', null, options.caption) : null);
}

/** The Wilson score interval (95%) of a proportion p observed on n samples. */
export function wilson(p, n) {
  if (!(n > 0) || p == null) return null;
  const z = 1.959964;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/** A proportion as a percentage with one decimal. */
export function percent(v) {
  return (v * 100).toFixed(1) + '%';
}

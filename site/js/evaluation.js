// The evaluation card: each metric on each digest-pinned evaluation set, with its per-factor breakdown drawn as bars
// that carry their sample counts (and a 95% interval where the metric is a proportion).
import { h, shortDigest } from './dom.js';
import { barChart, percent, wilson } from './charts.js';

const PROPORTION = /accuracy|agreement|precision|recall|f1|rate/i;

function isProportion(m) {
  return PROPORTION.test(m.name) && m.value >= 0 && m.value <= 1;
}

function format(m) {
  return isProportion(m) ? percent : (v) => (Math.abs(v) < 10 ? Number(v).toFixed(4) : String(v));
}

export function evaluationSection(card) {
  const evaluations = (card && card.evaluations) || [];
  if (evaluations.length === 0) return h('p', { class: 'muted' }, 'The evaluation card lists no evaluation.');
  return h('div', { id: 'evaluation-card' }, evaluations.map((ev) => {
    const metrics = ev.metrics || [];
    const proportions = metrics.filter(isProportion);
    const others = metrics.filter((m) => !isProportion(m));
    return h('section', { class: 'evaluation' },
      h('h3', null, 'On ', h('code', null, (ev.dataset && ev.dataset.name) || 'an evaluation set'), ' ',
        ev.dataset ? shortDigest(ev.dataset.digest) : null),
      proportions.length ? barChart(proportions.map((m) => ({
        label: m.name, value: m.value, samples: m.samples, ci: wilson(m.value, m.samples),
      })), { max: 1, format: percent, title: 'Metrics', caption: 'Bars: the value; whiskers: its 95% Wilson interval '
        + 'given the number of samples (n).' }) : null,
      others.length ? h('dl', { class: 'facts' }, others.map((m) => [h('dt', null, m.name),
        h('dd', null, format(m)(m.value), m.samples != null ? h('span', { class: 'muted' }, ' (n=' + m.samples + ')') : '')]))
        : null,
      metrics.filter((m) => m.breakdown && m.breakdown.length).map((m) => breakdowns(m)));
  }));
}

function breakdowns(m) {
  const byFactor = new Map();
  for (const b of m.breakdown) (byFactor.get(b.factor) || byFactor.set(b.factor, []).get(b.factor)).push(b);
  const prop = isProportion(m);
  return [...byFactor].map(([factor, levels]) => {
    const min = Math.min(...levels.map((l) => l.value));
    return h('div', { class: 'breakdown', 'data-metric': m.name, 'data-factor': factor },
      h('h3', null, m.name + ' by ' + factor),
      barChart(levels.map((l) => ({
        label: l.level, value: l.value, samples: l.samples, ci: prop ? wilson(l.value, l.samples) : null,
        alt: l.value === min,
      })), {
        max: prop ? 1 : undefined, format: format(m), title: m.name + ' by ' + factor,
        caption: 'Each ' + factor + ' with its number of samples; the lightest bar is the weakest.',
      }));
  });
}

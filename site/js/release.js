// Release status and its evidence. A version starts as an experiment and is promoted only with evidence: this shows
// the status, each condition of the node's rule (which one is missing and why), the latest signed decision, and the
// evidence the rule judged as charts with their intervals. Every part is optional: a node without release evidence,
// or a mirrored version, shows what there is.
import { h, bytes, count, date } from './dom.js';
import { barChart, percent } from './charts.js';

const CONDITIONS = {
  benefit: 'Benefit: users report that it helps',
  autonomy: 'Autonomy: users can leave (open license, exportable weights, open formats)',
  efficiency: 'Efficiency: cheaper than its baseline',
  retention: 'Retention: keeps what its baseline knew',
  standing: 'Standing: not withdrawn by its namespace',
};

/** doc: the version document; report: GET …/release (null when absent); reports: GET /v1/reports/{digest} or null. */
export function releaseSection(doc, report, reports, local = true) {
  const state = doc.release || {};
  const status = (report && report.status) || state.status || doc.status || 'experiment';
  const now = report && report.evaluation;
  const conditions = (now && now.conditions) || state.conditions || [];
  const missing = (now && now.missing) || state.missing || conditions.filter((c) => !c.met).map((c) => c.name);
  const decision = (report && report.decision) || state.decision || null;
  const evidence = now && now.evidence;
  const policy = (now && now.policy) || {};

  return h('div', { id: 'release-status', 'data-status': status },
    h('p', null, 'Status: ', h('strong', { class: 'status-' + status }, status), ' — ',
      status === 'promoted' ? 'promoted by a signed, logged decision that cites the evidence below.'
        : missing.includes('standing') ? 'withdrawn: its namespace yanked it, so the node no longer promotes it.'
        : missing.length ? 'stays an experiment: ' + missing.join(', ') + (missing.length === 1 ? ' is' : ' are')
          + ' not met yet.'
          : 'a version stays an experiment until the evidence supports promoting it.'),
    state.demoReports ? h('p', { id: 'release-demo' }, h('strong', null, 'Demo reports: '),
      state.demoReports + ' of this version’s benefit reports were sent by grove serve --demo, not by visitors;'
      + ' the evidence below includes them.') : null,
    conditions.length ? h('ul', { class: 'conditions', id: 'release-conditions' }, conditions.map((c) =>
      h('li', { 'data-condition': c.name, 'data-met': String(c.met) },
        h('span', { class: c.met ? 'passed' : 'failed', 'aria-hidden': 'true' }, c.met ? '✓ ' : '✗ '),
        h('strong', null, (CONDITIONS[c.name] || c.name) + (c.met ? ' — met' : ' — missing')), h('br'),
        h('span', { class: 'muted small' }, c.reason || ''))))
      : h('p', { class: 'muted' }, !local
        ? 'Its origin node judges its release; the status shown is the origin’s latest signed decision.'
        : state.evaluated === false ? 'Not evaluated yet: the node judges new versions on its next round.'
        : 'This node has published no release evaluation for this version.'),
    decision ? h('p', { id: 'release-decision' }, 'Latest decision: ', h('strong', null, decision.status),
      ' (decision ' + decision.sequence + ', ' + date(decision.decidedAt) + ', log entry ' + decision.logIndex
      + ', signed by the node’s log key).')
      : h('p', { class: 'muted small' }, 'No release decision yet.'),
    evidence ? evidenceCharts(evidence, policy) : null,
    reportsSummary(reports));
}

function evidenceCharts(ev, policy) {
  const parts = [h('h3', null, 'Evidence')];
  const base = ev.baseline || {};
  parts.push(h('p', { class: 'small' }, 'Compared with ', base.relation === 'none' ? 'no baseline (no parent, nothing promoted)'
    : base.relation === 'missing-parent' ? 'its parent, which this node does not hold'
      : h('span', null, 'its ' + (base.relation === 'promoted' ? 'promoted version' : 'parent') + ' ',
        base.digest ? h('a', { href: '#/d/' + base.digest }, base.ref || base.digest) : base.ref || '')));

  const r = ev.reports || {};
  // the node's one minimum: below it the node sends the count alone, and the page shows nothing more
  const minimum = r.minimum || policy.minReports || 0;
  const shown = r.shown !== false && (r.count || 0) >= minimum;
  const reportRows = [{ label: 'reports', value: r.count || 0,
    note: minimum && !shown ? 'of ' + count(minimum) + ' needed' : '' }];
  parts.push(h('div', { class: 'evidence', 'data-evidence': 'reports' }, barChart(reportRows, {
    max: Math.max(minimum || 1, r.count || 0), format: (v) => count(v), title: 'Benefit reports',
    threshold: minimum ? { value: minimum, label: 'minimum ' + minimum + ' reports' } : null,
    caption: 'Anonymous benefit reports received; the dashed line is the minimum the rule needs.'
      + (shown ? '' : ' No figure computed from them is shown before there are ' + count(minimum)
        + ', so that no single report can be told apart.'),
  })));
  if (shown && r.helped) {
    parts.push(h('div', { class: 'evidence', 'data-evidence': 'helped' }, barChart([{
      label: 'helped', value: r.helped.value, samples: r.count, ci: [r.helped.low, r.helped.high],
    }], {
      max: 1, format: percent, title: 'Share of users helped',
      threshold: { value: 0.5, label: 'net help above 0: more than half helped' },
      caption: 'Estimated share of users helped (randomised answers undone, ε = ' + Number(r.epsilon).toFixed(2)
        + '), with its ' + Math.round((r.confidence || 0.95) * 100) + '% interval; benefit needs the interval above the line.'
        + (r.latencyMedianMs != null ? ' Median reported latency ' + Number(r.latencyMedianMs).toFixed(2) + ' ms.' : ''),
    })));
  }

  for (const e of ev.evaluations || []) {
    const d = e.difference || {};
    parts.push(h('div', { class: 'evidence', 'data-evidence': 'evaluation' }, barChart([
      { label: 'baseline', value: e.baseline.value, samples: e.baseline.samples, ci: [e.baseline.low, e.baseline.high], alt: true },
      { label: 'this version', value: e.candidate.value, samples: e.candidate.samples, ci: [e.candidate.low, e.candidate.high] },
    ], {
      max: 1, format: percent, title: e.metric + ' on ' + e.dataset,
      caption: e.metric + ' on ' + e.dataset + ': difference ' + signed(d.value) + ' (interval ' + signed(d.low) + ' to '
        + signed(d.high) + ')' + (policy.retentionBound != null ? '; retention allows a drop up to '
        + percent(policy.retentionBound) : '') + '.',
    })));
  }

  const res = ev.resources || {};
  if (res.candidate && res.baseline) {
    parts.push(h('div', { class: 'evidence', 'data-evidence': 'resources' }, barChart([
      { label: 'baseline', value: res.baseline.bytes, alt: true },
      { label: 'this version', value: res.candidate.bytes },
    ], {
      format: bytes, title: 'Size',
      caption: 'Size of the weights; parameters ' + count(res.candidate.parameters) + ' against '
        + count(res.baseline.parameters) + '.',
    })));
  }
  return h('div', { id: 'release-evidence' }, parts);
}

function signed(v) {
  if (v == null) return '?';
  return (v >= 0 ? '+' : '−') + (Math.abs(v) * 100).toFixed(2) + ' points';
}

/**
 * The node's public aggregate of benefit reports (GET /v1/reports/{digest}): figures only once there are enough
 * reports that no single one can be read out of them.
 */
function reportsSummary(r) {
  if (!r) return null;
  const head = h('h3', null, 'Benefit reports');
  if (!r.shown) {
    return h('div', { id: 'reports-aggregate', 'data-count': r.count }, head,
      h('p', null, count(r.count) + (r.count === 1 ? ' anonymous report' : ' anonymous reports') + ' so far; this node '
        + 'shows figures from ' + count(r.minimum) + ' reports on, so that no single report can be told apart.'));
  }
  const parts = [head, h('p', { class: 'small' }, count(r.count) + ' anonymous reports. Answers were randomised in '
    + 'each browser (ε = ' + Number(r.epsilon).toFixed(2) + '); the estimates undo that, with 95% intervals.')];
  const rows = [];
  if (r.helped) rows.push({ label: 'all', value: r.helped.estimate, samples: r.count, ci: [r.helped.low, r.helped.high] });
  for (const [group, cells] of [['runtime', r.byRuntime], ['device', r.byDevice]]) {
    for (const [value, cell] of Object.entries(cells || {})) {
      if (cell.shown && cell.helped) {
        rows.push({ label: value, value: cell.helped.estimate, samples: cell.count,
          ci: [cell.helped.low, cell.helped.high], alt: true });
      }
    }
  }
  if (rows.length) {
    parts.push(barChart(rows, { max: 1, format: percent, title: 'Share of users helped', id: 'reports-helped',
      caption: 'Estimated share helped, overall and per runtime and device class with enough reports.' }));
  }
  if (r.rating) {
    parts.push(barChart([{ label: 'rating', value: r.rating.mean, samples: r.rating.count,
      ci: [r.rating.low, r.rating.high] }], { max: 5, format: (v) => Number(v).toFixed(2) + ' / 5',
      title: 'Mean rating', caption: 'Mean of the optional 1–5 ratings.' }));
  }
  if (r.latencyMs) {
    parts.push(h('p', { class: 'small' }, 'Reported latency: median ' + r.latencyMs.median + ' ms, 90th percentile '
      + r.latencyMs.p90 + ' ms (' + count(r.latencyMs.count) + ' reports).'));
  }
  return h('div', { id: 'reports-aggregate', 'data-count': r.count }, parts);
}

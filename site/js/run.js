// Run a package in this page: the Grove runtime (TeaVM-compiled Java: WebAssembly GC, or JavaScript where the browser
// has no Wasm GC) fetches the package from the node, checks signatures, keyset, log proof and digests, and only then
// runs it on the text typed here. The text never leaves the page. After a run, an optional anonymous report.
import { h } from './dom.js';
import { barChart, percent } from './charts.js';

let runtimePromise = null;
/** Package loads by cache key: promises, so that Run pressed while the checks started at page view are still going
 * waits for them instead of starting over. */
const loaded = new Map();
/** A package whose artifacts add up to at most this is fetched and checked when its page is shown, before Run. */
const CHECK_AHEAD_BYTES = 4 * 1024 * 1024;

/** Starts loading the runtime without waiting for it (a package page asks first thing); a failure shows on Run. */
export function warmRuntime(prefer) {
  runtime(prefer).catch(() => {});
}

/**
 * The package loaded and verified, once per page view and key: the runtime's loadPackage, whose checks decide;
 * nothing of the package runs here. A failed load is forgotten once it was shown, so Run tries again.
 */
function verified(cacheKey, prefer, base, ref, options) {
  let p = loaded.get(cacheKey);
  if (!p) {
    p = runtime(prefer).then((grove) => grove.loadPackage(base, ref, options)).then((pkg) => {
      // milliseconds from the navigation to the first package verified, for the first-load measurement
      if (window.groveVerifiedMs == null) window.groveVerifiedMs = performance.now();
      return pkg;
    });
    p.catch(() => {}); // shown when Run is pressed
    loaded.set(cacheKey, p);
  }
  return p;
}

function artifactBytes(doc) {
  return (doc.artifacts || (doc.contract || {}).artifacts || []).reduce((n, a) => n + (Number(a.size) || 0), 0);
}

/** The runtime, loaded once per page view; ?runtime=js in the address forces the JavaScript build. */
function runtime(prefer) {
  if (!runtimePromise) {
    runtimePromise = import(new URL('grove-runtime/grove.js', document.baseURI).href)
      .then((m) => m.createRuntime(prefer ? { prefer } : {}))
      .catch((e) => { runtimePromise = null; throw e; });
  }
  return runtimePromise;
}

const RUNTIME_NAMES = { 'wasm-gc': 'WebAssembly GC', js: 'JavaScript' };

/**
 * origin: the log origin of a package this node mirrors (its copy is run, checked against that origin's log).
 * documents: {versionDocument, nodeDocument}, texts the page already fetched from the node at the paths the runtime
 * reads (checked the same, not fetched again).
 */
export function runPanel(doc, base, params, origin, documents = {}) {
  const ref = doc.ref || doc.namespace + '/' + doc.name + '@' + doc.version;
  const cacheKey = (origin ? origin + ' ' : '') + ref;
  const output = ((doc.contract || {}).interface || {}).outputs || [];
  const input = (((doc.contract || {}).interface || {}).inputs || [])[0];
  const languages = ((doc.contract || {}).tags || []).includes('language-id');
  const prefer = params && params.get('runtime');
  const options = Object.assign(origin ? { origin } : {}, documents);
  // a small package is fetched and checked while the visitor reads and types: Run then costs only the inference
  if (artifactBytes(doc) <= CHECK_AHEAD_BYTES) verified(cacheKey, prefer, base, ref, options);

  const text = h('textarea', { id: 'run-input', name: 'text', rows: 3, required: true,
    placeholder: languages ? 'Type or paste a sentence in any of its languages' : 'Type or paste the input' });
  const button = h('button', { type: 'submit', id: 'run-button' }, 'Verify and run');
  const status = h('p', { id: 'run-status', class: 'muted', role: 'status' });
  const result = h('div', { id: 'run-result', 'aria-live': 'polite' });
  const checks = h('div', { id: 'run-checks' });
  const report = h('div', { id: 'report' });
  const form = h('form', { class: 'run', id: 'run-form' },
    h('label', { for: 'run-input' }, 'Input' + (input ? ' (' + input.name + ', ' + input.dtype + ')' : '')),
    text,
    h('div', { class: 'actions' }, button,
      h('span', { class: 'muted small' }, 'Runs here, in your browser: what you type is not sent anywhere.')),
    status, result, checks, report);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim()) {
      status.textContent = 'Type something to run the model on.';
      text.focus();
      return;
    }
    button.disabled = true;
    result.replaceChildren();
    report.replaceChildren();
    document.body.dataset.run = 'running';
    const outcome = { ok: false, submittedMs: performance.now() };
    try {
      status.textContent = 'Loading the runtime…';
      const grove = await runtime(prefer);
      status.textContent = 'Fetching ' + ref + ' and checking it…';
      const loading = verified(cacheKey, prefer, base, ref, options);
      let pkg;
      try {
        pkg = await loading;
      } catch (err) {
        if (loaded.get(cacheKey) === loading) loaded.delete(cacheKey);
        throw err;
      }
      // an adapter ran over its base: the base's own checks, which passed before the adapter's weights were applied
      checks.replaceChildren(checkTable(pkg.report, pkg), ...(pkg.base ? [checkTable(pkg.base.report, pkg.base,
        'verification-base', 'Its base ' + pkg.base.ref + ', verified before the adapter was applied')] : []));
      status.textContent = pkg.cascade ? 'Running the cascade: a member is fetched and checked when the input '
        + 'reaches it…' : status.textContent;
      const out = await grove.run(pkg, text.value);
      if (pkg.cascade) {
        // every member loaded so far was verified like any package: its checks follow the cascade's own
        checks.append(...pkg.members.map((m, i) => (m.loaded ? checkTable(m.loaded.report, m.loaded, 'verification-member-' + i,
          'Member ' + (i + 1) + ', ' + m.loaded.ref + ', verified before it ran') : null))
          .filter((t) => t));
        Object.assign(outcome, { member: out.member, memberRef: out.memberRef, consulted: out.consulted,
          loadedNow: out.loaded.map((m) => m.ref) });
      }
      outcome.ok = true;
      Object.assign(outcome, { label: out.label, labels: out.labels, probabilities: out.probabilities, ms: out.ms,
        runtime: out.runtime, runtimeLoadMs: grove.loadMs, fetchMs: pkg.fetchMs, verifyMs: pkg.verifyMs,
        checks: pkg.report, firstResultMs: performance.now(),
        base: pkg.base ? { ref: pkg.base.ref, digest: pkg.base.digest, checks: pkg.base.report } : null });
      status.textContent = '';
      result.replaceChildren(...resultView(out, output[0], languages, grove, pkg));
      report.replaceChildren(reportForm(grove, base, doc, out));
    } catch (err) {
      outcome.error = err.message;
      outcome.check = err.check;
      status.textContent = '';
      result.replaceChildren(h('p', { class: 'error', role: 'alert', id: 'run-error' },
        (err.name === 'GroveRefusal' ? 'Refused, nothing ran: ' : 'Could not run: ') + err.message));
      if (err.report) checks.replaceChildren(checkTable(err.report, null));
    } finally {
      button.disabled = false;
      window.groveRun = outcome;
      document.body.dataset.run = outcome.ok ? 'done' : 'refused';
    }
  });
  return form;
}

function languageName(code) {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code);
  } catch (e) {
    return null;
  }
}

function resultView(out, spec, languages, grove, pkg) {
  const name = (l) => {
    const n = languages ? languageName(l) : null;
    return n && n !== l ? l + ' (' + n + ')' : l;
  };
  const ranked = out.probabilities.map((p, i) => ({ label: out.labels[i], p })).sort((a, b) => b.p - a.p);
  return [
    h('p', { class: 'result-line', id: 'run-label', 'data-label': out.label },
      name(out.label), ' — ', percent(ranked[0].p)),
    h('p', { class: 'small', id: 'run-timing' },
      'Ran in ', h('strong', null, out.ms.toFixed(2) + ' ms'), ' on ',
      h('strong', { id: 'run-runtime', 'data-runtime': out.runtime }, RUNTIME_NAMES[out.runtime] || out.runtime),
      grove.fallback ? ' (WebAssembly GC did not load: ' + grove.fallback + ')' : '',
      h('span', { class: 'muted' }, ' · runtime loaded in ' + grove.loadMs.toFixed(0) + ' ms, package fetched in '
        + pkg.fetchMs.toFixed(0) + ' ms and checked in ' + pkg.verifyMs.toFixed(0) + ' ms'
        + (pkg.base ? ', as an adapter over ' + pkg.base.ref + ' (both verified)' : ''))),
    out.memberRef ? h('p', { class: 'small', id: 'run-member', 'data-member': out.member,
      'data-member-ref': out.memberRef },
      'Answered by member ', h('strong', null, (out.member + 1) + ' of ' + pkg.members.length + ', ' + out.memberRef),
      out.consulted > 1 ? ' after ' + (out.consulted - 1) + ' smaller member' + (out.consulted > 2 ? 's' : '')
        + ' escalated' : ', the first one, without escalating',
      out.loaded.length ? h('span', { class: 'muted' }, ' · fetched and checked for this input: '
        + out.loaded.map((m) => m.ref).join(', ')) : '') : null,
    barChart(ranked.map((r) => ({ label: name(r.label), value: r.p })), {
      max: 1, format: percent, title: 'Probabilities' + (spec ? ' (' + spec.name + ')' : ''), id: 'run-chart',
      caption: 'Probability of each ' + (languages ? 'language' : 'label') + ', highest first.',
    }),
  ];
}

function checkTable(report, pkg, id = 'verification', what = 'What was verified before it ran') {
  const passed = report.filter((c) => c.status === 'passed').length;
  return h('details', { open: true, id },
    h('summary', null, what + ' (' + passed + ' of ' + report.length + ' checks passed'
      + (pkg ? ', package ' + pkg.digest.slice(0, 19) + '…' : '') + ')'),
    h('div', { class: 'table-wrap' }, h('table', null,
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Check'), h('th', { scope: 'col' }, 'Result'),
        h('th', { scope: 'col' }, 'Detail'))),
      h('tbody', null, report.map((c) => h('tr', { 'data-check': c.check },
        h('td', null, c.check), h('td', { class: c.status }, c.status), h('td', null, c.detail || '')))))));
}

/** A coarse device class, never finer: phone, tablet or desktop (the visitor may change it, or say other). */
function deviceClass() {
  const coarse = window.matchMedia('(pointer: coarse)').matches;
  const w = Math.min(screen.width, screen.height);
  if (coarse && w < 600) return 'phone';
  if (coarse) return 'tablet';
  return 'desktop';
}

function reportForm(grove, base, doc, out) {
  const latencyMs = Math.max(0, Math.round(out.ms * 100) / 100);
  const can = typeof grove.sendReport === 'function';
  const radios = (name, options, checked) => h('div', { class: 'choices' }, options.map(([v, label]) =>
    h('label', null, h('input', { type: 'radio', name, value: v, checked: v === checked, required: name === 'helped' }),
      label)));
  const device = h('select', { name: 'device', id: 'report-device' },
    ['phone', 'tablet', 'desktop', 'other'].map((d) => h('option', { value: d, selected: d === deviceClass() }, d)));
  const send = h('button', { type: 'submit', id: 'report-send', disabled: !can }, 'Send anonymous report');
  // the token is fetched now, while the visitor reads the form: one fetched just before its report would let the node
  // pair the two requests by their timing
  const token = can && typeof grove.reportToken === 'function' ? grove.reportToken(base).catch(() => null) : null;
  const status = h('p', { id: 'report-status', role: 'status' });
  const form = h('form', { id: 'report-form', 'aria-labelledby': 'report-title' },
    h('h3', { id: 'report-title' }, 'Did it help? (optional, anonymous)'),
    h('fieldset', null, h('legend', null, 'Did the result help you?'),
      radios('helped', [['yes', 'Yes'], ['no', 'No']], null)),
    h('fieldset', null, h('legend', null, 'Rating (optional)'),
      radios('rating', [['', 'none'], ['1', '1'], ['2', '2'], ['3', '3'], ['4', '4'], ['5', '5']], '')),
    h('label', null, h('span', null, 'Device class'), device),
    h('p', { class: 'small muted' }, 'Sent with it: the latency (' + latencyMs + ' ms) and the runtime ('
      + (RUNTIME_NAMES[out.runtime] || out.runtime) + '). Not sent: your text, the result, any identifier. '
      + 'The yes/no answer is randomised in this browser before it leaves, and the report carries a blind-signed '
      + 'token instead of who you are.'),
    send, status,
    can ? null : h('p', { class: 'muted small' }, 'This node’s runtime cannot send reports.'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    if (!data.get('helped')) {
      status.textContent = 'Choose yes or no first.';
      return;
    }
    send.disabled = true;
    status.textContent = 'Sending…';
    try {
      const early = token ? await token : null;
      const sent = await grove.sendReport(base, {
        package: doc.digest, helped: data.get('helped') === 'yes',
        rating: data.get('rating') ? Number(data.get('rating')) : null,
        latencyMs, device: data.get('device'),
      }, early ? { token: early } : {});
      status.textContent = 'Thank you: the report was accepted. Your yes/no was randomised in this browser before it '
        + 'was sent, so the node cannot know your answer, only the share over many reports.';
      form.dataset.sent = 'true';
      window.groveReport = { ok: true, sent: sent === undefined ? null : sent };
    } catch (err) {
      send.disabled = false;
      status.textContent = 'The report was not sent: ' + err.message;
      status.className = 'error';
      window.groveReport = { ok: false, error: err.message };
    }
  });
  return form;
}

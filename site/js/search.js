// Search and browse: full-text search on the node with its filters (task, license, size, release status), and by
// origin node here (the node's search has no parameter for it). The status is checked here too, for older nodes.
import { h, badge, bytes, count, host } from './dom.js';
import { get, isHereIn, node, nodeIdentity, packageHref } from './api.js';

const SIZES = [['', 'Any size'], ['20000', 'up to 20 kB'], ['50000', 'up to 50 kB'], ['100000', 'up to 100 kB'],
  ['1000000', 'up to 1 MB'], ['10000000', 'up to 10 MB']];

function select(name, label, options, value) {
  return h('label', null, h('span', null, label), h('select', { name, id: 'f-' + name },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}

function distinct(results, key) {
  return [...new Set(results.map(key).filter(Boolean))].sort();
}

export async function searchPage(page, params, stillCurrent) {
  page.dataset.page = 'search';
  const q = params.get('q') || '';
  const f = {
    task: params.get('task') || '', license: params.get('license') || '', maxBytes: params.get('maxBytes') || '',
    origin: params.get('origin') || '', status: params.get('status') || '',
  };
  const api = new URLSearchParams({ limit: '100' });
  if (q) api.set('q', q);
  for (const k of ['task', 'license', 'maxBytes', 'status']) if (f[k]) api.set(k, f[k]);
  // every package, for the filter choices; and the search itself
  const [all, found, identity, base] = await Promise.all([get('/v1/search?limit=100'), get('/v1/search?' + api),
    nodeIdentity(), node()]);
  if (!stillCurrent()) return;
  const isHere = isHereIn(identity, base);
  const results = found.results.filter((r) => (!f.origin || r.origin === f.origin)
    && (!f.status || (r.status || 'experiment') === f.status));

  const form = h('form', { class: 'search', role: 'search', 'aria-label': 'Packages' },
    h('div', { class: 'search-row' },
      h('label', { for: 'q', class: 'visually-hidden' }, 'Search packages'),
      h('input', { type: 'search', id: 'q', name: 'q', value: q, placeholder: 'e.g. langid', autocomplete: 'off' }),
      h('button', { type: 'submit' }, 'Search')),
    h('div', { class: 'filters' },
      select('task', 'Task', [['', 'Any task'], ...distinct(all.results, (r) => r.task).map((t) => [t, t])], f.task),
      select('license', 'License', [['', 'Any license'],
        ...distinct(all.results, (r) => r.license).map((l) => [l, l])], f.license),
      select('maxBytes', 'Size', SIZES, f.maxBytes),
      select('origin', 'Origin node', [['', 'Any node'],
        ...distinct(all.results, (r) => r.origin).map((o) => [o, host(o)])], f.origin),
      select('status', 'Release status', [['', 'Any status'], ['promoted', 'promoted'], ['experiment', 'experiment']],
        f.status)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) next.set(k, String(v).trim());
    const hash = '#/' + (next.toString() ? '?' + next : '');
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = hash;
  });
  // a filter change searches at once; the text field waits for Enter or the button
  form.querySelectorAll('select').forEach((sel) => sel.addEventListener('change', () => form.requestSubmit()));

  const filtered = q || Object.values(f).some(Boolean);
  // a node with fuzzy search answers a query that matches nothing with the names most like it, each match: 'fuzzy'
  const fuzzy = results.length > 0 && results.every((r) => r.match === 'fuzzy');
  const summary = h('h2', { id: 'result-count', 'aria-live': 'polite', class: 'muted small' },
    results.length === 0 ? 'No package matches.'
      : fuzzy ? 'No package matches “' + q + '”. Did you mean: ' + results.map((r) => r.name).join(', ') + '?'
        : results.length + (results.length === 1 ? ' package' : ' packages') + (q ? ' for “' + q + '”' : ''));
  if (filtered) summary.dataset.autofocus = '';

  page.append(
    h('h1', null, 'Packages'),
    h('p', { class: 'muted' }, 'Small, signed models. Open one to read its contract, evidence and lineage, and run it ',
      'in this browser.'),
    form, summary,
    h('ul', { class: 'results', id: 'results' }, results.map((r) => resultItem(r, isHere))));
}

function resultItem(r, isHere) {
  const status = r.status || 'experiment';
  // a package this node mirrors links to its origin's copy here: the name alone may be another origin's too
  return h('li', { class: 'result', 'data-origin': r.origin || '' },
    h('h2', null, h('a', { href: packageHref(r.origin, r.name, r.version, isHere) }, r.name),
      h('span', { class: 'muted small' }, ' ' + r.version)),
    h('p', null, r.summary),
    h('ul', { class: 'badges', 'aria-label': 'Facts' },
      badge(status, 'status-' + status),
      r.task ? badge(r.task) : null,
      r.license ? badge(r.license) : null,
      r.bytes != null ? badge(bytes(r.bytes)) : null,
      r.parameters != null ? badge(count(r.parameters) + ' parameters') : null,
      r.operator ? badge('bred by ' + r.operator) : null,
      r.origin ? badge('from ' + host(r.origin)) : null));
}

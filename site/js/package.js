// A package page: what it is (contract), its versions, its evidence (evaluation card, release status and evidence,
// benefit reports), its lineage graph, and a panel that verifies and runs it in this browser.
import { h, badge, bytes, count, date, host, kvTable, shortDigest } from './dom.js';
import { apiBase, followsOrigin, get, isHereIn, optional, node, nodeIdentity, originUrls, packageHref, pkgPath,
  sourceText } from './api.js';
import { lineageGraph } from './lineage.js';
import { evaluationSection } from './evaluation.js';
import { releaseSection } from './release.js';
import { runPanel } from './run.js';
import { README_MAX_BYTES, renderMarkdown } from './markdown.js';

export async function packagePage(page, target, stillCurrent, params) {
  page.dataset.page = 'package';
  const [doc, identity, base, urlOf] = await Promise.all([
    target.digest ? get('/v1/digests/' + target.digest)
      : get(apiBase(target.origin) + '/packages/' + pkgPath(target.name) + '/versions/'
        + encodeURIComponent(target.version)),
    nodeIdentity(), node(), originUrls()]);
  const name = doc.namespace + '/' + doc.name;
  const isHere = isHereIn(identity, base);
  const local = isHere(doc.origin);
  const originUrl = urlOf(doc.origin);
  const versionPath = '/v1/packages/' + pkgPath(name) + '/versions/' + encodeURIComponent(doc.version);
  page.dataset.origin = local ? '' : doc.origin;
  // what the runtime would fetch again, as this page fetched it: the version document when it came from the path the
  // runtime reads (by name, from this node's own or from the origin the run is checked against), the node document
  const documents = {};
  if (!target.digest && (local ? !target.origin : target.origin === doc.origin) && sourceText(doc)) {
    documents.versionDocument = sourceText(doc);
  }
  if (local && sourceText(identity)) documents.nodeDocument = sourceText(identity);
  // each of these may be missing on a node (older, or without that feature): the page says so instead of failing
  const [versions, lineage, release, reports, followed] = await Promise.all([
    optional(apiBase(local ? null : doc.origin) + '/packages/' + pkgPath(name)).catch(() => null),
    optional('/v1/lineage/' + doc.digest).catch(() => null),
    local ? optional(versionPath + '/release').catch(() => null) : null,
    optional('/v1/reports/' + doc.digest).catch(() => null),
    local ? false : followsOrigin(doc.origin),
  ]);
  if (!stillCurrent()) return;
  const c = doc.contract || {};
  const status = doc.status || 'experiment';
  page.dataset.digest = doc.digest;

  page.append(
    h('p', { class: 'small' }, h('a', { href: '#/' }, '← All packages')),
    h('h1', null, name, h('span', { class: 'muted' }, ' ' + doc.version)),
    c.summary ? h('p', null, c.summary) : null,
    h('ul', { class: 'badges', 'aria-label': 'Facts' },
      badge(status, 'status-' + status),
      doc.yanked ? badge('yanked' + (doc.yankReason ? ': ' + doc.yankReason : ''), 'yanked') : null,
      c.task ? badge(c.task) : null,
      c.license ? badge(c.license) : null,
      c.resources && c.resources.bytes != null ? badge(bytes(c.resources.bytes)) : null,
      c.resources && c.resources.parameters != null ? badge(count(c.resources.parameters) + ' parameters') : null,
      doc.origin ? badge('from ' + host(originUrl || doc.origin), local ? null : 'other-origin') : null),

    ...readmeSection(doc, base),

    h('h2', { id: 'use' }, 'Use it'),
    useSection(doc, base, local, originUrl),

    h('h2', { id: 'run' }, 'Run it in this browser'),
    local ? runPanel(doc, base, params, null, documents)
      : mirroredRun(doc, base, params, originUrl, followed, documents),

    h('h2', { id: 'lineage' }, 'Lineage'),
    lineage ? lineageGraph(lineage, isHere, urlOf) : h('p', { class: 'muted' }, 'This node gives no lineage graph for it.'),
    lineageCard(doc),

    h('h2', { id: 'evaluation' }, 'Evaluation'),
    evaluationSection(doc.evaluation),

    h('h2', { id: 'release' }, 'Release'),
    releaseSection(doc, release, reports, local),

    h('h2', { id: 'contract' }, 'Contract'),
    contractSection(doc, base),

    h('h2', { id: 'versions' }, 'Versions'),
    versions ? versionsTable(versions, doc.version, local ? null : doc.origin, isHere)
      : h('p', { class: 'muted' }, 'The version list is kept by ', h('code', null, doc.origin || 'its origin'), '.'));
}

/**
 * A package this node mirrors. When it follows the origin (and so holds its log key), the visitor runs this node's copy,
 * checked as at the origin; otherwise the page sends them to the origin.
 */
function mirroredRun(doc, base, params, originUrl, followed, documents) {
  const published = ['This package was published on ', h('code', null, host(originUrl || doc.origin)),
    ' and mirrored here'];
  const origin = originUrl ? h('a', { href: originUrl + '/#/p/' + doc.ref }, 'its origin node') : 'its origin node';
  if (!followed) {
    return h('p', { id: 'mirrored' }, ...published, ', checked against its log. Run it from ', origin, '.');
  }
  return h('div', null,
    h('p', { id: 'mirrored' }, ...published, '. Your browser runs this node’s copy only after checking it as it would '
      + 'at its origin: the signatures against the origin’s namespace keyset, the entry in the origin’s log against the '
      + 'checkpoint the origin signed (with the log key this node pinned for it), and every artifact’s digest.',
      originUrl ? h('span', null, ' It is also on ', origin, '.') : null),
    runPanel(doc, base, params, doc.origin, documents));
}

/** The package's README.md artifact (its model card), fetched from the node's blobs, checked, and rendered safely. */
function readmeSection(doc, base) {
  const a = (doc.artifacts || (doc.contract || {}).artifacts || []).find((x) => x.path === 'README.md');
  if (!a) return [];
  const box = h('div', { id: 'readme' }, h('p', { class: 'muted' }, 'Loading the model card…'));
  (async () => {
    if (a.size > README_MAX_BYTES) throw new Error('larger than ' + bytes(README_MAX_BYTES));
    const res = await fetch(base + '/v1/blobs/' + a.digest, { credentials: 'omit' });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const buf = await res.arrayBuffer();
    const hex = [...new Uint8Array(await crypto.subtle.digest('SHA-256', buf))]
      .map((b) => b.toString(16).padStart(2, '0')).join('');
    if ('sha256:' + hex !== a.digest) throw new Error('its bytes do not match the digest the contract pins');
    box.replaceChildren(renderMarkdown(new TextDecoder('utf-8').decode(buf)));
  })().catch((e) => box.replaceChildren(h('p', { class: 'muted' }, 'The model card (README.md) could not be shown: '
    + e.message)));
  return [h('h2', { id: 'model-card' }, 'Model card'), box];
}

/** Copyable CLI lines and a JavaScript snippet for the browser runtime. */
function useSection(doc, base, local, originUrl) {
  const ref = (local ? '' : doc.origin + '/') + doc.namespace + '/' + doc.name + '@' + doc.version;
  const registry = base;
  const dir = doc.name;
  const pull = `grove pull ${ref} --registry ${registry} --out ${dir}`;
  const run = `grove run ${ref} --registry ${registry} --input 'Hello, world'`;
  const js = `import { createRuntime } from '${base}/grove-runtime/grove.js';\n\n`
    + `const grove = await createRuntime({ base: '${base}/grove-runtime/' });\n`
    + `const pkg = await grove.loadPackage('${registry}', '${doc.namespace}/${doc.name}@${doc.version}'`
    + (local ? '' : `, { origin: '${doc.origin}' }`) + `);\n`
    + `console.log(await grove.run(pkg, 'Hello, world'));`;
  return h('div', { id: 'use-it' },
    h('p', { class: 'small' }, 'With the grove command line (it verifies signatures, the log proof and every digest):'),
    copyLine(pull, 'pull-line'), copyLine(run, 'run-line'),
    h('p', { class: 'small' }, 'In a page of your own, with the browser runtime (it verifies the package the same way):'),
    copyLine(js, 'js-snippet'),
    originUrl && !local ? h('p', { class: 'muted small' }, 'Published on ', h('code', null, host(originUrl)), '.') : null);
}

function copyLine(text, id) {
  const status = h('span', { class: 'visually-hidden', role: 'status' });
  return h('div', { class: 'copy-line' },
    h('pre', { class: 'snippet', id }, h('code', null, text)),
    h('button', { type: 'button', class: 'secondary', 'aria-label': 'Copy', onclick: async (e) => {
      const btn = e.currentTarget;
      try {
        await navigator.clipboard.writeText(text);
        btn.textContent = 'Copied';
        status.textContent = 'Copied to the clipboard';
      } catch (err) {
        btn.textContent = 'Select and copy';
      }
      setTimeout(() => { btn.textContent = 'Copy'; }, 2000);
    } }, 'Copy'), status);
}

function lineageCard(doc) {
  const l = doc.lineage;
  if (!l) return null;
  const repro = doc.lineageReproduction || {};
  return h('details', null, h('summary', null, 'Lineage card'), kvTable([
    ['Operator', l.operator],
    ['Parameters', l.parameters && Object.keys(l.parameters).length ? h('code', null, JSON.stringify(l.parameters)) : null],
    ['Parents', l.parents && l.parents.length ? h('ul', null, l.parents.map((p) => h('li', null,
      h('a', { href: '#/d/' + p.digest }, p.ref || p.digest), p.origin ? ' on ' + host(p.origin) : '', ' ',
      shortDigest(p.digest)))) : 'none'],
    ['Data', l.data && l.data.length ? h('ul', null, l.data.map((d) => h('li', null, d.name || '', ' ', shortDigest(d.digest))))
      : null],
    ['Checked by this node', repro.reproduced === true ? '✓ reproduced: ' + (repro.reason || '')
      : repro.reproduced === false ? 'not reproduced: ' + (repro.reason || '') : 'not re-run (' + (l.operator || '?')
        + ' is not an operator a node re-runs)'],
  ]));
}

function tensorRows(list) {
  return (list || []).map((t) => h('tr', null,
    h('td', null, h('code', null, t.name)), h('td', null, t.dtype),
    h('td', null, h('code', null, '[' + (t.shape || []).join(', ') + ']')),
    h('td', null, t.labels ? t.labels.join(', ') : '')));
}

function contractSection(doc, base) {
  const c = doc.contract || {};
  const iface = c.interface || {};
  const arch = c.architecture || {};
  return h('div', null,
    h('h3', null, 'Interface'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'interface' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Tensor'), h('th', { scope: 'col' }, 'Type'),
        h('th', { scope: 'col' }, 'Shape'), h('th', { scope: 'col' }, 'Labels'))),
      h('tbody', null,
        h('tr', null, h('th', { colspan: 4, scope: 'rowgroup' }, 'Inputs')), tensorRows(iface.inputs),
        h('tr', null, h('th', { colspan: 4, scope: 'rowgroup' }, 'Outputs')), tensorRows(iface.outputs)))),
    h('h3', null, 'Details'),
    kvTable([
      ['Name', c.name], ['Version', c.version], ['Task', c.task], ['License', c.license],
      ['Tags', c.tags && c.tags.length ? c.tags.join(', ') : null],
      ['Architecture', arch.family ? arch.family + (arch.opset != null ? ' (op-set ' + arch.opset + ')' : '') : null],
      ['Configuration', arch.config ? h('code', null, Object.entries(arch.config)
        .map(([k, v]) => k + '=' + (Array.isArray(v) ? v.join(',') : v)).join('  ')) : null],
      ['Parameters', c.resources ? count(c.resources.parameters) : null],
      ['Size', c.resources ? bytes(c.resources.bytes) : null],
      ['Package digest', shortDigest(doc.digest)],
      ['Published', date(doc.publishedAt)],
      ['Origin node', doc.origin ? h('code', null, doc.origin) : null],
      ['Signed by', doc.bundle && doc.bundle.keys ? h('ul', null, doc.bundle.keys.map((k) =>
        h('li', null, h('code', { title: k.keyid }, 'key ' + k.keyid.slice(0, 16) + '…')))) : null],
      ['Log entry', doc.log ? 'index ' + doc.log.index + (doc.log.treeSize ? ' in a tree of ' + doc.log.treeSize : '') : null],
    ]),
    h('h3', { id: 'artifacts' }, 'Artifacts'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'artifact-list' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Path'), h('th', { scope: 'col' }, 'Size'),
        h('th', { scope: 'col' }, 'Digest'))),
      h('tbody', null, (doc.artifacts || c.artifacts || []).map((a) => h('tr', { 'data-path': a.path },
        h('td', null, h('a', { href: base + '/v1/blobs/' + a.digest, download: a.path.split('/').pop(),
          'data-digest': a.digest, type: a.mediaType }, h('code', null, a.path))),
        h('td', null, bytes(a.size)), h('td', null, shortDigest(a.digest))))))),
    h('p', { class: 'muted small' }, 'Each file downloads from this node’s blob store by its digest; check it with ',
      h('code', null, 'sha256sum'), ' against the digest above, or let grove pull do it.'));
}

function versionsTable(versions, current, origin, isHere) {
  return h('div', { class: 'table-wrap' }, h('table', { id: 'version-list' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Published'), h('th', { scope: 'col' }, 'Digest'))),
    h('tbody', null, versions.versions.map((v) => h('tr', null,
      h('td', null, v.version === current ? h('strong', { 'aria-current': 'page' }, v.version)
        : h('a', { href: packageHref(origin, versions.name, v.version, isHere) }, v.version),
      versions.latest === v.version ? h('span', { class: 'muted' }, ' (latest)') : null),
      h('td', null, (v.status || 'experiment') + (v.yanked ? ', yanked' : '')),
      h('td', null, date(v.publishedAt)),
      h('td', null, shortDigest(v.digest)))))));
}

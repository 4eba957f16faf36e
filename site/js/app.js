// The site's router: the part of the URL after '#' picks the page, so any static host can serve the folder as is.
//   #/?q=..&task=..      search and browse
//   #/p/ns/name[@ver]    a package (latest when no version): the node's own, else the one origin it mirrors it from
//   #/p/origin/ns/name[@ver]  the package of that origin (a log origin such as a.example/grove-log) the node mirrors
//   #/d/sha256:...       a package by digest (lineage graphs link here)
//   #/about              what this site is and which node it reads
import { h, host } from './dom.js';
import { node, nodeIdentity } from './api.js';
import { searchPage } from './search.js';
import { packagePage } from './package.js';
import { warmRuntime } from './run.js';

const main = document.getElementById('main');
let generation = 0;

function parse() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query] = raw.split('?');
  return { path: decodeURIComponent(path), params: new URLSearchParams(query || '') };
}

async function route() {
  const mine = ++generation;
  const { path, params } = parse();
  if (/^\/(p|d)\//.test(path)) warmRuntime(params.get('runtime'));
  const page = h('div', { class: 'page' });
  // a page renders into a detached element; a newer navigation wins if the visitor moves on before it finishes
  const stillCurrent = () => mine === generation;
  try {
    let m;
    if ((m = path.match(/^\/p\/(?:([^@]+)\/)?([^/@]+\/[^/@]+)(?:@(.+))?$/))) {
      await packagePage(page, { origin: m[1] || null, name: m[2], version: m[3] || 'latest' }, stillCurrent, params);
    } else if ((m = path.match(/^\/d\/(sha256:[0-9a-f]{64})$/))) {
      await packagePage(page, { digest: m[1] }, stillCurrent, params);
    } else if (path === '/about') {
      await aboutPage(page);
    } else {
      await searchPage(page, params, stillCurrent);
    }
  } catch (e) {
    page.replaceChildren(h('h1', { tabindex: '-1' }, 'Something went wrong'),
      h('p', { class: 'error', role: 'alert' }, e.message || String(e)), h('p', null, h('a', { href: '#/' }, 'Back to the packages')));
  }
  if (!stillCurrent()) return;
  main.replaceChildren(page);
  const title = page.querySelector('h1');
  document.title = (title ? title.textContent + ' · ' : '') + 'Grove';
  // keyboard and screen-reader users land on the new page's heading (or what the page names), not where they were
  const target = page.querySelector('[data-autofocus]') || title;
  if (target) {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  }
  document.body.dataset.page = page.dataset.page || '';
  // milliseconds from the navigation to the first page shown, for the first-load measurement
  if (window.groveSiteReadyMs == null) window.groveSiteReadyMs = performance.now();
}

async function aboutPage(page) {
  const base = await node();
  const id = await nodeIdentity();
  page.dataset.page = 'about';
  page.append(
    h('h1', null, 'About this site'),
    h('p', null, 'Grove is a federated registry of small, signed model packages. This site reads one node and runs ',
      'its models in your browser.'),
    h('ul', null,
      h('li', null, 'Before a model runs, the browser checks the package signatures, the namespace keyset, the ',
        'transparency-log proof and every artifact digest, and shows what it checked.'),
      h('li', null, 'The text you enter is processed in this page only; it is never sent anywhere.'),
      h('li', null, 'After a run you may send an anonymous report (helped or not, a rating, the latency, the runtime ',
        'and a coarse device class); no account, no cookie.'),
      h('li', null, 'The site asks nothing of any server but its own and the node below.')),
    h('h2', null, 'Node'),
    h('dl', { class: 'facts' },
      h('dt', null, 'Reading from'), h('dd', null, h('code', null, base)),
      id.logOrigin ? [h('dt', null, 'Log'), h('dd', null, h('code', null, id.logOrigin))] : null,
      id.logKey ? [h('dt', null, 'Log key'), h('dd', null, h('code', null, id.logKey))] : null));
}

async function start() {
  // a package page will need the runtime: load it alongside the page's documents, not after them
  const first = parse();
  if (/^\/(p|d)\//.test(first.path)) warmRuntime(first.params.get('runtime'));
  const base = await node();
  document.getElementById('node-name').textContent = 'node: ' + host(base);
  window.addEventListener('hashchange', route);
  await route();
}

start();

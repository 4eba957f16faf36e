// The node this site reads from: config.json's "node", or the origin that served the site. Every request goes there
// and nowhere else (the Content-Security-Policy says the same).

let nodeUrl = null;
let identity = null;
let peerList = null;
/** The text each document get() returned was parsed from: the runtime checks those bytes instead of fetching again. */
const texts = new WeakMap();

export async function node() {
  if (nodeUrl == null) {
    let configured = '';
    try {
      const res = await fetch(new URL('config.json', document.baseURI), { credentials: 'omit' });
      if (res.ok) configured = (await res.json()).node || '';
    } catch (e) { /* no config: same origin */ }
    nodeUrl = (configured ? new URL(configured, location.href).href : location.origin).replace(/\/+$/, '');
  }
  return nodeUrl;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET a JSON document from the node; rejects with ApiError (its problem detail when there is one). */
export async function get(path) {
  const base = await node();
  let res;
  try {
    res = await fetch(base + path, { credentials: 'omit', headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'the node at ' + base + ' did not answer (' + e.message + ')');
  }
  if (!res.ok) {
    let detail = '';
    try { detail = (await res.json()).detail || ''; } catch (e) { /* not a problem document */ }
    throw new ApiError(res.status, 'HTTP ' + res.status + (detail ? ': ' + detail : '') + ' (' + path + ')');
  }
  const text = await res.text();
  const value = JSON.parse(text);
  if (value !== null && typeof value === 'object') texts.set(value, text);
  return value;
}

/** The exact text a document from get() was parsed from, or null. */
export function sourceText(doc) {
  return (doc && texts.get(doc)) || null;
}

/** Like get, but null when the node does not serve this (404, or a route this node does not have yet). */
export async function optional(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 501)) return null;
    throw e;
  }
}

/** The node's identity (/.well-known/grove/node): its public URL and log; null when it has none. */
export async function nodeIdentity() {
  if (identity === null) {
    try { identity = await get('/.well-known/grove/node'); } catch (e) { identity = {}; }
  }
  return identity;
}

/** ns/name path segments, encoded. */
export function pkgPath(name) {
  return name.split('/').map(encodeURIComponent).join('/');
}

/** Where a package's documents are: /v1 for the node's own, /v1/origins/{origin} for one it mirrors (origin given). */
export function apiBase(origin) {
  return origin ? '/v1/origins/' + encodeURIComponent(origin) : '/v1';
}

/** Whether an origin a document names is this node (its public URL or its log origin). */
export function isHereIn(identity, base) {
  const here = (identity.publicUrl || base).replace(/\/+$/, '');
  return (origin) => !origin || origin.replace(/\/+$/, '') === here || origin === identity.logOrigin;
}

/** The page of a package: #/p/ns/name@v for this node's own, #/p/origin/ns/name@v for one it mirrors. */
export function packageHref(origin, name, version, isHere) {
  return '#/p/' + (isHere(origin) ? '' : origin + '/') + name + (version ? '@' + version : '');
}

/** The nodes this node follows ({origin, url, logKey, status, ...}), read once per page view. */
async function peers() {
  if (peerList === null) {
    try {
      peerList = (await get('/v1/peers')).peers || [];
    } catch (e) {
      peerList = []; // a node without peers
    }
  }
  return peerList;
}

/**
 * Whether this node follows the node whose log is origin, and so holds a key to check its mirrored packages with: then
 * they can be run from here.
 */
export async function followsOrigin(origin) {
  return (await peers()).some((p) => p.origin === origin && p.logKey);
}

/**
 * Where another origin's packages can be seen: a mirrored package names its origin by its log origin
 * ("host/grove-log"); the node's peers say which URL that log is read from. Returns a function origin -> URL or null.
 */
export async function originUrls() {
  const peerUrls = new Map();
  // a log read through a mirror's copy (MIRROR/v1/origins/...) has no site there: only its origin's own URL is one
  for (const p of await peers()) {
    if (p.origin && p.url && !/\/v1\/origins\//.test(p.url) && !peerUrls.has(p.origin)) peerUrls.set(p.origin, p.url);
  }
  return (origin) => {
    if (!origin) return null;
    if (peerUrls.has(origin)) return peerUrls.get(origin).replace(/\/+$/, '');
    return /^https?:\/\//.test(origin) ? origin.replace(/\/+$/, '') : null;
  };
}

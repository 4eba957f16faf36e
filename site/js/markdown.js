// A small Markdown subset for a package's README.md (its model card): headings, paragraphs, bullet and numbered lists,
// fenced and inline code, emphasis, and links whose href is http(s) only. It builds DOM nodes with textContent (via h),
// never innerHTML: any HTML or script in the README is shown as the text it is.
import { h } from './dom.js';

export const README_MAX_BYTES = 65536;

/** Markdown text -> a <div class="readme"> of safe elements. */
export function renderMarkdown(text) {
  const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (/^\s*$/.test(line)) { i++; continue; }
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      out.push(h('pre', null, h('code', null, body.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      // the page has its own h1/h2: README headings start at h3
      const level = Math.min(6, heading[1].length + 2);
      out.push(h('h' + level, null, inline(heading[2])));
      i++;
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+/;
    if (item.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items = [];
      while (i < lines.length && item.test(lines[i])) {
        let t = lines[i].replace(item, '');
        i++;
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !item.test(lines[i])) t += ' ' + lines[i++].trim();
        items.push(h('li', null, inline(t)));
      }
      out.push(h(ordered ? 'ol' : 'ul', null, items));
      continue;
    }
    const para = [];
    while (i < lines.length && !/^\s*$/.test(lines[i]) && !/^(#{1,6})\s/.test(lines[i])
      && !/^\s*(```|~~~)/.test(lines[i]) && !item.test(lines[i])) para.push(lines[i++].trim());
    out.push(h('p', null, inline(para.join(' '))));
  }
  return h('div', { class: 'readme' }, out);
}

/** Inline code, links, bold and italics; everything else is text. */
function inline(text) {
  const parts = [];
  const re = /`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_/g;
  let last = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    if (m[1] != null) parts.push(h('code', null, m[1]));
    else if (m[2] != null) parts.push(safeHref(m[3]) ? h('a', { href: safeHref(m[3]), rel: 'nofollow noopener noreferrer' },
      m[2]) : m[2] + ' (' + m[3] + ')');
    else if (m[4] != null) parts.push(h('strong', null, m[4]));
    else parts.push(h('em', null, m[5] != null ? m[5] : m[6]));
    last = re.lastIndex;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** The URL when it is absolute http(s), else null (no javascript:, data:, relative or protocol-relative links). */
function safeHref(href) {
  try {
    const u = new URL(href);
    return (u.protocol === 'http:' || u.protocol === 'https:') && /^https?:\/\//i.test(href) ? u.href : null;
  } catch (e) {
    return null;
  }
}

// Long lists (10,000 people) are shown a page at a time: only what is on the page is in the DOM.
// A list is a <ul>, <ol> or <div>, or the <tbody> of a table that `frame` builds around it.
import { fill, h } from './dom.js';

/**
 * A paged list. `render` builds one item; `setItems` replaces the list (page 1 again). A table
 * (`list: 'tbody'`) renders rows into the body `frame` puts in its table.
 * @template T
 * @param {{ label: string, pageSize?: number, render: (item: T) => Node, empty?: string, list?: 'ul' | 'ol' | 'div' | 'tbody', frame?: (body: HTMLElement) => Node, beforePage?: () => void }} o
 */
export function pager(o) {
  const pageSize = o.pageSize ?? 25;
  /** @type {T[]} */
  let items = [];
  let page = 0;
  // A table body is named by its table (the frame's), not by a label of its own.
  const body = h(o.list ?? 'ul', { class: 'paged', 'aria-label': o.list === 'tbody' ? null : o.label });
  const status = h('span', { class: 'pager-status' });
  const prev = h('button', { type: 'button', class: 'button quiet', onclick: () => go(page - 1) }, '‹ Previous');
  const next = h('button', { type: 'button', class: 'button quiet', onclick: () => go(page + 1) }, 'Next ›');
  const nav = h('nav', { class: 'pager', 'aria-label': `${o.label}: pages` }, prev, status, next);
  const el = h('div', { class: 'pager-wrap' }, o.frame ? o.frame(body) : body, nav);
  const emptyItem = () => {
    const text = o.empty ?? 'Nothing here.';
    if (o.list === 'tbody') return h('tr', { class: 'empty' }, h('td', { colspan: 99 }, text));
    return h(o.list === 'div' ? 'p' : 'li', { class: 'empty' }, text);
  };

  /** @param {number} p */
  function go(p) {
    const pages = Math.max(1, Math.ceil(items.length / pageSize));
    page = Math.min(Math.max(0, p), pages - 1);
    const shown = items.slice(page * pageSize, (page + 1) * pageSize);
    o.beforePage?.();
    fill(body, shown.length ? shown.map(o.render) : emptyItem());
    status.textContent = items.length ? `${page * pageSize + 1}–${page * pageSize + shown.length} of ${items.length.toLocaleString('en-GB')}` : '';
    const hadFocus = document.activeElement;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    // A button that just became disabled drops focus to <body>: keep it in the pager.
    if (hadFocus === next && next.disabled) prev.focus();
    if (hadFocus === prev && prev.disabled) next.focus();
    nav.hidden = items.length <= pageSize;
  }

  return {
    el,
    /** @param {T[]} list @param {{ keepPage?: boolean }} [opts] */
    setItems(list, opts = {}) {
      items = list;
      go(opts.keepPage ? page : 0);
    },
  };
}

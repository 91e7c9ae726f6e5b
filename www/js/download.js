// Offers a report as a file the administrator keeps. The text can be made when the link is
// used: a 10,000-person report takes a while to write out, and the page shouldn't stall for a
// file nobody may want.
import { h } from './dom.js';

/** @param {string} label @param {string} filename @param {string | (() => string)} text @param {string} type */
export function downloadLink(label, filename, text, type) {
  const make = () => URL.createObjectURL(new Blob([typeof text === 'function' ? text() : text], { type }));
  if (typeof text !== 'function') return h('a', { class: 'button', href: make(), download: filename }, label);
  /** @type {HTMLAnchorElement} */
  const link = h('a', { class: 'button', href: '#', download: filename, onclick: () => {
    // Before the browser follows the link: the address it follows is the file's.
    if (link.getAttribute('href') === '#') link.href = make();
  } }, label);
  return link;
}

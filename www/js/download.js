// Offers a report as a file the administrator keeps.
import { h } from './dom.js';

/** @param {string} label @param {string} filename @param {string} text @param {string} type */
export function downloadLink(label, filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return h('a', { class: 'button', href: url, download: filename }, label);
}

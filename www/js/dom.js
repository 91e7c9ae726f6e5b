// Building the page from data without ever parsing it as HTML: every value from the APIs goes
// in as text (textContent, attribute values), so a name like `<img onerror=…>` stays a name.
// And text is shown as visible() writes it (the CLI's rule): a bidi override (U+202E) in a name
// can't reverse what follows it, nor a zero-width or control character hide in it.
import { visible } from '../../pkg/lib/text.js';

/**
 * @typedef {string | number | Node | null | undefined | false} Child
 * @typedef {Record<string, string | number | boolean | null | undefined | ((e: any) => void)>} Attrs
 */

/** Attributes a person reads (tooltips, accessible names): visible() like text. Others (value, id, href…) stay exact. */
const TEXT_ATTRIBUTES = new Set(['title', 'aria-label', 'aria-description', 'aria-valuetext', 'aria-roledescription', 'placeholder', 'alt']);

/**
 * Creates an element. `on*` attributes that are functions become listeners; `true` sets a
 * boolean attribute; `false`, null and undefined leave it out; strings are set as attributes.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, '');
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(key, TEXT_ATTRIBUTES.has(key) ? visible(value) : String(value));
  }
  append(el, children);
  return el;
}

/** @param {Element} el @param {(Child | Child[])[]} children */
export function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(visible(child)));
  }
}

/** Replaces an element's content. @param {Element} el @param {...(Child | Child[])} children */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Says something to screen-reader users (the polite live region). @param {string} text */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  // A change of text is what assistive technology announces: clear first, then set.
  region.textContent = '';
  setTimeout(() => (region.textContent = visible(text)), 30);
}

/** Moves focus to a view's heading, so keyboard and screen-reader users start there. @param {Element} root */
export function focusHeading(root) {
  const heading = /** @type {HTMLElement | null} */ (root.querySelector('h2, h1'));
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

/** A unique id for label/control pairs. */
let counter = 0;
/** @param {string} prefix */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

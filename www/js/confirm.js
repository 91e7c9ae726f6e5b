// Asking before something that loses work (stopping a run, leaving unsaved choices): a modal
// <dialog>. showModal() keeps focus inside and makes the rest of the page inert; Escape answers
// "no". Focus starts on the safe answer and goes back where it was when the dialog closes.
import { h } from './dom.js';

/**
 * Asks a yes/no question; resolves true only for the `yes` button. `until` closes it unanswered
 * (false) when the question no longer stands (the run finished meanwhile).
 * @param {{ title: string, text: string, yes: string, no: string, until?: AbortSignal }} o
 * @returns {Promise<boolean>}
 */
export function ask({ title, text, yes, no, until }) {
  const opener = /** @type {HTMLElement | null} */ (document.activeElement);
  const titleId = `ask-${Math.random().toString(36).slice(2)}`;
  const keep = h('button', { type: 'button', class: 'button primary', value: 'no' }, no);
  const dialog = h('dialog', { class: 'ask', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title),
    h('p', {}, text),
    h('div', { class: 'actions' }, keep, h('button', { type: 'button', class: 'button danger', value: 'yes' }, yes)));
  return new Promise((resolve) => {
    dialog.addEventListener('click', (e) => {
      const button = /** @type {HTMLElement} */ (e.target).closest('button');
      if (button) dialog.close(/** @type {HTMLButtonElement} */ (button).value);
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(dialog.returnValue === 'yes');
    });
    until?.addEventListener('abort', () => dialog.open && dialog.close('no'));
    document.body.append(dialog);
    dialog.showModal();
    keep.focus();
  });
}

// Signing in: the first administrator through the setup link, the others with a name and a
// password (or a one-time sign-in link, handled in session.js). The service keeps the session in
// an HttpOnly cookie: the page never sees or stores it.
import { api } from '../api.js';
import { fill, focusHeading, h } from '../dom.js';
import { field, firstMissing } from '../field.js';
import { message } from '../format.js';

/** @typedef {(admin: { name: string }) => void} SignedIn */

/** Why a sign-in was refused, in words. @param {unknown} error */
function refusal(error) {
  const code = /** @type {any} */ (error)?.code;
  if (code === 'signin_failed') return 'Not signed in. That name and password don\'t match an administrator: check both and try again.';
  // Anything else in the service's words: too_many_attempts says how long to wait.
  return `Not signed in. ${message(error)}`;
}

/**
 * A form with a heading, fields, an outcome line and one submit button; `send` runs on a valid
 * submit and its error is shown (role=alert, focused).
 * @param {HTMLElement} root @param {{ heading: string, lead: string, notice?: string | null, fields: ReturnType<typeof field>[], button: string, check?: () => HTMLElement | null, send: () => Promise<void>, explain: (error: unknown) => string }} o
 */
function form(root, o) {
  const outcome = h('div', { class: 'form-result' });
  const button = h('button', { type: 'submit', class: 'button primary' }, o.button);
  let busy = false;
  const el = h('form', { class: 'card form', novalidate: true }, o.fields.map((f) => f.el), outcome, h('div', { class: 'actions' }, button));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    const first = firstMissing(o.fields) ?? o.check?.() ?? null;
    if (first) return first.focus();
    if (busy) return;
    busy = true;
    button.setAttribute('aria-disabled', 'true');
    fill(outcome, h('p', { class: 'status status-pending', role: 'status' }, 'Signing in…'));
    try {
      await o.send();
    } catch (error) {
      const shown = h('p', { class: 'status status-error', role: 'alert', tabindex: '-1' }, o.explain(error));
      fill(outcome, shown);
      shown.focus();
    } finally {
      busy = false;
      button.removeAttribute('aria-disabled');
    }
  });
  fill(root, h('section', { class: 'view narrow', 'aria-labelledby': 'signin-heading' },
    h('h2', { id: 'signin-heading' }, o.heading),
    h('p', { class: 'lead' }, o.lead),
    o.notice ? h('p', { class: 'status status-error', role: 'alert' }, o.notice) : null,
    el));
  focusHeading(root);
}

/** @param {HTMLElement} root @param {SignedIn} done @param {string | null} [notice] */
export function showSignin(root, done, notice = null) {
  const name = field('Name', { autocomplete: 'username', required: true, spellcheck: 'false' });
  const password = field('Password', { type: 'password', autocomplete: 'current-password', required: true });
  form(root, {
    heading: 'Sign in',
    lead: 'Sign in as an administrator of this integration service.',
    notice,
    fields: [name, password],
    button: 'Sign in',
    explain: refusal,
    send: async () => {
      const { admin } = await api('POST', '/api/signin', { name: name.input.value.trim(), password: password.input.value }, { mayBeSignedOut: true });
      password.input.value = '';
      done(admin);
    },
  });
}

/** @param {HTMLElement} root @param {string} token  from the setup link @param {SignedIn} done */
export function showSetup(root, token, done) {
  const name = field('Your name', { autocomplete: 'username', required: true, spellcheck: 'false' }, 'Shown to other administrators, e.g. on the runs you start.');
  const password = field('Password', { type: 'password', autocomplete: 'new-password', required: true, minlength: 12 }, 'At least 12 characters.');
  const confirm = field('Password again', { type: 'password', autocomplete: 'new-password', required: true });
  form(root, {
    heading: 'Create the first administrator',
    lead: 'This service has no administrator yet. The setup link works once: the administrator you create here can add others.',
    fields: [name, password, confirm],
    button: 'Create and sign in',
    check: () => {
      const short = password.input.value.length < 12;
      password.invalid(short ? 'At least 12 characters.' : '');
      const differs = !short && confirm.input.value !== password.input.value;
      confirm.invalid(differs ? 'The passwords differ.' : '');
      return short ? password.input : differs ? confirm.input : null;
    },
    explain: (error) => `Not created: ${message(error)}`,
    send: async () => {
      const { admin } = await api('POST', '/api/setup', { token, name: name.input.value.trim(), password: password.input.value }, { mayBeSignedOut: true });
      password.input.value = '';
      confirm.input.value = '';
      done(admin);
    },
  });
}

/** No administrator yet, and no setup link in the address: say where the link is. @param {HTMLElement} root */
export function showNoAdministrator(root) {
  fill(root, h('section', { class: 'view narrow', 'aria-labelledby': 'signin-heading' },
    h('h2', { id: 'signin-heading' }, 'Set up the integration service'),
    h('p', { class: 'card' }, 'This service has no administrator yet. Open the setup link the service printed when it started (it ends in #setup=…), or run "crona-sync admin add NAME" on the server.')));
  focusHeading(root);
}

// Add or edit a connection. Saving verifies both sides (a Huma token, the Crona activation) and
// shows the Crona company it reached; only then are the non-secret settings stored. Secrets are
// kept in memory for this tab only.
import { cronaTransport, humaTransport } from '../../../pkg/web.js';
import { announce, fill, focusHeading, h, uid } from '../dom.js';
import { message } from '../format.js';
import { connection, keepSecrets, newId, saveConnection, secretsOf } from '../store.js';
import { humaGroups } from '../transports.js';

/** @typedef {import('../../app.js').Nav} Nav */

/**
 * A labelled input with its hint and error line.
 * @param {string} label @param {Record<string, any>} attrs @param {string} [hint]
 */
function field(label, attrs, hint) {
  const id = uid('f');
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = h('input', { id, 'aria-describedby': `${hint ? hintId : ''} ${errorId}`.trim(), ...attrs });
  const error = h('p', { id: errorId, class: 'field-error' });
  return {
    input,
    error,
    el: h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { id: hintId, class: 'hint' }, hint) : null, error),
  };
}

/** @param {HTMLElement} root @param {Nav} nav @param {string | null} id */
export function showConnectionForm(root, nav, id) {
  const existing = id ? connection(id) : null;
  const had = id ? secretsOf(id) : null;
  const name = field('Name', { value: existing?.name ?? '', required: true, autocomplete: 'off' }, 'For you: e.g. the company the connection is for.');
  const humaUrl = field('Huma API base URL', { type: 'url', value: existing?.humaUrl ?? 'https://openapi.humahr.com', required: true, autocomplete: 'off' });
  const clientId = field('Huma client ID', { value: existing?.humaClientId ?? '', required: true, autocomplete: 'off', spellcheck: 'false' }, 'System settings → Open API → Add API key.');
  const clientSecret = field('Huma client secret', { type: 'password', required: true, autocomplete: 'off' }, 'Kept only while this tab is open; never stored.');
  const cronaUrl = field('Crona Lön API base URL', { type: 'url', value: existing?.cronaUrl ?? '', required: true, autocomplete: 'off' });
  const code = field('Crona activation code (Aktiveringskod)', { type: 'password', required: true, autocomplete: 'off' }, 'From Crona Lön → API-koppling. Kept only while this tab is open.');
  // As properties, never attributes: a secret must not appear in the page's markup.
  clientSecret.input.value = had?.humaClientSecret ?? '';
  code.input.value = had?.cronaActivationCode ?? '';
  const authorityId = uid('f');
  const authority = h('input', { type: 'checkbox', id: authorityId, checked: existing?.authority ?? false });
  const authorityError = h('p', { class: 'field-error', id: `${authorityId}-error` });
  authority.setAttribute('aria-describedby', `${authorityId}-error`);

  const groupId = uid('f');
  const group = h('select', { id: groupId },
    h('option', { value: '' }, existing?.group ? `${existing.group.name} (${existing.group.type})` : 'The whole Huma organisation'));
  if (existing?.group) group.options[0].value = JSON.stringify(existing.group);
  const groupStatus = h('p', { class: 'hint', id: `${groupId}-hint`, role: 'status' }, 'Load the groups to limit the connection to one company, location or team.');
  group.setAttribute('aria-describedby', `${groupId}-hint`);
  const loadGroups = async () => {
    groupStatus.textContent = 'Loading the Huma groups…';
    try {
      const huma = humaTransport({ baseUrl: humaUrl.input.value.trim(), clientId: clientId.input.value.trim(), clientSecret: clientSecret.input.value });
      const groups = await humaGroups(huma);
      const current = group.value;
      fill(group, h('option', { value: '' }, 'The whole Huma organisation'),
        ['company', 'location', 'team'].map((type) => {
          const of = groups.filter((g) => g.type === type);
          return of.length ? h('optgroup', { label: `${type[0].toUpperCase()}${type.slice(1)}s` }, of.map((g) => h('option', { value: JSON.stringify(g) }, g.name))) : null;
        }));
      group.value = current;
      groupStatus.textContent = `${groups.length} groups loaded.`;
    } catch (error) {
      fill(groupStatus, `Couldn't load the groups: ${message(error)}`);
    }
  };

  const result = h('div', { class: 'form-result' });
  let saving = false;
  const saveButton = h('button', { type: 'submit', class: 'button primary' }, 'Verify and save');
  const form = h('form', { class: 'card form', novalidate: true },
    name.el,
    h('fieldset', {}, h('legend', {}, 'Huma'), humaUrl.el, clientId.el, clientSecret.el,
      h('div', { class: 'field' }, h('label', { for: groupId }, 'Huma group (optional)'), group, groupStatus,
        h('button', { type: 'button', class: 'button quiet', onclick: loadGroups }, 'Load groups from Huma'))),
    h('fieldset', {}, h('legend', {}, 'Crona Lön'), cronaUrl.el, code.el),
    h('div', { class: 'field checkbox' }, authority, h('label', { for: authorityId }, 'I have the authority to connect these systems and to change their employee data'), authorityError),
    result,
    h('div', { class: 'actions' }, saveButton, h('button', { type: 'button', class: 'button quiet', onclick: () => nav.home() }, 'Cancel')),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const required = [name, humaUrl, clientId, clientSecret, cronaUrl, code];
    let first = /** @type {HTMLElement | null} */ (null);
    for (const f of required) {
      const missing = !f.input.value.trim();
      f.error.textContent = missing ? 'Required.' : '';
      f.input.setAttribute('aria-invalid', String(missing));
      if (missing && !first) first = f.input;
    }
    authorityError.textContent = authority.checked ? '' : 'Confirm that you may connect these systems.';
    authority.setAttribute('aria-invalid', String(!authority.checked));
    if (!first && !authority.checked) first = authority;
    if (first) {
      first.focus();
      return;
    }
    if (saving) return;
    saving = true;
    saveButton.setAttribute('aria-disabled', 'true');
    fill(result, h('p', { class: 'status status-pending', role: 'status' }, 'Verifying Huma and Crona Lön…'));
    try {
      const huma = humaTransport({ baseUrl: humaUrl.input.value.trim(), clientId: clientId.input.value.trim(), clientSecret: clientSecret.input.value });
      const crona = cronaTransport({ baseUrl: cronaUrl.input.value.trim(), activationCode: code.input.value });
      const [{ organizationId }, company] = await Promise.all([huma.verify(), crona.verify()]);
      const saved = {
        id: existing?.id ?? newId(),
        name: name.input.value.trim(),
        humaUrl: huma.baseUrl,
        humaClientId: clientId.input.value.trim(),
        cronaUrl: crona.baseUrl,
        group: group.value ? JSON.parse(group.value) : null,
        crona: { companyId: company.companyId, companyName: company.companyName },
        humaOrganizationId: organizationId,
        authority: true,
      };
      saveConnection(saved);
      keepSecrets(saved.id, { humaClientSecret: clientSecret.input.value, cronaActivationCode: code.input.value });
      announce(`Connected to ${company.companyName}.`);
      nav.home(`sync-${saved.id}`);
    } catch (error) {
      saving = false;
      saveButton.removeAttribute('aria-disabled');
      const shown = h('p', { class: 'status status-error', role: 'alert', tabindex: '-1' }, `Not saved: ${message(error)}`);
      fill(result, shown);
      shown.focus();
    }
  });

  fill(root, h('section', { class: 'view', 'aria-labelledby': 'form-heading' },
    h('h2', { id: 'form-heading' }, existing ? `Edit ${existing.name}` : 'Add a connection'),
    existing && !had ? h('p', { class: 'hint' }, 'Enter the secrets again: they are kept only while this tab is open.') : null,
    form));
  focusHeading(root);
}

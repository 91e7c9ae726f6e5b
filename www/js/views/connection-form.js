// Add or edit a connection. The service verifies both sides before it saves (a Huma token, the
// Crona activation) and keeps the secrets sealed: they are sent once, on save, and never shown or
// kept by the page afterwards. Editing, an empty secret field keeps the stored secret. Besides
// the two systems: who gets the result e-mail, and whether the nightly drift check runs.
import { api } from '../api.js';
import { announce, fill, focusHeading, h, uid } from '../dom.js';
import { area, field, firstMissing } from '../field.js';
import { message } from '../format.js';

/** @typedef {import('../../app.js').Nav} Nav */
/** @typedef {import('../api.js').Group} Group */

/** The form's field for each of the service's `details.field` names. */
const FIELD_OF = /** @type {const} */ ({ name: 'name', 'huma.baseUrl': 'humaUrl', 'huma.clientId': 'clientId', 'huma.clientSecret': 'clientSecret', 'crona.baseUrl': 'cronaUrl', 'crona.activationCode': 'code', recipients: 'recipients' });

/** The simple shape of an address (the service checks again). */
const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

/**
 * The addresses typed, one a line or separated by commas (or semicolons, as mail programs copy
 * them); `wrong` is the first that isn't one.
 * @param {string} text
 */
function addresses(text) {
  const list = [...new Set(text.split(/[,;\n]/).map((a) => a.trim()).filter(Boolean))];
  return { list, wrong: list.find((a) => !ADDRESS.test(a)) ?? null };
}

/**
 * A checkbox with its label. @param {string} label @param {boolean} checked @param {string} [hint]
 */
function checkbox(label, checked, hint) {
  const id = uid('f');
  const input = h('input', { type: 'checkbox', id, checked, 'aria-describedby': hint ? `${id}-hint` : null });
  return { input, el: h('div', { class: 'field checkbox' }, input, h('label', { for: id }, label), hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null) };
}

/** @param {HTMLElement} root @param {Nav} nav @param {import('../api.js').Connection | null} existing */
export function showConnectionForm(root, nav, existing) {
  const keep = existing ? 'Leave empty to keep the stored one. ' : '';
  const f = {
    name: field('Name', { value: existing?.name ?? '', required: true, autocomplete: 'off' }, 'For you: e.g. the company the connection is for.'),
    humaUrl: field('Huma API base URL', { type: 'url', value: existing?.huma.baseUrl ?? 'https://openapi.humahr.com', required: true, autocomplete: 'off' }),
    clientId: field('Huma client ID', { value: existing?.huma.clientId ?? '', required: true, autocomplete: 'off', spellcheck: 'false' }, 'System settings → Open API → Add API key.'),
    clientSecret: field('Huma client secret', { type: 'password', required: !existing, autocomplete: 'off' }, `${keep}Sent once to the integration service, which keeps it sealed; never shown again.`),
    cronaUrl: field('Crona Lön API base URL', { type: 'url', value: existing?.crona.baseUrl ?? '', required: true, autocomplete: 'off' }),
    code: field('Crona activation code (Aktiveringskod)', { type: 'password', required: !existing, autocomplete: 'off' }, `From Crona Lön → API-koppling. ${keep}The service exchanges it once for an API key and keeps that sealed.`),
    recipients: area('Result e-mail to', existing?.mail.recipients.join('\n') ?? '', { rows: 3, autocomplete: 'off', spellcheck: 'false' },
      'E-mail addresses, one a line or separated by commas. After each "Synchronize users" they get its summary and error log. Optional.'
      + (existing && !existing.mail.smtp ? ' This service has no SMTP server yet (crona-sync smtp on the server): nothing is sent until it has one.' : '')),
  };
  const mailScheduled = checkbox('Also e-mail the daily run and webhook pushes when they wrote or failed', Boolean(existing?.mail.scheduled));
  const driftCheck = checkbox('Nightly drift check: count what waits for a manual sync', Boolean(existing?.schedule.driftCheck),
    'After the daily run, the service reads both systems and records how many differences wait for "Synchronize users". It writes nothing.');
  const authorityId = uid('f');
  const authority = h('input', { type: 'checkbox', id: authorityId, checked: Boolean(existing), 'aria-describedby': `${authorityId}-error` });
  const authorityError = h('p', { class: 'field-error', id: `${authorityId}-error` });

  const groupId = uid('f');
  const group = h('select', { id: groupId, 'aria-describedby': `${groupId}-hint` },
    h('option', { value: existing?.group ? JSON.stringify(existing.group) : '' }, existing?.group ? `${existing.group.name} (${existing.group.type})` : 'The whole Huma organisation'));
  const groupStatus = h('p', { class: 'hint', id: `${groupId}-hint`, role: 'status' }, 'Load the groups to limit the connection to one company, location or team.');
  const loadGroups = async () => {
    groupStatus.textContent = 'Loading the Huma groups…';
    const secret = f.clientSecret.input.value;
    try {
      /** @type {Group[]} */
      const groups = (await api('POST', '/api/huma-groups', existing && !secret
        ? { connectionId: existing.id }
        : { baseUrl: f.humaUrl.input.value.trim(), clientId: f.clientId.input.value.trim(), clientSecret: secret })).groups;
      const current = group.value;
      fill(group, h('option', { value: '' }, 'The whole Huma organisation'),
        /** @type {[string, string][]} */ ([['company', 'Companies'], ['location', 'Locations'], ['team', 'Teams']]).map(([type, label]) => {
          const of = groups.filter((g) => g.type === type);
          return of.length ? h('optgroup', { label }, of.map((g) => h('option', { value: JSON.stringify(g) }, g.name))) : null;
        }));
      group.value = [...group.options].some((o) => o.value === current) ? current : '';
      groupStatus.textContent = `${groups.length} groups loaded.`;
    } catch (error) {
      fill(groupStatus, `Couldn't load the groups: ${message(error)}`);
    }
  };

  // Shown when the service says this connection would overlap another one and may if confirmed.
  const overlapId = uid('f');
  const overlap = h('input', { type: 'checkbox', id: overlapId });
  const overlapArea = h('div', { class: 'field checkbox warning', hidden: true }, overlap, h('label', { for: overlapId }, 'These connections are meant to overlap'));

  const result = h('div', { class: 'form-result' });
  let saving = false;
  const saveButton = h('button', { type: 'submit', class: 'button primary' }, 'Verify and save');
  const form = h('form', { class: 'card form', novalidate: true },
    f.name.el,
    h('fieldset', {}, h('legend', {}, 'Huma'), f.humaUrl.el, f.clientId.el, f.clientSecret.el,
      h('div', { class: 'field' }, h('label', { for: groupId }, 'Huma group (optional)'), group, groupStatus,
        h('button', { type: 'button', class: 'button quiet', onclick: loadGroups }, 'Load groups from Huma'))),
    h('fieldset', {}, h('legend', {}, 'Crona Lön'), f.cronaUrl.el, f.code.el),
    h('fieldset', {}, h('legend', {}, 'Result e-mail and nightly check'), f.recipients.el, mailScheduled.el, driftCheck.el),
    h('div', { class: 'field checkbox' }, authority, h('label', { for: authorityId }, 'I have the authority to connect these systems and to change their employee data'), authorityError),
    result,
    overlapArea,
    h('div', { class: 'actions' }, saveButton, h('button', { type: 'button', class: 'button quiet', onclick: () => nav.home() }, 'Cancel')),
  );

  /** @param {string} text */
  const refused = (text) => {
    const shown = h('p', { class: 'status status-error', role: 'alert', tabindex: '-1' }, text);
    fill(result, shown);
    shown.focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const required = existing ? [f.name, f.humaUrl, f.clientId, f.cronaUrl] : [f.name, f.humaUrl, f.clientId, f.clientSecret, f.cronaUrl, f.code];
    for (const x of Object.values(f)) x.invalid('');
    let first = /** @type {HTMLElement | null} */ (firstMissing(required));
    const mail = addresses(f.recipients.input.value);
    if (mail.wrong) {
      f.recipients.invalid(`"${mail.wrong}" isn't an e-mail address: write them like lon@example.se, separated by commas or one a line.`);
      first ??= f.recipients.input;
    }
    authorityError.textContent = authority.checked ? '' : 'Confirm that you may connect these systems.';
    authority.setAttribute('aria-invalid', String(!authority.checked));
    if (!first && !authority.checked) first = authority;
    if (first) return first.focus();
    if (saving) return;
    saving = true;
    saveButton.setAttribute('aria-disabled', 'true');
    fill(result, h('p', { class: 'status status-pending', role: 'status' }, 'Verifying Huma and Crona Lön…'));
    const secret = f.clientSecret.input.value;
    const code = f.code.input.value.trim();
    const body = {
      name: f.name.input.value.trim(),
      huma: { baseUrl: f.humaUrl.input.value.trim(), clientId: f.clientId.input.value.trim(), ...(secret ? { clientSecret: secret } : {}) },
      crona: { baseUrl: f.cronaUrl.input.value.trim(), ...(code ? { activationCode: code } : {}) },
      group: group.value ? JSON.parse(group.value) : null,
      recipients: mail.list,
      mailScheduled: mailScheduled.input.checked,
      driftCheck: driftCheck.input.checked,
      ...(!overlapArea.hidden && overlap.checked ? { confirmOverlap: true } : {}),
    };
    try {
      /** @type {import('../api.js').Connection} */
      const saved = (existing ? await api('PUT', `/api/connections/${existing.id}`, body) : await api('POST', '/api/connections', body)).connection;
      // The service has them now, sealed: the page keeps no copy.
      f.clientSecret.input.value = '';
      f.code.input.value = '';
      announce(`Connected to ${saved.crona.companyName || saved.name}.`);
      nav.home(`sync-${saved.id}`);
    } catch (error) {
      saving = false;
      saveButton.removeAttribute('aria-disabled');
      const e = /** @type {any} */ (error);
      if (e?.code === 'signed_out') return;
      // Every field a system refused says why, both systems' at once.
      const fields = /** @type {Record<string, string>} */ (e?.details?.fields ?? (e?.details?.field ? { [e.details.field]: message(error) } : {}));
      for (const [field, said] of Object.entries(fields)) {
        const key = FIELD_OF[/** @type {keyof typeof FIELD_OF} */ (field)];
        if (key) f[key].invalid(said);
      }
      if (e?.code === 'connection_collision' && e.details?.confirmable) {
        overlapArea.hidden = false;
        refused(`Not saved: ${message(error)} If it is meant, tick "These connections are meant to overlap" and save again.`);
      } else refused(`Not saved: ${message(error)}`);
    }
  });

  fill(root, h('section', { class: 'view', 'aria-labelledby': 'form-heading' },
    h('h2', { id: 'form-heading' }, existing ? `Edit ${existing.name}` : 'Add a connection'),
    existing ? h('p', { class: 'hint' }, 'The integration service holds this connection\'s secrets sealed. Leave the secret fields empty to keep them, or type new ones to replace them.') : null,
    form));
  focusHeading(root);
}

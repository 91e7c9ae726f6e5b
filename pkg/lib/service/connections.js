// A connection in the service: verified before it is saved (a Huma token; the Crona activation
// code exchanged once for a key the service keeps sealed), refused when it would collide with
// another, and shown to the page without any secret.
import { CronaSyncError } from '../errors.js';
import { cronaTransport } from '../crona.js';
import { humaTransport } from '../huma.js';
import { statusOf } from './http-io.js';
import { recipients } from './mail.js';

/** The relay sends each request once: retries and rate-limit waits stay the page's. */
const RELAY_RETRY = { retries: 0, rateLimitBudgetMs: 0 };
const TIMEOUT_MS = 60_000;
const GROUP_TYPES = ['company', 'location', 'team'];
const SCOPE_KEYS = /** @type {const} */ ({ company: 'companies', location: 'locations', team: 'teams' });

/**
 * @typedef {import('./store.js').Store} Store
 * @typedef {import('./store.js').StoredConnection} StoredConnection
 * @typedef {{ type: 'company' | 'location' | 'team', id: string, name: string }} Group
 * @typedef {{ name?: unknown, huma?: { baseUrl?: unknown, clientId?: unknown, clientSecret?: unknown }, crona?: { baseUrl?: unknown, activationCode?: unknown }, group?: unknown, confirmOverlap?: unknown, driftCheck?: unknown, recipients?: unknown, mailScheduled?: unknown }} ConnectionInput
 */

/**
 * The transports a service-side run or the relay uses for a connection, from its sealed secrets.
 * A key Crona gives at a new exchange is sealed in place of the old one.
 * @param {Store} store @param {StoredConnection} c @param {{ retry?: object, fetch?: typeof fetch }} [options]
 */
export function connectionTransports(store, c, options = {}) {
  const s = c.settings;
  const common = { retry: options.retry ?? RELAY_RETRY, timeoutMs: TIMEOUT_MS, ...(options.fetch ? { fetch: options.fetch } : {}) };
  return {
    huma: humaTransport({ ...common, baseUrl: s.huma.baseUrl, clientId: s.huma.clientId, clientSecret: store.secret(c.id, 'huma.clientSecret') ?? '' }),
    crona: cronaTransport({
      ...common,
      baseUrl: s.crona.baseUrl,
      apiKey: store.secret(c.id, 'crona.apiKey') ?? undefined,
      activationCode: store.secret(c.id, 'crona.activationCode') ?? undefined,
      onKey: (key) => store.setSecret(c.id, 'crona.apiKey', key),
    }),
  };
}

/**
 * Why a connection would collide with one the store has, or null: two connections to one Crona
 * company would both write its employees (never allowed); two to overlapping groups of one Huma
 * organisation would both write the same Huma people (allowed only when confirmed).
 * @param {StoredConnection[]} others @param {Record<string, any>} settings
 * @returns {{ message: string, confirmable: boolean, with: string } | null}
 */
export function collision(others, settings) {
  const groups = (/** @type {any} */ scope) => [...(scope?.companies ?? []), ...(scope?.teams ?? []), ...(scope?.locations ?? [])];
  for (const o of others) {
    const company = settings.crona?.companyId;
    if (company && o.settings.crona?.companyId === company) {
      return { with: o.name, confirmable: false, message: `The connection ${JSON.stringify(o.name)} already reaches Crona company ${o.settings.crona.companyName || company}: two connections would both write its employees. Change that connection instead.` };
    }
    const org = settings.huma?.organizationId;
    if (org && o.settings.huma?.organizationId === org) {
      const mine = groups(settings.scope);
      const theirs = groups(o.settings.scope);
      if (!mine.length || !theirs.length || mine.some((g) => theirs.includes(g))) {
        return { with: o.name, confirmable: true, message: `The connection ${JSON.stringify(o.name)} already covers ${theirs.length ? 'some of these Huma people' : 'everyone in this Huma organisation'}: two connections would both write the same person. Give each connection its own Huma company, location or team.` };
      }
    }
  }
  return null;
}

/** @param {unknown} v @param {string} field @returns {string} */
function text(v, field) {
  if (typeof v !== 'string' || !v.trim()) throw new CronaSyncError('invalid_argument', `${field} is required.`, { field });
  return v.trim();
}

/** @param {unknown} g @returns {Group | null} */
function group(g) {
  if (g === null || g === undefined) return null;
  const o = /** @type {any} */ (g);
  if (typeof o !== 'object' || !GROUP_TYPES.includes(o.type) || typeof o.id !== 'string' || !o.id || typeof o.name !== 'string') {
    throw new CronaSyncError('invalid_argument', 'group must be null or { type: company | location | team, id, name }.', { field: 'group' });
  }
  return { type: o.type, id: o.id, name: o.name };
}

/** The form field each system's refusal is about. */
const FIELD_OF_REFUSAL = /** @type {Record<string, string>} */ ({
  'huma:invalid_base_url': 'huma.baseUrl', 'huma:huma_unavailable': 'huma.baseUrl', 'huma:huma_auth_failed': 'huma.clientSecret', 'huma:missing_credentials': 'huma.clientSecret',
  'crona:invalid_base_url': 'crona.baseUrl', 'crona:crona_unavailable': 'crona.baseUrl', 'crona:crona_auth_failed': 'crona.activationCode',
  'crona:crona_activation_failed': 'crona.activationCode', 'crona:missing_credentials': 'crona.activationCode',
});

/**
 * One error for what Huma and Crona said when a connection was checked: each refusal names its
 * form field (`details.fields`, and the first as `details.field`); a refusal that isn't about a
 * field (no answer at all, say) goes to the system's base URL.
 * @param {PromiseSettledResult<unknown>} huma @param {PromiseSettledResult<unknown>} crona
 */
function refusedBy(huma, crona) {
  /** @type {Record<string, string>} */
  const fields = {};
  /** @type {CronaSyncError[]} */
  const errors = [];
  for (const [system, said] of /** @type {const} */ ([['huma', huma], ['crona', crona]])) {
    if (said.status !== 'rejected') continue;
    const e = said.reason instanceof CronaSyncError ? said.reason : new CronaSyncError(`${system}_unavailable`, String(said.reason?.message ?? said.reason));
    fields[FIELD_OF_REFUSAL[`${system}:${e.code}`] ?? `${system}.baseUrl`] = e.message;
    errors.push(e);
  }
  const [first] = Object.keys(fields);
  if (errors.length === 1) return new CronaSyncError(errors[0].code, errors[0].message, { .../** @type {object} */ (errors[0].details ?? {}), field: first, fields });
  // Neither answered: the first system's unavailability code (502), not a refusal (400).
  const code = errors.every((e) => statusOf(e.code) >= 500) ? errors[0].code : 'connection_refused';
  return new CronaSyncError(code, `Neither system accepted the connection. Huma: ${errors[0].message} Crona Lön: ${errors[1].message}`, { field: first, fields });
}

/**
 * Verifies and saves a connection (a new one, or `id` updated). Secrets left out of an update
 * keep their stored values. Answers the stored connection.
 * @param {Store} store @param {ConnectionInput} input @param {{ id?: number, fetch?: typeof fetch }} [options]
 */
export async function saveConnection(store, input, options = {}) {
  const existing = options.id === undefined ? null : store.connection(options.id);
  if (options.id !== undefined && !existing) throw new CronaSyncError('not_found', `There is no connection ${options.id}.`, { connection: options.id });
  const name = text(input.name, 'name');
  const g = group(input.group);
  const humaUrl = text(input.huma?.baseUrl, 'huma.baseUrl');
  const clientId = text(input.huma?.clientId, 'huma.clientId');
  const typedSecret = typeof input.huma?.clientSecret === 'string' && input.huma.clientSecret ? input.huma.clientSecret : null;
  // A stored secret goes only where it went before: new base URL (or client id), new secret.
  const sameHuma = existing && existing.settings.huma?.baseUrl === humaUrl.replace(/\/+$/, '') && existing.settings.huma?.clientId === clientId;
  const clientSecret = typedSecret ?? (sameHuma ? store.secret(existing.id, 'huma.clientSecret') : null) ?? text(undefined, 'huma.clientSecret');
  const cronaUrl = text(input.crona?.baseUrl, 'crona.baseUrl');
  const typedCode = typeof input.crona?.activationCode === 'string' && input.crona.activationCode.trim() ? input.crona.activationCode.trim() : null;
  const sameCrona = existing && existing.settings.crona?.baseUrl === cronaUrl.replace(/\/+$/, '');
  const storedKey = !typedCode && sameCrona ? store.secret(existing.id, 'crona.apiKey') : null;
  const code = typedCode ?? (sameCrona ? store.secret(existing.id, 'crona.activationCode') : null);
  if (!code && !storedKey) text(undefined, 'crona.activationCode');

  const common = { retry: { retries: 2 }, timeoutMs: TIMEOUT_MS, ...(options.fetch ? { fetch: options.fetch } : {}) };
  /** @type {string | null} */
  let apiKey = storedKey;
  // Both systems are checked, whatever the other answers, so the form can show both problems.
  const [humaSaid, cronaSaid] = await Promise.allSettled([
    (async () => {
      const t = humaTransport({ ...common, baseUrl: humaUrl, clientId, clientSecret });
      return { t, said: await t.verify() };
    })(),
    (async () => {
      // A new code is exchanged now, once; an unchanged connection proves its stored key.
      const t = cronaTransport({ ...common, baseUrl: cronaUrl, apiKey: storedKey ?? undefined, activationCode: code ?? undefined, onKey: (k) => (apiKey = k) });
      return { t, said: await t.verify() };
    })(),
  ]);
  if (humaSaid.status === 'rejected' || cronaSaid.status === 'rejected') throw refusedBy(humaSaid, cronaSaid);
  const [huma, crona] = [humaSaid.value.t, cronaSaid.value.t];
  const { organizationId } = humaSaid.value.said;
  const reached = cronaSaid.value.said;
  const company = reached.companyId ? reached : { companyId: existing?.settings.crona?.companyId ?? '', companyName: existing?.settings.crona?.companyName ?? '' };
  const settings = {
    huma: { baseUrl: huma.baseUrl, clientId, organizationId },
    crona: { baseUrl: crona.baseUrl, companyId: company.companyId, companyName: company.companyName },
    scope: { companies: [], locations: [], teams: [], ...(g ? { [SCOPE_KEYS[g.type]]: [g.id] } : {}) },
    group: g,
    overlapConfirmed: input.confirmOverlap === true || undefined,
    driftCheck: input.driftCheck === true || undefined,
    recipients: recipients(input.recipients),
    mailScheduled: input.mailScheduled === true || undefined,
  };
  const clash = collision(store.connections().filter((o) => o.id !== existing?.id), settings);
  if (clash && !(clash.confirmable && input.confirmOverlap === true)) {
    throw new CronaSyncError('connection_collision', clash.message + (clash.confirmable ? ' If the overlap is meant, confirm it.' : ''), { with: clash.with, confirmable: clash.confirmable });
  }
  const secrets = { 'huma.clientSecret': clientSecret, 'crona.activationCode': code ?? undefined, 'crona.apiKey': apiKey ?? undefined };
  if (!existing) return store.addConnection({ name, settings, secrets });
  if (name !== existing.name && store.connection(name)) throw new CronaSyncError('connection_exists', `There is already a connection named ${JSON.stringify(name)}.`, { name });
  store.updateConnection(existing.id, name, settings, secrets);
  return existing.id;
}

/**
 * A connection as the page sees it: settings, health and recent runs; never a secret.
 * @param {Store} store @param {StoredConnection} c
 */
export function connectionView(store, c) {
  const state = store.stateSummary(c.id);
  const runs = store.runs(c.id, 10);
  const error = store.errors(c.id, 1)[0] ?? null;
  const s = c.settings;
  return {
    id: c.id,
    name: c.name,
    huma: { baseUrl: s.huma?.baseUrl ?? '', clientId: s.huma?.clientId ?? '', organizationId: s.huma?.organizationId ?? '' },
    crona: { baseUrl: s.crona?.baseUrl ?? '', companyId: s.crona?.companyId ?? '', companyName: s.crona?.companyName ?? '' },
    group: s.group ?? null,
    active: Boolean(state.activatedAt),
    activatedAt: state.activatedAt,
    lastSync: state.lastSync,
    lastPush: state.lastPush,
    lastError: error ? { at: error.at, code: error.code ?? null, message: error.message ?? '' } : null,
    lease: store.lease(c.id),
    stateVersion: state.version,
    runs,
  };
}

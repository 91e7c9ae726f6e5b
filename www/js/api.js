// The integration service's JSON API (docs/service-api.md), same-origin and with the session
// cookie. Every refusal comes back as a CronaSyncError with the service's code, message and
// details; callers branch on the code. A signed-out answer anywhere sends the page to sign-in.
import { CronaSyncError } from '../../pkg/web.js';

/** @type {(error: CronaSyncError) => void} */
let signedOut = () => {};

/** Where a `401 signed_out` sends the page (app.js sets it once). @param {(error: CronaSyncError) => void} handler */
export function onSignedOut(handler) {
  signedOut = handler;
}

/**
 * @typedef {object} CallOptions
 * @property {boolean} [keepalive]   survives the page going away (the finish on pagehide)
 * @property {boolean} [mayBeSignedOut]  a 401 is an answer here (the session check), not a reason to leave
 */

/**
 * One call to the service. Resolves with the answer's body (null for 204). A Blob body is JSON
 * made already (a run's finish, made in the session's worker).
 * @param {'GET' | 'POST' | 'PUT' | 'DELETE'} method @param {string} path @param {unknown} [body]
 * @param {CallOptions} [options]
 * @returns {Promise<any>}
 */
export async function api(method, path, body, options = {}) {
  /** @type {Response} */
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      keepalive: options.keepalive,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
    });
  } catch (error) {
    throw new CronaSyncError('network_error', 'The integration service can\'t be reached. Check your network, or ask whoever runs the service whether it is up.', null, { cause: error });
  }
  const text = await response.text().catch(() => '');
  /** @type {any} */
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page, say): the status speaks for it below.
  }
  if (response.ok) return data;
  const e = data?.error;
  const error = e && typeof e.code === 'string'
    ? new CronaSyncError(e.code, String(e.message ?? e.code), e.details ?? null)
    : new CronaSyncError('service_error', `The integration service answered ${response.status} ${response.statusText}`.trim() + '.', { status: response.status });
  if (error.code === 'signed_out' && !options.mayBeSignedOut) signedOut(error);
  throw error;
}

/**
 * What the service answers (docs/service-api.md); never a secret.
 * @typedef {{ type: 'company' | 'location' | 'team', id: string, name: string }} Group
 * @typedef {{ id: number, kind: string, startedBy: string, startedAt: string, finishedAt: string | null, outcome: string | null, summary: string | null }} Run
 * @typedef {{ at: string, counts?: Record<string, number> }} LastRun
 * @typedef {object} Connection
 * @property {number} id
 * @property {string} name
 * @property {{ baseUrl: string, clientId: string, organizationId: string }} huma
 * @property {{ baseUrl: string, companyId: string, companyName: string }} crona
 * @property {Group | null} group
 * @property {boolean} active
 * @property {string | null} activatedAt
 * @property {LastRun | null} lastSync
 * @property {LastRun | null} lastPush
 * @property {{ at: string, code: string | null, message: string } | null} lastError
 * @property {{ holder: string, takenAt: string, expiresAt: string } | null} lease
 * @property {number} stateVersion
 * @property {Run[]} runs  the latest, newest first
 * @property {Webhooks} webhooks
 * @property {Schedule} schedule
 * @property {Mail} mail
 * @typedef {{ configured: boolean, lastReceivedAt: string | null, queued: number, held: number }} Webhooks  the receiver's health; queued and held count events
 * @typedef {{ nextRunAt: string | null, driftCheck: boolean, lastDrift: { at: string, summary: string | null } | null }} Schedule  the daily run
 * @typedef {{ recipients: string[], scheduled: boolean, smtp: boolean }} Mail  the result e-mail
 * @typedef {{ seq: number, at: string, topic: string, ids: string[], heldCode: string | null, heldReason: string | null }} HeldEvent
 * @typedef {{ id: number, runId: number | null, at: string, code?: string | null, message?: string, person?: { name: string, humaId?: string | null, anstNr?: string | null }, system?: string, status?: number | null, fields?: string[], people?: string[] }} ErrorEntry
 *   people: the Huma ids of a webhook push held for an administrator (an entry of no run)
 */

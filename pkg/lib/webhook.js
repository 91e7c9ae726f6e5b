// Huma's profile webhooks (huma-api.md §9): check the signature and read which users changed.
// The HMAC's encoding is undocumented, so lowercase or uppercase hex and base64 are all accepted;
// every comparison is in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CronaSyncError } from './errors.js';

/** The profile topics; any other topic is acknowledged and ignored. */
export const PROFILE_TOPICS = Object.freeze(['users-create', 'users-update', 'users-delete', 'users-export']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `header` is HMAC-SHA256(secret, body) in hex or base64 (an optional `sha256=`
 * prefix is allowed). Constant time in the MAC: a wrong signature teaches nothing about the
 * right one.
 * @param {string} secret
 * @param {Uint8Array} body  the raw bytes received, before any parsing
 * @param {string | undefined | null} header
 */
export function verifySignature(secret, body, header) {
  if (!secret || typeof header !== 'string') return false;
  const mac = createHmac('sha256', secret).update(body).digest();
  const text = header.trim().replace(/^sha256=/i, '');
  const candidates = [];
  if (/^[0-9a-f]{64}$/i.test(text)) candidates.push(Buffer.from(text, 'hex'));
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) candidates.push(Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  let ok = false;
  for (const c of candidates) ok = (c.length === mac.length && timingSafeEqual(c, mac)) || ok;
  return ok;
}

/**
 * True when `header` is `Bearer <token>`, compared in constant time.
 * @param {string} token
 * @param {string | undefined | null} header
 */
export function verifyBearer(token, header) {
  if (!token || typeof header !== 'string') return false;
  const m = header.match(/^Bearer\s+(.+)$/i);
  if (!m) return false;
  const [a, b] = [createHmac('sha256', 'bearer').update(m[1].trim()).digest(), createHmac('sha256', 'bearer').update(token).digest()];
  return timingSafeEqual(a, b);
}

/**
 * @typedef {object} WebhookEvent
 * @property {string} topic
 * @property {string[]} ids  the Huma user ids the event names, each once
 * @property {boolean} profile  false for a topic crona-sync doesn't act on
 */

/**
 * Checks and reads one delivery. Throws a CronaSyncError whose `details.status` is the HTTP
 * status to answer: 401 (signature or token), 400 (body or topic).
 * @param {{ secret?: string, token?: string }} keys  at least one
 * @param {Record<string, string | string[] | undefined>} headers  lower-case names, as Node gives them
 * @param {Uint8Array} body
 * @returns {WebhookEvent}
 */
export function readWebhook(keys, headers, body) {
  const one = (/** @type {string} */ name) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const refuse = (/** @type {number} */ status, /** @type {string} */ code, /** @type {string} */ message) => new CronaSyncError(code, message, { status });
  if (!keys.secret && !keys.token) throw refuse(500, 'webhook_unconfigured', 'No webhook secret or token is configured.');
  if (keys.secret && !verifySignature(keys.secret, body, one('huma-hmac-sha256'))) {
    throw refuse(401, 'bad_signature', one('huma-hmac-sha256') ? 'The huma-hmac-sha256 signature doesn\'t match the body.' : 'The huma-hmac-sha256 header is missing.');
  }
  if (keys.token && !verifyBearer(keys.token, one('authorization'))) {
    throw refuse(401, 'bad_token', 'The Authorization bearer token is missing or wrong.');
  }
  let parsed;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw refuse(400, 'bad_body', 'The body isn\'t JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refuse(400, 'bad_body', 'The body isn\'t a JSON object.');
  const topic = one('huma-topic');
  if (!topic) throw refuse(400, 'missing_topic', 'The huma-topic header is missing.');
  if (parsed.topic !== topic) throw refuse(400, 'topic_mismatch', `The huma-topic header (${JSON.stringify(topic)}) and the body's topic (${JSON.stringify(parsed.topic)}) differ.`);
  const profile = PROFILE_TOPICS.includes(topic);
  if (!profile) return { topic, ids: [], profile };
  if (!Array.isArray(parsed.users)) throw refuse(400, 'bad_body', 'A profile event needs a users array.');
  /** @type {Set<string>} */
  const ids = new Set();
  for (const u of parsed.users) {
    const id = u && typeof u === 'object' ? u.id : undefined;
    if (typeof id !== 'string' || !UUID.test(id)) throw refuse(400, 'bad_body', `users[].id must be a Huma user id (a UUID); got ${JSON.stringify(id)?.slice(0, 60)}.`);
    ids.add(id);
  }
  return { topic, ids: [...ids], profile };
}

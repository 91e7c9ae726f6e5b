// The webhook receiver as POST /_sandbox/webhooks (or the `webhooks` option) sets it: checked, defaults filled in.

import { isObject } from '../http.js';

/**
 * @typedef {Object} WebhookConfig
 * @property {string} url                 http:// on a loopback host
 * @property {string | null} secret       keys the huma-hmac-sha256 header; null = no signature
 * @property {string | null} token        sent as Authorization: Bearer; null = no such header
 * @property {'hex' | 'base64'} encoding  of the HMAC (huma-api.md §9 leaves it open)
 * @property {number} retries             further attempts after a failed one
 * @property {number} delayMs             wait before sending each delivery
 */

/**
 * What a caller passes: only `url` is required.
 * @typedef {{ url: string, secret?: string | null, token?: string | null, encoding?: 'hex' | 'base64', retries?: number, delayMs?: number }} WebhookConfigInput
 */

/** A refused receiver configuration (400). */
export class WebhookConfigError extends Error {}

/** Tests must only ever touch this machine. */
const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];
const KEYS = ['url', 'secret', 'token', 'encoding', 'retries', 'delayMs'];
const MAX_RETRIES = 100;
const MAX_DELAY_MS = 600000;

/** @param {unknown} input @returns {WebhookConfig} */
export function parseWebhookConfig(input) {
  if (!isObject(input)) throw new WebhookConfigError('webhooks must be an object {url, secret?, token?, encoding?, retries?, delayMs?}');
  for (const k of Object.keys(input)) if (!KEYS.includes(k)) throw new WebhookConfigError(`unknown webhook option "${k}"`);
  const { encoding = 'hex', retries = 2, delayMs = 0 } = input;
  if (encoding !== 'hex' && encoding !== 'base64') throw new WebhookConfigError('encoding must be "hex" or "base64"');
  if (!Number.isInteger(retries) || /** @type {number} */ (retries) < 0 || /** @type {number} */ (retries) > MAX_RETRIES) {
    throw new WebhookConfigError(`retries must be an integer in 0..${MAX_RETRIES}`);
  }
  if (!Number.isInteger(delayMs) || /** @type {number} */ (delayMs) < 0 || /** @type {number} */ (delayMs) > MAX_DELAY_MS) {
    throw new WebhookConfigError(`delayMs must be an integer in 0..${MAX_DELAY_MS}`);
  }
  return {
    url: loopbackUrl(input.url),
    secret: optionalText(input.secret, 'secret', /^.+$/s),
    token: optionalText(input.token, 'token', /^[\x21-\x7e]+$/),
    encoding,
    retries: /** @type {number} */ (retries),
    delayMs: /** @type {number} */ (delayMs),
  };
}

/** @param {unknown} v @returns {string} */
function loopbackUrl(v) {
  const refuse = () => new WebhookConfigError(`url must be http:// on a loopback host (127.0.0.1, localhost or [::1]); got ${JSON.stringify(v)}`);
  if (typeof v !== 'string') throw refuse();
  let url;
  try {
    url = new URL(v);
  } catch {
    throw refuse();
  }
  if (url.protocol !== 'http:' || !LOOPBACK.includes(url.hostname) || url.username || url.password) throw refuse();
  return url.href;
}

/** undefined and null = not set. @param {unknown} v @param {string} name @param {RegExp} shape @returns {string | null} */
function optionalText(v, name, shape) {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !shape.test(v)) {
    throw new WebhookConfigError(`${name} must be a non-empty string${name === 'token' ? ' of visible ASCII characters' : ''}`);
  }
  return v;
}

/** The configuration as the controls show it: secret and token as "***" when set. @param {WebhookConfig} c */
export function maskConfig(c) {
  return { ...c, secret: c.secret === null ? null : '***', token: c.token === null ? null : '***' };
}

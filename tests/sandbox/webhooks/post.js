// One webhook request to the receiver, signed like Huma's (huma-api.md §9).

import { request } from 'node:http';
import { createHmac } from 'node:crypto';

/** @typedef {import('./config.js').WebhookConfig} WebhookConfig */

/** Per attempt, from sending to the end of the answer. */
export const ATTEMPT_TIMEOUT_MS = 5000;

/**
 * The huma-hmac-sha256 value: HMAC-SHA256 of the exact body bytes, keyed with the secret.
 * @param {string} secret @param {Buffer} bytes @param {'hex' | 'base64'} encoding
 */
export function sign(secret, bytes, encoding) {
  return createHmac('sha256', secret).update(bytes).digest(encoding);
}

/**
 * POSTs the body once. Never rejects: a network error, a timeout or an abort comes back as `error`.
 * @param {WebhookConfig} config @param {string} topic @param {Buffer} bytes @param {AbortSignal} signal
 * @returns {Promise<{ status: number | null, error?: string }>}
 */
export function postOnce(config, topic, bytes, signal) {
  /** @type {Record<string, string | number>} */
  const headers = { 'content-type': 'application/json', 'content-length': bytes.length, 'huma-topic': topic };
  if (config.secret !== null) headers['huma-hmac-sha256'] = sign(config.secret, bytes, config.encoding);
  if (config.token !== null) headers.authorization = `Bearer ${config.token}`;
  return new Promise((resolve) => {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    let done = false;
    /** @param {{ status: number | null, error?: string }} result */
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    // agent: false = a fresh connection each time, so nothing stays open after the sandbox closes
    const req = request(config.url, { method: 'POST', headers, agent: false, signal }, (res) => {
      const status = res.statusCode ?? null;
      res.resume();
      res.on('end', () => finish({ status }));
      res.on('close', () => finish({ status, error: signal.aborted ? 'cancelled' : 'the answer was cut off' }));
    });
    timer = setTimeout(() => req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)), ATTEMPT_TIMEOUT_MS);
    req.on('error', (e) => finish({ status: null, error: signal.aborted ? 'cancelled' : e.message || String(e) }));
    req.end(bytes);
  });
}

// A tiny HTTP client for the sandbox's own tests and for scripts: real requests, answers parsed.

/**
 * @typedef {Object} Reply
 * @property {number} status
 * @property {Headers} headers
 * @property {any} body   parsed JSON, else the text ('' when empty)
 * @property {string} text
 */

/**
 * @param {string} url @param {{ method?: string, headers?: Record<string, string>, body?: unknown, raw?: string }} [init]
 *   `body` is sent as JSON; `raw` as is (with whatever content-type `headers` give)
 * @returns {Promise<Reply>}
 */
export async function call(url, init = {}) {
  /** @type {Record<string, string>} */
  const headers = { ...init.headers };
  let body;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = text ? JSON.parse(text) : '';
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/**
 * Authenticated helpers for one sandbox.
 * @param {{ url: string, humaUrl: string, cronaUrl: string, credentials: { huma: { clientId: string, clientSecret: string }, crona: { activationCode: string } } }} box
 */
export function clients(box) {
  /** @type {string | null} */
  let token = null;
  /** @type {string | null} */
  let apiKey = null;
  const humaToken = async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: box.credentials.huma.clientId, client_secret: box.credentials.huma.clientSecret });
    const r = await call(`${box.humaUrl}/auth/oauth/token`, { method: 'POST', raw: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
    return /** @type {string} */ (r.body.access_token);
  };
  const cronaKey = async () => {
    const r = await call(`${box.cronaUrl}/api/v1/activate`, { body: { activationCode: box.credentials.crona.activationCode } });
    if (r.status !== 200) throw new Error(`activate: ${r.status} ${r.text}`);
    return /** @type {string} */ (r.body.apiKey);
  };
  return {
    humaToken,
    cronaKey,
    /** Forget the cached token (after a reset or a revoke). */
    forget() {
      token = null;
      apiKey = null;
    },
    /** @param {string} path @param {{ method?: string, body?: unknown, raw?: string, headers?: Record<string, string> }} [init] */
    async huma(path, init = {}) {
      token ??= await humaToken();
      return call(`${box.humaUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
    },
    /** @param {string} path @param {{ method?: string, body?: unknown, raw?: string, headers?: Record<string, string> }} [init] */
    async crona(path, init = {}) {
      apiKey ??= await cronaKey();
      return call(`${box.cronaUrl}${path}`, { ...init, headers: { authorization: `Bearer ${apiKey}`, ...init.headers } });
    },
    /** @param {string} path @param {unknown} [body] @param {string} [method] */
    control(path, body, method) {
      return call(`${box.url}/_sandbox/${path}`, { method: method ?? (body === undefined ? 'GET' : 'POST'), body });
    },
    /** Every Huma user, paged through GET /users. @param {string} [query] @param {number} [limit] */
    async allHumaUsers(query = '', limit = 50) {
      /** @type {any[]} */
      const out = [];
      for (let offset = 0; ; offset += limit) {
        const r = await this.huma(`/users?limit=${limit}&offset=${offset}${query ? `&${query}` : ''}`);
        if (r.status !== 200) throw new Error(`GET /users: ${r.status} ${r.text}`);
        out.push(...r.body.items);
        if (r.body.items.length < limit) return out;
      }
    },
    /** Every Crona employee, paged. @param {number} [pageSize] */
    async allEmployees(pageSize = 200) {
      /** @type {any[]} */
      const out = [];
      for (let page = 1; ; page++) {
        const r = await this.crona(`/api/v1/employees?page=${page}&pageSize=${pageSize}`);
        if (r.status !== 200) throw new Error(`GET employees: ${r.status} ${r.text}`);
        out.push(...r.body.items);
        if (r.body.items.length < pageSize) return out;
      }
    },
  };
}

// Huma's OAuth2 client-credentials token endpoint and bearer-token checks (huma-api.md §1).
// Accepts the three request forms real clients use: HTTP Basic + form, credentials in the form, and JSON.

import { randomBytes } from 'node:crypto';
import { mediaType, parseJson, isObject } from '../http.js';
import { badRequest, invalidToken, springError } from './errors.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */
/** @typedef {import('../types.js').ApiRequest} ApiRequest */

/** @typedef {{ expiresAt: number, clientId: string }} TokenInfo */

export class TokenStore {
  constructor() {
    /** @type {Map<string, TokenInfo>} */
    this.tokens = new Map();
  }

  /** @param {string} clientId @param {number} ttlSeconds @param {number} now ms */
  issue(clientId, ttlSeconds, now) {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { expiresAt: now + ttlSeconds * 1000, clientId });
    return token;
  }

  /** Every issued token stops working. */
  revokeAll() {
    this.tokens.clear();
  }

  /**
   * @param {ApiRequest} req @param {number} now ms
   * @returns {ApiResponse | null} a 401 when the request carries no valid bearer token, else null
   */
  check(req, now) {
    const header = String(req.headers.authorization ?? '');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return invalidToken(header ? 'Authorization header is not a Bearer token' : 'Full authentication is required to access this resource');
    const info = this.tokens.get(/** @type {string} */ (m[1]));
    if (!info) return invalidToken('Invalid access token');
    if (info.expiresAt <= now) return invalidToken('Access token expired');
    return null;
  }
}

/**
 * POST /auth/oauth/token.
 * @param {ApiRequest} req
 * @param {{ world: import('../types.js').World, tokens: TokenStore, settings: import('../types.js').Settings, now: number }} ctx
 * @returns {ApiResponse}
 */
export function tokenEndpoint(req, { world, tokens, settings, now }) {
  const type = mediaType(req.headers);
  /** @type {Record<string, unknown>} */
  let params;
  if (type === 'application/x-www-form-urlencoded') {
    params = Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
  } else if (type === 'application/json') {
    const parsed = parseJson(req.body);
    if (!parsed.ok) return badRequest('request:malformed-json', `Malformed JSON: ${parsed.error}`);
    if (!isObject(parsed.value)) return badRequest('request:malformed-json', 'The body must be a JSON object');
    params = parsed.value;
  } else {
    return springError(415, `Content-Type '${type || 'none'}' is not supported`, req.path);
  }
  const grant = params.grant_type;
  if (grant === undefined || grant === '') return badRequest('field:invalid-format', 'grant_type is required', ['grant_type']);
  if (grant !== 'client_credentials') return badRequest('field:invalid-format', `Unsupported grant_type '${String(grant)}'; use client_credentials`, ['grant_type']);

  const basic = basicCredentials(req.headers.authorization);
  const clientId = basic ? basic.id : params.client_id;
  const clientSecret = basic ? basic.secret : params.client_secret;
  const huma = world.huma;
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) {
    return invalidClient('Client authentication is required: HTTP Basic or client_id and client_secret');
  }
  if (clientId !== huma.clientId || clientSecret !== huma.clientSecret) return invalidClient('Bad client credentials');
  return {
    status: 200,
    body: {
      access_token: tokens.issue(clientId, settings.tokenTtlSeconds, now),
      token_type: 'Bearer',
      expires_in: settings.tokenTtlSeconds,
      organizationId: huma.organizationId,
      userId: huma.serviceUserId,
    },
    headers: { Pragma: 'no-cache' },
  };
}

/** @param {string} description @returns {ApiResponse} */
function invalidClient(description) {
  return { status: 401, body: { error: 'invalid_client', error_description: description }, headers: { 'WWW-Authenticate': 'Basic realm="huma"' } };
}

/**
 * RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64.
 * @param {string | undefined} header
 * @returns {{ id: string, secret: string } | null}
 */
function basicCredentials(header) {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(/** @type {string} */ (m[1]), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
  } catch {
    return null;
  }
}

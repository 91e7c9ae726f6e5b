// Huma's error bodies (huma-api.md §7). Handlers return these as ApiResponse values.

import { REASONS } from '../http.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */

/**
 * 400 InvalidFieldFormatResponse. Codes the emulator uses: field:invalid-format, field:unknown (a property
 * UserDetailsInput/UserInput/positions don't have, e.g. spec-A employment fields), field:not-editable,
 * field:not-unique, user:deactivated, request:malformed-json.
 * @param {string} errorCode @param {string} errorMessage @param {string[]} [fields]
 * @returns {ApiResponse}
 */
export function badRequest(errorCode, errorMessage, fields = []) {
  return { status: 400, body: { errorCode, errorMessage, fields } };
}

/** @param {string} field @param {string} message @returns {ApiResponse} */
export function invalidField(field, message) {
  return badRequest('field:invalid-format', message, [field]);
}

/** 404 NotFoundErrorResponse. @param {string} type @param {string} id @returns {ApiResponse} */
export function notFound(type, id) {
  return {
    status: 404,
    body: { errorCode: 'object:not-found', errorMessage: `${type} with id '${id}' was not found`, interpolations: { type, id } },
  };
}

/** 401 InvalidTokenResponse. @param {string} description @returns {ApiResponse} */
export function invalidToken(description) {
  return {
    status: 401,
    body: { error: 'invalid_token', error_description: description },
    headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` },
  };
}

/**
 * Spring Boot's error body (StandardServerErrorResponse), used for 5xx, 405, 415, 429 and unknown paths.
 * `path` is the Huma path, as the real host would report it (no /huma prefix).
 * @param {number} status @param {string} message @param {string} path @returns {ApiResponse}
 */
export function springError(status, message, path) {
  return { status, body: { timestamp: new Date().toISOString(), status, error: REASONS[status] ?? 'Error', message, path } };
}

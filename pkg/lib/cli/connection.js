// The connection: a file of non-secret settings, and the secrets from the environment or a
// secrets file the user names. Base URLs: flag, then environment, then the connection file.
import { readFileSync } from 'node:fs';
import { CronaSyncError } from '../errors.js';
import { readJson } from './files.js';

/**
 * @typedef {object} ConnectionFile
 * @property {string} [name]
 * @property {{ baseUrl?: string, clientId?: string }} [huma]
 * @property {{ baseUrl?: string, companyId?: string, companyName?: string }} [crona]
 * @property {{ companies?: string[], teams?: string[], locations?: string[] }} [scope]
 */

/**
 * @typedef {object} Connection
 * @property {string} name
 * @property {string} humaUrl
 * @property {string} cronaUrl
 * @property {string} humaClientId
 * @property {string} humaClientSecret
 * @property {string} [cronaApiKey]
 * @property {string} [cronaActivationCode]
 * @property {{ companies: string[], teams: string[], locations: string[] }} scope
 * @property {ConnectionFile} file
 */

/**
 * Reads `KEY=VALUE` lines (comments with #); the secrets file a user keeps with mode 600.
 * @param {string} path
 * @returns {Record<string, string>}
 */
export function readSecrets(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CronaSyncError('usage', `Can't read the secrets file ${path}.`);
  }
  /** @type {Record<string, string>} */
  const out = {};
  for (const line of text.split(/\r?\n/)) {
    const m = line.match(/^\s*(?:export\s+)?([A-Z_]+)\s*=\s*(.*?)\s*$/);
    if (m && !line.trimStart().startsWith('#')) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/**
 * @param {{ connection: string, humaUrl?: string, cronaUrl?: string, secrets?: string, company?: string[], team?: string[], location?: string[] }} flags
 * @param {NodeJS.ProcessEnv} env
 * @returns {Connection}
 */
export function resolveConnection(flags, env) {
  /** @type {ConnectionFile} */
  const file = readJson(flags.connection, {}, 'connection file');
  const secrets = flags.secrets ? readSecrets(flags.secrets) : {};
  // A secrets file the user names wins over whatever the environment happens to hold.
  const pick = (/** @type {string} */ key) => secrets[key] || env[key] || '';
  const humaUrl = flags.humaUrl || env.HUMA_URL || file.huma?.baseUrl || '';
  const cronaUrl = flags.cronaUrl || env.CRONA_URL || file.crona?.baseUrl || '';
  const missing = [];
  if (!humaUrl) missing.push('the Huma base URL (--huma-url or HUMA_URL)');
  if (!cronaUrl) missing.push('the Crona base URL (--crona-url or CRONA_URL)');
  const humaClientId = pick('HUMA_CLIENT_ID') || file.huma?.clientId || '';
  const humaClientSecret = pick('HUMA_CLIENT_SECRET');
  if (!humaClientId) missing.push('HUMA_CLIENT_ID');
  if (!humaClientSecret) missing.push('HUMA_CLIENT_SECRET');
  const cronaApiKey = pick('CRONA_API_KEY') || undefined;
  const cronaActivationCode = pick('CRONA_ACTIVATION_CODE') || undefined;
  if (!cronaApiKey && !cronaActivationCode) missing.push('CRONA_API_KEY or CRONA_ACTIVATION_CODE');
  if (missing.length) {
    throw new CronaSyncError('usage', `Missing ${missing.join(', ')}. Secrets come from the environment or --secrets FILE; see crona-sync --help.`);
  }
  const scope = {
    companies: flags.company ?? file.scope?.companies ?? [],
    teams: flags.team ?? file.scope?.teams ?? [],
    locations: flags.location ?? file.scope?.locations ?? [],
  };
  return { name: file.name ?? 'default', humaUrl, cronaUrl, humaClientId, humaClientSecret, cronaApiKey, cronaActivationCode, scope, file };
}

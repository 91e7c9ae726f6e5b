// Secrets sealed at rest (AES-256-GCM, node:crypto): the Huma client secret, the Crona key and
// the webhook secret are stored only as `v1.<iv>.<tag>.<ciphertext>` (base64url), under a key
// the store never holds: `CRONA_SYNC_KEY` (64 hex digits or 44 base64 characters), else the
// file `DIR/secret.key`, generated at first start with mode 0600.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CronaSyncError } from '../errors.js';

const VERSION = 'v1';

/**
 * The sealing key: from the environment, else the data directory's key file (made if missing).
 * @param {string} dir  the data directory
 * @param {Record<string, string | undefined>} [env]
 * @returns {Buffer} 32 bytes
 */
export function loadKey(dir, env = process.env) {
  const given = env.CRONA_SYNC_KEY?.trim();
  if (given) return parseKey(given, 'CRONA_SYNC_KEY');
  const file = join(dir, 'secret.key');
  if (!existsSync(file)) {
    // 'wx': two services starting at once can't both write a key.
    try {
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return parseKey(readFileSync(file, 'utf8').trim(), file);
}

/** @param {string} text @param {string} where */
function parseKey(text, where) {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new CronaSyncError('invalid_config', `The sealing key in ${where} must be 32 bytes, written as 64 hex digits or in base64.`, { field: where });
  }
  return key;
}

/**
 * Seals a secret; `aad` binds it to its place (e.g. "connection 3 huma.clientSecret"), so a
 * sealed value copied to another row doesn't open there.
 * @param {Buffer} key @param {string} secret @param {string} aad
 */
export function seal(key, secret, aad) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/**
 * Opens a sealed secret. A wrong key, a changed value or another place is `sealed_secret_invalid`.
 * @param {Buffer} key @param {string} sealed @param {string} aad
 */
export function open(key, sealed, aad) {
  const [version, iv, tag, data] = sealed.split('.');
  try {
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new CronaSyncError('sealed_secret_invalid', `A stored secret (${aad}) can't be opened: the sealing key is not the one it was sealed with, or the value was changed. Set the right CRONA_SYNC_KEY or secret.key, or enter the secret again.`, { what: aad });
  }
}

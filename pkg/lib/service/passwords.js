// Administrators' passwords, hashed with scrypt (node:crypto) and a random salt per password.
// The stored form names its parameters, so they can be raised later without breaking old hashes.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { CronaSyncError } from '../errors.js';

/** N=2^15, r=8, p=1: about 32 MiB and a few tens of ms per hash. */
const PARAMS = { N: 32768, r: 8, p: 1 };
const KEY_LENGTH = 32;
export const MIN_PASSWORD_LENGTH = 12;

/** @param {string} password @param {Buffer} salt @param {{ N: number, r: number, p: number }} params @returns {Promise<Buffer>} */
function derive(password, salt, params) {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem: 128 * params.N * params.r * 2 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Refuses a password too short to keep payroll data safe. @param {unknown} password */
export function checkPassword(password) {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH) {
    throw new CronaSyncError('invalid_argument', `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`, { field: 'password' });
  }
  return password;
}

/** `scrypt$N$r$p$salt$hash`, base64url. @param {string} password */
export async function hashPassword(password) {
  checkPassword(password);
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether the password matches the stored hash, compared in constant time. @param {string} password @param {string} stored */
export async function verifyPassword(password, stored) {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(String(password), Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing, to spend the same time on an unknown name as on a wrong password. */
export const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

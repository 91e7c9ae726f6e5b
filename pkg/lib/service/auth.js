// Who may use the service: administrators signed in with a password (scrypt), a one-time setup
// link (the first administrator) or a one-time sign-in link. The session is an HttpOnly,
// SameSite=Strict cookie; a request that changes anything must come from the service's own
// origin; failed sign-ins are rate limited per address and per name.
import { CronaSyncError } from '../errors.js';
import { DUMMY_HASH, checkPassword, hashPassword, verifyPassword } from './passwords.js';

export const COOKIE = 'crona_sync_session';
const SESSION_MS = 12 * 3600_000;
/** Failed sign-ins allowed per window: per name, and (an office behind one address) per address. */
const ATTEMPTS = { name: 5, address: 20 };
const WINDOW_MS = 15 * 60_000;

/**
 * @typedef {object} AuthOptions
 * @property {import('./store.js').Store} store
 * @property {boolean} trustProxy  behind a reverse proxy: take X-Forwarded-Proto/Host
 * @property {() => number} [clock]
 */

export class Auth {
  /** @param {AuthOptions} options */
  constructor(options) {
    this.store = options.store;
    this.trustProxy = options.trustProxy;
    this.clock = options.clock ?? Date.now;
    /** @type {Map<string, { count: number, since: number }>} failed sign-ins by address and by name */
    this.failures = new Map();
    /** @type {Set<string>} the Host values served (lower case) */
    this.hosts = new Set();
  }

  /** @param {string[]} hosts */
  allowHosts(hosts) {
    for (const h of hosts) this.hosts.add(h.toLowerCase());
  }

  /**
   * Refuses a request for a name this service isn't (DNS rebinding: another site's name pointed
   * at this machine, with that site's page as the caller).
   * @param {import('node:http').IncomingMessage} req
   */
  checkHost(req) {
    const host = String(this.#forwarded(req, 'x-forwarded-host') ?? req.headers.host ?? '').toLowerCase();
    if (!this.hosts.has(host)) throw new CronaSyncError('unknown_host', `This service doesn't answer for ${JSON.stringify(host)}. Open it at its own address (see --public-url).`, { host });
  }

  /** @param {import('node:http').IncomingMessage} req @param {string} header */
  #forwarded(req, header) {
    const v = req.headers[header];
    return this.trustProxy && typeof v === 'string' ? v.split(',')[0].trim() : null;
  }

  /** The origin the browser sees the service at. @param {import('node:http').IncomingMessage} req */
  origin(req) {
    const proto = this.#forwarded(req, 'x-forwarded-proto') ?? 'http';
    const host = this.#forwarded(req, 'x-forwarded-host') ?? req.headers.host ?? '';
    return `${proto}://${host}`;
  }

  /**
   * The signed-in administrator, or a `signed_out` error.
   * @param {import('node:http').IncomingMessage} req @returns {{ id: number, name: string }}
   */
  require(req) {
    const token = cookie(req, COOKIE);
    const admin = token ? this.store.sessionAdmin(token) : null;
    if (!admin) throw new CronaSyncError('signed_out', 'Sign in first.', { setup: this.store.adminCount() === 0 });
    return admin;
  }

  /**
   * Refuses a request that changes something unless it comes from the page itself.
   * @param {import('node:http').IncomingMessage} req
   */
  checkOrigin(req) {
    if (req.method === 'GET' || req.method === 'HEAD') return;
    const origin = req.headers.origin;
    if (origin ? origin === this.origin(req) : req.headers['sec-fetch-site'] === 'same-origin') return;
    throw new CronaSyncError('cross_origin_refused', 'This request came from another site (or said nothing of where it came from) and was refused.', { origin: origin ?? null });
  }

  /** The Set-Cookie value for a new session. @param {import('node:http').IncomingMessage} req @param {string} token */
  cookieFor(req, token) {
    const secure = this.origin(req).startsWith('https:') ? '; Secure' : '';
    return `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}${secure}`;
  }

  /** @param {import('node:http').IncomingMessage} req */
  clearCookie(req) {
    const secure = this.origin(req).startsWith('https:') ? '; Secure' : '';
    return `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure}`;
  }

  /** @param {number} adminId */
  startSession(adminId) {
    return this.store.createSession(adminId, SESSION_MS);
  }

  /** @param {import('node:http').IncomingMessage} req */
  signOut(req) {
    const token = cookie(req, COOKIE);
    if (token) this.store.endSession(token);
  }

  /**
   * Refuses while a key (an address, a name) has had too many failures lately; otherwise counts
   * this attempt as one, at once, before anything slow happens: requests sent together can't all
   * pass the check. `succeeded` takes the count back.
   * @param {string[]} keys
   */
  #attempt(keys) {
    const now = this.clock();
    for (const [key, f] of this.failures) if (now - f.since >= WINDOW_MS) this.failures.delete(key);
    for (const key of keys) {
      const f = this.failures.get(key);
      if (f && f.count >= ATTEMPTS[key.startsWith('name') ? 'name' : 'address']) {
        const seconds = Math.ceil((f.since + WINDOW_MS - now) / 1000);
        throw new CronaSyncError('too_many_attempts', `Too many failed attempts; try again in ${Math.ceil(seconds / 60)} minutes.`, { retryAfterSeconds: seconds });
      }
    }
    for (const key of keys) {
      const f = this.failures.get(key);
      this.failures.set(key, f ? { count: f.count + 1, since: f.since } : { count: 1, since: now });
    }
  }

  /** @param {string[]} keys */
  #succeeded(keys) {
    for (const key of keys) {
      const f = this.failures.get(key);
      if (f && f.count > 1) f.count -= 1;
      else this.failures.delete(key);
    }
  }

  /**
   * Checks a name and password; the same answer and about the same time for an unknown name
   * as for a wrong password. Refused for a while after repeated failures.
   * @param {string} address @param {unknown} name @param {unknown} password
   */
  async signIn(address, name, password) {
    const who = typeof name === 'string' ? name.trim() : '';
    const keys = [`address ${address}`, `name ${who.toLowerCase()}`];
    this.#attempt(keys);
    const admin = who ? this.store.admin(who) : null;
    const ok = await verifyPassword(String(password ?? ''), admin?.passwordHash ?? DUMMY_HASH);
    if (!admin || !ok) throw new CronaSyncError('signin_failed', 'That name and password don\'t match an administrator.');
    this.#succeeded(keys);
    this.failures.delete(keys[1]);
    return { id: admin.id, name: admin.name };
  }

  /**
   * The first administrator, through the setup link printed at first start. The link is checked
   * before the password is hashed, and wrong links count against the address.
   * @param {string} address @param {unknown} token @param {unknown} name @param {unknown} password
   */
  async setup(address, token, name, password) {
    const keys = [`address ${address}`];
    this.#attempt(keys);
    const invalid = () => new CronaSyncError('setup_link_invalid', 'This setup link was used already or has expired. Ask an administrator, or run crona-sync admin add NAME on the server.');
    if (this.store.adminCount() > 0 || typeof token !== 'string' || !this.store.linkValid('setup', token)) throw invalid();
    this.#succeeded(keys);
    const who = checkName(name);
    checkPassword(password);
    const hash = await hashPassword(/** @type {string} */ (password));
    if (!this.store.useLink('setup', token)) throw invalid();
    const id = this.store.addAdmin(who, hash);
    return { id, name: who };
  }

  /** Signs in through a one-time link; wrong links count against the address. @param {string} address @param {unknown} token */
  linkSignIn(address, token) {
    const keys = [`address ${address}`];
    this.#attempt(keys);
    const used = typeof token === 'string' ? this.store.useLink('signin', token) : null;
    const admin = used?.adminId ? this.store.adminById(used.adminId) : null;
    if (!admin) throw new CronaSyncError('signin_link_invalid', 'This sign-in link was used already or has expired. Sign in with your password, or ask for a new link.');
    this.#succeeded(keys);
    return admin;
  }
}

/** An administrator's name: 1–64 printable characters. @param {unknown} name */
export function checkName(name) {
  const who = typeof name === 'string' ? name.trim() : '';
  // eslint-disable-next-line no-control-regex
  if (!who || who.length > 64 || /[\u0000-\u001f\u007f-\u009f]/.test(who)) {
    throw new CronaSyncError('invalid_argument', 'An administrator needs a name of 1 to 64 printable characters.', { field: 'name' });
  }
  return who;
}

/** One cookie's value. @param {import('node:http').IncomingMessage} req @param {string} name */
function cookie(req, name) {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

// The integration service for one test file: a sandbox, a store in a fresh data directory with
// an administrator and the sandbox connection (verified and sealed), the service on a free
// loopback port, and a client that signs in and calls it as the page would.
import { after } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAdmin, addConnection, signinLink } from '../../../pkg/lib/service/bootstrap.js';
import { startService } from '../../../pkg/lib/service/server.js';
import { Store } from '../../../pkg/lib/service/store.js';
import { sandbox } from './sandbox.js';

export const PASSWORD = 'correct horse battery staple';

/**
 * @param {{ sandbox?: Parameters<typeof sandbox>[0], now?: () => Date, service?: Partial<import('../../../pkg/lib/service/server.js').ServiceOptions> }} [options]
 */
export async function service(options = {}) {
  const box = await sandbox({ people: 12, ...options.sandbox });
  const dir = join(mkdtempSync(join(tmpdir(), 'crona-sync-service-')), 'data');
  const store = Store.open(dir, { env: {}, now: options.now });
  await addAdmin(store, 'anna', PASSWORD);
  const c = box.credentials;
  const id = await addConnection(store, { name: 'Sandbox', huma: { baseUrl: box.humaUrl, clientId: c.huma.clientId, clientSecret: c.huma.clientSecret }, crona: { baseUrl: box.cronaUrl, activationCode: c.crona.activationCode }, group: null });
  const svc = await startService({ store, port: 0, quiet: true, ...options.service });
  after(() => svc.close());

  /**
   * A request as the page sends it (same origin), with a session cookie when given.
   * @param {string} method @param {string} path @param {unknown} [body]
   * @param {{ cookie?: string | null, origin?: string | null, lease?: string, headers?: Record<string, string> }} [o]
   *   lease: the run's lease token, which the relay asks for
   */
  async function call(method, path, body, o = {}) {
    /** @type {Record<string, string>} */
    const headers = { ...o.headers };
    if (o.lease) headers['x-crona-sync-lease'] = o.lease;
    if (o.origin !== null) headers.origin = o.origin ?? svc.url;
    if (o.cookie) headers.cookie = o.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${svc.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await response.text();
    /** @type {any} */
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** Signs an administrator in with a one-time link; returns the cookie. @param {string} [name] */
  async function signIn(name = 'anna') {
    const r = await call('POST', '/api/signin-link', { token: signinLink(store, name) });
    if (r.status !== 200) throw new Error(`sign-in failed: ${r.status} ${r.text}`);
    return /** @type {string} */ (r.headers.get('set-cookie')).split(';')[0];
  }

  /**
   * Starts a run on the connection as the page does; `end()` finishes it as stopped.
   * @param {string} cookie @param {'sync' | 'push'} [kind]
   */
  async function begin(cookie, kind = 'sync') {
    const r = await call('POST', `/api/connections/${id}/runs`, { kind }, { cookie });
    if (r.status !== 201) throw new Error(`run not started: ${r.status} ${r.text}`);
    const started = r.json;
    return {
      ...started,
      lease: /** @type {string} */ (started.lease.token),
      end: () => call('POST', `/api/connections/${id}/runs/${started.run.id}/finish`, { token: started.lease.token, outcome: 'stopped', summary: 'test over' }, { cookie }),
    };
  }

  return { box, store, svc, id, dir, call, signIn, begin, credentials: c };
}

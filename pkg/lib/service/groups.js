// The Huma groups a connection can be limited to (GET /groups, 25 a page), read by the service
// so the connection form never needs a relay for a connection that isn't saved yet.
import { CronaSyncError } from '../errors.js';
import { humaTransport } from '../huma.js';
import { jsonOrNull } from '../http.js';

const PAGE = 25;
const MAX = 2500;

/**
 * @param {{ baseUrl: unknown, clientId: unknown, clientSecret: string, fetch?: typeof fetch }} o
 * @returns {Promise<{ id: string, name: string, type: 'company' | 'location' | 'team' }[]>}
 */
export async function humaGroups(o) {
  if (typeof o.baseUrl !== 'string' || typeof o.clientId !== 'string' || !o.clientId || !o.clientSecret) {
    throw new CronaSyncError('invalid_argument', 'Loading the groups needs the Huma base URL, client ID and client secret.', { field: 'huma' });
  }
  const huma = humaTransport({ baseUrl: o.baseUrl, clientId: o.clientId, clientSecret: o.clientSecret, retry: { retries: 2 }, ...(o.fetch ? { fetch: o.fetch } : {}) });
  /** @type {{ id: string, name: string, type: 'company' | 'location' | 'team' }[]} */
  const out = [];
  for (let offset = 0; offset < MAX; offset += PAGE) {
    const r = await huma.send({ id: `groups:${offset}`, system: 'huma', method: 'GET', path: '/groups', query: { limit: PAGE, offset, type: ['company', 'location', 'team'] } });
    if (r.status === 401) throw new CronaSyncError('huma_auth_failed', 'Huma did not accept the API client ID and secret.', { system: 'huma', status: 401 });
    if (r.status !== 200) throw new CronaSyncError('huma_unavailable', `Huma answered ${r.status || 'nothing'} to GET /groups${r.error ? `: ${r.error.message}` : ''}.`, { system: 'huma', status: r.status });
    const items = jsonOrNull(r.body)?.items;
    if (!Array.isArray(items)) throw new CronaSyncError('malformed_response', 'Huma sent groups in a shape crona-sync can\'t read.', { system: 'huma' });
    for (const g of items) {
      const type = String(g?.type ?? '').toLowerCase();
      if (typeof g?.id === 'string' && typeof g?.name === 'string' && (type === 'company' || type === 'location' || type === 'team')) out.push({ id: g.id, name: g.name, type });
    }
    if (items.length < PAGE) break;
  }
  return out;
}

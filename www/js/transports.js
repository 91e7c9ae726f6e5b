// The transports for one connection, from its settings and the secrets held in memory.
import { cronaTransport, humaTransport } from '../../pkg/web.js';
import { secretsOf } from './store.js';

/** @param {import('./store.js').Connection} c */
export function transportsFor(c) {
  const s = secretsOf(c.id);
  if (!s) return null;
  return {
    huma: humaTransport({ baseUrl: c.humaUrl, clientId: c.humaClientId, clientSecret: s.humaClientSecret }),
    crona: cronaTransport({ baseUrl: c.cronaUrl, activationCode: s.cronaActivationCode }),
  };
}

/**
 * The Huma groups a connection can be limited to (GET /groups, 25 a page).
 * @param {import('../../pkg/index.js').HumaTransport} huma
 * @returns {Promise<{ id: string, name: string, type: 'company' | 'location' | 'team' }[]>}
 */
export async function humaGroups(huma) {
  /** @type {{ id: string, name: string, type: 'company' | 'location' | 'team' }[]} */
  const out = [];
  for (let offset = 0; offset < 2500; offset += 25) {
    const r = await huma.send({ id: `groups:${offset}`, system: 'huma', method: 'GET', path: '/groups', query: { limit: 25, offset, type: ['company', 'location', 'team'] } });
    if (r.status !== 200) throw new Error(`Huma answered ${r.status || 'nothing'} to GET /groups`);
    const items = JSON.parse(r.body)?.items;
    if (!Array.isArray(items)) throw new Error('Huma sent groups in a shape crona-sync can\'t read');
    for (const g of items) {
      const type = String(g?.type ?? '').toLowerCase();
      if (typeof g?.id === 'string' && typeof g?.name === 'string' && (type === 'company' || type === 'location' || type === 'team')) {
        out.push({ id: g.id, name: g.name, type });
      }
    }
    if (items.length < 25) break;
  }
  return out;
}

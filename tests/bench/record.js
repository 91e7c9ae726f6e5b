// The raw response bodies of a whole fetch, recorded once from the sandbox over real HTTP, so the
// timed runs replay exactly what the APIs sent without any network in the measurement. Bodies are
// kept as the bytes that came off the wire (Uint8Array), as the transports hand them over.
import { SyncSession, cronaTransport, drive, humaTransport } from '../../pkg/index.js';
import { startSandbox } from '../sandbox/index.js';

/**
 * @param {number} people  per side
 * @returns {Promise<{ today: string, responses: Map<string, { id: string, status: number, body: Uint8Array }>, bytes: number }>}
 */
export async function recordFetch(people) {
  const box = await startSandbox({ people, drift: 0.1, quiet: true });
  try {
    const today = '2026-11-25';
    const t = {
      huma: humaTransport({ baseUrl: box.humaUrl, clientId: box.credentials.huma.clientId, clientSecret: box.credentials.huma.clientSecret }),
      crona: cronaTransport({ baseUrl: box.cronaUrl, activationCode: box.credentials.crona.activationCode }),
    };
    /** @type {Map<string, { id: string, status: number, body: Uint8Array }>} */
    const responses = new Map();
    const recording = Object.fromEntries(Object.entries(t).map(([system, transport]) => [system, {
      ...transport,
      /** @param {any} request @param {any} options */
      async send(request, options) {
        const r = await transport.send(request, options);
        responses.set(r.id, { id: r.id, status: r.status, body: /** @type {Uint8Array} */ (r.body) });
        return r;
      },
    }]));
    const session = new SyncSession({ today, now: '2026-11-25T09:00:00+01:00' });
    await drive(session, recording, { concurrency: 32 });
    session.free();
    let bytes = 0;
    for (const r of responses.values()) bytes += r.body.byteLength;
    return { today, responses, bytes };
  } finally {
    await box.close();
  }
}

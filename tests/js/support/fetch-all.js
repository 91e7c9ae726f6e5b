// A whole fetch as the runners do it: a fresh SyncSession read through drive() at the CLI's and
// the page's concurrency, with every response the transports gave kept for the test to look at.
import { SyncSession, drive } from '../../../pkg/index.js';

/** @typedef {import('../../../pkg/index.js').HttpResponse} HttpResponse */

/**
 * @param {{ huma: import('../../../pkg/index.js').SystemTransport, crona: import('../../../pkg/index.js').SystemTransport }} transports
 * @returns {Promise<{ answers: HttpResponse[], preview: import('../../../pkg/index.js').Preview }>}
 */
export async function fetchAll(transports) {
  /** @type {HttpResponse[]} */
  const answers = [];
  /** @param {import('../../../pkg/index.js').SystemTransport} t */
  const keeping = (t) => ({
    ...t,
    /** @type {typeof t.send} */
    send: async (request, options) => {
      const r = await t.send(request, options);
      answers.push(r);
      return r;
    },
  });
  const session = new SyncSession({ today: '2026-11-25', now: '2026-11-25T09:00:00+01:00' });
  try {
    await drive(session, { huma: keeping(transports.huma), crona: keeping(transports.crona) }, { concurrency: 6 });
    return { answers, preview: session.preview() };
  } finally {
    session.free();
  }
}

// A whole fetch under a steady rate limit, against the least time the limit allows. The sandbox
// throttles both systems through one token bucket of R requests a second (burst: one second's
// worth, full at the start); the fetch is drive() at the CLI's concurrency (6) with the direct
// transports, each run on a fresh sandbox. The floor counts every request the bucket let through
// (token and activation included), less the R of the first burst, which cost no waiting:
// (answered − R) / R seconds. The 429s cost only their round trips, not tokens. BENCH_RATELIMIT=0
// skips it (three runs of some 15 s).
import { SyncSession, cronaTransport, drive, humaTransport } from '../../pkg/index.js';
import { startSandbox } from '../sandbox/index.js';
import { median } from './stats.js';

/**
 * @param {{ people?: number, perSecond?: number, runs?: number }} [o]  people per side; the rate
 *   (default 150 a second: 1000 people a side, about 2,000 requests, take some 13 s at the floor)
 * @returns {Promise<{ ratio: number, limited: number, gaveUp: number, note: string }>}  medians over the runs
 */
export async function ratelimitedFetch({ people = 1000, perSecond = 150, runs = 3 } = {}) {
  /** @type {{ ratio: number, limited: number, gaveUp: number, answered: number, ms: number }[]} */
  const results = [];
  for (let i = 0; i < runs; i++) {
    const box = await startSandbox({ people, quiet: true });
    try {
      const transports = {
        huma: humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma }),
        crona: cronaTransport({ baseUrl: box.cronaUrl, activationCode: box.credentials.crona.activationCode }),
      };
      let gaveUp = 0;
      const counted = Object.fromEntries(Object.entries(transports).map(([system, t]) => [system, {
        ...t,
        /** @param {import('../../pkg/index.js').HttpRequest} request @param {{ signal?: AbortSignal }} [options] */
        send: async (request, options) => {
          const r = await t.send(request, options);
          if (r.error) gaveUp++;
          return r;
        },
      }]));
      await control(box.url, 'faults', { rules: [{ system: 'any', kind: 'throttle', perSecond }] });
      const session = new SyncSession({ today: '2026-11-25', now: '2026-11-25T09:00:00+01:00' });
      const t0 = performance.now();
      await drive(session, counted, { concurrency: 6 });
      const ms = performance.now() - t0;
      session.free();
      const { requests } = await (await fetch(`${box.url}/_sandbox/inspect`)).json();
      const limited = requests.filter((/** @type {{ status: number }} */ r) => r.status === 429).length;
      const answered = requests.length - limited;
      results.push({ ratio: ms / (((answered - perSecond) / perSecond) * 1000), limited, gaveUp, answered, ms });
      process.stderr.write(`  rate-limited fetch ${i + 1}/${runs}: ${(ms / 1000).toFixed(1)} s, ${answered} requests, ${limited} 429s, ${gaveUp} given up\n`);
    } finally {
      await box.close();
    }
  }
  const ratio = median(results.map((r) => r.ratio));
  const limited = median(results.map((r) => r.limited));
  const gaveUp = Math.max(...results.map((r) => r.gaveUp));
  const answered = median(results.map((r) => r.answered));
  const note = `${people} people a side, ${answered} requests at ${perSecond}/s (floor: all but the first second's burst), median of ${runs}: ${limited} 429s, ${gaveUp} given up; goal ≤ 1.2`;
  return { ratio, limited, gaveUp, note };
}

/** @param {string} url @param {string} path @param {unknown} body */
async function control(url, path, body) {
  const r = await fetch(`${url}/_sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`sandbox ${path}: ${r.status} ${await r.text()}`);
}

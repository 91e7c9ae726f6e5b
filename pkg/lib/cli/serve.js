// `crona-sync serve`: the receiver for Huma's profile webhooks. Each delivery is checked
// (signature in constant time, topic, size), stored in the queue file and only then answered
// 202; the batcher turns bursts into one push at a time. Events still queued when the process
// stops are replayed when it starts again.
import { createServer } from 'node:http';
import { CronaSyncError } from '../errors.js';
import { readWebhook } from '../webhook.js';
import { readSecrets } from './connection.js';
import { appendErrorLog, stateFile, transports } from './context.js';
import { appendHeld, heldCounts, heldFile, readHeld } from './held.js';
import { Batcher } from './batcher.js';
import { batchRunner } from './push-batch.js';
import { lock } from './files.js';
import { pushPeople } from './push.js';
import { Queue } from './queue.js';
import { runService } from './service.js';
import { visible, visibleJson } from '../text.js';

/** @typedef {import('./context.js').Flags} Flags */

/** @param {Flags} flags */
function keys(flags) {
  const secrets = flags.secrets ? readSecrets(flags.secrets) : {};
  const pick = (/** @type {string} */ k) => secrets[k] || process.env[k] || undefined;
  const k = { secret: pick('HUMA_WEBHOOK_SECRET'), token: pick('HUMA_WEBHOOK_TOKEN') };
  if (!k.secret && !k.token) {
    throw new CronaSyncError('usage', 'serve needs HUMA_WEBHOOK_SECRET (the client secret set on the webhook in Huma), or HUMA_WEBHOOK_TOKEN, from the environment or --secrets FILE: an unsigned endpoint would let anyone trigger pushes.');
  }
  return k;
}

/** @param {string | undefined} text @param {string} flag @param {number} fallback @param {number} [min] */
function number(text, flag, fallback, min = 0) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new CronaSyncError('usage', `--${flag} must be a whole number ≥ ${min}; got ${JSON.stringify(text)}.`);
  return n;
}

/** @param {Flags} flags */
export async function serve(flags) {
  if (flags.data) return runService(flags);
  const k = keys(flags);
  transports(flags); // every setting and secret present before anything listens
  const port = number(flags.port, 'port', 8787);
  const maxBody = number(flags['max-body'], 'max-body', 1024 * 1024, 1);
  const debounceMs = number(flags.debounce, 'debounce', 2000);
  const path = flags.path ?? '/huma/webhooks';
  const statePath = stateFile(flags);
  const queuePath = flags.queue ?? statePath.replace(/\.state\.json$/, '') + '.queue.jsonl';
  // One receiver per queue: a second would replay the same events.
  const releaseQueue = lock(`${queuePath}.lock`);
  const queue = new Queue(queuePath);
  const log = (/** @type {Record<string, unknown>} */ line) =>
    process.stdout.write(flags.json ? visibleJson({ at: new Date().toISOString(), ...line }) + '\n' : `${new Date().toISOString()} ${visible(line.text)}\n`);

  let lastPush = /** @type {object | null} */ (null);
  let lastError = /** @type {object | null} */ (null);
  const heldPath = heldFile(flags, statePath);
  /**
   * Stores people for an administrator, under the connection's lock; false when a sync holds
   * the lock (their events stay queued and this is tried again).
   * @param {string[]} ids @param {Map<string, number[]>} events  each person's deliveries
   * @param {string} code @param {string} why  in words, for the error log
   */
  const hold = (ids, events, code, why) => {
    let release;
    try {
      release = lock(`${statePath}.lock`);
    } catch {
      return false;
    }
    try {
      const byseq = new Map(queue.list().map((q) => [q.seq, q]));
      const seqs = [...new Set(ids.flatMap((id) => events.get(id) ?? []))].sort((a, b) => a - b);
      const held = seqs.map((seq) => ({ seq, at: byseq.get(seq)?.at ?? new Date().toISOString(), topic: byseq.get(seq)?.topic ?? 'users-update' }));
      appendHeld(heldPath, { heldAt: new Date().toISOString(), ids, events: held, code, reason: why, autoCreate: Boolean(flags['auto-create']) });
    } finally {
      release();
    }
    appendErrorLog(flags, statePath, [{ time: new Date().toISOString(), people: ids, system: null, status: null, code, message: `Held for an administrator: ${why}. Approve with 'crona-sync push --approve-held', or run a sync.` }]);
    log({ event: 'held', code, people: ids.length, events: events.size, text: `held ${ids.length} ${ids.length === 1 ? 'person' : 'people'} (${code}): ${why} — waiting for 'crona-sync push --approve-held' or a sync` });
    return true;
  };
  const batcher = new Batcher({
    debounceMs,
    finished: (seqs) => queue.done(seqs),
    run: batchRunner({
      push: (ids) => pushPeople(flags, ids, { quiet: true }),
      hold,
      log,
      note: (what, facts) => {
        if (what === 'push') lastPush = facts;
        else lastError = facts;
      },
    }),
  });

  const server = createServer((req, res) => {
    const answer = (/** @type {number} */ status, /** @type {object} */ body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === `${path}/health` && req.method === 'GET') {
      const held = heldCounts(readHeld(heldPath));
      answer(200, { status: held.events ? 'needs_attention' : 'ok', queued: queue.list().length, waitingPeople: batcher.size, held: held.events, heldPeople: held.people, lastPush, lastError });
      return;
    }
    if (url.pathname !== path) return answer(404, { error: { code: 'not_found', message: `Webhooks go to ${path}.` } });
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return answer(405, { error: { code: 'method_not_allowed', message: 'Use POST.' } });
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) {
      res.setHeader('connection', 'close');
      answer(413, { error: { code: 'too_large', message: `The body is larger than ${maxBody} bytes.` } });
      req.destroy();
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let refused = false;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > maxBody && !refused) {
        refused = true;
        res.setHeader('connection', 'close');
        answer(413, { error: { code: 'too_large', message: `The body is larger than ${maxBody} bytes.` } });
        req.destroy();
      } else if (!refused) chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      let event;
      try {
        event = readWebhook(k, req.headers, Buffer.concat(chunks));
      } catch (error) {
        const e = /** @type {CronaSyncError} */ (error);
        const status = /** @type {{ status?: number }} */ (e.details)?.status ?? 400;
        log({ event: 'refused', status, code: e.code, text: `refused a delivery (${status} ${e.code}): ${e.message}` });
        return answer(status, { error: { code: e.code, message: e.message } });
      }
      if (!event.profile || event.topic === 'users-delete') {
        // Nothing is deleted in Crona: payroll history stays, and the end date arrives through the positions.
        const why = event.profile ? 'nothing is deleted in Crona' : 'not a profile topic';
        log({ event: 'ignored', topic: event.topic, ids: event.ids, text: `${event.topic} for ${event.ids.length} user(s): acknowledged, ${why}` });
        return answer(202, { ignored: true, reason: why });
      }
      let queued;
      try {
        queued = queue.add(event.topic, event.ids);
      } catch (error) {
        // Not stored, so not acknowledged: Huma may deliver it again.
        log({ event: 'queue_failed', text: `couldn't store an event: ${error instanceof Error ? error.message : error}` });
        return answer(503, { error: { code: 'queue_unavailable', message: 'The event couldn\'t be stored; try again.' } });
      }
      answer(202, { queued: queued.seq, people: queued.ids.length });
      log({ event: 'queued', seq: queued.seq, topic: event.topic, people: event.ids.length, text: `${event.topic} #${queued.seq} for ${event.ids.length} user(s): queued` });
      batcher.add(queued.seq, queued.ids);
    });
  });

  const replay = queue.list();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, flags.host ?? '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  log({ event: 'listening', url: `http://${host}:${address.port}${path}`, replaying: replay.length, text: `listening on http://${host}:${address.port}${path}${replay.length ? ` — replaying ${replay.length} queued event(s)` : ''}` });
  for (const e of replay) batcher.add(e.seq, e.ids);

  return new Promise((resolve) => {
    const stop = async () => {
      log({ event: 'stopping', text: 'stopping: finishing the running push; queued events stay for the next start' });
      server.close();
      server.closeAllConnections?.();
      await batcher.stop();
      releaseQueue();
      resolve(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

// drive()'s `stop`: stop sending, finish what is in flight. A scripted session and transports
// whose answers the test releases one by one, so every request sent and every answer handed back
// is exact; then the real core against the sandbox, where the report must count what the sandbox
// received.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronaSyncError, SyncSession, cronaTransport, drive, humaTransport } from 'crona-sync';
import { sandbox } from './support/sandbox.js';

/** @typedef {import('crona-sync').HttpRequest} HttpRequest @typedef {import('crona-sync').HttpResponse} HttpResponse */

/** @param {string} id @param {'PATCH' | 'GET'} method @returns {HttpRequest} */
const request = (id, method = 'PATCH') => /** @type {HttpRequest} */ ({ id, system: 'crona', method, path: `/api/v1/employees/${id}` });

/** A session that writes w1…w5, then, once every write is answered, reads r1 back. */
class WritingSession {
  constructor() {
    /** @type {string[]} */ this.calls = [];
    /** @type {HttpResponse[][]} */ this.batches = [];
    this.stopped = false;
    this.pending = new Set(['w1', 'w2', 'w3', 'w4', 'w5']);
    this.handedOut = false;
    this.readBack = false;
    this.phase = 'applying';
  }

  poll() {
    if (!this.handedOut && this.stopped) {
      // Stopped before handing anything out: as the core does, nothing of it is ever sent.
      this.handedOut = true;
      this.pending.clear();
    }
    if (!this.handedOut) {
      this.handedOut = true;
      return [...this.pending].map((id) => request(id));
    }
    if (this.pending.size === 0 && !this.readBack) {
      this.readBack = true;
      this.phase = 'verifying';
      return [request('r1', 'GET')];
    }
    return [];
  }

  /** @param {HttpResponse[]} responses */
  handle(responses) {
    this.batches.push(responses);
    for (const r of responses) {
      this.pending.delete(r.id);
      if (r.id === 'r1') this.phase = 'done';
    }
  }

  stop() {
    this.calls.push('stop');
    this.stopped = true;
  }
}

/** A transport whose answers the test releases: `sent` in order, `release(id)` answers one. */
function heldTransport() {
  /** @type {string[]} */ const sent = [];
  /** @type {Map<string, { resolve: (r: HttpResponse) => void, signal?: AbortSignal }>} */ const held = new Map();
  /** @type {(() => void) | null} */ let onSend = null;
  return {
    sent,
    held,
    /** Waits until `n` requests were sent. @param {number} n */
    async sentCount(n) {
      while (sent.length < n) await new Promise((resolve) => { onSend = () => resolve(undefined); });
    },
    /** @param {string} id */
    release(id) {
      const h = held.get(id);
      assert.ok(h, `${id} is in flight`);
      held.delete(id);
      h.resolve({ id, status: 200, body: '{}' });
    },
    transport: {
      /** @param {HttpRequest} r @param {{ signal?: AbortSignal }} [options] @returns {Promise<HttpResponse>} */
      send(r, options) {
        sent.push(r.id);
        return new Promise((resolve, reject) => {
          held.set(r.id, { resolve, signal: options?.signal });
          options?.signal?.addEventListener('abort', () => reject(new CronaSyncError('aborted', 'The sync was cancelled.')));
          onSend?.();
        });
      },
    },
  };
}

test('stop: nothing more is sent, the requests in flight complete and are handed back, then the read-back runs', async () => {
  const session = new WritingSession();
  const crona = heldTransport();
  const stop = new AbortController();
  /** @type {import('crona-sync').DriveProgress[]} */
  const seen = [];
  const running = drive(session, { crona: /** @type {any} */ (crona.transport) }, { concurrency: 2, stop: stop.signal, onProgress: (p) => seen.push(p) });
  await crona.sentCount(2);
  assert.deepEqual(crona.sent, ['w1', 'w2']);

  stop.abort();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(session.calls, ['stop'], 'the session is told at once');
  assert.deepEqual(session.batches, [[
    { id: 'w3', status: 0, body: '', error: { code: 'not_sent', message: 'crona PATCH /api/v1/employees/w3: not sent, the run was stopped first' } },
    { id: 'w4', status: 0, body: '', error: { code: 'not_sent', message: 'crona PATCH /api/v1/employees/w4: not sent, the run was stopped first' } },
    { id: 'w5', status: 0, body: '', error: { code: 'not_sent', message: 'crona PATCH /api/v1/employees/w5: not sent, the run was stopped first' } },
  ]], 'what was never started is handed back as not sent');
  assert.deepEqual(crona.sent, ['w1', 'w2'], 'nothing new is sent');
  assert.equal(crona.held.get('w1')?.signal?.aborted, false, 'the writes in flight are not aborted');
  assert.equal(crona.held.get('w2')?.signal?.aborted, false);

  crona.release('w2');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(crona.sent, ['w1', 'w2'], 'an answer in flight frees no place for a write');
  crona.release('w1');
  await crona.sentCount(3);
  assert.deepEqual(crona.sent, ['w1', 'w2', 'r1'], 'the session\'s read-back goes out once the writes are answered');
  crona.release('r1');
  await running;

  assert.deepEqual(session.batches.slice(1).map((b) => b.map((r) => `${r.id} ${r.status}`)), [['w2 200'], ['w1 200'], ['r1 200']]);
  assert.equal(session.phase, 'done');
  const last = seen[seen.length - 1];
  assert.deepEqual([last.done, last.failed, last.notSent, last.inflight, last.queued], [3, 0, 3, 0, 0]);
});

test('stopped before drive starts: the session is stopped before it is polled, and only the read-back goes out', async () => {
  const session = new WritingSession();
  const crona = heldTransport();
  const stop = new AbortController();
  stop.abort();
  const running = drive(session, { crona: /** @type {any} */ (crona.transport) }, { stop: stop.signal });
  await crona.sentCount(1);
  assert.deepEqual(crona.sent, ['r1'], 'only the read-back');
  assert.deepEqual(session.calls, ['stop']);
  crona.release('r1');
  await running;
  assert.deepEqual(session.batches.map((b) => b.map((r) => `${r.id} ${r.status}`)), [['r1 200']]);
  assert.equal(session.phase, 'done');
});

test('signal stays the hard abort: the requests in flight are aborted and drive rejects, even while stopping', async () => {
  const session = new WritingSession();
  const crona = heldTransport();
  const stop = new AbortController();
  const abort = new AbortController();
  const running = drive(session, { crona: /** @type {any} */ (crona.transport) }, { concurrency: 2, stop: stop.signal, signal: abort.signal });
  await crona.sentCount(2);
  stop.abort();
  await new Promise((resolve) => setImmediate(resolve));
  const inFlight = crona.held.get('w1')?.signal;
  abort.abort();
  await assert.rejects(running, (/** @type {any} */ e) => e instanceof CronaSyncError && e.code === 'aborted');
  assert.equal(inFlight?.aborted, true);
  assert.deepEqual(crona.sent, ['w1', 'w2']);
});

test('stop needs a session that can stop', async () => {
  const session = { poll: () => [], handle: () => {} };
  await assert.rejects(drive(session, {}, { stop: new AbortController().signal }),
    (/** @type {any} */ e) => e instanceof CronaSyncError && e.code === 'invalid_argument' && /SyncSession\.stop\(\)/.test(e.message));
});

test('the core stopped mid-run against the sandbox: the report counts exactly the writes the sandbox received', async () => {
  const box = await sandbox({ people: 40 });
  const FAST = { baseDelayMs: 5, maxDelayMs: 20 };
  const transports = {
    huma: humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST }),
    crona: cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST }),
  };
  const session = new SyncSession({ today: '2026-11-25', now: '2026-11-25T10:00:00+01:00', state: null });
  await drive(session, transports, { concurrency: 6 });
  const plan = session.plan({ fieldDefaults: { phone: 'huma', bankAccount: 'crona', address: 'huma' }, createInCrona: 'all', createInHuma: 'all' });
  assert.ok(plan.operations.length > 12, `enough operations to stop in the middle (${plan.operations.length})`);
  const { requests } = await box.inspect();
  const since = requests[requests.length - 1].seq;
  await box.faults([{ system: 'any', method: 'PATCH', kind: 'latency', latencyMs: 300 }, { system: 'any', method: 'POST', kind: 'latency', latencyMs: 300 }]);
  session.apply(plan.hash, { allowMassChange: true });
  const stop = new AbortController();
  let stopping = false;
  await drive(session, transports, {
    concurrency: 4,
    stop: stop.signal,
    onProgress: (p) => {
      // Once a few writes are answered and others are on their way: stop.
      if (!stopping && p.done >= 4 && p.inflight > 0) {
        stopping = true;
        stop.abort();
      }
    },
  });
  await box.clearFaults();
  assert.equal(session.phase, 'done');
  const report = session.report();
  assert.equal(report.stopped, true);
  const { writes } = await box.inspect(since);
  const landed = writes.filter((/** @type {any} */ w) => w.status >= 200 && w.status < 300);
  const c = report.summary.counts;
  const done = report.outcomes.filter((o) => o.outcome === 'done').length;
  assert.equal(done, landed.length, 'every write the sandbox took is counted done, and no other');
  assert.equal(c.created + c.updated, done - report.outcomes.filter((o) => o.outcome === 'done' && o.operationId.endsWith(':details')).length);
  assert.equal(c.unknown, 0, 'every write in flight was answered');
  assert.ok(c.notRun > 0, 'the rest was not run');
  assert.equal(report.outcomes.length, done + c.failed + c.notRun + c.alreadyExisted);
  assert.ok(report.nextState.activatedAt, 'the connection is active');
  assert.ok((report.nextState.pairs ?? []).length > 0);
});
